"""The order in which officers serve requests: the priority table (PriorityRule rows, which the
commander edits) decides, then the earliest needed-by date, then the oldest request.

A request's organisation matches a rule when the rule's kind, sector and "workers on site"
(all optional) fit it; the first matching rule by rank gives the request its rank. Requests no
rule matches come last. Plain data in, plain data out: tested without a database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

UNRANKED = 10_000


@dataclass(frozen=True)
class Rule:
    rank: int
    organisation_kind: str = ""
    sector_code: str = ""
    workers_on_site: bool = False


@dataclass(frozen=True)
class Candidate:
    key: int
    organisation_kind: str
    sector_code: str
    workers_on_site: bool
    needed_by: date
    created_at: datetime


def matches(rule: Rule, candidate: Candidate) -> bool:
    return (
        (not rule.organisation_kind or rule.organisation_kind == candidate.organisation_kind)
        and (not rule.sector_code or rule.sector_code == candidate.sector_code)
        and (not rule.workers_on_site or candidate.workers_on_site)
    )


def rank_of(candidate: Candidate, rules: Sequence[Rule]) -> int:
    return min((rule.rank for rule in rules if matches(rule, candidate)), default=UNRANKED)


def order_requests(candidates: Sequence[Candidate], rules: Sequence[Rule]) -> list[tuple[Candidate, int]]:
    """The candidates in serving order, each with its rank (UNRANKED when no rule matched)."""
    ranked = [(candidate, rank_of(candidate, rules)) for candidate in candidates]
    return sorted(ranked, key=lambda pair: (pair[1], pair[0].needed_by, pair[0].created_at, pair[0].key))
