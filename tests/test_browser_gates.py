"""On a phone (375 px): a resident scans the site's QR code, declares in Chinese and gets a green
card; a gate officer's page refuses a 37.5 °C reading, and the same person at 36.6 °C until a
normal re-test is recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.gates.models import FeverAlert
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
    # The form fits the phone: nothing is wider than the screen, and every box and dot is a finger's size.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = form.locator("label:has(> input[type=radio]), label:has(> input[type=checkbox])").evaluate_all(
        "labels => labels.map(l => l.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 43, heights
    page.get_by_role("button", name="提交").click()
    card = page.get_by_test_id("status-card")
    card.wait_for()
    expect(card).to_have_attribute("data-status", "green")
    expect(card).to_contain_text("绿码")
    expect(card).to_contain_text("李*")
    screenshot(page, "health-green-card-375")


def test_a_fever_holds_at_the_gate_until_an_officer_records_a_normal_retest(
    zone, live_server, page, sign_in, screenshot
):
    person, colleague = zone.staff_a[0], zone.staff_a[1]
    now = timezone.now()
    for someone in (person, colleague):
        Declaration.objects.create(
            person=someone,
            name=someone.name,
            phone=someone.phone,
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
    expect(result).to_contain_text("体温 37.5 °C")
    # The answer is brought into view on the phone, under the form.
    expect(page.locator("#gate-reasons")).to_be_in_viewport()
    screenshot(page, "gate-deny-37-5-375")
    # The same person a minute later at 36.6 °C: still refused, and told why.
    page.get_by_label("身份证号或健康码").fill(person.id_number)
    page.get_by_label("体温（°C）").fill("36.6")
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#gate-result")).to_contain_text("复测正常前")
    expect(page.locator("#gate-result")).to_have_attribute("data-decision", "deny")
    screenshot(page, "gate-fever-hold-375")
    # The next person, 36.6 °C: let in.
    page.get_by_label("身份证号或健康码").fill(colleague.id_number)
    page.get_by_label("体温（°C）").fill("36.6")
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#gate-result")).to_have_attribute("data-decision", "allow")
    # The officer records a normal re-test on the alert and closes it.
    alert = FeverAlert.objects.get(person=person)
    page.goto(f"{live_server.url}/gates/alerts/{alert.pk}/")
    form = page.get_by_test_id("retest-form")
    form.get_by_label("体温（°C）").fill("36.5")
    form.get_by_label("测温部位").select_option("ear")
    form.get_by_role("button", name="登记复测").click()
    page.get_by_role("button", name="关闭预警").click()
    expect(page.get_by_test_id("hold")).to_contain_text("已恢复放行")
    screenshot(page, "gate-alert-released-375")
    page.goto(f"{live_server.url}/gates/gate/")
    page.get_by_label("身份证号或健康码").fill(person.id_number)
    page.get_by_label("体温（°C）").fill("36.5")
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#gate-result")).to_have_attribute("data-decision", "allow")
    screenshot(page, "gate-allow-after-retest-375")
