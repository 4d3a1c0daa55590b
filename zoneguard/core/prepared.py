"""Queries compiled once per process, for the few request paths where building SQL through the
ORM costs more than running it (the API token lookup, the gate check-in: a millisecond of query
compilation each, against a tenth of that in the database).

`Prepared(build)` calls `build(*placeholders)` once to get a queryset, compiles it, and remembers
where each placeholder's value sits in the parameters. Each call then runs the same SQL with the
real values, and the rows go through the ORM's own converters and model construction, so the
results are exactly what the queryset would give: model instances (with select_related objects)
or values_list tuples. Only exact lookups may take placeholders."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators  # type: ignore[attr-defined]

# Values no real query carries, standing in for the parameters while the SQL is compiled.
_TEXT = "\x01zoneguard-prepared-{}\x01"
_NUMBER = -8_070_450_532_247_928_000


def execute_prepared(sql: str, params: list[Any], *, using: str = "default", fetch: bool = True) -> list[Any]:
    """Run one of the hot statements; on PostgreSQL as a prepared statement of the connection.

    Django binds parameters on the client and PostgreSQL plans every statement again; for the
    gate's lookups planning costs more than running. A prepared statement is planned once per
    connection (ZONEGUARD_PG_PREPARED=0 turns this off behind a transaction-mode pooler, which
    cannot keep prepared statements). Django's own checks run as its cursor() would run them, and
    its database errors come out as Django's. Where something wraps query execution
    (connection.execute_wrapper(): tracing, query guards), the statement goes through Django's
    cursor, so that the wrapper sees it."""
    connection = connections[using]
    wrapped = bool(connection.execute_wrappers)
    if connection.vendor == "postgresql" and settings.PG_PREPARED_STATEMENTS and not wrapped:
        # What Django's cursor() and its wrapper check, without building them for every query:
        # the connection's health (when enabled), that it is open, used by its own thread, and
        # not in a transaction that already failed.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_thread_sharing()
        connection.validate_no_broken_transaction()
        started = time.monotonic()
        with connection.wrap_database_errors:
            server_cursor = _server_cursor(connection, sql)
            server_cursor.execute(sql, params, prepare=True)
            rows = server_cursor.fetchall() if fetch else []
        if connection.queries_logged:  # as Django's debug cursor records it (query counts, debugging)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        return rows
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not connection.queries_logged and not wrapped:
            # Django's SQLite cursor rewrites every %s to ? with a regular expression on each call:
            # for a batch upload's insert (8,000 placeholders) that cost 6% of the request. The
            # rewritten statement is kept; the checks are those of Django's cursor wrapper.
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors:
                sqlite_cursor = cursor.cursor
                sqlite3.Cursor.execute(sqlite_cursor, _qmark(sqlite_cursor, sql), params)
                return sqlite_cursor.fetchall() if fetch else []
        cursor.execute(sql, params)  # with the debug log (DEBUG, a test counting queries) and wrappers
        return cursor.fetchall() if fetch else []


_QMARK: dict[str, str] = {}


def _qmark(sqlite_cursor: Any, sql: str) -> str:
    """The statement in sqlite3's ? style, written by Django's SQLiteCursorWrapper once per
    statement."""
    converted = _QMARK.get(sql)
    if converted is None:
        if len(_QMARK) >= 64:  # a few statements are hot; a batch's last chunk varies in length
            _QMARK.clear()
        converted = _QMARK[sql] = sqlite_cursor.convert_query(sql)
    return converted


def _server_cursor(connection: Any, sql: str) -> Any:
    """The psycopg cursor that runs this statement on this database connection, made once per
    connection and statement. Each statement used to build three (Django's wrapper, the psycopg
    cursor under it, and ours): 7% of the instructions a check-in costs the worker
    (bench/instructions.py: 2.37 million per check-in before, 2.20 million after). A cursor that
    runs the same query string again keeps its adaptation of the parameters, so each statement
    has its own."""
    import psycopg

    raw = connection.connection
    cursors: tuple[Any, dict[str, Any]] | None = getattr(connection, "_zoneguard_cursors", None)
    if cursors is None or cursors[0] is not raw:
        cursors = connection._zoneguard_cursors = (raw, {})
    cursor = cursors[1].get(sql)
    if cursor is None or cursor.closed:
        cursor = cursors[1][sql] = psycopg.Cursor(raw)
    return cursor


def unconverted_rows(queryset: QuerySet[Any], *, using: str = "default") -> list[Any]:
    """A values_list queryset's rows as the database driver returns them, run by execute_prepared:
    without the ORM's iteration and per-value converters, which cost a 1,000-person lookup of a
    batch upload more than the query itself. Only for columns the caller reads as they come (ids,
    text) or converts itself."""
    sql, params = queryset.query.get_compiler(using=using).as_sql()
    return execute_prepared(sql, list(params), using=using)


class Prepared:
    def __init__(self, build: Callable[..., QuerySet[Any]], kinds: tuple[type, ...] = (str,)) -> None:
        """`kinds`: the type of each placeholder, str or int."""
        self.build = build
        self.kinds = kinds
        self.arity = len(kinds)
        self._compiled: dict[str, tuple[Any, str, list[Any], list[int | None], bool, Any]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple[Any, str, list[Any], list[int | None], bool, Any]:
        placeholders: list[Any] = [_NUMBER - i if kind is int else _TEXT.format(i) for i, kind in enumerate(self.kinds)]
        queryset = self.build(*placeholders)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots: list[int | None] = []
        for value in params:
            matches = [i for i, p in enumerate(placeholders) if type(value) is type(p) and value == p]
            slots.append(matches[0] if matches else None)
        if sorted(s for s in slots if s is not None) != list(range(self.arity)):
            raise ValueError("every placeholder must appear once, in an exact lookup")
        values_list = issubclass(queryset._iterable_class, ValuesListIterable)
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return compiler, sql, list(params), slots, values_list, converters

    def _get(self, alias: str) -> tuple[Any, str, list[Any], list[int | None], bool, Any]:
        key = f"{alias}:{connections[alias].vendor}"
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias)
                self._compiled[key] = compiled
        return compiled

    def __call__(self, *values: Any, using: str = "default") -> list[Any]:
        compiler, sql, params, slots, values_list, converters = self._get(using)
        bound = [values[slot] if slot is not None else param for param, slot in zip(params, slots, strict=True)]
        rows = execute_prepared(sql, bound, using=using, fetch=True)
        converted = [tuple(row) for row in compiler.apply_converters(rows, converters)] if converters else rows
        if values_list:
            return converted
        klass_info, select = compiler.klass_info, compiler.select
        model = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        objects = []
        for row in converted:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
