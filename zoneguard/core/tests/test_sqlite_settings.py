"""The embedded database is opened the way the gates need it: WAL journal, a busy timeout so that
writers wait, IMMEDIATE transactions, and a write-ahead log checkpointed every 64,000 pages."""


def test_a_sqlite_file_is_opened_in_wal_mode_with_the_project_s_pragmas(sqlite_file):
    found = {}
    with sqlite_file.cursor() as cursor:
        for pragma in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys", "wal_autocheckpoint"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    assert found == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL: an answered commit is on disk
        "busy_timeout": 20000,
        "foreign_keys": 1,
        "wal_autocheckpoint": 64000,
    }
    assert sqlite_file.transaction_mode == "IMMEDIATE"
