"""Check-ins: one entry at a gate, or an offline gate's batch.

The check-in path is the hot path of the platform (every entry at every gate, thermometer gates
posting on their own): it costs four statements — the token (with its site), the site (with its
gate settings), the person (with their current status, in the same query) and one
`INSERT ... ON CONFLICT (client_id) DO NOTHING RETURNING id` (entry_log.py), which makes retries
idempotent without a savepoint or a second lookup. There is no audit row per check-in: the
check-in is itself the log. A fever adds the alert, the notifications and the fever_detected
event in the same transaction."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import duty_officers, organisation_admins
from zoneguard.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.core.events import fever_detected
from zoneguard.core.hotcache import HotCache
from zoneguard.core.masking import mask_id_number, mask_name
from zoneguard.health.services import parse_temperature
from zoneguard.notifications.services import notify
from zoneguard.registry import scoping, validators
from zoneguard.registry.models import Site

from .. import face as face_matching
from ..decisions import GateRules, PersonState, Verdict, decide, reason_message
from ..models import CheckIn, Decision, Direction, FacePhoto, FaceResult, FeverAlert
from . import lookup
from .entry_log import insert_ignoring_duplicates, insert_statements, run_inserts

# Gates may upload entries recorded while offline; older ones, or ones from the future beyond a
# clock's drift, are refused.
MAX_AGE = timedelta(days=30)
MAX_CLOCK_DRIFT = timedelta(minutes=10)
MAX_BATCH = 1000


class CheckinItem(Protocol):
    """One passage as a gate reports it: the API's validated input is passed as it is."""

    @property
    def client_id(self) -> uuid.UUID: ...
    @property
    def site_id(self) -> int: ...
    @property
    def checked_at(self) -> datetime: ...
    @property
    def direction(self) -> str: ...
    @property
    def id_number(self) -> str | None: ...
    @property
    def card_code(self) -> str | None: ...
    @property
    def temperature(self) -> Any: ...
    @property
    def photo(self) -> str | None: ...


@dataclass(frozen=True)
class UnreadableItem:
    """An item of a batch that is not a passage (a field missing or of the wrong type): answered
    with its error in its place, the other items recorded."""

    client_id: uuid.UUID | None
    error: InvalidInput


@dataclass
class CheckinAnswer:
    client_id: uuid.UUID | None
    checkin_id: int | None = None
    decision: str | None = None
    status: str | None = None
    reasons: list[dict[str, str]] | None = None
    person: str | None = None
    replayed: bool = False
    error: ApplicationError | None = None

    def as_dict(self) -> dict[str, Any]:
        reasons = self.reasons or []
        return {
            # A string already: the JSON encoder's fallback costs more.
            "client_id": str(self.client_id) if self.client_id is not None else None,
            "checkin_id": self.checkin_id,
            "decision": self.decision,
            "status": self.status or None,
            "reasons": [reason_message(r) for r in reasons],
            "reason_codes": [r["code"] for r in reasons],
            "person": self.person,
            "replayed": self.replayed,
            "error": None
            if self.error is None
            else {"code": self.error.code, "message": self.error.message, "errors": self.error.errors},
        }


def can_check_in(actor: User) -> bool:
    return scoping.gate_site_q(actor) != scoping.NOTHING


def gate_rules(site: Site) -> GateRules:
    gate = getattr(site, "gate", None)
    if gate is None:
        return GateRules()
    return GateRules(
        face_check=gate.face_check and face_matching.available(),
        require_declaration=gate.require_declaration,
        admit_yellow=gate.admit_yellow,
    )


def _sites_for_checkin(actor: User, site_ids: Iterable[int]) -> dict[int, Site]:
    """The sites among `site_ids` the actor may check people in at, with their gate settings."""
    qs = Site.objects.filter(scoping.gate_site_q(actor), pk__in=set(site_ids), is_active=True)
    # A dict needs no order: without order_by() the sites' default (pinyin of the organisation's
    # name) would join the organisation and sort on every batch upload.
    return {site.pk: site for site in qs.select_related("gate").order_by()}


# Sites with their gate settings, for a couple of seconds (core/hotcache.py); cleared by any
# write to a site, its gate settings or an organisation.
SITES = HotCache()


