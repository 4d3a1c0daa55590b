"""Tax services in the browser, in Chinese: an enterprise books a hall slot on a phone and sees its
booking code; the tax officer approves a deferral and the summary total changes to the story's
8,271,253.36 yuan."""

import re

import pytest
from playwright.sync_api import expect

from zoneguard.tax import services
from zoneguard.tax.models import Appointment
from zoneguard.tax.tests.builders import build_tax, hardship_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = [
    ("vat", "420000.00"),
    ("consumption", "90000.00"),
    ("urban_construction", "35700.00"),
    ("local_education_surcharge", "10200.00"),
    ("stamp", "39746.00"),
]


def test_an_enterprise_books_a_hall_slot_and_sees_its_code(zone, live_server, page, sign_in, screenshot):
    tax = build_tax(zone)
    slot = tax.slot(days=2, hour=9, capacity=3)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "admin_a")
    page.goto(f"{live_server.url}/tax/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("link", name="预约办税").first.click()
    page.wait_for_url(f"{live_server.url}/tax/appointments/book/")
    expect(page.get_by_role("heading", name="预约办税")).to_be_visible()
    page.get_by_text("09:00–09:30（余3/共3）").click()
    page.select_option("select[name=purpose]", label="申报纳税")
    screenshot(page, "tax-booking-form")
    page.get_by_role("button", name="预约", exact=True).click()
    page.wait_for_url(re.compile(r"/tax/appointments/\d+/$"))
    appointment = Appointment.objects.get(organisation=zone.enterprise_a)
    assert page.url == f"{live_server.url}/tax/appointments/{appointment.pk}/"
    expect(page.get_by_test_id("booking-code")).to_have_text(appointment.code)
    expect(page.get_by_text(f"预约成功，预约码为{appointment.code}。")).to_be_visible()
    assert appointment.slot_id == slot.pk and appointment.purpose == "declaration"
    screenshot(page, "tax-booking-code")


def test_the_tax_officer_approves_a_deferral_and_the_summary_total_changes(
    zone, live_server, page, sign_in, screenshot
):
    tax = build_tax(zone)
    others = services.deferral_apply(
        actor=zone.admin_b,
        organisation=zone.enterprise_b,
        months=3,
        reason="疫情冲击",
        items=[("vat", "7675607.36")],
        evidence=[hardship_evidence()],
    )
    services.deferral_decide(actor=tax.officer, deferral=others, approve=True)
    services.deferral_apply(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        months=3,
        reason="资金困难",
        items=STORY,
        evidence=[hardship_evidence()],
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "taxofficer")
    page.goto(f"{live_server.url}/tax/deferrals/summary/")
    expect(page.get_by_test_id("summary-total")).to_have_text("7,675,607.36")
    expect(page.get_by_test_id("summary-enterprises")).to_have_text("1")
    page.get_by_role("link", name="延期缴纳", exact=True).click()
    page.get_by_role("link", name="企业甲").click()
    expect(page.get_by_test_id("deferral-total")).to_have_text("595,646.00")
    expect(page.get_by_test_id("deferral-status")).to_have_text("待审批")
    screenshot(page, "tax-deferral-decision")
    page.get_by_role("button", name="提交审批意见").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("deferral-status")).to_have_text("已批准")
    page.get_by_role("link", name="延期缴纳汇总").first.click()
    expect(page.get_by_test_id("summary-total")).to_have_text("8,271,253.36")
    expect(page.get_by_test_id("summary-enterprises")).to_have_text("2")
    screenshot(page, "tax-deferral-summary")
