"""Writes of home isolation: open a case (by hand, from a trace, from an Excel list), record the
daily follow-ups (by the worker or by the resident through their personal link), release the case
or transfer the person to hospital. Every write is one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, purge_audited
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.core.events import isolation_closed
from zoneguard.core.masking import mask_name
from zoneguard.core.roles import Role, is_commander
from zoneguard.core.services import validate
from zoneguard.health.models import Restriction, RestrictionKind, Symptom
from zoneguard.health.services import restriction_place, restriction_release
from zoneguard.incidents.models import IncidentKind
from zoneguard.incidents.services import incident_raise
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Membership, Organisation, OrganisationKind, Person
from zoneguard.registry.services import person_register
from zoneguard.registry.validators import MOBILE_RE, normalize_phone, validate_contact_phone

from . import access
from . import calendar as rules
from .models import CaseStatus, FollowUp, IsolationCase, Reason, ReasonRule, Source

# The resident's link stays open this many days after the case's end, to download the release notice.
LINK_GRACE_DAYS = 7
LINK_SALT = "zoneguard.isolation.resident-link"
# How far back a case may be entered (a list of people isolating since last week), and ahead.
MAX_DAYS_BACK = 30
MAX_DAYS_AHEAD = 7
SYMPTOMS = frozenset(Symptom.values)


def today() -> date:
    return timezone.localdate()


def follow_up_phone(phone: str) -> str:
    """The number the worker calls for the follow-up: empty (the person's own phone is called), a
    mobile number (stored as its 11 digits) or a landline with its area code. Anything else is
    refused: a typo saved here would have the worker call no one for the rest of the period."""
    raw = phone.strip()
    if not raw:
        return ""
    try:
        validate_contact_phone(raw)
    except ValidationError as error:
        raise InvalidInput.for_field("phone", str(error.messages[0]), code="phone") from error
    mobile = normalize_phone(raw)
    return mobile if MOBILE_RE.match(mobile) else raw


def reason_rule(reason: str) -> ReasonRule:
    """The rule of a reason: the commander's, or 14 days and one reading a day."""
    return ReasonRule.objects.filter(reason=reason).first() or ReasonRule(reason=reason)


@transaction.atomic
def reason_rule_save(*, actor: User, reason: str, days: int, readings_per_day: int) -> ReasonRule:
    if not is_commander(actor):
        raise Forbidden(_("Only the commander sets the isolation periods."))
    if reason not in Reason.values:
        raise InvalidInput.for_field("reason", _("Choose a reason from the list."))
    rule = ReasonRule.objects.select_for_update().filter(reason=reason).first() or ReasonRule(reason=reason)
    before = {"days": rule.days, "readings_per_day": rule.readings_per_day} if rule.pk else {}
    rule.days, rule.readings_per_day = days, readings_per_day
    validate(rule, exclude=["reason"], constraints=False)
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=rule,
        detail={"before": before, "after": {"days": days, "readings_per_day": readings_per_day}},
    )
    return rule


def _community_workers(community_id: int | None) -> list[User]:
    if community_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, role=Role.COMMUNITY_WORKER, organisation_id=community_id).order_by("id")
    )


def _check_worker(worker: User | None, community: Organisation | None) -> None:
    if worker is None:
        return
    if community is None or worker.role != Role.COMMUNITY_WORKER or worker.organisation_id != community.pk:
        raise InvalidInput.for_field("worker_id", _("Choose a worker of the case's community."))


def _default_community(actor: User, community: Organisation | None) -> Organisation | None:
    """A community worker's cases are in their community unless they say otherwise."""
    if community is None and access.is_community_worker(actor):
        return Organisation.objects.filter(pk=actor.organisation_id or 0, kind=OrganisationKind.COMMUNITY).first()
    return community


def _check_community(actor: User, community: Organisation | None) -> None:
    if community is not None and community.kind != OrganisationKind.COMMUNITY:
        raise InvalidInput.for_field("community_id", _("Choose a community."))
    if not access.may_follow_community(actor, community):
        raise InvalidInput.for_field("community_id", _("Choose a community you follow."))


