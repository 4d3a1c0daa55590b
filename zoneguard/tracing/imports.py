"""Import of entry logs kept by another gate system (CSV) into the entry log, so that tracing sees
the passages recorded before the zone's gates took over.

Columns: site_id,id_number,name,direction,checked_at,temperature. The file is read twice and never
held in memory: the first pass checks every row and lists every bad one, and unless there is none
nothing is written (a half-imported log would have to be cleaned up by hand, and a second run
could not tell what is missing); the second pass writes the entries in one transaction.

Importing a file again adds nothing: each row's client id is derived from what identifies the
passage (site, person, direction, instant), so the entry log's unique client id skips repeats,
including those of a file that overlaps one imported before."""

from __future__ import annotations

import csv
import hashlib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple, TextIO

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.dates import moment_in_range, moment_range_message
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.core.masking import mask_id_number
from zoneguard.gates.models import FEVER_THRESHOLD, CheckIn, Decision, Direction
from zoneguard.gates.services import rebuild_day_counts, refresh_day_counts
from zoneguard.gates.services.checkins import MAX_CLOCK_DRIFT
from zoneguard.gates.services.entry_log import insert_ignoring_duplicates
from zoneguard.health.services import parse_temperature
from zoneguard.registry import validators
from zoneguard.registry.models import Person, Site

from .services import rebuild_presences, refresh_presences

COLUMNS = ("site_id", "id_number", "name", "direction", "checked_at", "temperature")
# Never change it: the client ids of every file imported so far derive from it, and a new one
# would import those files a second time.
CLIENT_ID_NAMESPACE = uuid.UUID("6f1d3c2e-54a7-4b0f-9a51-2c8e7d90b3a4")
WRITE_CHUNK = 10_000  # entries per call of the entry log's writer
LOOKUP_CHUNK = 500  # ID numbers per query: under SQLite's parameter limit
IMPORT_CACHE_KIB = 1_000_000  # SQLite's page cache while importing (below)
ERRORS_KEPT = 1_000  # bad rows listed in full; the count covers them all
# Folding new entries in (refresh_presences) costs more per entry than rebuilding every presence
# costs per entry of the log, since the rebuild reads the log once, in order: once an import is
# about half the log or more, the rebuild is the quicker. Below that the refresh also keeps its
# transactions short, which on SQLite lets the gates write in between.
REBUILD_SHARE = 0.5
# The entry log's columns in the order the import writes them, checked against the model when an
# import starts: a column added to the log fails the import's tests rather than being left out.
ENTRY_COLUMNS = (
    "client_id",
    "site_id",
    "organisation_id",
    "person_id",
    "masked_id_number",
    "direction",
    "temperature",
    "decision",
    "status",
    "reasons",
    "face",
    "checked_at",
    "received_at",
    "token_id",
    "recorded_by_id",
)
NAME_MAX_LENGTH = Person._meta.get_field("name").max_length or 50
FEVER = Decimal(FEVER_THRESHOLD)
IN, ALLOW, DENY = Direction.IN.value, Decision.ALLOW.value, Decision.DENY.value
_NAMESPACE_BYTES = CLIENT_ID_NAMESPACE.bytes
# uuid.UUID(version=5): the variant (RFC 4122) and version bits over the hash.
_UUID_CLEAR = ~(0xC000 << 48) & ~(0xF000 << 64)
_UUID5_BITS = (0x8000 << 48) | (5 << 76)
_DIRECTIONS = frozenset([IN, Direction.OUT.value])


@dataclass(frozen=True)
class RowError:
    line: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return _("line %(line)d: %(reasons)s") % {"line": self.line, "reasons": " ".join(self.reasons)}


class CheckinImportRefused(InvalidInput):
    """The file has bad rows (or a bad header): nothing was imported. `rows` lists the first
    ERRORS_KEPT of them in line order; `total` counts them all."""

    default_code = "import_refused"

    def __init__(self, rows: list[RowError], total: int) -> None:
        message = ngettext(
            "%(count)d row of the file is not valid: nothing was imported.",
            "%(count)d rows of the file are not valid: nothing was imported.",
            total,
        ) % {"count": total}
        super().__init__(message, errors={"rows": [str(row) for row in rows]})
        self.rows = rows
        self.total = total