def _active_site(pk: int) -> Site | None:
    return Site.objects.filter(pk=pk, is_active=True).select_related("organisation", "gate").order_by().first()


def _site_for_checkin(actor: User, site_id: int) -> Site:
    """The site, if the actor may operate its gate; a site out of reach (another site for a
    device) is not found, like any object out of scope."""
    site = SITES.get_or_load(site_id, _active_site)
    if site is None or not scoping.gate_site_allowed(actor, site):
        raise _site_not_found()
    return site


def _site_not_found() -> NotFound:
    # Which field is wrong, for the gate's integrator; whether the site exists elsewhere, not said.
    message = _("No site with this id at which you record entries: check site_id.")
    return NotFound(message, code="site_not_found", errors={"site_id": [message]})


def card_code_from(value: str) -> str:
    """A status card's QR code carries the card's URL; scanners type it into the gate page."""
    value = value.strip()
    if "/card/" in value:
        value = value.split("/card/", 1)[1]
    return value.strip("/").split("/")[0].split("?")[0][:32]


def _clean(item: CheckinItem, now: datetime) -> tuple[Decimal | None, datetime, str, str]:
    """Validated temperature, aware time, canonical ID number or card code; InvalidInput otherwise."""
    temperature = parse_temperature(item.temperature)
    if item.direction == Direction.IN and temperature is None:
        raise InvalidInput.for_field(
            "temperature", _("Measure the temperature: nobody enters without it."), code="temperature_required"
        )
    checked_at = item.checked_at
    if timezone.is_naive(checked_at):
        checked_at = timezone.make_aware(checked_at)
    if checked_at > now + MAX_CLOCK_DRIFT:
        raise InvalidInput.for_field("checked_at", _("The time of the entry is in the future."), code="future")
    if checked_at < now - MAX_AGE:
        raise InvalidInput.for_field("checked_at", _("Entries older than 30 days are not accepted."), code="too_old")
    id_number = validators.normalize_id_number(item.id_number) if item.id_number else ""
    card = card_code_from(item.card_code) if item.card_code else ""
    if bool(id_number) == bool(card):
        raise InvalidInput.for_field("id_number", _("Send either the ID number or the status card."), code="identity")
    if id_number:
        try:
            validators.validate_id_number_cached(id_number)
        except Exception as error:
            messages = getattr(error, "messages", [str(error)])
            raise InvalidInput.for_field("id_number", str(messages[0]), code="id_number") from error
    return temperature, checked_at, id_number, card


def _face_result(rules: GateRules, item: CheckinItem, person: PersonState | None, direction: str) -> str:
    if not rules.face_check or person is None or direction != Direction.IN:
        return FaceResult.NONE
    matcher = face_matching.backend()
    if matcher is None:
        return FaceResult.NONE
    if not item.photo:
        return FaceResult.MISSING
    enrolled = FacePhoto.objects.filter(person_id=person.person_id).order_by("-created_at", "-id").first()
    if enrolled is None:
        return FaceResult.NOT_ENROLLED
    try:
        probe = matcher.encode(decode_photo(item.photo))
    except (face_matching.NoFaceFound, InvalidInput):
        return FaceResult.NO_FACE
    distance = matcher.distance(enrolled.encoding, probe)
    return FaceResult.MATCH if distance <= settings.GATES_FACE_TOLERANCE else FaceResult.MISMATCH


def decode_photo(value: str) -> bytes:
    if "," in value[:100] and value.startswith("data:"):
        value = value.split(",", 1)[1]
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInput.for_field("photo", _("The photo is not valid base64."), code="photo") from error
    if len(data) > face_matching.MAX_PHOTO_BYTES:
        raise InvalidInput.for_field("photo", _("The photo is larger than 2 MB."), code="photo")
    return data


