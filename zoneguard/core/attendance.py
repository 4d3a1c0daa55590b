"""How many of an organisation's people were on site on a day, counted by a module that sees them
come in (the gates module counts distinct people checked in at the organisation's sites).

Resumption reads staff on duty from here where an organisation has such a source, and from the
daily prevention report elsewhere; neither module imports the other."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

AttendanceSource = Callable[[Sequence[int], date], dict[int, int]]

_SOURCES: dict[str, AttendanceSource] = {}


def register_attendance_source(name: str, source: AttendanceSource) -> None:
    """`source(organisation_ids, day)` → {organisation id: people on site}; leave out organisations
    the source cannot count (no gate), so that callers fall back to another figure."""
    _SOURCES[name] = source


def unregister_attendance_source(name: str) -> None:
    _SOURCES.pop(name, None)


def attendance(organisation_ids: Iterable[int], day: date) -> dict[int, int]:
    """Counted attendance per organisation on `day`; where several sources count, the largest."""
    ids = list(organisation_ids)
    counted: dict[int, int] = {}
    for source in _SOURCES.values():
        for pk, value in source(ids, day).items():
            counted[pk] = max(value, counted.get(pk, 0))
    return counted
