"""The day counts the gates overview and the resumption rates read are always what the entry log
says: folded in steps at any point, with batches that arrive late and out of order, entries not
folded yet, refusals and passages without a person, across the days' edges."""

import io
import random
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zoneguard.core.attendance import attendance
from zoneguard.gates import day_counts, selectors
from zoneguard.gates.models import CheckIn, DayCountProgress, OrganisationDayCount, SiteDayCount, SiteHourCount
from zoneguard.gates.services import rebuild_day_counts, refresh_day_counts
from zoneguard.registry.models import Site

from .conftest import post

DAYS = 3


@pytest.fixture
def sites(zone):
    east = Site.objects.create(organisation=zone.enterprise_a, name="东门")
    return [zone.site_a, east, zone.site_b]


def passage(site, person, at, *, direction="in", decision="allow", received_at=None):
    return CheckIn.objects.create(
        client_id=uuid.uuid4(),
        site=site,
        organisation_id=site.organisation_id,
        person=person,
        direction=direction,
        decision=decision,
        temperature=36.5,
        checked_at=at,
        # Old enough to be folded for good on PostgreSQL too (services.day_counts.settle_delay).
        received_at=received_at or timezone.now() - timedelta(hours=1),
    )


def random_passages(rng, zone, sites, count, first_day):
    """`count` passages in a random order of arrival over DAYS days: several a person and site,
    ties to the second, refusals, passages of nobody registered, and the days' first and last
    seconds."""
    people = [*zone.staff_a, *zone.staff_b, None]
    for _ in range(count):
        day = first_day + timedelta(days=rng.randrange(DAYS))
        second = rng.choice([0, 86_399, rng.randrange(86_400), 8 * 3600 + rng.randrange(3)])
        at = timezone.make_aware(datetime.combine(day, time.min)) + timedelta(seconds=second)
        passage(
            rng.choice(sites),
            rng.choice(people),
            at,
            direction=rng.choice(["in", "in", "out"]),
            decision="deny" if rng.random() < 0.15 else "allow",
        )


def expected(days):
    """The reference counts of `days`, keyed as the stored rows are."""
    sites, hours, people = {}, {}, {}
    for day in days:
        counts = day_counts.reference(day)
        sites.update({key: values for key, values in counts.sites.items() if any(values)})
        hours.update({key: values for key, values in counts.hours.items() if any(values)})
        people.update({key: n for key, n in counts.people.items() if n})
    return sites, hours, people


def stored():
    sites = {
        (row.site_id, row.day): [row.entries, row.exits, row.denied, row.on_site]
        for row in SiteDayCount.objects.all()
        if any([row.entries, row.exits, row.denied, row.on_site])
    }
    hours = {
        (row.site_id, row.day, row.hour): [row.entries, row.denied]
        for row in SiteHourCount.objects.all()
        if row.entries or row.denied
    }
    people = {(row.organisation_id, row.day): row.people for row in OrganisationDayCount.objects.all() if row.people}
    return sites, hours, people


@pytest.mark.parametrize("seed", range(6))
def test_folding_in_steps_always_agrees_with_the_entry_log(zone, sites, seed):
    rng = random.Random(seed)
    first_day = timezone.localdate() - timedelta(days=DAYS - 1)
    days = [first_day + timedelta(days=n) for n in range(DAYS)]
    random_passages(rng, zone, sites, 20, first_day)
    refresh_day_counts()  # the first fold of a log rebuilds
    assert stored() == expected(days)
    for _ in range(4):
        random_passages(rng, zone, sites, rng.randrange(1, 40), first_day)
        refresh_day_counts()
        assert stored() == expected(days)
    assert DayCountProgress.objects.get().through_checkin_id == CheckIn.objects.latest("pk").pk
    rebuild_day_counts()
    assert stored() == expected(days)


