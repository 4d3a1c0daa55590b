"""Fixed-window rate limits in the database: shared by every worker, counted atomically."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from zoneguard.core import ratelimit
from zoneguard.core.errors import RateLimited
from zoneguard.core.models import RateCounter

WINDOW = 600
# 2020-02-21 10:00:00 Beijing time: the start of a window.
START = 1582250400


@pytest.fixture
def clock(monkeypatch, settings):
    settings.RATE_LIMIT_WINDOW_SECONDS = WINDOW
    now = [float(START)]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    monkeypatch.setattr(ratelimit, "_next_purge", 0.0)
    return now


def attempt(*limits):
    try:
        ratelimit.count(*limits)
    except RateLimited:
        return False
    return True


def by_address(address, limit=600):
    return ratelimit.Limit("test.address", ratelimit.client_subject(address), limit)


def test_a_shift_change_passes_and_a_flood_is_refused(db, clock):
    # 300 employees over one Wi-Fi within five minutes.
    for _ in range(300):
        assert attempt(by_address("203.0.113.5"))
        clock[0] += 1
    # Then thousands within three minutes: the rest of the window's 600 pass, no more.
    flood = [attempt(by_address("203.0.113.5")) for _ in range(3000)]
    assert flood.count(True) == 300
    assert flood[300:] == [False] * 2700
    # The next window starts again.
    clock[0] = START + WINDOW
    assert attempt(by_address("203.0.113.5"))


def test_each_address_and_each_scope_is_counted_apart(db, clock):
    for _ in range(3):
        assert attempt(by_address("203.0.113.5", limit=3))
    assert not attempt(by_address("203.0.113.5", limit=3))
    assert attempt(by_address("203.0.113.6", limit=3))
    assert attempt(ratelimit.Limit("test.other", "203.0.113.5", 3))


def test_a_request_is_refused_when_any_of_its_limits_is_exceeded(db, clock):
    site = ratelimit.Limit("test.site", "GATE-1", 5)
    for n in range(5):
        assert attempt(by_address(f"203.0.113.{n}"), site)
    assert not attempt(by_address("203.0.113.99"), site)
    # Refused, it is counted nowhere.
    assert RateCounter.objects.get(name="test.address:203.0.113.99").hits == 0
    assert RateCounter.objects.get(name="test.site:GATE-1").hits == 5


def test_a_client_refused_at_its_address_does_not_use_up_the_site_s_allowance(db, clock):
    site = ratelimit.Limit("test.site", "GATE-1", 5)
    flood = [attempt(by_address("203.0.113.5", limit=3), site) for _ in range(100)]
    assert flood.count(True) == 3
    assert attempt(by_address("203.0.113.6", limit=3), site)
    assert attempt(by_address("203.0.113.7", limit=3), site)
    assert not attempt(by_address("203.0.113.8", limit=3), site)


def test_an_ipv6_client_is_counted_by_its_network(db, clock):
    for n in range(3):
        assert attempt(by_address(f"2001:db8:1:2::{n + 1}", limit=3))
    assert not attempt(by_address("2001:db8:1:2:ffff::9", limit=3))
    assert attempt(by_address("2001:db8:1:3::1", limit=3))


def test_a_limit_of_zero_counts_nothing(db, clock):
    for _ in range(10):
        assert attempt(by_address("203.0.113.5", limit=0))
    assert not RateCounter.objects.exists()


def test_the_refusal_says_when_to_try_again_in_the_request_s_language(db, clock):
    clock[0] = START + 90
    assert attempt(by_address("203.0.113.5", limit=1))
    with pytest.raises(RateLimited) as refused:
        ratelimit.count(by_address("203.0.113.5", limit=1))
    assert refused.value.status == 429
    assert refused.value.code == "rate_limited"
    assert refused.value.retry_after == WINDOW - 90
    assert refused.value.message == "短时间内请求次数过多，请在 10:10 之后再试。"
    with translation.override("en"), pytest.raises(RateLimited) as refused:
        ratelimit.count(by_address("203.0.113.5", limit=1))
    assert refused.value.message == "Too many requests in a short time. Please try again after 10:10."


def test_counters_of_past_windows_are_deleted(db, clock):
    assert attempt(by_address("203.0.113.5"))
    clock[0] = START + WINDOW + 1
    assert attempt(by_address("203.0.113.6"))
    assert list(RateCounter.objects.values_list("name", flat=True)) == ["test.address:203.0.113.6"]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and not settings.DATABASES["default"]["TEST"].get("NAME"),
    reason="an in-memory SQLite database refuses concurrent writers where a file makes them wait: "
    "run with ZONEGUARD_TEST_SQLITE_NAME=<file> or on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_on_other_connections_are_each_counted_once(clock):
    # Each thread has its own database connection, as each gunicorn worker has.
    errors = []

    def worker() -> None:
        try:
            for _ in range(50):
                assert attempt(by_address("203.0.113.5", limit=10_000))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RateCounter.objects.get(name="test.address:203.0.113.5").hits == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps the counters in an unlogged table")
@pytest.mark.django_db(transaction=True)
def test_a_count_leaves_the_connection_waiting_for_the_disk_as_before(clock):
    # Outside a transaction (as a request counts) the counter's commit does not wait for the disk,
    # and the connection is back at synchronous=FULL (2) for the declaration that follows.
    assert attempt(by_address("203.0.113.5"))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone() == (2,)
    assert RateCounter.objects.get().hits == 1
