"""On a phone (375 px): a resident scans the site's QR code, declares in Chinese and gets a green
card; a gate officer's page refuses a 37.5 °C reading."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.health.models import Declaration
from zoneguard.testing import valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_a_resident_scans_declares_and_sees_a_green_card(zone, live_server, page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/health/d/{zone.site_a.code}/")
    expect(page.get_by_role("heading", name="健康申报")).to_be_visible()
    form = page.locator("form.declare")
    labels = form.locator("label, legend").all_inner_texts()
    expected = ("姓名", "身份证号", "手机号", "今日体温（°C，已测量时填写）", "近14天离开本市的旅居史", "密切接触人员")
    for label in expected:
        assert any(text.startswith(label) for text in labels), label
    page.fill("#id_name", "李明")
    page.fill("#id_id_number", valid_id_number(area="110101", seq=777))
    page.fill("#id_phone", "13912345678")
    page.fill("#id_temperature", "36.5")
    page.get_by_label("否").check()
    page.fill("#id_contacts_0_name", "王芳")
    page.fill("#id_contacts_0_phone", "13800000001")
    screenshot(page, "health-declaration-form-375")
    # The form fits the phone: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="提交").click()
    card = page.get_by_test_id("status-card")
    card.wait_for()
    expect(card).to_have_attribute("data-status", "green")
    expect(card).to_contain_text("绿码")
    expect(card).to_contain_text("李*")
    screenshot(page, "health-green-card-375")


def test_the_gate_page_refuses_37_5(zone, live_server, page, sign_in, screenshot):
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
    page.set_viewport_size(PHONE)
    sign_in(page, "gate_a")
    page.goto(f"{live_server.url}/gates/gate/")
    page.get_by_label("身份证号或健康码").fill(person.id_number)
    page.get_by_label("体温（°C）").fill("37.5")
    page.get_by_role("button", name="核验").click()
    result = page.locator("#gate-result[data-decision]")
    result.wait_for()
    expect(result).to_have_attribute("data-decision", "deny")
    expect(result).to_contain_text("禁止")
    expect(result).to_contain_text("体温 37.5 °C")
    screenshot(page, "gate-deny-37-5-375")
    # The next person, 36.6 °C: let in.
    page.get_by_label("身份证号或健康码").fill(person.id_number)
    page.get_by_label("体温（°C）").fill("36.6")
    page.get_by_role("button", name="核验").click()
    page.locator("#gate-result[data-decision=allow]").wait_for()
    screenshot(page, "gate-allow-375")
