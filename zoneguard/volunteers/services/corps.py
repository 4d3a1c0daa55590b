"""The corps' registry: volunteers registered by a community worker, or applying themselves, and
their approval."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, changes_between, snapshot
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry import services as registry_services
from zoneguard.registry.models import Organisation

from .. import access, selectors
from ..certificate import certificate_pdf
from ..models import (
    SignUp,
    SignUpStatus,
    Skill,
    Volunteer,
    VolunteerStatus,
)
from .common import MY_TASKS, checked_community, lock_volunteer, require, require_runs

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

VOLUNTEER_FIELDS = ("name", "phone", "skills", "availability", "status", "community")


def _check_skills(skills: Iterable[str]) -> list[str]:
    known = set(Skill.values)
    chosen = list(dict.fromkeys(skills))
    if any(skill not in known for skill in chosen):
        raise InvalidInput.for_field("skills", _("Choose skills from the list."), code="unknown_skill")
    return chosen


@transaction.atomic
def volunteer_register(
    *,
    actor: User,
    community: Organisation,
    name: str,
    id_number: str,
    phone: str = "",
    skills: Sequence[str] = (),
    availability: str = "",
) -> Volunteer:
    """A community worker (or the commander) registers a volunteer of the community, approved at
    once: the worker is who approves. The person is the registry's, found by ID number or
    registered; the answer looks the same either way."""
    community = checked_community(community)
    require_runs(actor, community.pk)
    chosen = _check_skills(skills)
    person = registry_services.person_enrol(
        actor=actor, name=name, id_number=id_number, phone=phone, purpose="volunteer_registration"
    )
    if Volunteer.objects.filter(person=person, community=community).exists():
        raise Conflict(_("This person is already a volunteer of the community."), code="already_volunteer")
    now = timezone.now()
    volunteer = Volunteer(
        person=person,
        community=community,
        name=name,
        phone=phone,
        skills=chosen,
        availability=availability.strip(),
        status=VolunteerStatus.APPROVED,
        approved_at=now,
        approved_by=actor,
    )
    validate_and_save(volunteer)
    _audit_created(actor, volunteer, source="registered")
    return volunteer


def _audit_created(actor: User, volunteer: Volunteer, *, source: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=volunteer,
        organisation_id=volunteer.community_id,
        detail={"source": source, "changes": changes_between({}, snapshot(volunteer, VOLUNTEER_FIELDS))},
    )


@transaction.atomic
def volunteer_apply(
    *,
    actor: User,
    community: Organisation,
    name: str,
    id_number: str,
    phone: str = "",
    skills: Sequence[str] = (),
    availability: str = "",
) -> Volunteer:
    """A signed-in user of the volunteer role applies to a community; its workers approve.

    When the community already has a record of the person without an account (a worker registered
    them), the application links the account to it and waits for approval again: the worker
    confirms that the account is the volunteer's before it acts as them."""
    require(access.is_volunteer(actor))
    community = checked_community(community)
    chosen = _check_skills(skills)
    if Volunteer.objects.filter(user=actor).exists():
        raise Conflict(_("You have applied already."), code="already_applied")
    person = registry_services.person_enrol(
        actor=actor, name=name, id_number=id_number, phone=phone, purpose="volunteer_application"
    )
    existing = Volunteer.objects.select_for_update().filter(person=person, community=community).first()
    if existing is not None and existing.user_id is not None:
        raise Conflict(_("This person is already a volunteer of the community."), code="already_volunteer")
    if existing is not None:
        before = snapshot(existing, VOLUNTEER_FIELDS)
        existing.user = actor
        existing.status = VolunteerStatus.PENDING
        existing.skills = list(dict.fromkeys([*existing.skills, *chosen]))
        existing.availability = availability.strip() or existing.availability
        validate_and_save(existing)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=existing,
            organisation_id=community.pk,
            detail={"source": "application", "changes": changes_between(before, snapshot(existing, VOLUNTEER_FIELDS))},
        )
        volunteer = existing
    else:
        volunteer = Volunteer(
            person=person,
            community=community,
            user=actor,
            name=name,
            phone=phone,
            skills=chosen,
            availability=availability.strip(),
            status=VolunteerStatus.PENDING,
        )
        validate_and_save(volunteer)
        _audit_created(actor, volunteer, source="application")
    notify(
        recipients=selectors.community_workers(community_id=community.pk),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Volunteer application: %(name)s"),
        body=gettext_lazy("%(name)s applied to volunteer in %(community)s. Approve or decline on the volunteers page."),
        params={"name": volunteer.name, "community": community.name},
        link=f"/volunteers/{volunteer.pk}/",
        source=volunteer,
    )
    return volunteer


def _set_status(actor: User, volunteer: Volunteer, status: str, **fields: Any) -> Volunteer:
    before = volunteer.status
    volunteer.status = status
    for name, value in fields.items():
        setattr(volunteer, name, value)
    volunteer.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPROVE if status == VolunteerStatus.APPROVED else AuditAction.UPDATE,
        obj=volunteer,
        organisation_id=volunteer.community_id,
        detail={"changes": {"status": [before, status]}},
    )
    return volunteer


@transaction.atomic
def volunteer_approve(*, actor: User, volunteer: Volunteer) -> Volunteer:
    """Approve an application, or take a suspended volunteer back."""
    require_runs(actor, volunteer.community_id)
    volunteer = lock_volunteer(volunteer)
    if volunteer.status == VolunteerStatus.APPROVED:
        return volunteer
    _set_status(actor, volunteer, VolunteerStatus.APPROVED, approved_at=timezone.now(), approved_by=actor)
    if volunteer.user is not None:
        notify(
            recipients=[volunteer.user],
            kind=NotificationKind.INFO,
            title=gettext_lazy("You are a volunteer of %(community)s"),
            body=gettext_lazy("Sign up for shifts and see your tasks under My tasks."),
            params={"community": volunteer.community.name},
            link=MY_TASKS,
            source=volunteer,
        )
    return volunteer


@transaction.atomic
def volunteer_suspend(*, actor: User, volunteer: Volunteer) -> Volunteer:
    """Suspend a volunteer: they sign up for nothing more, and their places on shifts not begun
    are given back."""
    require_runs(actor, volunteer.community_id)
    volunteer = lock_volunteer(volunteer)
    if volunteer.status == VolunteerStatus.SUSPENDED:
        return volunteer
    _set_status(actor, volunteer, VolunteerStatus.SUSPENDED)
    now = timezone.now()
    freed = SignUp.objects.filter(
        volunteer=volunteer, status=SignUpStatus.SIGNED_UP, shift__starts_at__gt=now, checked_in_at__isnull=True
    ).update(status=SignUpStatus.CANCELLED, cancelled_at=now, updated_at=now)
    if freed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=volunteer,
            organisation_id=volunteer.community_id,
            detail={"cancelled_signups": freed},
        )
    return volunteer


def certificate_issue(*, actor: User, volunteer: Volunteer) -> bytes:
    """The certificate of service of a volunteer the actor reads (selectors.volunteer_access): the
    volunteer, their community's workers, the commander. Each one issued is in the audit log."""
    if volunteer.status == VolunteerStatus.PENDING:
        raise Conflict(_("A volunteer waiting for approval has served no hours yet."), code="not_approved")
    served = selectors.volunteer_hours(volunteer=volunteer)
    pdf = certificate_pdf(volunteer=volunteer, served=served, issued_on=timezone.localdate())
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=volunteer,
        organisation_id=volunteer.community_id,
        detail={"certificate": True, "minutes": served.minutes},
    )
    return pdf
