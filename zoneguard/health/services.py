"""Writes of the health module: a declaration, from the public form or the API (no sign-in)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, purge_audited
from zoneguard.core import ratelimit
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.hotcache import HotCache
from zoneguard.registry import validators
from zoneguard.registry.models import Person, Site
from zoneguard.registry.selectors import site_by_code
from zoneguard.registry.services import PersonRegisteredMeanwhile, person_for_declaration

from . import rules, selectors
from .models import Declaration, DeclaredContact, HealthRule, HealthStatus, Restriction, Symptom

# A reading outside this range is a faulty measurement, not a body temperature.
TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
MAX_TRAVEL = 10
MAX_CONTACTS = 20
TRAVEL_DAYS = 14


def parse_temperature(value: Any, *, field: str = "temperature") -> Decimal | None:
    """A reading to one decimal (half up, so that 37.25 counts as 37.3); outside 34.0–43.0 °C it is
    refused with a message that says why, and nothing is recorded."""
    if value is None or value == "":
        return None
    try:
        reading = _reading(value)
    except (InvalidOperation, ValueError, TypeError) as error:
        raise InvalidInput.for_field(
            field, _("Enter the temperature in °C, such as 36.5."), code="temperature"
        ) from error
    if not reading.is_finite() or not TEMPERATURE_MIN <= reading <= TEMPERATURE_MAX:
        raise InvalidInput.for_field(
            field,
            _("%(value)s °C is not a body temperature: measure again (readings from 34.0 to 43.0 °C are accepted).")
            % {"value": value},
            code="implausible_temperature",
        )
    return reading


@functools.lru_cache(maxsize=1024)
def _reading(value: Any) -> Decimal:
    # Gates send the same few dozen readings all day (36.2, 36.5 ...): each is converted once.
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _check_mobile(value: str, field: str, errors: dict[str, list[str]], *, required: bool = True) -> str:
    phone = validators.normalize_phone(value)
    if not phone and not required:
        return ""
    try:
        validators.validate_mobile(phone)
    except ValidationError as error:
        errors.setdefault(field, []).extend(str(m) for m in error.messages)
    return phone


def _clean_travel(items: Sequence[Mapping[str, Any]], today: date, errors: dict[str, list[str]]) -> list[rules.Travel]:
    trips = []
    if len(items) > MAX_TRAVEL:
        errors.setdefault("travel", []).append(_("List at most %(n)s places.") % {"n": MAX_TRAVEL})
        return []
    for i, item in enumerate(items):
        place = str(item.get("place") or "").strip()
        start, end = item.get("from"), item.get("to")
        prefix = f"travel.{i}"
        if not place:
            errors.setdefault(f"{prefix}.place", []).append(_("Name the place."))
        if not isinstance(start, date) or not isinstance(end, date):
            errors.setdefault(f"{prefix}.to", []).append(_("Give the dates you were there."))
            continue
        if end > today:
            errors.setdefault(f"{prefix}.to", []).append(_("The return date cannot be in the future."))
        elif end < today - timedelta(days=TRAVEL_DAYS):
            errors.setdefault(f"{prefix}.to", []).append(_("List only travel of the last 14 days."))
        elif start > end:
            errors.setdefault(f"{prefix}.from", []).append(_("The first day must not be after the return date."))
        elif place:
            trips.append(rules.Travel(place=place[:100], start=start, end=end))
    return trips


def _clean_contacts(items: Sequence[Mapping[str, Any]], errors: dict[str, list[str]]) -> list[DeclaredContact]:
    if len(items) > MAX_CONTACTS:
        errors.setdefault("contacts", []).append(_("List at most %(n)s people.") % {"n": MAX_CONTACTS})
        return []
    contacts = []
    for i, item in enumerate(items):
        prefix = f"contacts.{i}"
        name = str(item.get("name") or "").strip()
        if not name:
            errors.setdefault(f"{prefix}.name", []).append(_("Give the person's name."))
        phone = _check_mobile(str(item.get("phone") or ""), f"{prefix}.phone", errors)
        id_number = validators.normalize_id_number(str(item.get("id_number") or ""))
        if id_number:
            try:
                validators.validate_id_number(id_number)
            except ValidationError as error:
                errors.setdefault(f"{prefix}.id_number", []).extend(str(m) for m in error.messages)
        contacts.append(DeclaredContact(name=name[:50], phone=phone[:11], id_number=id_number[:18]))
    return contacts


def declaration_site_admit(*, site_code: str, client: str) -> Site:
    """The site a public declaration is made at, once the declaration is counted against the
    rate limits of its client's address and of the site code (RateLimited when either is
    exceeded). A wrong site code is counted against the address before it is refused, so that
    nobody can try codes without limit."""
    try:
        site: Site | None = site_by_code(site_code)
    except NotFound:
        site = None
    limits = [
        ratelimit.Limit(
            "declaration.address", ratelimit.client_subject(client), settings.RATE_LIMIT_DECLARATIONS_PER_ADDRESS
        )
    ]
    if site is not None:
        limits.append(ratelimit.Limit("declaration.site", site.code, settings.RATE_LIMIT_DECLARATIONS_PER_SITE))
    ratelimit.count(*limits)
    if site is None:
        raise NotFound()
    return site


# The rules are read on every declaration and change a few times in an epidemic: an officer's
# edit applies at once in the worker that saved it, in the others within HOT_CACHE_SECONDS.
ACTIVE_RULES = HotCache(max_entries=1)


def active_rules() -> tuple[HealthRule, ...]:
    """The rules in force, shared by the requests of this process: read them, never change them."""
    return ACTIVE_RULES.get_or_load("active", lambda _key: tuple(HealthRule.objects.filter(is_active=True)))


def _declaration_clean(
    *,
    name: str,
    id_number: str,
    phone: str,
    temperature: Any,
    travel: Sequence[Mapping[str, Any]],
    symptoms: Sequence[str],
    contacts: Sequence[Mapping[str, Any]],
    today: date,
) -> tuple[dict[str, list[str]], str, Any, list[rules.Travel], list[DeclaredContact]]:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Enter your name.")]
    canonical_phone = _check_mobile(phone, "phone", errors)
    try:
        reading = parse_temperature(temperature)
    except InvalidInput as error:
        errors.update(error.errors)
        reading = None
    unknown = sorted(set(symptoms) - set(Symptom.values))
    if unknown:
        errors["symptoms"] = [_("Unknown symptom: %(code)s.") % {"code": unknown[0]}]
    trips = _clean_travel(travel, today, errors)
    declared_contacts = _clean_contacts(contacts, errors)
    try:
        validators.validate_id_number(id_number)
    except ValidationError as error:
        errors["id_number"] = [str(m) for m in error.messages]
    return errors, canonical_phone, reading, trips, declared_contacts


def declaration_check(
    *,
    name: str,
    id_number: str,
    phone: str,
    temperature: Any = None,
    travel: Sequence[Mapping[str, Any]] = (),
    contact_with_case: bool = False,
    symptoms: Sequence[str] = (),
    contacts: Sequence[Mapping[str, Any]] = (),
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """The errors declaration_submit would find in these answers, by field (its error keys),
    without writing anything. The phone form asks for them when its own checks already failed,
    so that a person sees every mistake at once rather than one wave per submission."""
    errors, *_rest = _declaration_clean(
        name=name,
        id_number=id_number,
        phone=phone,
        temperature=temperature,
        travel=travel,
        symptoms=symptoms,
        contacts=contacts,
        today=timezone.localdate(now or timezone.now()),
    )
    return errors


def declaration_submit(
    *,
    actor: User | None,
    site: Site | None,
    name: str,
    id_number: str,
    phone: str,
    temperature: Any = None,
    travel: Sequence[Mapping[str, Any]] = (),
    contact_with_case: bool = False,
    symptoms: Sequence[str] = (),
    contacts: Sequence[Mapping[str, Any]] = (),
    now: datetime | None = None,
) -> Declaration:
    """Record a declaration and give it a status by the active rules.

    No audit row: the declaration is its own record (a person first registered by it is audited
    by the registry). A declaration whose name differs from the person registered under the ID
    number is stored unverified and answered like any other, so that the form does not reveal
    who is registered; it gives that person no status until an officer reviews it."""
    now = now or timezone.now()
    errors, canonical_phone, reading, trips, declared_contacts = _declaration_clean(
        name=name,
        id_number=id_number,
        phone=phone,
        temperature=temperature,
        travel=travel,
        symptoms=symptoms,
        contacts=contacts,
        today=timezone.localdate(now),
    )
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)
    answers = rules.Answers(
        temperature=reading,
        travel=trips,
        contact_with_case=bool(contact_with_case),
        symptoms=sorted(set(symptoms)),
    )
    outcome = rules.evaluate(active_rules(), answers, now=now)
    assert outcome.valid_until is not None
    write = functools.partial(
        _declaration_write,
        name=name,
        canonical_phone=canonical_phone,
        id_number=id_number,
        site=site,
        reading=reading,
        trips=trips,
        answers=answers,
        outcome=outcome,
        declared_contacts=declared_contacts,
        now=now,
    )
    # Only the writes in the transaction: on SQLite it holds the database's write lock, and
    # concurrent declarations must not wait for each other's checks.
    try:
        with transaction.atomic():
            return write()
    except PersonRegisteredMeanwhile:
        # Two first declarations of one ID number at the same moment (a double tap on a slow
        # phone network): the later insert of the person collided. Written again, the
        # declaration finds the person just registered, as one a minute later would.
        with transaction.atomic():
            return write()


def _declaration_write(
    *,
    name: str,
    canonical_phone: str,
    id_number: str,
    site: Site | None,
    reading: Any,
    trips: Sequence[Any],
    answers: rules.Answers,
    outcome: Any,
    declared_contacts: list[DeclaredContact],
    now: datetime,
) -> Declaration:
    person, verified = person_for_declaration(name=name, id_number=id_number, phone=canonical_phone)
    if verified:
        earlier = selectors.current_declaration(person_id=person.pk)
        if earlier is not None:
            outcome = rules.kept_in_force(
                outcome,
                rules.Outcome(status=earlier.status, reasons=earlier.reasons, valid_until=earlier.valid_until),
                now=now,
            )
    declaration = Declaration.objects.create(
        person=person,
        site=site,
        name=name.strip()[:50],
        phone=canonical_phone,
        temperature=reading,
        travel=[{"place": t.place, "from": t.start.isoformat(), "to": t.end.isoformat()} for t in trips],
        contact_with_case=answers.contact_with_case,
        symptoms=list(answers.symptoms),
        status=outcome.status,
        reasons=outcome.reasons,
        valid_until=outcome.valid_until,
        identity_verified=verified,
        declared_at=now,
    )
    if declared_contacts:
        for contact in declared_contacts:
            contact.declaration = declaration
        DeclaredContact.objects.bulk_create(declared_contacts, batch_size=500)
    return declaration


def restriction_place(
    *, actor: User, person: Person, kind: str, source_person: Person | None = None, note: str = ""
) -> tuple[Restriction, bool]:
    """Hold the person at every gate (a close contact under observation). Placing what is already
    active changes nothing and answers the active one: (restriction, created). The caller has
    checked that the actor may act on the person."""
    with transaction.atomic():
        active = Restriction.objects.select_for_update().filter(person=person, kind=kind, released_at=None).first()
        if active is not None:
            return active, False
        restriction = Restriction.objects.create(
            person=person,
            kind=kind,
            source_person=source_person,
            note=note[:200],
            started_at=timezone.now(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=restriction,
            detail={
                "person_id": person.pk,
                "kind": kind,
                "source_person_id": source_person.pk if source_person else None,
            },
        )
    return restriction, True


def restriction_release(*, actor: User, restriction: Restriction, note: str = "") -> Restriction:
    """Let the person through the gates again; a released restriction stays as the record."""
    with transaction.atomic():
        restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if restriction.released_at is not None:
            raise Conflict(_("This restriction was already released."), code="already_released")
        restriction.released_at = timezone.now()
        restriction.released_by = actor
        restriction.release_note = note[:200]
        restriction.save(update_fields=["released_at", "released_by", "release_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=restriction,
            detail={
                "changes": {"released_at": [None, restriction.released_at.isoformat()]},
                **({"release_note": restriction.release_note} if restriction.release_note else {}),
            },
        )
    return restriction


def status_end_early(*, actor: User, person: Person, note: str, now: datetime | None = None) -> Declaration:
    """End the person's red or yellow status before its time, on an officer's grounds (a negative
    test, a reading mistyped): their current declaration's validity ends now, and the gates ask
    them to declare again, which the rules then answer afresh. The declaration keeps what was
    answered and says who ended it and why. The caller has checked that the actor may decide on
    the person's health status."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput.for_field("note", _("Give the grounds for ending the status early."), code="required")
    if len(note) > 200:
        raise InvalidInput.for_field("note", _("Keep the grounds under 200 characters."), code="too_long")
    now = now or timezone.now()
    with transaction.atomic():
        current = selectors.current_declaration(person_id=person.pk)
        if current is not None:
            current = Declaration.objects.select_for_update().get(pk=current.pk)
        if not selectors.status_in_force(current, now=now):
            raise Conflict(_("The person has no red or yellow status in force."), code="no_status_in_force")
        assert current is not None
        ended = current.valid_until
        current.valid_until = min(current.valid_until, now)
        current.cleared_at = now
        current.cleared_by = actor
        current.clearance_note = note
        current.save(update_fields=["valid_until", "cleared_at", "cleared_by", "clearance_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            detail={
                "person_id": person.pk,
                "status": current.status,
                "changes": {"valid_until": [ended.isoformat(), now.isoformat()]},
                "clearance_note": note,
            },
        )
    return current


