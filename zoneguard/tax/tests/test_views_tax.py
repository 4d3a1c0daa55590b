"""The tax pages, in Chinese: each role sees its part; forms go through the same services."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.tax import services
from zoneguard.tax.models import Appointment, Deferral, DeferralStatus, Policy, PolicyCondition, Slot
from zoneguard.testing import response_bytes

from .test_services_deferrals import apply
from .test_services_eligibility import make_policy


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode() if status == 200 else ""


def test_the_menu_shows_tax_services_to_its_users_only(tax, client_for):
    assert "/tax/" in page(client_for("admin_a"), "/")
    assert "/tax/" in page(client_for("taxofficer"), "/")
    assert "/tax/" in page(client_for("commander"), "/")
    assert 'href="/tax/"' not in page(client_for("officer_a"), "/")
    page(client_for("officer_a"), "/tax/", status=404)
    page(client_for("volunteer"), "/tax/deferrals/", status=404)


def test_the_commander_is_offered_no_link_that_is_refused(tax, client_for):
    """The commander reads the tax services but acts for no taxpayer: the booking button was a 404."""
    client = client_for("commander")
    for path in ("/tax/", "/tax/appointments/", "/tax/deferrals/", "/tax/policies/", "/tax/questions/"):
        for href in set(re.findall(r'href="(/tax/[^"]*)"', page(client, path))):
            assert client.get(unescape(href)).status_code == 200, (path, href)
    assert 'href="/tax/appointments/book/"' in page(client_for("admin_a"), "/tax/appointments/")


def test_every_page_renders_for_the_tax_officer(tax, client_for):
    zone = tax.zone
    policy = make_policy(tax, ("total_staff", "gte", "5"), publish=True)
    deferral = apply(tax)
    appointment = services.appointment_book(
        actor=zone.admin_a, slot=tax.slot(), organisation=zone.enterprise_a, purpose="other"
    )
    question = services.question_ask(
        actor=zone.admin_a, policy=policy, organisation=zone.enterprise_a, question="请问？"
    )
    client = client_for("taxofficer")
    home = page(client, "/tax/")
    assert "纳税服务" in home and "待审批延期申请" in home
    for path in [
        "/tax/policies/",
        f"/tax/policies/{policy.pk}/",
        f"/tax/policies/{policy.pk}/edit/",
        "/tax/policies/new/",
        "/tax/questions/",
        f"/tax/questions/{question.pk}/",
        "/tax/taxpayers/",
        f"/tax/taxpayers/{zone.enterprise_a.pk}/",
        f"/tax/taxpayers/{zone.enterprise_a.pk}/profile/",
        "/tax/appointments/",
        f"/tax/appointments/?date={appointment.day.isoformat()}",
        "/tax/appointments/book/",
        f"/tax/appointments/{appointment.pk}/",
        f"/tax/appointments/{appointment.pk}/reschedule/",
        "/tax/hall/",
        "/tax/hall/windows/new/",
        "/tax/deferrals/",
        "/tax/deferrals/new/",
        f"/tax/deferrals/{deferral.pk}/",
        "/tax/deferrals/summary/",
    ]:
        page(client, path)
    day = page(client, f"/tax/appointments/?date={appointment.day.isoformat()}")
    assert appointment.code in day and "企业甲" in day


def test_an_enterprise_sees_its_policies_with_reasons_and_only_its_own_records(tax, client_for):
    zone = tax.zone
    policy = make_policy(tax, ("total_staff", "gte", "10"), title="稳岗政策", publish=True)
    own = apply(tax)
    other = apply(tax, organisation=zone.enterprise_b, actor=zone.admin_b)
    client = client_for("admin_a")
    home = page(client, "/tax/")
    assert "稳岗政策" in home and "职工总数 至少为 10（实际：10）" in home
    detail = page(client, f"/tax/policies/{policy.pk}/")
    assert "适用于贵单位" in detail and "适用企业" not in detail
    deferrals = page(client, "/tax/deferrals/")
    assert f"/tax/deferrals/{own.pk}/" in deferrals and f"/tax/deferrals/{other.pk}/" not in deferrals
    page(client, f"/tax/deferrals/{other.pk}/", status=404)
    page(client, f"/tax/taxpayers/{zone.enterprise_b.pk}/", status=404)
    page(client, "/tax/hall/", status=404)
    page(client, "/tax/taxpayers/", status=404)
    b_home = page(client_for("admin_b"), "/tax/")
    assert "稳岗政策" not in b_home


def test_an_enterprise_books_a_slot_on_the_page_and_sees_its_code(tax, client_for):
    zone = tax.zone
    slot = tax.slot(days=2, capacity=1)
    client = client_for("admin_a")
    day = timezone.localdate(slot.starts_at).isoformat()
    form = page(client, f"/tax/appointments/book/?date={day}")
    assert "余1/共1" in form
    response = client.post(
        f"/tax/appointments/book/?date={day}",
        {"organisation": zone.enterprise_a.pk, "slot": slot.pk, "purpose": "declaration", "note": ""},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == f"/tax/appointments/{appointment.pk}/"
    assert appointment.code in page(client, response.url)
    full = client_for("admin_b").post(
        f"/tax/appointments/book/?date={day}",
        {"organisation": zone.enterprise_b.pk, "slot": slot.pk, "purpose": "declaration"},
    )
    assert full.status_code == 422  # the full slot is no longer offered
    client.post(f"/tax/appointments/{appointment.pk}/cancel/")
    assert Appointment.objects.get().status == "cancelled"


def test_an_enterprise_applies_for_a_deferral_on_the_page(tax, client_for, early_in_month):
    zone = tax.zone
    client = client_for("admin_a")
    period = services.default_period(timezone.localdate())
    data = {
        "organisation": zone.enterprise_a.pk,
        "period": f"{period:%Y-%m}",
        "months": "3",
        "reason": "资金困难",
        "amount_vat": "420000.00",
        "amount_stamp": "39746.005",
        "evidence": SimpleUploadedFile("对账单.pdf", b"%PDF-1.4", "application/pdf"),
    }
    refused = client.post("/tax/deferrals/new/", data)
    assert refused.status_code == 422 and not Deferral.objects.exists()
    assert "2" in refused.content.decode()  # the stamp duty field says at most 2 decimal places
    assert 'data-testid="attach-again"' in refused.content.decode()  # the evidence is to be attached again
    data["amount_stamp"] = "39746.00"
    data["evidence"] = SimpleUploadedFile("对账单.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post("/tax/deferrals/new/", data)
    deferral = Deferral.objects.get()
    assert response.status_code == 302
    assert str(deferral.total) == "459746.00"
    detail = page(client, f"/tax/deferrals/{deferral.pk}/")
    assert "459,746.00" in detail and "对账单.pdf" in detail
    evidence = deferral.evidence.get()
    assert client.get(f"/tax/evidence/{evidence.pk}/").status_code == 200
    assert client_for("admin_b").get(f"/tax/evidence/{evidence.pk}/").status_code == 404


def test_the_tax_officer_decides_on_the_page_and_the_summary_changes(tax, client_for):
    deferral = apply(tax)
    client = client_for("taxofficer")
    assert "0.00" in page(client, "/tax/deferrals/summary/")
    bad = client.post(
        f"/tax/deferrals/{deferral.pk}/",
        {"decision": "approve", "months": "3", **{f"amount_{c}": a for c, a in [("vat", "500000.00")]}},
    )
    assert bad.status_code == 422  # more VAT than applied for, and the other taxes missing
    response = client.post(
        f"/tax/deferrals/{deferral.pk}/",
        {
            "decision": "approve",
            "months": "2",
            "amount_vat": "420000.00",
            "amount_consumption": "90000.00",
            "amount_urban_construction": "35700.00",
            "amount_local_education_surcharge": "10200.00",
            "amount_stamp": "0",
            "note": "",
        },
    )
    assert response.status_code == 302
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.APPROVED and str(deferral.approved_total) == "555900.00"
    summary = page(client, "/tax/deferrals/summary/")
    assert "555,900.00" in summary
    export = client.get("/tax/deferrals/summary/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response_bytes(export))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "企业甲" and rows[-1][-2] == 555900.0
    assert rows[1][-2] == "批准延期金额合计（元）" and all(str(h).endswith("（元）") for h in rows[1][5:-1])
    # The enterprise cannot decide.
    assert client_for("admin_a").post(f"/tax/deferrals/{deferral.pk}/", {"decision": "refuse"}).status_code == 404


def test_a_tax_officer_edits_a_policy_and_its_conditions_on_the_page(tax, client_for):
    client = client_for("taxofficer")
    response = client.post(
        "/tax/policies/new/",
        {
            "title": "困难企业延期缴纳",
            "category": tax.category.pk,
            "issuer": "国家税务总局湖南省税务局",
            "valid_from": "2020-02-10",
            "text": "全文",
        },
    )
    policy = Policy.objects.get()
    assert response.status_code == 302 and response.url == f"/tax/policies/{policy.pk}/edit/"
    refused = client.post(
        f"/tax/policies/{policy.pk}/conditions/", {"fact": "sector", "operator": "eq", "value": "航天"}
    )
    assert refused.status_code == 422 and "不是行业的取值" in refused.content.decode()
    client.post(
        f"/tax/policies/{policy.pk}/conditions/", {"fact": "sector", "operator": "in", "value": "制造业、建筑业"}
    )
    assert PolicyCondition.objects.get().value == ["manufacturing", "construction"]
    upload = client.post(
        f"/tax/policies/{policy.pk}/attachments/",
        {"file": SimpleUploadedFile("十项措施.pdf", b"%PDF", "application/pdf")},
    )
    assert upload.status_code == 302
    attachment = policy.attachments.get()
    published = client.post(f"/tax/policies/{policy.pk}/publish/", follow=True).content.decode()
    told = policy.matches.filter(notified_at__isnull=False).count()
    assert told >= 2 and f"政策已发布，已推送给{told}户企业。" in published
    policy.refresh_from_db()
    assert policy.status == "published"
    # Published again, nobody is told twice.
    assert (
        "政策已发布，已推送给0户企业。"
        in client.post(f"/tax/policies/{policy.pk}/publish/", follow=True).content.decode()
    )
    detail = page(client, f"/tax/policies/{policy.pk}/")
    assert "企业甲" in detail and "项目丙" in detail
    assert client_for("admin_a").get(f"/tax/attachments/{attachment.pk}/").status_code == 200
    assert client_for("admin_a").post(f"/tax/policies/{policy.pk}/publish/").status_code == 404


def test_the_hall_page_generates_slots_and_closes_days(tax, client_for):
    client = client_for("taxofficer")
    today = timezone.localdate()
    response = client.post(
        "/tax/hall/generate/",
        {
            "date_from": (today + timedelta(days=1)).isoformat(),
            "date_to": (today + timedelta(days=2)).isoformat(),
            "minutes": "60",
        },
    )
    assert response.status_code == 302
    assert tax.hall.slots.count() == 6
    client.post("/tax/hall/closures/", {"date": (today + timedelta(days=1)).isoformat(), "reason": "消毒"})
    assert tax.hall.slots.filter(is_open=False).count() == 3
    bad = client.post("/tax/hall/hours/", {"weekday": "0", "opens_at": "10:00", "closes_at": "11:00"})
    assert bad.status_code == 422  # overlaps 9:00-12:00


def test_the_officer_ticks_off_arrivals_on_the_day_view(tax, client_for):
    zone = tax.zone
    start = timezone.now() + timedelta(minutes=5)
    if timezone.localdate(start) != timezone.localdate():
        pytest.skip("too close to midnight for a booking today")
    slot = Slot.objects.create(hall=tax.hall, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    appointment = services.appointment_book(
        actor=zone.admin_a, slot=slot, organisation=zone.enterprise_a, purpose="invoices"
    )
    client = client_for("taxofficer")
    assert "已到厅" in page(client, "/tax/appointments/")
    response = client.post(f"/tax/appointments/{appointment.pk}/arrived/")
    assert response.status_code == 302
    assert Appointment.objects.get().status == "arrived"


def test_the_question_flow_on_the_pages(tax, client_for):
    zone = tax.zone
    policy = make_policy(tax, publish=True)
    client_for("admin_a").post(
        f"/tax/policies/{policy.pk}/ask/", {"organisation": zone.enterprise_a.pk, "question": "需要哪些资料？"}
    )
    question = policy.questions.get()
    assert "需要哪些资料？" in page(client_for("taxofficer"), "/tax/questions/?answered=no")
    client_for("taxofficer").post(f"/tax/questions/{question.pk}/", {"answer": "对账单", "publish": "on"})
    assert "对账单" in page(client_for("admin_b"), f"/tax/policies/{policy.pk}/")


def test_lists_cost_a_fixed_number_of_queries(tax, client_for):
    zone = tax.zone
    client = client_for("taxofficer")

    def count(path):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    paths = ["/tax/deferrals/", "/tax/policies/", "/tax/questions/", "/tax/deferrals/summary/", "/tax/taxpayers/"]
    services.deferral_decide(actor=tax.officer, deferral=apply(tax), approve=True)
    make_policy(tax, publish=True)
    few = [count(p) for p in paths]
    for deferral in [
        apply(tax, organisation=zone.enterprise_b, actor=zone.admin_b),
        apply(tax, organisation=zone.market, actor=tax.officer),
    ]:
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)
    make_policy(tax, title="第二项", publish=True)
    make_policy(tax, title="第三项", publish=True)
    many = [count(p) for p in paths]
    assert few == many


def test_the_pages_speak_english_when_asked(tax, client_for):
    client = client_for("taxofficer", language="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/tax/"})
    summary = page(client, "/tax/deferrals/summary/")
    assert "Deferral summary" in summary and "延期缴纳汇总" not in summary
    assert "Book a hall appointment" in page(client, "/tax/appointments/book/")