@dataclass
class ImportResult:
    file_name: str
    rows: int = 0
    added: int = 0
    people_created: int = 0
    fold: str = ""  # "refresh" or "rebuild"
    folded: int = 0  # entries read (refresh) or presences written (rebuild)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: check, write, fold

    @property
    def repeats(self) -> int:
        return self.rows - self.added

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.total_seconds if self.total_seconds else 0.0


class _Row(NamedTuple):
    site_id: int
    organisation_id: int
    id_number: str  # canonical
    name: str
    direction: str
    checked_at: datetime
    temperature: Decimal | None


class _Checker:
    """Checks rows one at a time. Sites, ID numbers and readings repeat all through a log: each
    distinct text is checked once (a million rows hold a few sites and perhaps 100,000 people),
    and a row costs a few dictionary lookups and the parsing of its time. Refused ID numbers and
    readings are not kept, so that a file of garbage cannot fill the memory; refused sites are,
    each costing a query."""

    def __init__(self, now: datetime) -> None:
        self.latest = now + MAX_CLOCK_DRIFT
        self.sites: dict[str, tuple[int, int] | str] = {}  # text -> (site, organisation), or why not
        self.id_numbers: dict[str, tuple[str, str]] = {}  # text -> (canonical, "")
        self.temperatures: dict[str, Decimal | None] = {}  # text -> reading

    def site(self, text: str) -> tuple[int, int] | str:
        site = None
        try:
            pk = int(text)
        except ValueError:
            pass
        else:
            site = Site.objects.filter(pk=pk, is_active=True).order_by().values_list("pk", "organisation_id").first()
        found = site or _("Site %(site)s is unknown or not active.") % {"site": text[:20] or '""'}
        self.sites[text] = found
        return found

    def id_number(self, text: str) -> tuple[str, str]:
        canonical = validators.normalize_id_number(text)
        try:
            validators.validate_id_number(canonical)
        except ValidationError as error:
            return canonical, _("ID number: %(reason)s") % {"reason": error.messages[0]}
        found = self.id_numbers[text] = (canonical, "")
        return found

    def temperature(self, text: str) -> Decimal | str | None:
        try:
            found = self.temperatures[text] = parse_temperature(text.strip())
        except InvalidInput as error:
            return error.message
        return found

    def moment_error(self, text: str) -> str:
        """Why the time is refused (check() accepts the good ones itself)."""
        try:
            at = datetime.fromisoformat(text.strip())
        except ValueError:
            return _("The time %(time)s is not an ISO 8601 date and time.") % {"time": text[:40] or '""'}
        if at.tzinfo is None:
            # The other system's local time is not known here: guessing it shifts every passage.
            return _("The time %(time)s has no UTC offset (such as +08:00).") % {"time": text[:40]}
        if not moment_in_range(at):
            return moment_range_message()
        return _("The time %(time)s is in the future.") % {"time": text[:40]}

    def check(self, fields: list[str]) -> _Row | list[str]:
        """The row's values, or every reason it is refused."""
        if len(fields) != len(COLUMNS):
            return [
                _("The row has %(found)d columns instead of %(expected)d.")
                % {"found": len(fields), "expected": len(COLUMNS)}
            ]
        site_text, id_text, name, direction, time_text, temperature_text = fields
        reasons: list[str] = []
        site = self.sites.get(site_text) or self.site(site_text)
        if isinstance(site, str):
            reasons.append(site)
        id_number, id_error = self.id_numbers.get(id_text) or self.id_number(id_text)
        if id_error:
            reasons.append(id_error)
        name = name.strip()
        if len(name) > NAME_MAX_LENGTH or not validators.BIDI_CONTROLS.isdisjoint(name):
            reasons.append(
                _("The name is longer than %(max)d characters or contains text-direction controls.")
                % {"max": NAME_MAX_LENGTH}
            )
        if direction not in _DIRECTIONS:
            direction = direction.strip().lower()
            if direction not in _DIRECTIONS:
                reasons.append(_("The direction is %(direction)s: in or out.") % {"direction": direction[:10] or '""'})
        try:
            at: datetime | None = datetime.fromisoformat(time_text.strip())
        except ValueError:
            at = None
        if at is None or at.tzinfo is None or not moment_in_range(at) or at > self.latest:
            reasons.append(self.moment_error(time_text))
        temperatures = self.temperatures
        temperature = (
            temperatures[temperature_text] if temperature_text in temperatures else self.temperature(temperature_text)
        )
        if isinstance(temperature, str):
            reasons.append(temperature)
        elif temperature is None and direction == IN:
            reasons.append(_("An entry (in) needs its temperature."))
        if reasons or isinstance(site, str) or at is None or isinstance(temperature, str):  # (each gave a reason)
            return reasons
        return _Row(site[0], site[1], id_number, name, direction, at, temperature)


