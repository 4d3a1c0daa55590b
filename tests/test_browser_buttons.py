"""Every button of the main pages wears the site's button style in Chromium: a "secondary" or
"danger" button used to keep the browser's own border, padding and font ("退回修改" on a filing
under review, "全部标为已读" in the inbox)."""

from typing import Any

import pytest

from zoneguard.demo.builder import load_demo_zone
from zoneguard.errands.models import Errand
from zoneguard.gates.models import FeverAlert
from zoneguard.incidents.models import Incident
from zoneguard.isolation.models import IsolationCase
from zoneguard.resumption.models import ResumptionFiling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"
PHONE = {"width": 390, "height": 844}

# The buttons on the page that do not look like app.css's buttons: the browser's border and
# corners, or no pointer. Link-like buttons (.linkish) are meant to look like links.
UNSTYLED = """() => Array.from(document.querySelectorAll("main button, main input[type=submit]"))
  .filter(b => b.offsetParent !== null && !b.classList.contains("linkish"))
  .filter(b => {
    const s = getComputedStyle(b);
    return s.borderTopWidth !== "0px" || s.borderTopLeftRadius !== "6px" || s.cursor !== "pointer"
      || s.fontFamily !== getComputedStyle(document.body).fontFamily;
  })
  .map(b => b.textContent.trim() || b.value)"""


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_zone(password=PASSWORD)


def test_the_buttons_wear_the_site_s_style(demo, live_server, page, sign_in, screenshot, csp_violations):
    submitted = ResumptionFiling.objects.filter(status="submitted", organisation__kind="market").first()
    incident = Incident.objects.exclude(status="closed").first()
    alert = FeverAlert.objects.order_by("-checked_at").first()
    case = IsolationCase.objects.filter(status="active", community__name="青峰社区").first()
    errand = Errand.objects.filter(status="open").first()
    pages = {
        "qingfeng": [f"/isolation/cases/{case.pk}/", "/errands/", f"/errands/{errand.pk}/"],
        "courier": ["/volunteers/my/"],
        "officer": [f"/resumption/filings/{submitted.pk}/", "/notifications/", "/notices/new/"],
        "commander": [
            "/notifications/",
            "/incidents/",
            "/gates/log/",
            "/accounts/tokens/",
            f"/incidents/{incident.pk}/",
            f"/gates/alerts/{alert.pk}/",
        ],
    }
    for username, paths in pages.items():
        sign_in(page, username, PASSWORD)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            assert page.locator("main button, main input[type=submit]").count(), path
            assert page.evaluate(UNSTYLED) == [], path
        page.context.clear_cookies()
    sign_in(page, "officer", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/resumption/filings/{submitted.pk}/")
    returned = page.get_by_role("button", name="退回修改")
    assert returned.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    screenshot(page, "buttons-filing-review-phone")
    page.goto(f"{live_server.url}/notifications/")
    assert page.evaluate(UNSTYLED) == []
    screenshot(page, "buttons-inbox-phone")
    assert csp_violations == []
