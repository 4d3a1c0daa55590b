"""Prevention supplies in a browser, on the demo zone: the officer of 经发局 allocates KN95 masks
from the zone's depot to 泓坤医疗's waiting request, hands them over, and the stock page shows
the depot's new balance."""

from typing import Any

import pytest
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.supplies.models import Depot, SupplyRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def test_an_officer_allocates_masks_and_the_stock_page_shows_the_new_balance(
    demo, live_server, page, sign_in, screenshot
):
    request = SupplyRequest.objects.get(organisation__name="湖南泓坤医疗器械有限公司", status="pending")
    depot = Depot.objects.get(name="高新区防疫物资库")
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{live_server.url}/supplies/")
    row = page.locator(f'#stock tr[data-depot="{depot.pk}"]').filter(has_text="KN95口罩")
    expect(row.locator(".quantity")).to_have_text("3000")

    page.goto(f"{live_server.url}/supplies/requests/")
    page.get_by_role("link", name=str(request.pk), exact=True).click()
    form = page.locator("#allocate-form")
    form.locator('select[name="item_0"]').select_option(label="KN95口罩")
    form.locator('select[name="depot_0"]').select_option(label="高新区防疫物资库")
    form.locator('input[name="quantity_0"]').fill("600")
    screenshot(page, "supplies-allocate")
    form.get_by_role("button", name="调配").click()
    expect(page.locator("#request-status")).to_have_text("已调配")
    expect(page.locator("#allocations")).to_contain_text("高新区防疫物资库")
    page.locator("#hand-over").click()
    expect(page.locator("#request-status")).to_have_text("已交付")

    page.goto(f"{live_server.url}/supplies/")
    expect(row.locator(".quantity")).to_have_text("2400")
    screenshot(page, "supplies-stock")
    request.refresh_from_db()
    assert request.status == "handed_over"
