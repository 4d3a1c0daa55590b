"""The filing pages: file with a document, review, amend; outsiders get 404."""

from django.core.files.uploadedfile import SimpleUploadedFile

from zoneguard.resumption import services
from zoneguard.resumption.models import ResumptionFiling
from zoneguard.resumption.tests.conftest import filing_data


def form_data(**overrides):
    data = {k: v for k, v in filing_data().items() if v is not False}
    data.update(overrides)
    return data


def test_an_admin_files_from_the_page_and_the_officer_approves(zone, review_rules, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = client_for("admin_a")
    page = admin.get("/resumption/filings/").content.decode()
    assert "企业甲" in page and "项目丙" in page  # both still to file
    response = admin.post(
        "/resumption/filings/new/",
        {**form_data(), "organisation": zone.enterprise_a.pk, "plan_document": SimpleUploadedFile("方案.pdf", b"%PDF")},
    )
    filing = ResumptionFiling.objects.get()
    assert response.status_code == 302 and response.url == f"/resumption/filings/{filing.pk}/"
    detail = admin.get(response.url).content.decode()
    assert "经发局" in detail and 'data-testid="filing-status">已提交<' in detail
    assert 'name="decision"' not in detail  # the applicant does not review
    assert admin.get(f"/resumption/filings/{filing.pk}/document/").getvalue() == b"%PDF"

    officer = client_for("officer_a")
    assert 'name="decision" value="return"' in officer.get(f"/resumption/filings/{filing.pk}/").content.decode()
    officer.post(f"/resumption/filings/{filing.pk}/decision/", {"decision": "return", "comment": "请补充"})
    filing.refresh_from_db()
    assert filing.status == "returned"
    assert "请补充" in admin.get(f"/resumption/filings/{filing.pk}/edit/").content.decode()
    admin.post(f"/resumption/filings/{filing.pk}/edit/", form_data(masks_in_stock=9000))
    filing.refresh_from_db()
    assert (filing.status, filing.masks_in_stock, filing.revision) == ("submitted", 9000, 2)
    officer.post(f"/resumption/filings/{filing.pk}/decision/", {"decision": "approve"})
    filing.refresh_from_db()
    assert filing.status == "approved"
    # The approval can be withdrawn by the department, not by the applicant.
    approved = officer.get(f"/resumption/filings/{filing.pk}/").content.decode()
    assert 'id="withdraw-approval"' in approved and "必填：说明撤销批准的原因" in approved
    assert 'id="withdraw-approval"' not in admin.get(f"/resumption/filings/{filing.pk}/").content.decode()
    officer.post(f"/resumption/filings/{filing.pk}/decision/", {"decision": "return", "comment": "现场发现病例"})
    filing.refresh_from_db()
    assert (filing.status, filing.review_comment) == ("returned", "现场发现病例")
    withdrawn = admin.get(f"/resumption/filings/{filing.pk}/").content.decode()
    assert "撤销批准的原因" in withdrawn and "现场发现病例" in withdrawn
    # Amended, it waits for a new decision: the withdrawal's reason stays in the history only.
    admin.post(f"/resumption/filings/{filing.pk}/edit/", form_data(masks_in_stock=9500))
    resubmitted = admin.get(f"/resumption/filings/{filing.pk}/").content.decode()
    assert "撤销批准的原因" not in resubmitted and resubmitted.count("现场发现病例") == 1


def test_the_form_shows_refusals_beside_the_fields(zone, review_rules, client_for):
    response = client_for("admin_a").post(
        "/resumption/filings/new/", {**form_data(staff_local=1), "organisation": zone.enterprise_a.pk}
    )
    assert response.status_code == 200
    assert "本地员工与外省员工之和" in response.content.decode()
    assert not ResumptionFiling.objects.exists()


def test_outsiders_get_not_found(zone, review_rules, client_for):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    outsider = client_for("admin_b")
    for path in ("", "edit/", "document/"):
        assert outsider.get(f"/resumption/filings/{filing.pk}/{path}").status_code == 404
    assert outsider.post(f"/resumption/filings/{filing.pk}/decision/", {"decision": "approve"}).status_code == 404
    assert client_for("officer_a").get("/resumption/filings/new/").status_code == 404
    assert (
        client_for("officer_b").post(f"/resumption/filings/{filing.pk}/decision/", {"decision": "approve"}).status_code
        == 404
    )
    filing.refresh_from_db()
    assert filing.status == "submitted"


def test_the_rates_page_shows_the_zone(zone, review_rules, client_for):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    page = client_for("commander").get("/resumption/rates/").content.decode()
    assert 'data-testid="resumption-rate">25%<' in page
    assert "企业乙" in page


def test_only_reviewers_are_offered_the_filings_waiting_for_them(zone, review_rules, client_for):
    assert 'name="to_review"' in client_for("officer_a").get("/resumption/filings/").content.decode()
    assert 'name="to_review"' in client_for("commander").get("/resumption/filings/").content.decode()
    page = client_for("admin_a").get("/resumption/filings/?to_review=on")
    assert page.status_code == 200 and 'name="to_review"' not in page.content.decode()
