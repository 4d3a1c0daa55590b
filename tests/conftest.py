"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run with the rest of the suite; screenshots go to test-results/ (kept by CI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test.testcases import QuietWSGIRequestHandler

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results"

# Sync Playwright runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live server (wsgiref underneath) sends a response's status line and its headers in separate
# writes; with Nagle's algorithm on, the headers then wait for the client's delayed ACK, some 40 ms
# per request, and the API fuzzing spent most of its ten minutes waiting on that.
QuietWSGIRequestHandler.disable_nagle_algorithm = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # The API fuzz runs take minutes each. pytest-django puts every test on a live server last, so
    # they ran alone at the end while the other worker had nothing left to do; first, they run
    # beside the rest. Each leaves an emptied database behind, as any live-server test does.
    items.sort(key=lambda item: "fuzz" not in item.keywords)
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (make test installs it)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def csp_violations() -> list[str]:
    """What the Content-Security-Policy blocked on the test's page, as the browser reported it."""
    return []


@pytest.fixture
def page(page: Any, csp_violations: list[str]) -> Any:
    """pytest-playwright's page, watched for Content-Security-Policy violations: every browser test
    fails on one (the tests about the policy assert it themselves, where the page is at hand)."""
    page.expose_function("zoneguardCspViolation", lambda text: csp_violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.zoneguardCspViolation(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline')"
        " + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample); });"
    )
    page.on("console", lambda message: _console_violation(message, csp_violations))
    yield page
    assert csp_violations == [], "the Content-Security-Policy blocked something"


def _console_violation(message: Any, found: list[str]) -> None:
    # Chromium also logs what the policy blocks where no event reaches the page (a worker's eval).
    if "Content Security Policy" in message.text:
        found.append(message.text)


@pytest.fixture
def screenshot() -> Any:
    """screenshot(page, "name") saves test-results/<name>.png and returns its path."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(live_server: Any) -> Any:
    """sign_in(page, "admin_a") signs in through the login form of the live server; the commander
    and officers then enter the code their authenticator would show (the test key's, or the demo's)."""
    from zoneguard.accounts.models import User
    from zoneguard.accounts.second_factor import requires_second_factor
    from zoneguard.testing import second_factor_code, second_factor_device

    def do(page: Any, username: str, password: str | None = None) -> None:
        user = User.objects.filter(username=username).first()
        device = second_factor_device(user) if user is not None and requires_second_factor(user) else None
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password or f"pw-{username}")
        page.locator("main form button[type=submit]").click()
        if device is not None:
            page.wait_for_url("**/accounts/two-factor/**")
            page.fill("input[name=code]", second_factor_code(device))
            page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")

    return do
