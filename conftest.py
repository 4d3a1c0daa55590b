"""Fixtures shared by every app's tests: a small known zone with one user per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zoneguard.testing import Zone, build_zone


@pytest.fixture(autouse=True)
def _fresh_hot_caches() -> None:
    # Ids are reused between tests on SQLite: no test may see another's cached token or site.
    from zoneguard.core.hotcache import clear_all

    clear_all()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    # A request in English leaves English active in the thread; each test starts in Chinese.
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor() -> Any:
    # The suite signs the commander and officers in with force_login(): as people who passed their
    # second factor. The login page still asks for it (accounts' tests of two-factor sign-in).
    from django.contrib.auth.signals import user_logged_in

    from zoneguard.testing import pass_second_factor_on_force_login

    user_logged_in.connect(pass_second_factor_on_force_login, dispatch_uid="test-force-login-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="test-force-login-second-factor")


@pytest.fixture
def zone(db: Any) -> Zone:
    return build_zone()


@pytest.fixture
def client_for(zone: Zone) -> Any:
    """client_for("admin_a") → a test client signed in as that user of the zone (the commander and
    officers as having passed their second factor)."""

    def make(username: str, language: str = "zh-hans") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(zone.users[username])
        return client

    return make


@pytest.fixture
def api_for(zone: Zone) -> Any:
    """api_for("admin_a") → a client that sends that user's bearer token (no session, no CSRF)."""
    from zoneguard.accounts.services import token_create

    def make(username: str, language: str = "zh-hans") -> Client:
        user = zone.users[username]
        _token, raw = token_create(actor=user, user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)

    return make


@pytest.fixture
def rate_clock(monkeypatch: Any, settings: Any) -> list[float]:
    """The rate limits' clock, frozen at the start of a window: rate_clock[0] += 60 moves it a minute."""
    from zoneguard.core import ratelimit

    window = settings.RATE_LIMIT_WINDOW_SECONDS
    now = [float(1582250400 // window * window)]  # 2020-02-21 10:00 Beijing time
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    monkeypatch.setattr(ratelimit, "_next_purge", 0.0)
    return now
