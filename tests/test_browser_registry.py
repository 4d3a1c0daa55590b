"""The commander, in Chinese, finds an enterprise and opens it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commander_searches_organisations_and_opens_one(zone, live_server, page, sign_in, screenshot):
    sign_in(page, "commander")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("link", name="单位", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/registry/organisations/")
    expect(page.get_by_role("heading", name="单位")).to_be_visible()
    page.fill("input[name=q]", "企业乙")
    page.get_by_role("button", name="搜索").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("企业乙")
    screenshot(page, "registry-organisations-search")
    page.get_by_role("link", name="企业乙").click()
    page.wait_for_url(f"{live_server.url}/registry/organisations/{zone.enterprise_b.pk}/")
    expect(page.get_by_role("heading", name="企业乙")).to_be_visible()
    expect(page.get_by_text("统一社会信用代码")).to_be_visible()
    # Staff appear masked in the members table.
    assert zone.staff_b[0].masked_id_number in page.content()
    assert zone.staff_b[0].id_number not in page.content()
    screenshot(page, "registry-organisation-detail")


def test_language_switch_to_english(zone, live_server, page, sign_in):
    sign_in(page, "commander")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Organisations").first).to_be_visible()
