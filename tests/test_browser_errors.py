"""The error pages in Chromium: a missing page is the Chinese 404 page in ZoneGuard's layout, on a
desktop and on a phone, with its icon and nothing the Content-Security-Policy blocks."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_missing_page_is_the_chinese_404_page_in_the_layout(
    zone, live_server, page, sign_in, screenshot, csp_violations
):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, "commander")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page).to_have_title("页面不存在 · ZoneGuard")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.get_by_role("navigation", name="主菜单")).to_be_visible()
    # Styled by app.css: the button is the site's blue button, not the browser's grey one.
    home = page.get_by_role("link", name="返回首页")
    assert home.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 95, 191)"
    icon = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    assert page.request.get(f"{live_server.url}/favicon.ico").ok
    screenshot(page, "error-404")
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # On the phone the menu folds behind its button, which opens it.
    menu = page.get_by_role("navigation", name="主菜单")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(menu).to_be_visible()
    page.get_by_role("button", name="菜单").click()
    expect(menu).to_be_hidden()
    screenshot(page, "error-404-phone")
    home.click()
    page.wait_for_url(f"{live_server.url}/")
    # The page itself was the only failed response: its stylesheet, scripts and icons loaded.
    assert failed == [f"404 {live_server.url}/no-such-page/"]
    assert csp_violations == []
