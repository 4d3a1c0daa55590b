"""The lists by time are answered from an index, a page at a time, whatever the history: SQLite's
query plan names the index and has no temporary B-tree for the ORDER BY. (PostgreSQL plans by its
statistics, which a test database does not have; the benchmark measures it.)"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from zoneguard.gates.selectors import checkin_list
from zoneguard.health.selectors import declaration_list
from zoneguard.resumption.selectors import filing_list

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")


def plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_it_reads_the_zones_newest_checkins_from_the_time_index(zone: Any) -> None:
    text = plan(checkin_list(actor=zone.users["commander"])[:25])
    assert "checkin_time" in text
    assert "TEMP B-TREE" not in text


def test_it_reads_an_organisations_checkins_of_a_day_from_its_own_index(zone: Any) -> None:
    # The scope is a list of ids, so the entries are the first table searched, on (organisation, time);
    # what is sorted is that organisation's day, never the zone's history.
    first = plan(checkin_list(actor=zone.users["admin_a"], day=date(2020, 2, 20))[:25]).splitlines()[0]
    assert "gates_checkin USING INDEX checkin_org_time (organisation_id=? AND checked_at>? AND checked_at<?)" in first


def test_it_reads_the_zones_newest_declarations_from_the_time_index(zone: Any) -> None:
    text = plan(declaration_list(actor=zone.users["commander"])[:25])
    assert "declaration_time" in text
    assert "TEMP B-TREE" not in text


def test_it_reads_the_newest_filings_from_the_time_index(zone: Any) -> None:
    text = plan(filing_list(actor=zone.users["commander"])[:25])
    assert "filing_time" in text
    assert "TEMP B-TREE" not in text
