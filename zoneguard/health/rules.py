"""Health rules applied to a declaration's answers: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import STATUS_RANK, HealthRule, HealthStatus, RuleCondition


@dataclass(frozen=True)
class Travel:
    place: str
    start: date
    end: date


@dataclass(frozen=True)
class Answers:
    temperature: Decimal | None = None
    travel: Sequence[Travel] = ()
    contact_with_case: bool = False
    symptoms: Sequence[str] = ()


@dataclass
class Outcome:
    status: str = HealthStatus.GREEN
    reasons: list[str] = field(default_factory=list)
    valid_until: datetime | None = None


def _end_of_day(day: date) -> datetime:
    """The first instant after `day`, in the zone's time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _match(rule: HealthRule, answers: Answers, now: datetime) -> datetime | None:
    """When the rule matches, the end of the status it gives; None when it does not match."""
    if rule.condition == RuleCondition.TRAVEL:
        places = [p.casefold() for p in rule.place_list]
        ends = [
            _end_of_day(trip.end + timedelta(days=rule.valid_days))
            for trip in answers.travel
            if any(p in trip.place.casefold() for p in places)
        ]
        latest = max(ends, default=None)
        # Travel long enough ago no longer counts: the observation period is over.
        return latest if latest is not None and latest > now else None
    if rule.condition == RuleCondition.CONTACT_WITH_CASE:
        matched = answers.contact_with_case
    elif rule.condition == RuleCondition.SYMPTOM:
        matched = bool(answers.symptoms) and (not rule.symptom or rule.symptom in answers.symptoms)
    elif rule.condition == RuleCondition.TEMPERATURE:
        matched = (
            answers.temperature is not None and rule.threshold is not None and answers.temperature >= rule.threshold
        )
    else:
        matched = False
    return now + timedelta(days=rule.valid_days) if matched else None


def evaluate(rules: Iterable[HealthRule], answers: Answers, *, now: datetime | None = None) -> Outcome:
    """The worst status any matching rule gives, every matching rule's reason, and the validity of
    the worst status (the longest of its rules). Without a match: green, for a working day
    (HEALTH_GREEN_VALID_HOURS), after which the person declares again."""
    now = now or timezone.now()
    matches: list[tuple[HealthRule, datetime]] = []
    for rule in rules:
        if not rule.is_active:
            continue
        until = _match(rule, answers, now)
        if until is not None:
            matches.append((rule, until))
    if not matches:
        return Outcome(status=HealthStatus.GREEN, valid_until=now + timedelta(hours=settings.HEALTH_GREEN_VALID_HOURS))
    worst = max(STATUS_RANK[HealthStatus(rule.status)] for rule, _until in matches)
    status = next(s for s, rank in STATUS_RANK.items() if rank == worst)
    reasons: list[str] = []
    for rule, _until in sorted(matches, key=lambda m: -STATUS_RANK[HealthStatus(m[0].status)]):
        if rule.reason not in reasons:
            reasons.append(rule.reason)
    valid_until = max(until for rule, until in matches if rule.status == status)
    return Outcome(status=str(status), reasons=reasons, valid_until=valid_until)


def kept_in_force(outcome: Outcome, earlier: Outcome | None, *, now: datetime) -> Outcome:
    """A status is not lowered by declaring again: while an earlier red or yellow is in force, a
    new declaration is at least as severe, for at least as long, with the earlier reasons too
    (a fever declared this morning is not cleared by a second form at noon)."""
    if earlier is None or earlier.valid_until is None or earlier.valid_until <= now:
        return outcome
    new_rank, earlier_rank = STATUS_RANK[HealthStatus(outcome.status)], STATUS_RANK[HealthStatus(earlier.status)]
    if earlier_rank == 0 or earlier_rank < new_rank:
        return outcome
    assert outcome.valid_until is not None
    if earlier_rank == new_rank:
        reasons = [*outcome.reasons, *(r for r in earlier.reasons if r not in outcome.reasons)]
        return Outcome(outcome.status, reasons, max(outcome.valid_until, earlier.valid_until))
    reasons = [*earlier.reasons, *(r for r in outcome.reasons if r not in earlier.reasons)]
    return Outcome(earlier.status, reasons, earlier.valid_until)


def travel_from_json(items: Any) -> list[Travel]:
    return [
        Travel(place=i["place"], start=date.fromisoformat(i["from"]), end=date.fromisoformat(i["to"])) for i in items
    ]
