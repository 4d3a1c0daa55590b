"""A brute-force reading of the raw entry log, written apart from intervals.py and selectors.py:
the tests compare ZoneGuard's derived presences and traces with it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from zoneguard.gates.models import CheckIn

DAY = 24 * 3600


def presences() -> dict[int, tuple[int, int, int, int]]:
    """{entry id: (person, site, start, end)} straight from every admitted passage."""
    dwell = {}
    passages = defaultdict(list)
    for row in CheckIn.objects.filter(decision="allow", person__isnull=False).select_related("site"):
        dwell[row.site_id] = row.site.default_dwell_minutes * 60
        passages[row.person_id].append((int(row.checked_at.timestamp()), row.pk, row.site_id, row.direction))
    found = {}
    for person, theirs in passages.items():
        theirs.sort()
        for k, (at, pk, site, direction) in enumerate(theirs):
            if direction != "in":
                continue
            usual = at + dwell[site]
            if k + 1 == len(theirs):
                end = usual
            else:
                next_at, _pk, next_site, next_direction = theirs[k + 1]
                if next_direction == "out" and next_site == site and next_at - at <= DAY:
                    end = next_at
                else:
                    end = min(usual, next_at)
            found[pk] = (person, site, at, end)
    return found


def links(start: int, end: int, threshold: int) -> dict[tuple[int, int], dict]:
    """{(a, b): {"seconds", "sites", "first", "last"}} for every ordered pair of people whose
    presences at one site overlap by at least `threshold` seconds inside [start, end]."""
    by_site = defaultdict(list)
    for person, site, a, b in presences().values():
        by_site[site].append((person, a, b))
    found: dict[tuple[int, int], dict] = {}
    for site, stays in by_site.items():
        for p, pa, pb in stays:
            for q, qa, qb in stays:
                if p == q:
                    continue
                low, high = max(pa, qa, start), min(pb, qb, end)
                if high - low < threshold:
                    continue
                link = found.setdefault((p, q), {"seconds": 0, "sites": set(), "first": low, "last": high})
                link["seconds"] += high - low
                link["sites"].add(site)
                link["first"] = min(link["first"], low)
                link["last"] = max(link["last"], high)
    return found


def trace(person: int, now: datetime, days: int, minutes: int, depth: int) -> dict[int, tuple]:
    """{contact: (degree, seconds, sites, first, last, via)} as the API should answer."""
    end = int(now.timestamp())
    every = links(end - days * DAY, end, minutes * 60)
    first = {q: link for (p, q), link in every.items() if p == person}
    answer = {
        q: (1, link["seconds"], sorted(link["sites"]), link["first"], link["last"], None) for q, link in first.items()
    }
    if depth == 2:
        best: dict[int, tuple] = {}
        for (via, q), link in every.items():
            if via not in first or q == person or q in first:
                continue
            current = best.get(q)
            if current is None or (link["seconds"], -via) > (current[1], -current[5]):
                best[q] = (2, link["seconds"], sorted(link["sites"]), link["first"], link["last"], via)
        answer.update(best)
    return answer