@pytest.mark.parametrize("seed", range(4))
def test_what_pages_show_counts_the_entries_not_folded_yet(zone, sites, seed):
    rng = random.Random(100 + seed)
    first_day = timezone.localdate() - timedelta(days=DAYS - 1)
    random_passages(rng, zone, sites, 30, first_day)
    refresh_day_counts()
    random_passages(rng, zone, sites, 30, first_day)  # not folded
    organisations = [zone.enterprise_a.pk, zone.enterprise_b.pk]
    for day in (first_day + timedelta(days=n) for n in range(DAYS)):
        reference = day_counts.reference(day)
        shown = {
            c.site.pk: [c.entries, c.exits, c.denied, c.on_site] for c in selectors.site_counts(sites=sites, day=day)
        }
        assert shown == {site.pk: reference.sites.get((site.pk, day), [0, 0, 0, 0]) for site in sites}
        totals = selectors.site_totals(actor=zone.commander, day=day)
        assert [totals.entries, totals.exits, totals.denied, totals.on_site] == [
            sum(column) for column in zip(*shown.values(), strict=True)
        ]
        want = {pk: n for (pk, of_day), n in reference.people.items() if of_day == day and pk in organisations and n}
        assert attendance(organisations, day) == want
        by_hour = {h.hour: [h.entries, h.denied] for h in selectors.hourly_counts(actor=zone.commander, day=day)}
        want_hours = {hour: [0, 0] for hour in range(24)}
        for (_site, _day, hour), (entries, denied) in reference.hours.items():
            want_hours[hour] = [want_hours[hour][0] + entries, want_hours[hour][1] + denied]
        assert by_hour == want_hours
        totals = selectors.day_totals(actor=zone.commander, day=day)
        assert [totals.entries, totals.denied] == [
            sum(h[0] for h in by_hour.values()),
            sum(h[1] for h in by_hour.values()),
        ]


def test_a_batch_uploaded_late_is_counted_in_the_day_it_happened(zone, sites):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    a0 = zone.staff_a[0]
    morning = timezone.make_aware(datetime.combine(yesterday, time(8)))
    passage(zone.site_a, a0, morning)
    refresh_day_counts()
    assert selectors.site_counts(sites=[zone.site_a], day=yesterday)[0].on_site == 1
    # The gate was offline: its exit at noon arrives today, after an entry of today.
    passage(zone.site_a, a0, timezone.make_aware(datetime.combine(today, time(8))))
    passage(zone.site_a, a0, morning + timedelta(hours=4), direction="out")
    refresh_day_counts()
    old, new = (selectors.site_counts(sites=[zone.site_a], day=d)[0] for d in (yesterday, today))
    assert (old.entries, old.exits, old.on_site) == (1, 1, 0)
    assert (new.entries, new.exits, new.on_site) == (1, 0, 1)
    assert (
        attendance([zone.enterprise_a.pk], yesterday)
        == attendance([zone.enterprise_a.pk], today)
        == {zone.enterprise_a.pk: 1}
    )


def test_the_overview_counts_a_check_in_at_once_and_folds_it(zone, declare, device_for, item, client_for):
    declare(zone.staff_a[0])
    refresh_day_counts()
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    page = client_for("admin_a").get("/gates/")
    assert page.status_code == 200
    assert page.context["totals"].entries == page.context["totals"].on_site == 1
    assert [c.on_site for c in page.context["counts"] if c.site.pk == zone.site_a.pk] == [1]
    # The other organisation's admin sees none of it.
    assert client_for("admin_b").get("/gates/").context["totals"].entries == 0


def test_the_minute_job_folds_and_rebuilds(zone, sites):
    out = io.StringIO()
    passage(zone.site_a, zone.staff_a[0], timezone.now() - timedelta(hours=2))
    call_command("refresh_day_counts", "--rebuild", stdout=out)
    passage(zone.site_a, zone.staff_a[1], timezone.now() - timedelta(hours=2))
    call_command("refresh_day_counts", stdout=out)
    assert out.getvalue().splitlines()[-1] == "folded 1 entries"
    row = SiteDayCount.objects.get(site=zone.site_a)
    assert (row.entries, row.on_site) == (2, 2)
