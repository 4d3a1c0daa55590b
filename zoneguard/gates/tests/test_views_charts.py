"""The gates' today page chart: people let in and refused, and fevers, hour by hour of the zone's
day, counted as the page's table counts them, through the same scope.

On DAY at enterprise A's gate: two staff in at 08:10 and 08:40, one of them out at 12:05 (an exit:
not an entry), one refused with 38.2 °C at 09:20; at B's gate one in at 08:30; at 23:50 the day
before, one in at A (another day)."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.gates import selectors
from zoneguard.gates.models import CheckIn
from zoneguard.gates.services import refresh_day_counts
from zoneguard.testing import data_queries, valid_id_number

from .conftest import post

URL = "/gates/chart/"


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=2)


def at(day, hour, minute):
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).isoformat()


@pytest.fixture
def passages(zone, day, declare, device_for, item):
    for person in zone.staff_a + zone.staff_b:
        # In force before the first passage (the evening before the day), for the whole day.
        declare(person, declared_at=timezone.now() - timedelta(days=4), valid_hours=24 * 7)
    gate_a, gate_b = device_for(zone.site_a), device_for(zone.site_b)
    a0, a1, a2 = zone.staff_a
    for client, site, person, temperature, when, direction in (
        (gate_a, zone.site_a, a0, 36.5, at(day, 8, 10), "in"),
        (gate_a, zone.site_a, a1, 36.6, at(day, 8, 40), "in"),
        (gate_a, zone.site_a, a0, 36.5, at(day, 12, 5), "out"),
        (gate_a, zone.site_a, a2, 38.2, at(day, 9, 20), "in"),
        (gate_b, zone.site_b, zone.staff_b[0], 36.4, at(day, 8, 30), "in"),
        (gate_a, zone.site_a, zone.staff_a[1], 36.5, at(day - timedelta(days=1), 23, 50), "in"),
    ):
        response = post(
            client, "/api/v1/checkins", item(site, person, temperature, checked_at=when, direction=direction)
        )
        assert response.status_code == 201, response.content
    assert CheckIn.objects.count() == 6


@pytest.fixture
def on_day(monkeypatch, day):
    """The endpoint charts today: today is DAY for the test's requests."""
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: real(value, timezone) if value else day
    )


def chart(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def by_hour(data):
    """{hour: (let in, refused, fevers)} of the hours with anything."""
    columns = zip(*(s["data"] for s in data["series"]), strict=True)
    return {hour: figures for hour, figures in zip(data["categories"], columns, strict=True) if any(figures)}


def test_it_counts_entries_refusals_and_fevers_by_hour(zone, passages, on_day, day, client_for):
    data = chart(client_for("commander"))
    assert data["title"] == "今日分时段出入及发热情况"
    assert data["categories"] == [f"{h:02d}:00" for h in range(24)]
    assert [(s["name"], s["type"]) for s in data["series"]] == [("放行进入", "bar"), ("拒绝", "bar"), ("发热", "line")]
    assert by_hour(data) == {"08:00": (3, 0, 0), "09:00": (0, 1, 1)}
    # The hours add up to the page's totals of the day.
    sites = list(selectors.site_counts_attention_first(actor=zone.commander, day=day))
    counts = selectors.site_counts(sites=sites, day=day)
    totals = [sum(s["data"]) for s in data["series"]]
    assert totals == [sum(c.entries for c in counts), sum(c.denied for c in counts), sum(c.fevers for c in counts)]


def test_each_sees_the_gates_of_its_own_organisations(zone, passages, on_day, client_for):
    assert by_hour(chart(client_for("admin_a"))) == {"08:00": (2, 0, 0), "09:00": (0, 1, 1)}
    assert by_hour(chart(client_for("gate_a"))) == {"08:00": (2, 0, 0), "09:00": (0, 1, 1)}
    assert by_hour(chart(client_for("admin_b"))) == {"08:00": (1, 0, 0)}  # nothing of A's gate


def test_outsiders_get_nothing(zone, passages, on_day, client_for, client):
    assert by_hour(chart(client_for("volunteer"))) == {}
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_day_by_hour_costs_the_same_queries_however_many_sites_and_passages(
    zone, passages, on_day, day, client_for, django_assert_num_queries, device_for, item
):
    refresh_day_counts()
    # The hours' stored counts, the fold's progress, the entries not folded yet (none), the fevers.
    with django_assert_num_queries(4):
        selectors.hourly_counts(actor=zone.commander, day=day)
    client = client_for("commander")
    with CaptureQueriesContext(connection) as few:
        chart(client)
    # Read now: the next request starts a new query log, which a context reads lazily.
    few_queries = data_queries(few)
    gate = device_for(zone.market_site)
    for minute in range(0, 60, 10):
        stranger = item(zone.market_site, None, 36.5, checked_at=at(day, 15, minute), id_number=valid_id_number())
        assert post(gate, "/api/v1/checkins", stranger).status_code == 201
    with CaptureQueriesContext(connection) as many:
        data = chart(client)
    # Entries not folded yet add one query, the scope of their sites, however many they are.
    assert (len(few_queries), len(data_queries(many))) == (4, 5)
    assert by_hour(data)["15:00"] == (0, 6, 0)  # people the gate does not know are refused