# --- Keeping (core.retention) ---------------------------------------------------------------------


def purge_declarations(before: datetime, dry_run: bool) -> int:
    """Declarations made before `before`, with the contacts they named: a declaration tells a
    gate today's health, and a trace reads at most the last 30 days of them. A person's current
    declaration stays whatever its age: it is their status (a red one holds them until they
    declare again)."""
    superseding = Declaration.objects.filter(
        Q(declared_at__gt=OuterRef("declared_at")) | Q(declared_at=OuterRef("declared_at"), pk__gt=OuterRef("pk")),
        person_id=OuterRef("person_id"),
        identity_verified=True,
    )
    old = (
        Declaration.objects.filter(declared_at__lt=before)
        .filter(Q(identity_verified=False) | Exists(superseding))
        .order_by("declared_at", "id")
    )
    return purge_audited(old, before=before, dry_run=dry_run)


def old_declaration_q(before: datetime) -> Q:
    """Declarations that go with a person the registry forgets (registry.retention): made before
    `before` and not red. A red one keeps its person, as it holds them at the gates until they
    declare again."""
    return Q(declared_at__lt=before) & ~Q(status=HealthStatus.RED)


def released_hold_q(before: datetime) -> Q:
    """Holds that go with a person the registry forgets: released before `before`."""
    return Q(released_at__lt=before)


def purge_released_restrictions(before: datetime, dry_run: bool) -> int:
    """Holds on a person (a close contact, a case in isolation) released before `before`; those
    still in force stay whatever their age."""
    released = Restriction.objects.filter(released_at__lt=before).order_by("pk")
    return purge_audited(released, before=before, dry_run=dry_run)
