"""The commander, in Chinese, finds an enterprise and opens it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commander_searches_organisations_and_opens_one(zone, live_server, page, sign_in, screenshot):
    sign_in(page, "commander")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="单位", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/registry/organisations/")
    assert page.get_by_role("heading", name="单位").is_visible()
    page.fill("input[name=q]", "企业乙")
    page.get_by_role("button", name="搜索").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "企业乙" in rows.first.inner_text()
    screenshot(page, "registry-organisations-search")
    page.get_by_role("link", name="企业乙").click()
    page.wait_for_url(f"{live_server.url}/registry/organisations/{zone.enterprise_b.pk}/")
    assert page.get_by_role("heading", name="企业乙").is_visible()
    assert page.get_by_text("统一社会信用代码").is_visible()
    # Staff appear masked in the members table.
    assert zone.staff_b[0].masked_id_number in page.content()
    assert zone.staff_b[0].id_number not in page.content()
    screenshot(page, "registry-organisation-detail")


def test_language_switch_to_english(zone, live_server, page, sign_in):
    sign_in(page, "commander")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Organisations").first.is_visible()
