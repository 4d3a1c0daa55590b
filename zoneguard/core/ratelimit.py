"""Rate limits for the endpoints anyone may call without signing in (the health declaration, the
API token): fixed-window counters in the database, so that every worker process counts the same
requests, on SQLite as on PostgreSQL.

A request is counted once against each of its limits (the client's address, the site code ...)
by one statement, before any other work; the request is refused with RateLimited when any count
has passed its limit, and its counts are taken back by a second statement. A refused request so
counts nowhere: a client refused at its address, however long it keeps trying, does not use up
the allowance of the site it floods. A counter starts again at the next window. Counters are kept
only for the current window: rows of past windows are deleted once a window per worker process."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection

from .errors import RateLimited
from .models import RateCounter

# Seconds since the epoch; replaced in tests to move time without waiting.
clock: Callable[[], float] = time.time

_TABLE = RateCounter._meta.db_table
# The next time this process deletes the counters of past windows.
_next_purge = 0.0


@dataclass(frozen=True)
class Limit:
    """At most `limit` requests per window for one subject of this scope; 0 counts nothing."""

    scope: str
    subject: str
    limit: int


def client_subject(address: str) -> str:
    """The subject an address is counted as. An IPv6 subscriber is given a whole /64 network and
    can pick a new address in it for every request: the network is counted."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


@functools.lru_cache(maxsize=8)
def _upsert(rows: int) -> str:
    # Counted by the database, atomically, in one round trip that returns the new counts: an
    # upsert is atomic on both databases, where reading the count and writing it back would let
    # two workers count one request each over the same old value. The ORM has no
    # increment-on-conflict with the new value returned, hence the SQL; SQLite (3.35+) and
    # PostgreSQL accept it alike. A row of a past window starts again at 1.
    values = ", ".join(["(%s, %s, 1)"] * rows)
    # Only our own table name and placeholders are formatted into the statement.
    return (
        f"INSERT INTO {_TABLE} (name, window_end, hits) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (name) DO UPDATE SET "
        f"hits = CASE WHEN {_TABLE}.window_end >= excluded.window_end THEN {_TABLE}.hits + 1 ELSE 1 END, "
        f"window_end = CASE WHEN {_TABLE}.window_end >= excluded.window_end "
        f"THEN {_TABLE}.window_end ELSE excluded.window_end END "
        f"RETURNING name, hits, window_end"
    )


def count(*limits: Limit) -> None:
    """Count one request against each limit; RateLimited, and the request not counted, when any of
    them would be exceeded."""
    counted = [limit for limit in limits if limit.limit > 0]
    if not counted:
        return
    now = clock()
    window = max(1, settings.RATE_LIMIT_WINDOW_SECONDS)
    window_end = (int(now) // window + 1) * window
    names = {f"{limit.scope}:{limit.subject}"[:120]: limit for limit in counted}
    params: list[str | int] = []
    for name in names:
        params += [name, window_end]
    with connection.cursor() as cursor, _not_waiting_for_the_disk(cursor):
        cursor.execute(_upsert(len(names)), params)
        rows = cursor.fetchall()
    _purge_past_windows(now, window)
    over = [(name, end) for name, hits, end in rows if hits > names[name].limit]
    if over:
        _take_back(list(names), window_end)
        retry_at = max(end for _name, end in over)
        raise RateLimited.until(datetime.fromtimestamp(retry_at, tz=UTC), retry_after=max(1, int(retry_at - now)))


@contextlib.contextmanager
def _not_waiting_for_the_disk(cursor: Any) -> Iterator[None]:
    """A count lost in a power cut costs a client a request or two, and nobody's submission: its
    commit need not wait for the disk as a declaration's does. PostgreSQL keeps the counters in an
    unlogged table (migration 0001); on SQLite the connection relaxes `synchronous` for the
    statement, which it may only do outside a transaction."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    cursor.execute("PRAGMA synchronous")
    (level,) = cursor.fetchone()
    cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA synchronous={int(level)}")


def _take_back(names: list[str], window_end: int) -> None:
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET hits = hits - 1 WHERE window_end = %s AND name IN ({placeholders})",  # noqa: S608
            [window_end, *names],
        )


def _purge_past_windows(now: float, window: int) -> None:
    global _next_purge
    if now < _next_purge:
        return
    _next_purge = now + window
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE window_end <= %s", [int(now)])  # noqa: S608 (our own table name)