def _records(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its fields) for each record after the header, which must
    name the columns; CheckinImportRefused otherwise."""
    reader = csv.reader(stream)
    header = next(reader, None)
    expected = ",".join(COLUMNS)
    if header is None or [h.strip(" \t\ufeff").lower() for h in header] != list(COLUMNS):
        reason = _("The first line must be the header %(header)s.") % {"header": expected}
        raise CheckinImportRefused([RowError(1, (reason,))], 1)
    line = reader.line_num + 1
    for fields in reader:
        if fields:  # a blank line is no record
            yield line, fields
        line = reader.line_num + 1


@dataclass
class _Survey:
    """What the first pass learns: the rows' count, the bad ones, and each person's ID number
    with the first name the file gives them (new people are registered under it)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad: int = 0
    names: dict[str, str] = field(default_factory=dict)
    # Rows without a name, by ID number: bad only if the person is not registered and no row
    # names them, which is known after the pass. Their count, and the first lines.
    nameless: dict[str, int] = field(default_factory=dict)
    nameless_lines: dict[str, list[int]] = field(default_factory=dict)
    nameless_kept: int = 0

    def refuse(self, line: int, reasons: list[str]) -> None:
        self.bad += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(RowError(line, tuple(reasons)))

    def without_name(self, line: int, id_number: str) -> None:
        self.nameless[id_number] = self.nameless.get(id_number, 0) + 1
        if self.nameless_kept < ERRORS_KEPT:
            self.nameless_kept += 1
            self.nameless_lines.setdefault(id_number, []).append(line)

    def refuse_unnamed(self, registered: dict[str, int]) -> None:
        """The rows of people the registry does not know and the file gives no name."""
        reason = _("The person is not registered and the file gives no name for them.")
        for number, count in self.nameless.items():
            if number not in registered and not self.names[number]:
                self.bad += count - len(self.nameless_lines.get(number, ()))
                for line in self.nameless_lines.get(number, ()):
                    self.refuse(line, [reason])


def _survey(stream: TextIO, checker: _Checker) -> _Survey:
    survey = _Survey()
    names = survey.names
    for line, fields in _records(stream):
        survey.rows += 1
        row = checker.check(fields)
        if isinstance(row, list):
            survey.refuse(line, row)
        elif row.name:
            if not names.get(row.id_number):
                names[row.id_number] = row.name
        else:
            names.setdefault(row.id_number, "")
            survey.without_name(line, row.id_number)
    return survey


def _registered(id_numbers: list[str]) -> dict[str, int]:
    """{ID number: person id} for those already registered."""
    found: dict[str, int] = {}
    for start in range(0, len(id_numbers), LOOKUP_CHUNK):
        chunk = id_numbers[start : start + LOOKUP_CHUNK]
        found.update(Person.objects.filter(id_number__in=chunk).order_by().values_list("id_number", "pk"))
    return found


