"""Home isolation and its errands on a 390 px phone, on the demo zone: a resident of 青峰社区
records this morning's reading through their personal link; the volunteer 欧召应 takes the open
errand and delivers it with a photo of the receipt; the community worker sees both."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.errands.models import Errand
from zoneguard.isolation.models import FollowUp, IsolationCase
from zoneguard.isolation.services import resident_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def _receipt(tmp_path: Path) -> Path:
    path = tmp_path / "receipt.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_resident_reports_a_volunteer_delivers_and_the_worker_sees_both(
    demo, live_server, page, sign_in, screenshot, tmp_path
):
    page.set_viewport_size(PHONE)
    case = IsolationCase.objects.get(community__name="青峰社区", reason="close_contact")
    before = FollowUp.objects.filter(case=case).count()
    # The resident, on their phone, without signing in.
    page.goto(f"{live_server.url}/isolation/r/{resident_token(case)}/")
    page.get_by_label("体温（°C）").fill("36.6")
    page.get_by_label("咳嗽").check()
    screenshot(page, "isolation-resident-phone")
    # Made for a finger: every button tall enough to tap, nothing wider than the screen.
    heights = page.eval_on_selector_all("main button", "buttons => buttons.map(b => b.getBoundingClientRect().height)")
    assert heights and min(heights) >= 43, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="提交体温").click()
    expect(page.locator("ul.plain")).to_contain_text("36.6 °C")
    assert FollowUp.objects.filter(case=case).count() == before + 1
    assert FollowUp.objects.filter(case=case, by_resident=True, temperature="36.6").exists()

    # The volunteer takes the errand still waiting and delivers it.
    errand = Errand.objects.get(status="open")
    sign_in(page, "courier", PASSWORD)
    page.goto(f"{live_server.url}/volunteers/my/")
    offered = page.get_by_test_id(f"offered-errand-{errand.pk}")
    expect(offered).to_contain_text("大米")
    offered.get_by_role("button").click()
    mine = page.get_by_test_id(f"my-errand-{errand.pk}")
    expect(mine).to_contain_text(errand.case.address)
    mine.get_by_label("实际花费（元）").fill("68.50")
    mine.get_by_label("购物小票照片").set_input_files(str(_receipt(tmp_path)))
    screenshot(page, "errands-volunteer-phone")
    mine.get_by_role("button", name="已送达").click()
    expect(page.get_by_test_id(f"my-errand-{errand.pk}")).to_contain_text("68.50")
    errand.refresh_from_db()
    assert (errand.status, str(errand.amount), bool(errand.receipt)) == ("delivered", "68.50", True)

    # The community worker sees the reading and the delivery.
    page.context.clear_cookies()
    sign_in(page, "qingfeng", PASSWORD)
    page.goto(f"{live_server.url}/isolation/cases/{case.pk}/")
    expect(page.locator("table").first).to_contain_text("36.6")
    expect(page.locator("table").first).to_contain_text("居民本人")
    page.goto(f"{live_server.url}/errands/")
    expect(page.locator("table")).to_contain_text("已送达")
    expect(page.locator("table")).to_contain_text("68.50")
    screenshot(page, "errands-worker-phone")