def case_followers(case: IsolationCase) -> list[User]:
    """Who is told about a case: its worker, or every worker of its community while it has none."""
    if case.worker_id is not None and case.worker is not None and case.worker.is_active:
        return [case.worker]
    return _community_workers(case.community_id)


def _announce(case: IsolationCase, title: Any, body: Any = "", **params: Any) -> None:
    notify(
        recipients=case_followers(case),
        kind=NotificationKind.ALERT if params.get("alert") else NotificationKind.INFO,
        title=title,
        body=body,
        params={"name": mask_name(case.person.name), **{k: v for k, v in params.items() if k != "alert"}},
        link=f"/isolation/cases/{case.pk}/",
        source=case,
    )


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    community: Organisation | None,
    reason: str,
    source: str = Source.MANUAL,
    address: str = "",
    phone: str = "",
    start_date: date | None = None,
    worker: User | None = None,
    note: str = "",
    source_person: Person | None = None,
) -> IsolationCase:
    """Open a case: the person stays home from `start_date` (today by default) for the reason's
    period and the gates refuse them until the case is closed. A person has one active case at a
    time (Conflict when they already have one, whoever opened it)."""
    if not access.sees_cases(actor):
        raise Forbidden()
    community = _default_community(actor, community)
    _check_community(actor, community)
    if worker is None and actor.role == Role.COMMUNITY_WORKER and community is not None:
        worker = actor
    _check_worker(worker, community)
    if reason not in Reason.values:
        raise InvalidInput.for_field("reason", _("Choose a reason from the list."))
    start = start_date or today()
    if not today() - timedelta(days=MAX_DAYS_BACK) <= start <= today() + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput.for_field(
            "start_date",
            _("The start lies between %(first)s and %(last)s.")
            % {"first": today() - timedelta(days=MAX_DAYS_BACK), "last": today() + timedelta(days=MAX_DAYS_AHEAD)},
        )
    # Lock the person: two officers opening a case for them at once queue here, and the second
    # finds the first's case.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if IsolationCase.objects.filter(person=person, status=CaseStatus.ACTIVE).exists():
        raise Conflict(_("This person is already in home isolation."), code="isolation_active")
    phone = follow_up_phone(phone)
    rule = reason_rule(reason)
    case = IsolationCase(
        person=person,
        community=community,
        address=address.strip()[:200],
        phone=phone,
        reason=reason,
        source=source,
        source_person=source_person,
        note=note.strip()[:500],
        start_date=start,
        end_date=rules.end_date(start, rule.days),
        readings_per_day=rule.readings_per_day,
        worker=worker,
        created_by=actor,
    )
    validate(case, exclude=["person", "community", "worker", "source_person", "created_by"], constraints=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # a concurrent case won the race past the check above
        raise Conflict(_("This person is already in home isolation."), code="isolation_active") from error
    case.restriction, _created = restriction_place(
        actor=actor,
        person=person,
        kind=RestrictionKind.HOME_ISOLATION,
        source_person=source_person,
        note=_("Home isolation until %(date)s") % {"date": case.end_date.isoformat()},
    )
    case.save(update_fields=["restriction"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case,
        object_repr=f"{mask_name(person.name)} {case.start_date:%Y-%m-%d}",
        organisation_id=community.pk if community else None,
        detail={"reason": reason, "source": source, "start": start.isoformat(), "end": case.end_date.isoformat()},
    )
    _announce(
        case,
        gettext_lazy("Home isolation: %(name)s"),
        gettext_lazy("From %(start)s until %(end)s. Follow up every day."),
        start=case.start_date.isoformat(),
        end=case.end_date.isoformat(),
    )
    return case


def case_open_registering(
    *,
    actor: User,
    community: Organisation | None,
    name: str,
    id_number: str,
    phone: str = "",
    **case: Any,
) -> IsolationCase:
    """Open a case for someone given by ID number and name, registered as a resident of the
    community where they are not yet (the same outcome whether they were or not). Registering
    residents is the community's and the commander's: an officer opens cases for registered people."""
    if not access.sees_cases(actor):
        raise Forbidden()
    community = _default_community(actor, community)
    _check_community(actor, community)
    if community is None:
        raise InvalidInput.for_field("community_id", _("Choose the community where the person lives."))
    with transaction.atomic():
        try:
            person, _created = person_register(
                actor=actor, name=name, id_number=id_number, phone=phone, organisation=community
            )
        except Forbidden as error:
            raise Forbidden(
                _("Only the community and the commander register residents: choose a registered person.")
            ) from error
        return case_open(actor=actor, person=person, community=community, phone=phone, **case)


def resident_community(person: Person) -> Organisation | None:
    """Where a person lives, as far as the registry knows: a community they are a resident of, or
    the community of the organisation they work for."""
    memberships = Membership.objects.filter(person=person, is_active=True).select_related(
        "organisation", "organisation__community"
    )
    for membership in memberships:
        if membership.organisation.kind == OrganisationKind.COMMUNITY:
            return membership.organisation
    for membership in memberships:
        if membership.organisation.community is not None:
            return membership.organisation.community
    return None


@transaction.atomic
def cases_from_trace(*, actor: User, case: Person, people: Sequence[Person]) -> list[IsolationCase]:
    """Tracing hands close contacts over: a case each, in the community the registry knows for
    them (or none yet, for the commander's officers to place). People already isolating keep their
    case. The close-contact hold becomes the isolation's own, so that releasing the case lets
    them through the gates."""
    if not access.follows_whole_zone(actor):
        raise Forbidden(_("Only the commander and the epidemic-control officers hand people to home isolation."))
    opened = []
    for person in people:
        active = IsolationCase.objects.filter(person=person, status=CaseStatus.ACTIVE).first()
        if active is None:
            active = case_open(
                actor=actor,
                person=person,
                community=resident_community(person),
                reason=Reason.CLOSE_CONTACT,
                source=Source.TRACE,
                source_person=case,
                note=_("Close contact of %(case)s") % {"case": mask_name(case.name)},
            )
        for hold in Restriction.objects.filter(
            person=person, kind=RestrictionKind.CLOSE_CONTACT, released_at__isnull=True
        ):
            restriction_release(actor=actor, restriction=hold, note=_("Handed to home isolation."))
        opened.append(active)
    return opened


def _locked(case: IsolationCase) -> IsolationCase:
    return (
        IsolationCase.objects.select_for_update(of=("self",))
        .select_related("person", "community", "worker", "restriction")
        .get(pk=case.pk)
    )


def _may_handle(actor: User, case: IsolationCase) -> bool:
    return access.may_handle_community(actor, case.community_id)


@transaction.atomic
def case_assign(
    *,
    actor: User,
    case: IsolationCase,
    community: Organisation | None,
    worker: User | None,
    address: str,
    phone: str,
) -> IsolationCase:
    """Say where the person isolates and who follows them."""
    case = _locked(case)
    if not _may_handle(actor, case):
        raise NotFound()
    _check_community(actor, community)
    _check_worker(worker, community)
    phone = follow_up_phone(phone)
    before = {
        "community": case.community_id,
        "worker": case.worker_id,
        "address": case.address,
        "phone": case.phone,
    }
    case.community, case.worker, case.address, case.phone = community, worker, address.strip()[:200], phone
    case.save(update_fields=["community", "worker", "address", "phone", "updated_at"])
    after = {"community": case.community_id, "worker": case.worker_id, "address": case.address, "phone": case.phone}
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        object_repr=f"{mask_name(case.person.name)} {case.start_date:%Y-%m-%d}",
        organisation_id=case.community_id,
        detail={"changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]}},
    )
    if worker is not None and before["worker"] != worker.pk:
        _announce(case, gettext_lazy("Home isolation: %(name)s"), gettext_lazy("You follow this case from today."))
    return case


def _check_symptoms(symptoms: Sequence[str]) -> list[str]:
    unknown = [s for s in symptoms if s not in SYMPTOMS]
    if unknown:
        raise InvalidInput.for_field("symptoms", _("Choose symptoms from the list."))
    return sorted(set(symptoms))


@transaction.atomic
def follow_up_record(
    *,
    actor: User | None,
    case: IsolationCase,
    temperature: Decimal,
    symptoms: Sequence[str] = (),
    note: str = "",
    day: date | None = None,
) -> FollowUp:
    """Record a reading of the day (today unless said: a worker catching up on yesterday's paper
    list). `actor` None: the resident, through their personal link. A fever or a red-flag symptom
    opens an incident at once and tells the worker."""
    case = _locked(case)
    if actor is not None and not _may_handle(actor, case):
        raise NotFound()
    if not case.is_active:
        raise Conflict(_("This case is closed: no more follow-ups."), code="case_closed")
    day = day or today()
    if actor is None and day != today():
        raise InvalidInput.for_field("day", _("Record today's reading."))
    if not case.start_date <= day <= min(case.end_date, today()):
        raise InvalidInput.for_field(
            "day",
            _("Choose a day of the isolation, from %(start)s to %(end)s, not after today.")
            % {"start": case.start_date.isoformat(), "end": case.end_date.isoformat()},
        )
    symptoms = _check_symptoms(symptoms)
    taken = FollowUp.objects.filter(case=case, day=day).values_list("slot", flat=True)
    slot = rules.next_slot(taken)
    if slot is None:
        raise Conflict(_("The readings of this day are already recorded."), code="day_complete")
    follow_up = FollowUp(
        case=case,
        day=day,
        slot=slot,
        temperature=temperature,
        symptoms=symptoms,
        note=note.strip()[:500],
        recorded_by=actor,
        by_resident=actor is None,
    )
    validate(follow_up, exclude=["case", "recorded_by"], constraints=False)
    follow_up.save()
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else _("Resident (personal link)"),
        action=AuditAction.CREATE,
        obj=follow_up,
        object_repr=f"{mask_name(case.person.name)} {day:%Y-%m-%d} #{slot}",
        organisation_id=case.community_id,
        detail={"temperature": str(temperature), "symptoms": symptoms},
    )
    if rules.is_alarming(follow_up.temperature, symptoms):
        _raise_incident(case, follow_up)
    return follow_up


def _raise_incident(case: IsolationCase, follow_up: FollowUp) -> None:
    names = "、".join(follow_up.symptom_names)
    fever = follow_up.temperature >= rules.FEVER
    params = {"name": mask_name(case.person.name), "temperature": follow_up.temperature, "symptoms": names}
    incident = incident_raise(
        source=follow_up,
        kind=IncidentKind.FEVER if fever else IncidentKind.SUSPECTED_CASE,
        title=(
            _("Home isolation: %(name)s, %(temperature)s °C") if fever else _("Home isolation: %(name)s, %(symptoms)s")
        )
        % params,
        organisation=case.community,
        person_id=case.person_id,
        temperature=follow_up.temperature,
        occurred_at=timezone.now(),
        note=_("Raised automatically by a home-isolation follow-up."),
        description=case.address,
    )
    if incident is not None:
        follow_up.incident_id = incident.pk
        follow_up.save(update_fields=["incident_id"])
    _announce(
        case,
        gettext_lazy("Alarming follow-up: %(name)s"),
        gettext_lazy("%(temperature)s °C %(symptoms)s. An incident is open: see the person today."),
        temperature=str(follow_up.temperature),
        symptoms=names,
        alert=True,
    )


def _close(
    *, actor: User, case: IsolationCase, status: str, note: str, audit_detail: dict[str, Any] | None = None
) -> IsolationCase:
    case.status = status
    case.closed_at = timezone.now()
    case.closed_by = actor
    case.close_note = note.strip()[:500]
    case.save(update_fields=["status", "closed_at", "closed_by", "close_note", "updated_at"])
    if case.restriction is not None and case.restriction.released_at is None:
        restriction_release(actor=actor, restriction=case.restriction, note=str(CaseStatus(status).label))
    isolation_closed.send(sender=IsolationCase, case=case, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        object_repr=f"{mask_name(case.person.name)} {case.start_date:%Y-%m-%d}",
        organisation_id=case.community_id,
        detail={"changes": {"status": [CaseStatus.ACTIVE, status]}, **(audit_detail or {})},
    )
    return case


@transaction.atomic
def case_release(*, actor: User, case: IsolationCase, note: str = "") -> IsolationCase:
    """The worker's decision, on the end date or after, that the period is over: never automatic,
    since a resident with symptoms on the last day stays home."""
    case = _locked(case)
    if not _may_handle(actor, case):
        raise NotFound()
    if not case.is_active:
        raise Conflict(_("This case is already closed."), code="case_closed")
    if today() < case.end_date:
        raise Conflict(
            _("The isolation ends on %(date)s: it cannot be released before.") % {"date": case.end_date.isoformat()},
            code="isolation_not_over",
        )
    return _close(actor=actor, case=case, status=CaseStatus.RELEASED, note=note)


@transaction.atomic
def case_transfer(*, actor: User, case: IsolationCase, note: str) -> IsolationCase:
    """The person was taken to hospital: the case closes, whatever day it is."""
    case = _locked(case)
    if not _may_handle(actor, case):
        raise NotFound()
    if not case.is_active:
        raise Conflict(_("This case is already closed."), code="case_closed")
    if not note.strip():
        raise InvalidInput.for_field("note", _("Say which hospital and why."))
    return _close(actor=actor, case=case, status=CaseStatus.HOSPITAL, note=note)


# --- The resident's personal link -------------------------------------------------------------


def resident_token(case: IsolationCase) -> str:
    return signing.dumps({"c": case.pk, "v": case.link_version}, salt=LINK_SALT, compress=True)


def link_expires_on(case: IsolationCase) -> date | None:
    """The last day the link opens: None while the case is active (the resident records readings
    until the worker releases them), a week after the day it closed (to download the release
    notice)."""
    if case.closed_at is None:
        return None
    return timezone.localdate(case.closed_at) + timedelta(days=LINK_GRACE_DAYS)


class LinkExpired(Forbidden):
    pass


def case_by_token(token: str) -> IsolationCase:
    """The case a personal link opens. A forged or revoked link is not found; an old one is refused
    as expired."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
        pk, version = int(payload["c"]), int(payload["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise NotFound() from error
    case = IsolationCase.objects.select_related("person", "community", "worker").filter(pk=pk).first()
    if case is None or case.link_version != version:
        raise NotFound()
    expires = link_expires_on(case)
    if expires is not None and today() > expires:
        raise LinkExpired(_("This link has expired. Ask your community worker for a new one."), code="link_expired")
    return case


@transaction.atomic
def link_renew(*, actor: User, case: IsolationCase) -> IsolationCase:
    """A new personal link: the old one stops working (a phone lost, a link sent to the wrong
    chat)."""
    case = _locked(case)
    if not _may_handle(actor, case):
        raise NotFound()
    case.link_version += 1
    case.save(update_fields=["link_version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        object_repr=f"{mask_name(case.person.name)} {case.start_date:%Y-%m-%d}",
        organisation_id=case.community_id,
        detail={"link": "renewed"},
    )
    return case


# --- Keeping (core.retention) ---------------------------------------------------------------------


def purge_follow_ups(before: datetime, dry_run: bool) -> int:
    """The temperature readings and symptoms of cases closed before `before`. The case itself
    (who, where, from when to when, how it ended) stays: it is the zone's record of the isolation."""
    closed = IsolationCase.objects.filter(closed_at__lt=before).exclude(status=CaseStatus.ACTIVE)
    readings = FollowUp.objects.filter(case__in=closed).order_by("pk")
    return purge_audited(readings, before=before, dry_run=dry_run)