def _register(names: dict[str, str], registered: dict[str, int]) -> int:
    """Register the people the registry does not know, under the name the file gives them, as the
    zone's (no organisation registered them); adds them to `registered`."""
    new = [
        # bulk_create skips Person.save, which sets the birth date from the ID number.
        Person(name=name, id_number=number, birth_date=validators.birth_date_from_id_number(number))
        for number, name in names.items()
        if number not in registered
    ]
    try:
        Person.objects.bulk_create(new, batch_size=LOOKUP_CHUNK)
    except IntegrityError as error:
        raise Conflict(
            _("Someone registered one of the file's people meanwhile: run the import again."), code="integrity"
        ) from error
    registered.update((person.id_number, person.pk) for person in new)
    return len(new)


def utc_text(at: datetime) -> str:
    """The instant in UTC as the SQLite backend stores it (ISO 8601 without the offset)."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def client_id_int(site_id: int, id_number: str, direction: str, instant: str) -> int:
    """The passage's client id as an int: uuid5 over what identifies it (site, canonical ID number,
    direction, the instant as utc_text writes it), the same whichever file, and whichever UTC
    offset, it comes in. Computed as uuid.uuid5 computes it, which the tests check, without
    building a UUID object for each row."""
    digest = hashlib.sha1(
        _NAMESPACE_BYTES + f"{site_id}|{id_number}|{direction}|{instant}".encode(), usedforsecurity=False
    ).digest()
    return int.from_bytes(digest[:16]) & _UUID_CLEAR | _UUID5_BITS


class _EntryLog:
    """Appends the import's entries to the entry log, WRITE_CHUNK at a time, skipping the client
    ids already recorded; `added` counts the new ones. Only the temperature refuses an entry: the
    declarations and holds of the past are not known here.

    On SQLite (in UTC, as DATABASES sets it) the chunks are written with executemany and values
    prepared here, the constant ones once: the gates' writer (entry_log.insert_statements) prepares
    each value through its field and returns every new id, which for a large file costs more than
    the insert itself. Elsewhere the gates' writer is used as it is, one statement per chunk."""

    def __init__(self, received_at: datetime) -> None:
        fields = {f.attname: f for f in CheckIn._meta.concrete_fields if not f.primary_key}
        if set(fields) != set(ENTRY_COLUMNS):
            raise ImproperlyConfigured("The entry log's columns changed: update tracing.imports.ENTRY_COLUMNS.")
        self.raw = connection.vendor == "sqlite" and connection.timezone_name == "UTC"
        self.added = 0
        self.batch: list[Any] = []
        self.masks: dict[str, str] = {}
        reasons = fields["reasons"]
        self.received_at: Any = utc_text(received_at) if self.raw else received_at
        self.no_reasons: Any = reasons.get_db_prep_save([], connection) if self.raw else []
        self.fever_reasons: dict[Decimal, Any] = {}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(fields[a].column) for a in ENTRY_COLUMNS)
        values = ", ".join(["%s"] * len(ENTRY_COLUMNS))
        self.sql = (
            f"INSERT INTO {quote(CheckIn._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608 (names from the model)
            f" ON CONFLICT ({quote('client_id')}) DO NOTHING"
        )

    def _fever(self, temperature: Decimal) -> Any:
        found = self.fever_reasons.get(temperature)
        if found is None:
            found = [{"code": "fever", "temperature": str(temperature)}]
            if self.raw:
                found = CheckIn._meta.get_field("reasons").get_db_prep_save(found, connection)
            self.fever_reasons[temperature] = found
        return found

    def add(self, row: _Row, person_id: int) -> None:
        temperature = row.temperature
        decision, reasons = ALLOW, self.no_reasons
        if temperature is not None and temperature >= FEVER and row.direction == IN:
            decision, reasons = DENY, self._fever(temperature)
        masked = self.masks.get(row.id_number)
        if masked is None:
            masked = self.masks[row.id_number] = mask_id_number(row.id_number)[:18]
        instant = utc_text(row.checked_at)
        client = client_id_int(row.site_id, row.id_number, row.direction, instant)
        values = (
            f"{client:032x}" if self.raw else uuid.UUID(int=client),  # a UUIDField's text on SQLite
            row.site_id,
            row.organisation_id,
            person_id,
            masked,
            row.direction,
            temperature,
            decision,
            "",  # status: the declarations of the time are not known
            reasons,
            "",  # face
            instant if self.raw else row.checked_at,
            self.received_at,
            None,  # token
            None,  # recorded by
        )
        self.batch.append(values if self.raw else SimpleNamespace(**dict(zip(ENTRY_COLUMNS, values, strict=True))))
        if len(self.batch) >= WRITE_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.raw:
            # In client id order the unique index's pages are visited in turn rather than at random.
            self.batch.sort(key=itemgetter(0))
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.batch)
                self.added += cursor.rowcount
        else:
            self.added += len(insert_ignoring_duplicates(self.batch))
        self.batch = []


