"""Traces agree with a brute-force reading of the raw entry log (tests/reference.py) on random
small zones: missing exits, denied entries, several visits of a pair, entries folded in any order
and at any moment, the window's edges, second degree."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import Site
from zoneguard.testing import make_person
from zoneguard.tracing import selectors
from zoneguard.tracing.models import Presence, SiteStayBound
from zoneguard.tracing.services import rebuild_presences, refresh_presences

from . import reference


def _entry(site, person, direction, at, decision="allow"):
    return CheckIn(
        client_id=uuid.uuid4(),
        site=site,
        organisation_id=site.organisation_id,
        person=person,
        direction=direction,
        temperature="36.5" if direction == "in" else None,
        decision=decision,
        checked_at=at,
        received_at=at,
    )


def _random_log(rng, zone, now, people, days=20):
    sites = [zone.site_a, zone.site_b, zone.market_site, Site.objects.create(organisation=zone.market, name="二号门")]
    Site.objects.filter(pk=sites[3].pk).update(default_dwell_minutes=30)
    entries = []
    for person in people:
        at = now - timedelta(days=days, minutes=rng.randrange(600))
        while at < now:
            site = rng.choice(sites)
            # Minutes, not seconds, keep overlaps landing on the threshold now and then.
            at += timedelta(minutes=rng.randrange(5, 600))
            decision = "deny" if rng.random() < 0.08 else "allow"
            entries.append(_entry(site, person, "in", at, decision))
            if rng.random() < 0.75:  # a quarter of the exits go unrecorded
                stay = timedelta(minutes=rng.choice([10, 14, 15, 16, 45, 120, 500, 2000]))
                entries.append(_entry(site if rng.random() < 0.9 else rng.choice(sites), person, "out", at + stay))
                at += stay
    return entries


def _check(people, now, days, minutes, depth):
    """Compares every person's trace; returns how many contacts of each degree were found."""
    degrees = {1: 0, 2: 0}
    for person in people:
        expected = reference.trace(person.pk, now, days, minutes, depth)
        found = selectors.contacts(
            person=person, days=days, min_overlap_minutes=minutes, depth=depth, site_ids=None, at=now, with_visits=1000
        )
        got = {
            c.person_id: (
                c.degree,
                c.overlap_seconds,
                c.site_ids,
                int(c.first_contact_at.timestamp()),
                int(c.last_contact_at.timestamp()),
                c.via_person_id,
            )
            for c in found
        }
        assert got == expected, person
        assert [c.overlap_seconds for c in found] == sorted((c.overlap_seconds for c in found), reverse=True)
        for contact in found:
            degrees[contact.degree] += 1
            # The timeline's visits are the overlap, visit by visit, in order.
            seconds = sum(int((v.end - v.start).total_seconds()) for v in contact.visits)
            assert seconds == (contact.overlap_seconds if contact.degree == 1 else 0)
            assert [v.start for v in contact.visits] == sorted(v.start for v in contact.visits)
    return degrees


def _seen(contact):
    return (
        contact.person_id,
        contact.degree,
        contact.overlap_seconds,
        contact.site_ids,
        contact.first_seen,
        contact.last_seen,
        contact.via_person_id,
    )


def _presences():
    return {p.checkin_id: (p.person_id, p.site_id, p.start, p.end) for p in Presence.objects.all()}


def _longest_stays():
    """Each site's longest presence, from the presences themselves."""
    longest = {}
    for site_id, start, end in Presence.objects.values_list("site_id", "start", "end"):
        longest[site_id] = max(longest.get(site_id, 0), end - start)
    return longest