@dataclass
class _Passages:
    """What every passage of one request shares: who records them, with which token, when the
    request came, and the fevers holding people at the time of each passage."""

    actor: User
    token: Any
    now: datetime
    holds: FeverHolds

    def decide(
        self,
        item: CheckinItem,
        site: Site,
        rules: GateRules,
        person: PersonState | None,
        id_number: str,
        temperature: Decimal | None,
        checked_at: datetime,
    ) -> tuple[Verdict, SimpleNamespace]:
        """The gate's decision on one passage and the entry-log row recording it: a plain
        namespace of columns, since a batch builds a thousand of them and a model instance costs
        more to build than the row costs to insert."""
        face = _face_result(rules, item, person, item.direction)
        verdict = decide(
            rules=rules,
            direction=item.direction,
            temperature=temperature,
            checked_at=checked_at,
            person=person,
            face=face,
            fever_since=self.holds.since(person.person_id, checked_at) if person else None,
        )
        if verdict.is_fever and person is not None:
            self.holds.add(person.person_id, checked_at)
        row = SimpleNamespace(
            pk=None,
            client_id=item.client_id,
            site_id=site.id,
            organisation_id=site.organisation_id,
            person_id=person.person_id if person else None,
            masked_id_number=mask_id_number(id_number)[:18],
            direction=item.direction,
            temperature=temperature,
            decision=verdict.decision,
            status=verdict.status,
            reasons=verdict.reasons,
            face=face,
            checked_at=checked_at,
            received_at=self.now,
            token_id=self.token.pk if self.token is not None else None,
            recorded_by_id=self.actor.pk if getattr(self.actor, "pk", None) else None,
        )
        return verdict, row


def _holding_q(*, start: datetime, end: datetime, path: str = "") -> Q:
    """Fever alerts (through `path`) that hold their person at some time between start and end."""
    return Q(**{f"{path}checked_at__lte": end}) & (
        Q(**{f"{path}released_at__isnull": True}) | Q(**{f"{path}released_at__gt": start})
    )


class FeverHolds:
    """The fever readings that hold people at the gates, for the times a request asks about: the
    alerts of these people from before `end` not released by `start`, and the fevers this request
    itself records (an offline batch may hold its own later entries)."""

    def __init__(self) -> None:
        self.by_person: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)

    @classmethod
    def between(cls, person_ids: Iterable[int], start: datetime, end: datetime) -> FeverHolds:
        holds = cls()
        ids = set(person_ids)
        if ids:
            alerts = FeverAlert.objects.filter(_holding_q(end=end, start=start), person_id__in=ids)
            for person_id, fever_at, released_at in alerts.values_list("person_id", "checked_at", "released_at"):
                holds.by_person[person_id].append((fever_at, released_at))
        return holds

    def add(self, person_id: int, fever_at: datetime) -> None:
        self.by_person[person_id].append((fever_at, None))

    def since(self, person_id: int, at: datetime) -> datetime | None:
        """The latest fever still holding the person at `at`, or None."""
        holding = [
            fever_at
            for fever_at, released_at in self.by_person.get(person_id, ())
            if fever_at <= at and (released_at is None or released_at > at)
        ]
        return max(holding, default=None)


def _answer_from_row(row: Any, *, replayed: bool, person_name: str | None = None) -> CheckinAnswer:
    return CheckinAnswer(
        client_id=row.client_id,
        checkin_id=row.pk,
        decision=row.decision,
        status=row.status,
        reasons=list(row.reasons),
        person=mask_name(person_name) if person_name else None,
        replayed=replayed,
    )


def _passage(row: Any) -> tuple[Any, ...]:
    """What makes two entry-log rows the same passage: a retry sends the same one again."""
    return (row.site_id, row.checked_at, row.direction, row.masked_id_number)


def _client_id_used(client_id: uuid.UUID | None) -> CheckinAnswer:
    # Another passage under a client id already recorded is a gate's mistake, not a retry: refused,
    # without revealing the other entry, since answering the first would silently lose this one.
    return CheckinAnswer(
        client_id=client_id,
        error=Conflict(_("This client ID was already used for another entry."), code="client_id_used"),
    )


def _replays(sent: Iterable[Any]) -> dict[uuid.UUID, CheckinAnswer]:
    """The first answers for the rows `sent` whose client ids are already recorded, or a conflict
    where the row recorded under that client id is another passage."""
    by_client_id = {row.client_id: row for row in sent}
    answers: dict[uuid.UUID, CheckinAnswer] = {}
    for row in CheckIn.objects.filter(client_id__in=list(by_client_id)).select_related("person"):
        if _passage(row) != _passage(by_client_id[row.client_id]):
            answers[row.client_id] = _client_id_used(row.client_id)
        else:
            answers[row.client_id] = _answer_from_row(
                row, replayed=True, person_name=row.person.name if row.person else None
            )
    return answers


