"""SQLite: a writer waits for its turn in the kernel rather than in SQLite's busy handler.

SQLite lets one connection write at a time. One that finds the database locked sleeps 1 ms, then
2, 5, 10 ms (its busy handler) however soon the lock is freed. With `synchronous=FULL` each commit
holds the lock through its fsync, and at a gate's rush the two workers met at the lock on nearly
every check-in, each sleeping while the lock stood free (bench/README.md, "Waiting for SQLite's
write lock"). An exclusive lock on a file beside the database hands the turn over the moment it
is released.

Only for a statement run on its own (autocommit): a transaction may already hold SQLite's lock, and
must never wait for a turn held by a writer that is waiting for that lock."""

from __future__ import annotations

import fcntl
import functools
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)


def turn_file(connection: Any) -> str | None:
    """The lock file of a connection's SQLite database (None: another database, or one in memory)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return f"{connection.settings_dict['NAME']}-writer"


@contextmanager
def write_turn(connection: Any) -> Iterator[None]:
    """Runs the block once no other process writing the same SQLite database through this is in one."""
    path = turn_file(connection)
    if path is None or not connection.get_autocommit():
        yield
        return
    # Opened for each turn: a descriptor shared by forked workers, or by threads, would let them
    # all in at once. Read-only is enough to lock, so a file created by another user serves too.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as error:
        # The turn only spares the waiting: SQLite's own lock keeps the writes apart without it.
        _warn_once(path, str(error))
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # which releases the lock


@functools.cache
def _warn_once(path: str, error: str) -> None:
    # Once per process: at a gate's rush it would otherwise be a line per check-in.
    logger.warning("cannot open %s (%s): writing without a turn", path, error)
