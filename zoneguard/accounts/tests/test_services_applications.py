from __future__ import annotations

import pytest
from django.core import mail

from zoneguard.accounts.models import ApplicationStatus, Invitation, OrganisationApplication
from zoneguard.accounts.services import applications
from zoneguard.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from zoneguard.registry.models import Organisation
from zoneguard.testing import at_once, valid_credit_code


def data(**overrides):
    return {
        "name": "湖南新申请科技有限公司",
        "kind": "enterprise",
        "credit_code": valid_credit_code(77),
        "sector": None,
        "address": "衡阳高新区解放大道1号",
        "total_staff": 40,
        "contact_name": "李申请",
        "contact_phone": "13912345678",
        "contact_email": "li@example.com",
        **overrides,
    }


def submit(**overrides):
    return applications.application_submit(request=None, data=data(**overrides))


def test_an_application_is_validated(zone):
    with pytest.raises(InvalidInput) as error:
        submit(credit_code="91430400MA4L0000X1", contact_phone="123", contact_email="nope", name="")
    assert set(error.value.errors) == {"credit_code", "contact_phone", "contact_email", "name"}
    assert not OrganisationApplication.objects.exists()


def test_duplicate_credit_codes_are_caught_in_the_same_words(zone):
    submit()
    with pytest.raises(InvalidInput) as pending:
        submit(name="另一家")
    with pytest.raises(InvalidInput) as registered:
        submit(credit_code=zone.enterprise_a.credit_code)
    assert pending.value.code == registered.value.code == "duplicate_credit_code"
    assert pending.value.message == registered.value.message


def test_the_competent_department_approves_once_and_the_contact_is_invited(zone, django_capture_on_commit_callbacks):
    application = submit()
    with pytest.raises(NotFound):  # 建设局 does not supervise enterprises
        applications.application_approve(actor=zone.officer_b, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        approved, raw = applications.application_approve(actor=zone.officer_a, application=application)
    organisation = Organisation.objects.get(credit_code=application.credit_code)
    assert (approved.status, approved.organisation) == (ApplicationStatus.APPROVED, organisation)
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.role, invitation.full_name, invitation.email) == (
        "organisation_admin",
        "李申请",
        "li@example.com",
    )
    assert len(mail.outbox) == 1 and raw in mail.outbox[0].body
    with pytest.raises(Conflict):  # a second click
        applications.application_approve(actor=zone.officer_a, application=application)
    assert Organisation.objects.filter(credit_code=application.credit_code).count() == 1


def test_a_refusal_needs_a_reason_and_tells_the_applicant(zone, django_capture_on_commit_callbacks):
    application = submit()
    with pytest.raises(InvalidInput):
        applications.application_refuse(actor=zone.officer_a, application=application, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_refuse(actor=zone.commander, application=application, reason="不在本区")
    assert "不在本区" in mail.outbox[0].body
    assert not Organisation.objects.filter(credit_code=application.credit_code).exists()
    # Refused: the code may apply again.
    assert submit().status == ApplicationStatus.PENDING


def test_the_public_submission_is_rate_limited(zone, settings, rf, rate_clock):
    settings.RATE_LIMIT_APPLICATIONS_PER_ADDRESS = 2
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    for n in range(2):
        applications.application_submit(request=request, data=data(credit_code=valid_credit_code(80 + n)))
    with pytest.raises(RateLimited):
        applications.application_submit(request=request, data=data(credit_code=valid_credit_code(90)))


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_create_the_organisation_once(zone, concurrent_db):
    from zoneguard.accounts.models import User
    from zoneguard.core.roles import Role

    other = User.objects.create_user("officer_a2", role=Role.DEPARTMENT_OFFICER, department=zone.department_a)
    for round_ in range(3):
        application = submit(credit_code=valid_credit_code(100 + round_))

        def approve(actor_pk, pk=application.pk):
            return lambda: applications.application_approve(
                actor=User.objects.get(pk=actor_pk), application=OrganisationApplication.objects.get(pk=pk)
            )

        results = at_once(approve(zone.officer_a.pk), approve(other.pk))
        assert sum(isinstance(r, tuple) for r in results) == 1, results
        assert sum(isinstance(r, Conflict) for r in results) == 1, results
        assert Organisation.objects.filter(credit_code=application.credit_code).count() == 1
        assert Invitation.objects.filter(organisation__credit_code=application.credit_code).count() == 1
