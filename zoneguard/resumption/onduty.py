"""Staff on duty as organisations declare it (the daily prevention report registers here), beside
the counted attendance of core.attendance (gates). Resumption reads both without importing the
modules that keep them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

ReportedSource = Callable[[Sequence[int], date], dict[int, int]]

_SOURCES: dict[str, ReportedSource] = {}


def register_reported_source(name: str, source: ReportedSource) -> None:
    """`source(organisation_ids, day)` → {organisation id: staff on duty as reported that day}."""
    _SOURCES[name] = source


def unregister_reported_source(name: str) -> None:
    _SOURCES.pop(name, None)


def reported(organisation_ids: Iterable[int], day: date) -> dict[int, int]:
    ids = list(organisation_ids)
    result: dict[int, int] = {}
    for source in _SOURCES.values():
        for pk, value in source(ids, day).items():
            result[pk] = max(value, result.get(pk, 0))
    return result