def _raise_alerts(rows: Sequence[Any], names: dict[int, str]) -> None:
    """Inside the check-ins' transaction: the alert rows, the notifications, the event."""
    for row in rows:
        alert = FeverAlert.objects.create(
            checkin_id=row.pk,
            site_id=row.site_id,
            organisation_id=row.organisation_id,
            person_id=row.person_id,
            temperature=row.temperature,
            checked_at=row.checked_at,
        )
        site = Site.objects.select_related("organisation").get(pk=row.site_id)
        recipients = list(organisation_admins(organisation_id=row.organisation_id)) + list(duty_officers())
        notify(
            recipients=recipients,
            kind="alert",
            title=gettext_lazy("Fever at %(site)s: %(temperature)s °C"),
            body=gettext_lazy("%(person)s was refused entry at %(time)s. Take them to the fever clinic."),
            params={
                "site": str(site),
                "temperature": row.temperature,
                "person": mask_name(names.get(row.person_id or 0)) or row.masked_id_number or "?",
                "time": timezone.localtime(row.checked_at).strftime("%Y-%m-%d %H:%M"),
            },
            link=f"/gates/alerts/{alert.pk}/",
            source=alert,
        )
        fever_detected.send(
            sender=FeverAlert,
            alert=alert,
            organisation_id=row.organisation_id,
            site_id=row.site_id,
            person_id=row.person_id,
            temperature=row.temperature,
            checked_at=row.checked_at,
        )


def checkin_record(*, actor: User, token: Any = None, item: CheckinItem) -> CheckinAnswer:
    """One entry or exit. Refusals of the request itself raise (404 site out of scope, 403 device
    at another site, 422 implausible temperature: nothing recorded); the gate's refusal of the
    person is an answer with decision "deny". Repeating a client id returns the first answer."""
    if not can_check_in(actor):
        raise Forbidden()
    now = timezone.now()
    temperature, checked_at, id_number, card = _clean(item, now)
    site = _site_for_checkin(actor, item.site_id)
    # The person, their status and any fever holding them, in one statement.
    if card:
        id_number, person = lookup.people_by_card([card], at=checked_at).get(card, ("", None))
    else:
        person = lookup.people_by_id_number([id_number], at=checked_at).get(id_number)
    if person is not None:
        person = lookup.as_of([(person, checked_at)]).get((person.person_id, checked_at), person)
    holds = FeverHolds()
    if person is not None and person.fever_since is not None:
        holds.add(person.person_id, person.fever_since)
    passages = _Passages(actor, token, now, holds)
    verdict, row = passages.decide(item, site, gate_rules(site), person, id_number, temperature, checked_at)
    if verdict.is_fever:
        with transaction.atomic():
            inserted = insert_ignoring_duplicates([row])
            if item.client_id.int in inserted:
                row.pk = inserted[item.client_id.int]
                _raise_alerts([row], {person.person_id: person.name} if person else {})
    else:
        inserted = insert_ignoring_duplicates([row])
    if item.client_id.int not in inserted:
        answer = _replays([row])[item.client_id]
        if answer.error is not None:
            raise answer.error
        return answer
    row.pk = inserted[item.client_id.int]
    return _answer_from_row(row, replayed=False, person_name=person.name if person else None)


