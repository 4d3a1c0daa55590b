"""Who is at the gate: the person registered under an ID number (or a status card), their current
health status, the fever still holding them at the time of the passage and any restriction an
officer placed on them (a close contact under observation).

The rules are health's and alerts.py's: a person's status is their latest verified declaration
(health.selectors.current_declaration); a fever holds its person from the reading until the
alert is released. This runs for every entry at every gate, so it is written as one SQL
statement through Django's cursor: building and compiling the equivalent queryset (correlated
subqueries for the declaration and the hold) costs the worker several times what the database
spends answering it (bench/instructions.py counts both ways). A test compares its answers with
the ORM's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from zoneguard.core.lookups import one_of
from zoneguard.health.models import Declaration, Restriction
from zoneguard.registry.models import Person

from ..decisions import PersonState
from ..models import FeverAlert


def people_by_id_number(numbers: Sequence[str], *, at: datetime | None = None) -> dict[str, PersonState]:
    """{ID number: the person at the gate}, for the numbers registered. With `at`, each person's
    fever hold at that time (`fever_since`); without, none is looked up (a batch reads the holds
    of all its passages at once: checkins.FeverHolds)."""
    if not numbers:
        return {}
    match, values = one_of(numbers, connection.vendor)
    rows = _rows(f"FROM {_PERSON} p", f"p.id_number {match}", values, at=at)
    return {row[2]: _state(row) for row in rows}


def people_by_card(codes: Sequence[str], *, at: datetime | None = None) -> dict[str, tuple[str, PersonState]]:
    """{status card code: (ID number, the person at the gate)}. Only the card of a verified
    declaration identifies its person: a card from a declaration whose name did not match would
    otherwise let its holder pass under the registered person's status."""
    if not codes:
        return {}
    match, values = one_of(codes, connection.vendor)
    rows = _rows(
        f"FROM {_DECLARATION} c JOIN {_PERSON} p ON p.id = c.person_id",
        f"c.card_code {match} AND c.identity_verified = %s",
        [*values, True],
        at=at,
        card=True,
    )
    return {row[10]: (row[2], _state(row)) for row in rows}


_PERSON, _DECLARATION, _ALERT = Person._meta.db_table, Declaration._meta.db_table, FeverAlert._meta.db_table
_RESTRICTION = Restriction._meta.db_table


def _rows(source: str, where: str, where_params: list[Any], *, at: datetime | None, card: bool = False) -> list[Any]:
    params: list[Any] = []
    hold = "NULL"
    if at is not None:
        hold = (
            f"(SELECT MAX(a.checked_at) FROM {_ALERT} a WHERE a.person_id = p.id AND a.checked_at <= %s"  # noqa: S608
            " AND (a.released_at IS NULL OR a.released_at > %s))"
        )
        moment = connection.ops.adapt_datetimefield_value(at)
        params += [moment, moment]
    sql = (
        f"SELECT p.id, p.name, p.id_number, d.status, d.reasons, d.valid_until, {hold},"  # noqa: S608 (names from the models)
        f" (SELECT MAX(r.kind) FROM {_RESTRICTION} r WHERE r.person_id = p.id AND r.released_at IS NULL),"
        f" d.cleared_at, d.declared_at{', c.card_code' if card else ''} {source}"
        f" LEFT JOIN {_DECLARATION} d ON d.id = (SELECT d2.id FROM {_DECLARATION} d2 WHERE d2.person_id = p.id"
        " AND d2.identity_verified = %s ORDER BY d2.declared_at DESC, d2.id DESC LIMIT 1)"
        f" WHERE {where}"
    )
    params += [True, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _moment(value: Any) -> datetime | None:
    """A timestamp as the driver gives it: PostgreSQL an aware datetime; SQLite a naive one in UTC
    (a column) or Django's text of it (an aggregate)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _state(row: Sequence[Any]) -> PersonState:
    reasons = row[4]
    return PersonState(
        person_id=row[0],
        name=row[1],
        status=row[3],
        reasons=list(json.loads(reasons) if isinstance(reasons, str) else reasons or []),
        valid_until=_moment(row[5]),
        fever_since=_moment(row[6]),
        restriction=row[7],
        cleared_at=_moment(row[8]),
        declared_at=_moment(row[9]),
    )


def as_of(passages: Iterable[tuple[PersonState, datetime]]) -> dict[tuple[int, datetime], PersonState]:
    """The status each person had at a passage that came before their current declaration (an
    offline gate's entries, uploaded later): {(person id, time): the person as of then}, from the
    latest verified declaration made by that time (none: no status then). One statement for all;
    passages after the current declaration need nothing and are not in the answer."""
    wanted = {(p.person_id, at): p for p, at in passages if p.declared_at is not None and p.declared_at > at}
    if not wanted:
        return {}
    latest = max(at for _pid, at in wanted)
    declarations: dict[int, list[Declaration]] = {}
    for declaration in Declaration.objects.filter(
        person_id__in={pid for pid, _at in wanted}, identity_verified=True, declared_at__lte=latest
    ).order_by("person_id", "-declared_at", "-id"):
        declarations.setdefault(declaration.person_id, []).append(declaration)
    found = {}
    for (person_id, at), person in wanted.items():
        then = next((d for d in declarations.get(person_id, []) if d.declared_at <= at), None)
        found[(person_id, at)] = person._replace(
            status=then.status if then else None,
            reasons=list(then.reasons) if then else [],
            valid_until=then.valid_until if then else None,
            declared_at=then.declared_at if then else None,
            cleared_at=then.cleared_at if then else None,
        )
    return found
