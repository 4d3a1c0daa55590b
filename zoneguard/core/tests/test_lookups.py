"""`field__any=[...]` selects what `field__in=[...]` selects, with one statement whatever the list's length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneguard.core import lookups
from zoneguard.core.lookups import none_of
from zoneguard.registry.models import Person


def test_it_selects_what_in_selects(zone):
    people = zone.staff_a + zone.staff_b
    numbers = [p.id_number for p in people[:3]] + ["110101199001011237"]  # the last one is nobody's
    found = set(Person.objects.filter(id_number__any=numbers).values_list("pk", flat=True))
    assert found == set(Person.objects.filter(id_number__in=numbers).values_list("pk", flat=True))
    assert found == {p.pk for p in people[:3]}


def test_the_statement_does_not_grow_with_the_list_on_postgresql(zone):
    short_sql, _ = Person.objects.filter(id_number__any=["x"] * 3).query.sql_with_params()
    long_sql, params = Person.objects.filter(id_number__any=[str(n) for n in range(500)]).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in long_sql and long_sql == short_sql
        assert list(params) == [[str(n) for n in range(500)]]  # one array parameter
    else:
        assert long_sql.count("%s") == 500


def test_an_empty_list_selects_nothing_without_a_query(zone):
    with CaptureQueriesContext(connection) as queries:
        assert list(Person.objects.filter(id_number__any=[])) == []
    assert queries.captured_queries == []


@pytest.mark.parametrize("hashed_up_to", [lookups.HASHED_NONE_OF, 10])
def test_none_of_leaves_out_the_values_with_one_parameter_however_many(zone, monkeypatch, hashed_up_to):
    # Both forms on PostgreSQL: a list it hashes, and one past that (an anti-join).
    monkeypatch.setattr(lookups, "HASHED_NONE_OF", hashed_up_to)
    people = sorted(Person.objects.values_list("pk", flat=True))
    left_out = people[::2]
    # Far more values than SQLite takes parameters (32,766): still one.
    values = [*left_out, *range(10**9, 10**9 + 40_000)]
    condition, params = none_of("id", values, connection.vendor)
    assert len(params) == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Person._meta.db_table} WHERE {condition} ORDER BY id", params)  # noqa: S608
        kept = [row[0] for row in cursor.fetchall()]
    assert kept == people[1::2] and kept


def test_none_of_an_empty_list_leaves_out_nothing(zone):
    condition, params = none_of("id", [], connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Person._meta.db_table} WHERE {condition}", params)  # noqa: S608
        assert cursor.fetchone()[0] == Person.objects.count() > 0
