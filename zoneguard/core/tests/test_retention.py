"""What the purge of personal data keeps: whole zone days, and at least what a trace reads."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core import checks
from django.test import override_settings

from zoneguard.core.retention import purge_cutoff, registered_purges


@override_settings(PERSONAL_DATA_DAYS=60)
def test_the_cutoff_is_the_start_of_the_oldest_zone_day_kept():
    cutoff = purge_cutoff(date(2020, 4, 1))
    assert cutoff == datetime.combine(date(2020, 2, 1), time.min, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_every_module_that_holds_personal_records_purges_them():
    assert [registered.kind for registered in registered_purges()] == [
        "errands.contents",
        "gates.checkin",
        "gates.facephoto",
        "health.declaration",
        "health.restriction",
        "isolation.followup",
        "notifications.delivery",
        "notifications.notification",
        "registry.person",
    ]


@override_settings(PERSONAL_DATA_DAYS=29)
def test_keeping_less_than_a_trace_reads_is_refused_at_start():
    assert [message.id for message in checks.run_checks() if message.level >= checks.ERROR] == ["tracing.E001"]


@override_settings(PERSONAL_DATA_DAYS=30)
def test_keeping_what_a_trace_reads_passes():
    assert not [message for message in checks.run_checks() if message.id == "tracing.E001"]