def _bounds():
    return dict(SiteStayBound.objects.values_list("site_id", "longest_seconds"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_traces_agree_with_the_raw_log_whatever_order_entries_arrive_in(zone, seed):
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    people = [make_person(name=f"接触{i}") for i in range(9)]
    entries = _random_log(rng, zone, now, people)
    rng.shuffle(entries)  # offline gates upload late, in any order
    for start in range(0, len(entries), 40):
        CheckIn.objects.bulk_create(entries[start : start + 40])
        if rng.random() < 0.5:
            refresh_presences()
    refresh_presences()
    assert _presences() == reference.presences()
    # Folds only raise a site's bound: it covers every stay, and may exceed the longest left.
    bounds = _bounds()
    assert all(bounds[site] >= longest for site, longest in _longest_stays().items())
    for days, minutes, depth in [(14, 15, 1), (3, 45, 2), (30, 1, 1)]:
        _check(people, now, days, minutes, depth)
    # The random zones are dense enough for both degrees to be compared, not only empty answers.
    degrees = _check(people, now, 14, 15, 2)
    assert degrees[1] > 0 and degrees[2] > 0
    # The links filled in for the contacts shown (the API's page, the tracing page) are those the
    # full answer (the export, _check) gives.
    for person in people:
        asked = {"person": person, "days": 14, "min_overlap_minutes": 15, "depth": 2, "site_ids": None, "at": now}
        shown = selectors.contacts(**asked, shown=lambda ranked: ranked[::2])
        full = selectors.contacts(**asked)
        assert [_seen(c) for c in shown[::2]] == [_seen(c) for c in full[::2]]
        assert [c.person_id for c in shown] == [c.person_id for c in full]
    rebuilt = rebuild_presences()
    assert rebuilt == len(reference.presences())
    assert _presences() == reference.presences()
    assert _bounds() == _longest_stays()


def _pair(zone):
    return make_person(name="病例"), make_person(name="同事")


def _overlap_minutes(zone, minutes):
    case, other = _pair(zone)
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=2)
    CheckIn.objects.bulk_create(
        [
            _entry(zone.site_a, case, "in", start),
            _entry(zone.site_a, case, "out", start + timedelta(hours=1)),
            _entry(zone.site_a, other, "in", start + timedelta(minutes=60 - minutes)),
            _entry(zone.site_a, other, "out", start + timedelta(hours=3)),
        ]
    )
    refresh_presences()
    return selectors.contacts(person=case, days=14, min_overlap_minutes=15, depth=1, site_ids=None, at=now)


def test_an_overlap_exactly_at_the_threshold_counts(zone):
    [contact] = _overlap_minutes(zone, 15)
    assert contact.overlap_minutes == 15


def test_one_minute_under_the_threshold_is_no_contact(zone):
    assert _overlap_minutes(zone, 14) == []


def test_a_missing_exit_lasts_the_sites_usual_stay_and_visits_add_up(zone):
    case, other = _pair(zone)
    now = timezone.now().replace(microsecond=0)
    day1, day2 = now - timedelta(days=3), now - timedelta(days=2)
    CheckIn.objects.bulk_create(
        [
            # Day 1 at the market (usual stay 60 minutes), neither recorded leaving.
            _entry(zone.market_site, case, "in", day1),
            _entry(zone.market_site, other, "in", day1 + timedelta(minutes=20)),
            # Day 2 at the workshop: two hours together; a denied entry is no presence.
            _entry(zone.site_a, case, "in", day2),
            _entry(zone.site_a, other, "in", day2),
            _entry(zone.site_a, case, "out", day2 + timedelta(hours=2)),
            _entry(zone.site_a, other, "out", day2 + timedelta(hours=5)),
            _entry(zone.site_b, other, "in", day2 + timedelta(hours=6), decision="deny"),
            _entry(zone.site_b, case, "in", day2 + timedelta(hours=6)),
        ]
    )
    refresh_presences()
    [contact] = selectors.contacts(
        person=case, days=14, min_overlap_minutes=15, depth=1, site_ids=None, at=now, with_visits=1
    )
    assert contact.person_id == other.pk
    assert contact.overlap_minutes == 40 + 120
    assert contact.site_ids == sorted([zone.site_a.pk, zone.market_site.pk])
    assert [(v.site_id, v.start, v.end) for v in contact.visits] == [
        (zone.market_site.pk, day1 + timedelta(minutes=20), day1 + timedelta(minutes=60)),
        (zone.site_a.pk, day2, day2 + timedelta(hours=2)),
    ]


def test_a_long_stay_folded_after_the_sites_short_ones_is_still_found(zone):
    """A trace looks back as far as the site's longest stay: a stall-holder's day, uploaded late by
    an offline gate after the market's short visits were folded, raises the market's bound."""
    case, holder = _pair(zone)
    now = timezone.now().replace(microsecond=0)
    morning = now - timedelta(days=2, hours=12)
    CheckIn.objects.bulk_create(
        [
            _entry(zone.market_site, case, "in", morning + timedelta(hours=11)),
            _entry(zone.market_site, case, "out", morning + timedelta(hours=11, minutes=30)),
        ]
    )
    refresh_presences()
    assert _bounds() == {zone.market_site.pk: 30 * 60}
    CheckIn.objects.bulk_create(
        [
            _entry(zone.market_site, holder, "in", morning),
            _entry(zone.market_site, holder, "out", morning + timedelta(hours=12)),
        ]
    )
    refresh_presences()
    assert _bounds() == {zone.market_site.pk: 12 * 3600}
    [contact] = selectors.contacts(person=case, days=14, min_overlap_minutes=15, depth=1, site_ids=None, at=now)
    assert (contact.person_id, contact.overlap_minutes) == (holder.pk, 30)


def test_a_second_degree_contact_linked_equally_to_two_comes_through_the_lower_id(zone):
    case = make_person(name="病例")
    first, second = make_person(name="同事甲"), make_person(name="同事乙")
    shopper = make_person(name="顾客")
    now = timezone.now().replace(microsecond=0)
    day = now - timedelta(days=3)

    def stay(site, person, start, minutes):
        return [_entry(site, person, "in", start), _entry(site, person, "out", start + timedelta(minutes=minutes))]

    CheckIn.objects.bulk_create(
        [
            *stay(zone.site_a, case, day, 60),
            *stay(zone.site_a, first, day, 60),
            *stay(zone.site_a, second, day, 60),
            # Half an hour with each colleague, at different times: a tie.
            *stay(zone.market_site, second, day + timedelta(hours=3), 30),
            *stay(zone.market_site, shopper, day + timedelta(hours=3), 30),
            *stay(zone.market_site, first, day + timedelta(hours=5), 30),
            *stay(zone.market_site, shopper, day + timedelta(hours=5), 30),
        ]
    )
    refresh_presences()
    found = selectors.contacts(person=case, days=14, min_overlap_minutes=15, depth=2, site_ids=None, at=now)
    [link] = [c for c in found if c.degree == 2]
    assert (link.person_id, link.via_person_id, link.overlap_minutes) == (shopper.pk, first.pk, 30)
    assert link.site_ids == [zone.market_site.pk]


def test_the_window_clips_a_stay_that_began_before_it(zone):
    case, other = _pair(zone)
    now = timezone.now().replace(microsecond=0)
    edge = now - timedelta(days=14)
    CheckIn.objects.bulk_create(
        [
            _entry(zone.site_a, case, "in", edge - timedelta(hours=2)),
            _entry(zone.site_a, other, "in", edge - timedelta(hours=2)),
            _entry(zone.site_a, case, "out", edge + timedelta(minutes=20)),
            _entry(zone.site_a, other, "out", edge + timedelta(minutes=20)),
        ]
    )
    refresh_presences()
    [contact] = selectors.contacts(person=case, days=14, min_overlap_minutes=15, depth=1, site_ids=None, at=now)
    assert contact.overlap_minutes == 20
    assert contact.first_contact_at == edge
    assert selectors.contacts(person=case, days=14, min_overlap_minutes=21, depth=1, site_ids=None, at=now) == []


def test_entries_not_yet_final_are_folded_for_the_trace_and_again_later(zone, monkeypatch):
    """On PostgreSQL an entry younger than the settling delay may still be joined by a lower id:
    it is folded (a trace sees it) but the progress stays before it, in any number of steps."""
    from zoneguard.tracing import services
    from zoneguard.tracing.models import PresenceProgress

    monkeypatch.setattr(services, "FOLD_CHUNK", 5)
    monkeypatch.setattr(services, "settle_delay", lambda: timedelta(hours=1))
    now = timezone.now().replace(microsecond=0)
    people = [make_person(name=f"同班{i}") for i in range(4)]
    old = [_entry(zone.site_a, p, "in", now - timedelta(days=1)) for p in people]
    CheckIn.objects.bulk_create(old)
    CheckIn.objects.update(received_at=now - timedelta(days=1))
    recent = [_entry(zone.site_a, p, "in", now - timedelta(hours=3)) for p in people]
    recent += [_entry(zone.site_a, p, "out", now - timedelta(hours=1)) for p in people]
    CheckIn.objects.bulk_create(recent)
    CheckIn.objects.filter(direction="out").update(received_at=now)
    assert refresh_presences() == 12
    assert _presences() == reference.presences()  # every chunk folded, the young ones too
    through = PresenceProgress.objects.get().through_checkin_id
    assert through == max(e.pk for e in CheckIn.objects.filter(received_at__lt=now - timedelta(hours=1)))
    assert refresh_presences() == 4  # the young exits, again
    monkeypatch.setattr(services, "settle_delay", lambda: timedelta(0))
    refresh_presences()
    assert PresenceProgress.objects.get().through_checkin_id == CheckIn.objects.order_by("-pk").first().pk
    assert refresh_presences() == 0
    assert _presences() == reference.presences()


def test_a_deleted_person_takes_their_presences_along(zone):
    # The table has no database constraints: Django's deletion removes the rows.
    case, other = _pair(zone)
    now = timezone.now().replace(microsecond=0)
    CheckIn.objects.bulk_create([_entry(zone.site_a, p, "in", now - timedelta(hours=2)) for p in (case, other)])
    refresh_presences()
    case.delete()
    assert list(Presence.objects.values_list("person_id", flat=True)) == [other.pk]