def _write(stream: TextIO, checker: _Checker, registered: dict[str, int], received_at: datetime) -> tuple[int, int]:
    """(rows read, entries added). The rows are checked again: the file may have changed since."""
    rows = 0
    log = _EntryLog(received_at)
    for line, fields in _records(stream):
        rows += 1
        row = checker.check(fields)
        if isinstance(row, list) or row.id_number not in registered:
            changed = _("The file changed during the import.")
            raise CheckinImportRefused([RowError(line, (changed, *(row if isinstance(row, list) else ())))], 1)
        log.add(row, registered[row.id_number])
    log.flush()
    return rows, log.added


@contextmanager
def _page_cache() -> Iterator[None]:
    """On SQLite, a page cache that holds the entry log's and the presences' indexes while the
    import writes: their keys (client ids are hashes, people come in any order) land at random
    places, and with the usual cache a large import writes index pages out to the write-ahead log
    and reads them back again and again. SQLite allocates the cache as it fills and frees it when
    the size is set back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous):d}")


def _fold(added: int) -> tuple[str, int]:
    """Fold the new entries into the presences and the gates' day counts: incrementally, or by
    rebuilding them all when the import is a large part of the log (the first import into an
    empty log, above all)."""
    if added and added > REBUILD_SHARE * CheckIn.objects.count():
        rebuild_day_counts()
        return "rebuild", rebuild_presences()
    refresh_day_counts()
    return "refresh", refresh_presences()


def checkins_import(source: str | Path | TextIO, *, file_name: str = "") -> ImportResult:
    """Import an entry log from a path or a seekable text stream. Raises CheckinImportRefused,
    listing the bad rows, when any row is bad; Conflict when a person of the file was registered
    by someone else during the import. Either way nothing is written."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as stream:
            return checkins_import(stream, file_name=file_name or Path(source).name)
    result = ImportResult(file_name=file_name or str(getattr(source, "name", "")))
    started = time.perf_counter()
    now = timezone.now()
    checker = _Checker(now)
    survey = _survey(source, checker)
    registered = _registered(list(survey.names))
    survey.refuse_unnamed(registered)
    if survey.bad:
        raise CheckinImportRefused(sorted(survey.errors, key=lambda e: e.line), survey.bad)
    if not survey.rows:
        raise CheckinImportRefused([RowError(2, (_("The file has no rows to import."),))], 1)
    result.seconds["check"] = time.perf_counter() - started

    started = time.perf_counter()
    source.seek(0)
    with _page_cache():
        with transaction.atomic():
            result.people_created = _register(survey.names, registered)
            result.rows, result.added = _write(source, checker, registered, now)
            if result.rows != survey.rows:
                raise CheckinImportRefused([RowError(1, (_("The file changed during the import."),))], 1)
            audit_record(
                actor=None,
                actor_name="import_checkins",
                action=AuditAction.IMPORT,
                object_type="gates.checkin",
                detail={
                    "file": result.file_name,
                    "rows": result.rows,
                    "added": result.added,
                    "repeats": result.repeats,
                    "people_created": result.people_created,
                },
            )
        result.seconds["write"] = time.perf_counter() - started

        # After the commit: the presences are derived, and the minute's refresh would fold the
        # entries anyway if this failed.
        started = time.perf_counter()
        result.fold, result.folded = _fold(result.added)
        result.seconds["fold"] = time.perf_counter() - started
    return result
