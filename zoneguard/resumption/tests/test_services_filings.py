"""The filing workflow: submit, return with comments, amend and resubmit, approve; permissions."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.events import organisation_changed
from zoneguard.core.facts import facts_for
from zoneguard.notifications.models import Notification
from zoneguard.resumption import access, services
from zoneguard.resumption.models import FilingEvent, ResumptionFiling
from zoneguard.resumption.tests.conftest import filing_data


@pytest.fixture
def announced():
    received = []

    def receiver(sender, organisation_id, facts, **kwargs):
        received.append((organisation_id, facts))

    organisation_changed.connect(receiver)
    yield received
    organisation_changed.disconnect(receiver)


def test_it_runs_the_whole_workflow_and_keeps_every_step(zone, review_rules, announced):
    org = zone.enterprise_a
    filing = services.filing_submit(actor=zone.admin_a, organisation=org, data=filing_data())
    assert filing.status == "submitted"
    assert facts_for([org.pk], ["resumption_state"])[org.pk] == {"resumption_state": "submitted"}
    # The competent department (A) hears about it; B and the tax bureau do not.
    assert Notification.objects.filter(recipient=zone.officer_a, kind="approval").count() == 1
    assert not Notification.objects.filter(recipient=zone.officer_b).exists()

    services.filing_decide(actor=zone.officer_a, filing=filing, approve=False, comment="缺少隔离室说明")
    filing.refresh_from_db()
    assert (filing.status, filing.review_comment, filing.resumed_on) == ("returned", "缺少隔离室说明", None)
    assert Notification.objects.filter(recipient=zone.admin_a, kind="approval").count() == 1

    services.filing_amend(actor=zone.admin_a, filing=filing, data={"plan_notes": "一楼设隔离室。"})
    filing.refresh_from_db()
    assert (filing.status, filing.revision) == ("submitted", 2)

    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.status == "approved"
    assert filing.resumed_on == timezone.localdate()
    assert filing.decided_department == zone.department_a
    assert facts_for([org.pk], ["resumption_state"])[org.pk] == {"resumption_state": "approved"}

    steps = list(FilingEvent.objects.filter(filing=filing).values_list("action", "actor_name", "revision", "comment"))
    assert steps == [
        ("submitted", "admin_a", 1, ""),
        ("returned", "officer_a", 1, "缺少隔离室说明"),
        ("resubmitted", "admin_a", 2, ""),
        ("approved", "officer_a", 2, ""),
    ]
    assert FilingEvent.objects.filter(filing=filing, action="resubmitted").get().data["plan_notes"] == "一楼设隔离室。"
    assert [facts for _pk, facts in announced] == [frozenset({"resumption_state"})] * 4
    assert set(
        AuditEvent.objects.filter(object_type="resumption.resumptionfiling").values_list("action", flat=True)
    ) == {"create", "update", "return", "approve"}


def test_an_applicant_cannot_approve(zone, review_rules):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(Forbidden):
        services.filing_decide(actor=zone.admin_a, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.status == "submitted"


def test_a_filing_whose_submitter_s_account_is_gone_can_still_be_decided(zone, review_rules):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    zone.admin_a.delete()
    filing.refresh_from_db()
    assert filing.submitted_by is None
    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.status == "approved"


def test_a_department_outside_its_competence_cannot_review(zone, review_rules):
    from zoneguard.accounts.models import User

    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(Forbidden):
        services.filing_decide(actor=zone.officer_b, filing=filing, approve=True)
    # The tax bureau is competent for every organisation, yet reviews no filing.
    tax_officer = User.objects.create_user("tax", role="department_officer", department=review_rules)
    assert access.reviewing_departments(zone.enterprise_a) == [zone.department_a]
    with pytest.raises(Forbidden):
        services.filing_decide(actor=tax_officer, filing=filing, approve=True)
    # Department B reviews the building project filed by its parent's administrator.
    project_filing = services.filing_submit(actor=zone.admin_a, organisation=zone.project, data=filing_data())
    with pytest.raises(Forbidden):
        services.filing_decide(actor=zone.officer_a, filing=project_filing, approve=True)
    services.filing_decide(actor=zone.officer_b, filing=project_filing, approve=True)


def test_only_the_organisation_s_administrators_file(zone, review_rules):
    for actor in (zone.admin_b, zone.officer_a, zone.gate_a, zone.commander, zone.volunteer):
        with pytest.raises(Forbidden):
            services.filing_submit(actor=actor, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(Forbidden):  # a community does not resume work
        services.filing_submit(actor=zone.community_worker, organisation=zone.community, data=filing_data())


def test_it_refuses_a_second_filing_and_changes_after_approval(zone, review_rules):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(Conflict):
        services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    services.filing_decide(actor=zone.commander, filing=filing, approve=True)
    with pytest.raises(Conflict):
        services.filing_amend(actor=zone.admin_a, filing=filing, data={"staff_expected": 11, "staff_local": 8})
    with pytest.raises(Conflict):
        services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)


def test_the_competent_department_withdraws_an_approval_with_its_reason(zone, review_rules):
    org = zone.enterprise_a
    filing = services.filing_submit(actor=zone.admin_a, organisation=org, data=filing_data())
    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    with pytest.raises(InvalidInput) as no_reason:
        services.filing_decide(actor=zone.officer_a, filing=filing, approve=False, comment=" ")
    assert list(no_reason.value.errors) == ["comment"]
    for outsider in (zone.officer_b, zone.admin_a):
        with pytest.raises(Forbidden):
            services.filing_decide(actor=outsider, filing=filing, approve=False, comment="x")
    filing.refresh_from_db()
    assert filing.status == "approved"

    services.filing_decide(actor=zone.officer_a, filing=filing, approve=False, comment="发现确诊病例，停工消杀")
    filing.refresh_from_db()
    assert (filing.status, filing.resumed_on, filing.review_comment) == ("returned", None, "发现确诊病例，停工消杀")
    assert facts_for([org.pk], ["resumption_state"])[org.pk] == {"resumption_state": "returned"}
    assert FilingEvent.objects.filter(filing=filing).latest("pk").action == "withdrawn"
    told = Notification.objects.filter(recipient=zone.admin_a, kind="approval").latest("pk")
    assert "撤销" in str(told.title)
    # The organisation amends its filing and is approved again.
    services.filing_amend(actor=zone.admin_a, filing=filing, data={"plan_notes": "全面消杀完成。"})
    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.status == "approved" and filing.resumed_on is not None


def test_returning_needs_a_comment(zone, review_rules):
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(InvalidInput) as error:
        services.filing_decide(actor=zone.officer_a, filing=filing, approve=False, comment="  ")
    assert "comment" in error.value.errors


def test_it_checks_the_staff_figures_add_up(zone, review_rules):
    with pytest.raises(InvalidInput) as error:
        services.filing_submit(
            actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data(staff_local=2, staff_other_provinces=3)
        )
    assert "staff_other_provinces" in error.value.errors


def test_it_keeps_the_uploaded_plan_and_refuses_other_files(zone, review_rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(InvalidInput):
        services.filing_submit(
            actor=zone.admin_a,
            organisation=zone.enterprise_a,
            data=filing_data(),
            document=SimpleUploadedFile("plan.exe", b"MZ"),
        )
    filing = services.filing_submit(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        data=filing_data(),
        document=SimpleUploadedFile("防疫方案.pdf", b"%PDF-1.4 plan"),
    )
    assert filing.plan_document_name == "防疫方案.pdf"
    assert filing.plan_document.read() == b"%PDF-1.4 plan"
    assert "防疫方案" not in filing.plan_document.name  # stored under a random name


def test_work_resumes_after_the_review_not_before_today(zone, review_rules):
    today = timezone.localdate()
    for day, code in (
        (date(2001, 1, 1), "past"),
        (today - timedelta(days=1), "past"),
        (date(2099, 1, 1), "too_far_ahead"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.filing_submit(
                actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data(planned_date=day)
            )
        assert refused.value.code == code and "planned_date" in refused.value.errors
    assert not ResumptionFiling.objects.exists()
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    with pytest.raises(InvalidInput):
        services.filing_amend(actor=zone.admin_a, filing=filing, data={"planned_date": date(2001, 1, 1)})
    filing.refresh_from_db()
    assert (filing.planned_date, filing.revision) == (today, 1)
    # Reviewed after its planned day (filed for today, decided days later): it counts from the
    # approval, never before it.
    ResumptionFiling.objects.filter(pk=filing.pk).update(planned_date=today - timedelta(days=3))
    filing.refresh_from_db()
    services.filing_decide(actor=zone.officer_a, filing=filing, approve=True)
    filing.refresh_from_db()
    assert filing.resumed_on == today


def test_an_impossible_figure_is_named_beside_its_field(zone, review_rules):
    with pytest.raises(InvalidInput) as refused:
        services.filing_submit(
            actor=zone.admin_a,
            organisation=zone.enterprise_a,
            data=filing_data(staff_expected=99_999_999_999, staff_local=99_999_999_996, staff_other_provinces=3),
        )
    assert {"staff_expected", "staff_local"} <= set(refused.value.errors)
    assert not ResumptionFiling.objects.exists()
