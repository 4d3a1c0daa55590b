"""The deferral pages: a decision posted twice, an application without hardship evidence, the tax
period of a month not over."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zoneguard.notifications.models import Notification
from zoneguard.tax import selectors, services
from zoneguard.tax.models import Deferral, DeferralStatus

from .test_services_deferrals import STORY, apply

APPROVE = {"decision": "approve", "months": "3", "note": "", **{f"amount_{code}": a for code, a in STORY}}


def test_a_second_decision_post_comes_back_to_the_page_with_a_message(tax, client_for):
    deferral = apply(tax)
    officer = client_for("taxofficer")
    first = officer.post(f"/tax/deferrals/{deferral.pk}/", APPROVE)
    assert first.status_code == 302
    # The double click, or the old tab: no 404, the page says it is decided.
    again = officer.post(f"/tax/deferrals/{deferral.pk}/", {"decision": "refuse", "note": "重复"})
    assert again.status_code == 302 and again.url == f"/tax/deferrals/{deferral.pk}/"
    page = officer.get(again.url).content.decode()
    assert "该申请已审批。" in page and 'class="stacked decision"' not in page
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.APPROVED and deferral.decision_note == ""
    assert Notification.objects.filter(recipient=tax.zone.admin_a, source_type="tax.deferral").count() == 1


def test_only_the_tax_officer_posts_a_decision(tax, client_for):
    deferral = apply(tax)
    for user in ("admin_a", "admin_b", "officer_a"):
        assert client_for(user).post(f"/tax/deferrals/{deferral.pk}/", APPROVE).status_code == 404
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.SUBMITTED


def test_an_application_without_evidence_is_refused_not_approved_on_the_page(tax, client_for):
    deferral = apply(tax, evidence=[])
    officer = client_for("taxofficer")
    page = officer.get(f"/tax/deferrals/{deferral.pk}/").content.decode()
    assert 'data-testid="no-evidence"' in page
    refused = officer.post(f"/tax/deferrals/{deferral.pk}/", APPROVE)
    assert refused.status_code == 422 and "该申请未上传困难证明材料" in refused.content.decode()
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.SUBMITTED
    response = officer.post(f"/tax/deferrals/{deferral.pk}/", {**APPROVE, "decision": "refuse", "note": "未提供材料"})
    assert response.status_code == 302
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.REFUSED


def test_a_month_not_begun_is_not_offered_as_a_tax_period(tax, client_for):
    zone = tax.zone
    client = client_for("admin_a")
    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    form = client.get("/tax/deferrals/new/").content.decode()
    assert f'max="{this_month:%Y-%m}"' in form
    response = client.post(
        "/tax/deferrals/new/",
        {
            "organisation": zone.enterprise_a.pk,
            "period": f"{next_month:%Y-%m}",
            "months": "3",
            "reason": "资金困难",
            "amount_vat": "1000.00",
            "evidence": SimpleUploadedFile("对账单.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    assert response.status_code == 422 and "尚未开始" in response.content.decode()
    assert not Deferral.objects.exists()


def test_a_decision_taken_meanwhile_by_another_officer_is_said_not_shown_as_a_form_error(tax, client_for, monkeypatch):
    deferral = apply(tax)
    stale = Deferral.objects.get(pk=deferral.pk)  # as the page loaded it, still waiting
    services.deferral_decide(actor=tax.officer, deferral=deferral, approve=False, note="材料不全")
    monkeypatch.setattr(selectors, "deferral_access", lambda **kwargs: stale)
    response = client_for("taxofficer").post(f"/tax/deferrals/{deferral.pk}/", APPROVE, follow=True)
    assert response.redirect_chain == [(f"/tax/deferrals/{deferral.pk}/", 302)]
    assert "该申请已审批。" in response.content.decode()
    assert Deferral.objects.get(pk=deferral.pk).status == DeferralStatus.REFUSED
