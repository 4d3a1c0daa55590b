"""Each of the eight demo users signs in, on a desktop and on a 390 px phone, and lands on a home
page of their own with at least one thing to act on."""

import pytest
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "demo-password-1"
# What each role's page must offer (a part of the label, in Chinese).
EXPECTED = {
    "commander": "复工率",
    "officer": "今日防控日报报送",
    "taxofficer": "今日办税预约",
    "jinhua": "今日日报",
    "hongkun": "今日日报",
    "gate": "进入卡口核验",
    "community": "已登记居民",
    "volunteer": "上报紧急情况",
}


@pytest.fixture
def demo_zone(db):
    return load_demo_zone(password=PASSWORD)


def test_every_demo_role_lands_on_its_own_home_page(demo_zone, live_server, page, sign_in, screenshot):
    for username, expected in EXPECTED.items():
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.context.clear_cookies()
            page.set_viewport_size(viewport)
            sign_in(page, username, PASSWORD)
            todo = page.get_by_test_id("todo")
            expect(todo).to_be_visible()
            assert todo.locator("a").count() >= 1, username
            expect(page.locator("main")).to_contain_text(expected)
            if name == "phone":
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], username
            screenshot(page, f"home-{username}-{name}")
        # The first thing to do opens.
        first = todo.locator("a").first
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state()
        assert page.url.endswith(href) or href.split("?")[0] in page.url, (username, href, page.url)