def checkin_batch(
    *, actor: User, token: Any = None, items: Sequence[CheckinItem | UnreadableItem]
) -> list[CheckinAnswer]:
    """Up to 1,000 entries uploaded by a gate that was offline, in any order; one answer per item,
    in the order sent. Items already recorded (earlier uploads, or repeated within this batch)
    answer their first answer and record nothing. An item that cannot be recorded (a field
    missing, an implausible temperature, a site out of scope, a client id already used for another
    passage) answers its error; the others are recorded."""
    if not can_check_in(actor):
        raise Forbidden()
    if len(items) > MAX_BATCH:
        raise InvalidInput.for_field("items", _("Send at most 1,000 items at once."), code="batch_too_large")
    now = timezone.now()
    answers: dict[int, CheckinAnswer] = {}
    cleaned: dict[int, tuple[Decimal | None, datetime, str, str]] = {}
    first_index: dict[int, int] = {}  # by the client id's int, as run_inserts keys its rows
    readable: dict[int, CheckinItem] = {}
    for index, item in enumerate(items):
        if isinstance(item, UnreadableItem):
            answers[index] = CheckinAnswer(client_id=item.client_id, error=item.error)
            continue
        readable[index] = item
        key = item.client_id.int
        if key in first_index:
            continue
        first_index[key] = index
        try:
            cleaned[index] = _clean(item, now)
        except ApplicationError as error:
            answers[index] = CheckinAnswer(client_id=item.client_id, error=error)
    sites = _sites_for_checkin(actor, {readable[i].site_id for i in cleaned})
    numbers = {c[2] for c in cleaned.values() if c[2]}
    cards = {c[3] for c in cleaned.values() if c[3]}
    people = lookup.people_by_id_number(sorted(numbers))
    by_card = lookup.people_by_card(sorted(cards))
    # Decisions are made before the write transaction opens: on SQLite the transaction holds the
    # database's write lock, and two workers must not wait for each other's Python.
    rows: list[SimpleNamespace] = []
    names: dict[int, str] = {}
    rules = {site_id: gate_rules(site) for site_id, site in sites.items()}
    times = [c[1] for c in cleaned.values()]
    known = [p.person_id for p in people.values()] + [p.person_id for _number, p in by_card.values()]
    passages = _Passages(actor, token, now, FeverHolds.between(known, min(times, default=now), max(times, default=now)))
    # Each passage meets the status of its time: an entry made before the person's current
    # declaration is judged by the one in force then.
    passing: dict[int, tuple[str, PersonState | None]] = {}
    for index, (_temperature, _at, id_number, card) in cleaned.items():
        if card:
            found = by_card.get(card)
            passing[index] = (found[0], found[1]) if found else ("", None)
        else:
            passing[index] = (id_number, people.get(id_number))
    earlier = lookup.as_of(
        (person, cleaned[index][1]) for index, (_number, person) in passing.items() if person is not None
    )
    # In the order the passages happened: a fever holds the person's later entries in the batch.
    for index, (temperature, checked_at, _number, _card) in sorted(cleaned.items(), key=lambda entry: entry[1][1]):
        item = readable[index]
        site = sites.get(item.site_id)
        if site is None:
            answers[index] = CheckinAnswer(client_id=item.client_id, error=_site_not_found())
            continue
        id_number, person = passing[index]
        if person is not None:
            person = earlier.get((person.person_id, checked_at), person)
        _verdict, row = passages.decide(item, site, rules[item.site_id], person, id_number, temperature, checked_at)
        if person:
            names[person.person_id] = person.name
        rows.append(row)
        answers[index] = _answer_from_row(rows[-1], replayed=False, person_name=person.name if person else None)
    # The statements are written before the transaction too: on SQLite the other worker would
    # otherwise wait for this Python while the transaction holds the write lock.
    statements = insert_statements(rows)
    with transaction.atomic():
        inserted = run_inserts(statements)
        fevers = []
        already = []
        for row in rows:
            key = row.client_id.int
            if key in inserted:
                row.pk = inserted[key]
                answers[first_index[key]].checkin_id = row.pk
                if row.decision == Decision.DENY and any(r["code"] == "fever" for r in row.reasons):
                    fevers.append(row)
            else:
                already.append(row)  # an earlier upload, or a concurrent one, recorded it
        if fevers:
            _raise_alerts(fevers, names)
    if already:
        for client_id, answer in _replays(already).items():
            answers[first_index[client_id.int]] = answer
    result = []
    for index in range(len(items)):
        passage = readable.get(index)
        if passage is None:
            result.append(answers[index])
            continue
        first = first_index[passage.client_id.int]
        answer = answers[first]
        if first != index:
            if _sent_passage(passage) != _sent_passage(readable[first]):
                answer = _client_id_used(passage.client_id)
            elif answer.error is None:
                answer = CheckinAnswer(**{**answer.__dict__, "replayed": True})
        result.append(answer)
    return result


def _sent_passage(item: CheckinItem) -> tuple[Any, ...]:
    return (item.site_id, item.checked_at, item.direction, item.id_number, item.card_code)
