from datetime import date

from zoneguard.core.attendance import attendance, register_attendance_source, unregister_attendance_source


def test_it_merges_attendance_sources_taking_the_largest_count(db):
    # db: the sources that installed apps register (the gates count check-ins) query the database.
    register_attendance_source("a", lambda ids, day: {1: 5, 2: 3})
    register_attendance_source("b", lambda ids, day: {2: 4})
    try:
        assert attendance([1, 2, 3], date(2020, 2, 21)) == {1: 5, 2: 4}
    finally:
        unregister_attendance_source("a")
        unregister_attendance_source("b")
