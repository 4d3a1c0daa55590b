"""The main pages in Chromium under the Content-Security-Policy: nothing is blocked, and their
scripts (the gate page's check, the notice editor, htmx, Swagger UI, the admin's widgets) work."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.accounts.models import User
from zoneguard.health.models import Declaration
from zoneguard.notices.models import Notice
from zoneguard.testing import valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def policy_of(response):
    return response.headers["content-security-policy"]


def test_home_and_the_gate_page_run_their_scripts(zone, live_server, page, sign_in, csp_violations):
    person = zone.staff_a[0]
    now = timezone.now()
    Declaration.objects.create(
        person=person,
        name=person.name,
        phone=person.phone,
        status="green",
        valid_until=now + timedelta(hours=24),
        declared_at=now,
    )
    sign_in(page, "gate_a")
    response = page.goto(f"{live_server.url}/")
    assert "'unsafe-inline'" not in policy_of(response)
    # htmx loaded and took its settings from the meta tag, so it injected no <style> element.
    page.wait_for_function("window.htmx !== undefined")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.locator("style").count() == 0
    page.goto(f"{live_server.url}/gates/gate/")
    page.get_by_label("身份证号或健康码").fill(person.id_number)
    page.get_by_label("体温（°C）").fill("36.6")
    page.get_by_role("button", name="核验").click()
    page.locator("#gate-result[data-decision=allow]").wait_for()
    expect(page.locator("#gate-decision")).to_have_text("放行")
    assert csp_violations == []


def test_a_resident_declares_on_a_phone(zone, live_server, page, csp_violations):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/health/d/{zone.site_a.code}/")
    page.fill("#id_name", "李明")
    page.fill("#id_id_number", valid_id_number(area="110101", seq=778))
    page.fill("#id_phone", "13912345678")
    page.fill("#id_temperature", "36.5")
    page.get_by_label("否").check()
    page.get_by_role("button", name="提交").click()
    card = page.get_by_test_id("status-card")
    card.wait_for()
    expect(card).to_have_attribute("data-status", "green")
    # The QR code is inline SVG, drawn with presentation attributes the policy does not govern.
    expect(page.locator(".card-qr svg")).to_be_visible()
    assert csp_violations == []


def test_an_officer_writes_a_notice_with_the_editor(zone, live_server, page, sign_in, csp_violations):
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/notices/new/")
    editor = page.locator(".rt-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[data-richtext]")).to_be_hidden()
    page.fill("#id_title", "复工防疫须知")
    editor.click()
    page.keyboard.type("请落实测温")
    page.keyboard.press("ControlOrMeta+a")
    page.locator(".rt-toolbar button", has_text="B").click()
    page.get_by_label("企业").check()
    page.get_by_role("button", name="保存草稿").click()
    notice = Notice.objects.get()
    page.wait_for_url(f"{live_server.url}/notices/{notice.pk}/")
    expect(page.locator(".notice-body b, .notice-body strong")).to_have_text("请落实测温")
    assert csp_violations == []


def test_the_api_docs_work_under_their_policy(live_server, page, csp_violations):
    response = page.goto(f"{live_server.url}/api/v1/docs")
    policy = policy_of(response)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # Swagger UI (ninja's static files) renders the operations it read from the OpenAPI document,
    # which takes ninja a while to generate on a busy machine.
    expect(page.locator(".swagger-ui .information-container .title")).to_contain_text("ZoneGuard API", timeout=60_000)
    operations = page.locator(".swagger-ui .opblock")
    expect(operations.first).to_be_visible()
    operations.first.locator(".opblock-summary").click()
    expect(page.locator(".swagger-ui .opblock.is-open")).to_have_count(1)
    assert csp_violations == []


def test_the_admin_needs_no_exception(zone, live_server, page, csp_violations):
    User.objects.create_superuser(username="root", password="pw-root-admin")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-root-admin")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/accounts/user/")
    expect(page.locator("#result_list")).to_be_visible()
    # The change form runs the date shortcuts, the two-list permission picker and the
    # autocomplete (select2): all of them scripts reading data-* attributes.
    page.goto(f"{live_server.url}/admin/accounts/user/{zone.admin_a.pk}/change/")
    joined = page.locator("#id_date_joined_0")
    joined.fill("")
    page.locator("#id_date_joined_0 ~ .datetimeshortcuts a").first.click()  # "Today"
    expect(joined).to_have_value(re.compile(r"^\d{4}/\d{2}/\d{2}$"))
    expect(page.locator("#id_user_permissions_filter")).to_be_visible()
    expect(page.locator(".select2-container").first).to_be_visible()
    assert csp_violations == []
