"""Queries compiled once give what the queryset gives, with the values of each call."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from zoneguard.core.prepared import Prepared, execute_prepared
from zoneguard.registry.models import Site


def test_it_returns_model_instances_with_related_objects(zone):
    by_pk = Prepared(lambda pk: Site.objects.filter(pk=pk).select_related("organisation"), kinds=(int,))
    for site in (zone.site_a, zone.site_b):
        with CaptureQueriesContext(connection) as queries:
            (found,) = by_pk(site.pk)
            assert found.organisation.name == site.organisation.name
        assert len(queries) == 1
        assert found == site and found.created_at == site.created_at
    assert by_pk(10**9) == []


def test_it_returns_value_tuples(zone):
    names = Prepared(lambda code: Site.objects.filter(code=code).values_list("name", "organisation__name"))
    assert names(zone.site_b.code) == [("大门", "企业乙")]


@pytest.mark.django_db(transaction=True)
def test_it_runs_again_after_the_connection_was_replaced():
    names = Prepared(lambda code: Site.objects.filter(code=code).values_list("name"))
    assert names("none") == []
    connection.close()  # a restart of the database server, or CONN_MAX_AGE reached
    assert names("none") == []
    assert connection.connection is not None


def test_database_errors_come_out_as_djangos(zone):
    with pytest.raises(DatabaseError):
        execute_prepared("SELECT no_such_column FROM registry_site WHERE id = %s", [1])


def test_it_refuses_to_run_in_a_transaction_marked_for_rollback(zone):
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            execute_prepared("SELECT id FROM registry_site WHERE id = %s", [zone.site_a.pk])


@pytest.mark.parametrize("logged", [False, True])
def test_placeholders_and_literal_percent_signs_read_the_same_logged_or_not(zone, logged):
    # On SQLite the statements go to sqlite3 directly unless queries are being logged (DEBUG, or a
    # test counting them), where Django's cursor writes the log: both must read %s and %% alike.
    sql = "SELECT name FROM registry_site WHERE id = %s AND '%%' = %s"

    def run():
        assert execute_prepared(sql, [zone.site_b.pk, "%"]) == [(zone.site_b.name,)]
        assert execute_prepared(sql, [zone.site_b.pk, "%%"]) == []

    if logged:
        with CaptureQueriesContext(connection) as queries:
            run()
        assert len(queries) == 2
    else:
        run()


def test_execute_wrappers_see_the_hot_statements(zone):
    # Tracing and query guards hook connection.execute_wrapper(): the prepared path must not
    # slip past them on either database.
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    names = Prepared(lambda code: Site.objects.filter(code=code).values_list("name"))
    with connection.execute_wrapper(wrapper):
        assert names(zone.site_b.code) == [(zone.site_b.name,)]
        assert execute_prepared("SELECT id FROM registry_site WHERE id = %s", [zone.site_a.pk]) == [(zone.site_a.pk,)]
    assert len(seen) == 2 and "registry_site" in seen[1]
    assert names(zone.site_b.code) == [(zone.site_b.name,)]  # and the fast path again after
    assert len(seen) == 2
