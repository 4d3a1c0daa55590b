"""On SQLite, a statement written on its own waits for its turn on a file lock beside the database
(core/writeturn.py); a transaction never waits for one."""

import fcntl
import os
import threading

import pytest
from django.db import connection as test_connection
from django.db.utils import ConnectionHandler

from zoneguard.core.writeturn import turn_file, write_turn


@pytest.fixture
def file_database(sqlite_file):
    with sqlite_file.cursor() as cursor:
        cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, note TEXT)")
    return sqlite_file


def _turn_is_free(path: str) -> bool:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


def test_a_statement_on_its_own_holds_the_turn_while_it_writes(file_database):
    path = turn_file(file_database)
    assert path == f"{file_database.settings_dict['NAME']}-writer"
    with write_turn(file_database), file_database.cursor() as cursor:
        assert not _turn_is_free(path)
        cursor.execute("INSERT INTO entry (note) VALUES ('门岗')")
    assert _turn_is_free(path)
    with file_database.cursor() as cursor:
        cursor.execute("SELECT note FROM entry")
        assert cursor.fetchall() == [("门岗",)]


def test_the_turn_is_given_back_when_the_statement_fails(file_database):
    path = turn_file(file_database)
    with (
        pytest.raises(Exception, match="no such table"),
        write_turn(file_database),
        file_database.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO missing (note) VALUES ('x')")
    assert _turn_is_free(path)


def test_a_turn_file_that_cannot_be_opened_leaves_the_writes_to_sqlite_s_own_lock(file_database, caplog):
    path = turn_file(file_database)
    os.symlink(path, path)  # a loop: opening it fails
    with write_turn(file_database), file_database.cursor() as cursor:
        cursor.execute("INSERT INTO entry (note) VALUES ('x')")
    with file_database.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM entry")
        assert cursor.fetchone()[0] == 1
    assert "writing without a turn" in caplog.text


def test_a_transaction_does_not_wait_for_a_turn(file_database):
    # It may hold SQLite's own lock already: waiting for a writer that waits for that lock would
    # never end.
    path = turn_file(file_database)
    file_database.set_autocommit(False)
    try:
        with write_turn(file_database):
            assert _turn_is_free(path)
    finally:
        file_database.rollback()
        file_database.set_autocommit(True)


def test_writers_take_turns_and_none_is_lost(file_database):
    # A connection of its own per thread, as each worker has its own.
    def write(count: int) -> None:
        mine = ConnectionHandler({"default": dict(file_database.settings_dict)})["default"]
        try:
            for _ in range(count):
                with write_turn(mine), mine.cursor() as cursor:
                    cursor.execute("INSERT INTO entry (note) VALUES ('x')")
        finally:
            mine.close()

    threads = [threading.Thread(target=write, args=(50,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with file_database.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM entry")
        assert cursor.fetchone()[0] == 150


@pytest.mark.django_db
def test_a_database_in_memory_or_on_postgresql_has_no_turn_file():
    if test_connection.vendor == "sqlite" and not test_connection.is_in_memory_db():
        pytest.skip("the test database is a file here (ZONEGUARD_TEST_SQLITE_NAME)")
    assert turn_file(test_connection) is None
