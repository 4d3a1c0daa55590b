"""The entry log's writer: check-ins inserted so that a retried upload records nothing twice."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connections

from zoneguard.core.writeturn import write_turn

from ..models import CheckIn

# The entry log's columns as written by the insert below (all but the id), and whether each
# goes through its field's get_db_prep_save: text, numbers and ids the drivers take as they are,
# and a batch writes sixteen thousand values per upload.
_COLUMNS = [
    (f, f.get_internal_type() in {"UUIDField", "DateTimeField", "JSONField"})
    for f in CheckIn._meta.concrete_fields
    if not f.primary_key
]


@functools.lru_cache(maxsize=16)
def _statement(using: str, rows: int) -> str:
    """The insert's text for `rows` rows on a database: made once for a gate's single check-in and
    for a full batch, the statements run again and again."""
    connection = connections[using]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(CheckIn._meta.db_table)} ({', '.join(quote(f.column) for f, _prep in _COLUMNS)}) "
    tail = f" ON CONFLICT ({quote('client_id')}) DO NOTHING RETURNING {quote('id')}, {quote('client_id')}"
    if connection.vendor == "postgresql" and rows > 1:
        # One array per column: a short statement whatever the number of rows.
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f, _prep in _COLUMNS)
        return f"{head}SELECT * FROM unnest({arrays}){tail}"  # noqa: S608 (names from the model)
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    return head + "VALUES " + ", ".join([one] * rows) + tail


def insert_statements(rows: Sequence[Any], using: str = "default") -> list[tuple[str, list[Any]]]:
    """`INSERT ... ON CONFLICT (client_id) DO NOTHING RETURNING id, client_id` for the rows (SQLite
    ≥ 3.35 and PostgreSQL), written as SQL because the ORM's bulk_create cannot say which rows a
    conflict skipped, and a retried upload must answer those as replays. Values that need it go
    through their field's get_db_prep_save, as in the ORM's own insert; names come from the model."""
    connection = connections[using]
    # In client_id order the unique index's pages are visited in turn rather than at random.
    ordered = sorted(rows, key=lambda row: row.client_id.int)
    values = [
        [
            f.get_db_prep_save(getattr(row, f.attname), connection) if prep else getattr(row, f.attname)
            for f, prep in _COLUMNS
        ]
        for row in ordered
    ]
    if connection.vendor == "postgresql" and len(values) > 1:
        # Any number of rows as arrays, one statement for all.
        return [(_statement(using, 2), [list(column) for column in zip(*values, strict=True)])]
    # 500 rows keep a statement's parameters well under SQLite's limit.
    return [
        (_statement(using, len(chunk)), [value for row in chunk for value in row])
        for chunk in (values[start : start + 500] for start in range(0, len(values), 500))
    ]


def run_inserts(statements: Sequence[tuple[str, list[Any]]], using: str = "default") -> dict[int, int]:
    """{client id as an int (UUID.int): new id} for the rows that were new; repeats come back absent."""
    inserted: dict[int, int] = {}
    # A gate's single check-in runs on its own, and on SQLite waits for its turn to write
    # (core.writeturn); a batch is a transaction and waits in it.
    with write_turn(connections[using]), connections[using].cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            for pk, client_id in cursor.fetchall():
                inserted[client_id.int if isinstance(client_id, uuid.UUID) else uuid.UUID(client_id).int] = pk
    return inserted


def insert_ignoring_duplicates(rows: Sequence[Any], using: str = "default") -> dict[int, int]:
    return run_inserts(insert_statements(rows, using), using)
