"""The demo zone loaded at any hour: the story's morning happens before the moment of loading, so
nothing the zone holds lies in the future (loaded at 00:30, reports filed "at 08:xx" and an
incident "at 08:15" once did), and the story keeps its days and its order."""

from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from zoneguard.demo.builder import load_demo_zone
from zoneguard.gates.models import CheckIn, FeverAlert
from zoneguard.incidents.models import Incident
from zoneguard.reports.models import DailyReport
from zoneguard.resumption.models import FilingEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Dates and times that lie ahead by design: what a declaration is valid until, the hall's slots
# and bookings of the coming days, when deferred taxes fall due.
AHEAD = {
    ("health.Declaration", "valid_until"),
    ("tax.Slot", "starts_at"),
    ("tax.Slot", "ends_at"),
    ("tax.Appointment", "day"),
    ("tax.Deferral", "due_on"),
    ("tax.Deferral", "new_due_on"),
    # The last day of a home isolation still running.
    ("isolation.IsolationCase", "end_date"),
    # The volunteers' shifts of today and the coming days, and when a canvassing round is due.
    ("volunteers.Shift", "starts_at"),
    ("volunteers.Shift", "ends_at"),
    ("volunteers.Task", "due_on"),
    # By when an open enterprise request must be accepted and resolved.
    ("tickets.Ticket", "accept_due"),
    ("tickets.Ticket", "resolve_due"),
    # When an investment project is to be completed, its milestones still to come, when a risk is
    # to be solved by, and a lead's next step.
    ("dispatch.Project", "planned_completion"),
    ("dispatch.Milestone", "planned_on"),
    ("dispatch.Risk", "due_on"),
    ("dispatch.Lead", "next_step_on"),
    # The day an organisation needs the supplies it asked for.
    ("supplies.SupplyRequest", "needed_by"),
    # Key-task items of the coming days, and the days a dispatch meeting's decisions are due.
    ("supervision.TaskItem", "due_on"),
    ("supervision.Decision", "due_on"),
    # Until when the demo's open invitation works.
    ("accounts.Invitation", "expires_at"),
    # Django's default for when a user joined is timezone.now itself, bound before the test sets
    # the clock: the real clock, the moment of loading in a real load.
    ("accounts.User", "date_joined"),
}


def ahead_of(now: datetime) -> list[str]:
    """Every date or time in ZoneGuard's tables later than `now`, but those that lie ahead by design."""
    today = timezone.localdate(now)
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("zoneguard."):
            continue
        for field in model._meta.concrete_fields:
            if (model._meta.label, field.name) in AHEAD or not isinstance(field, models.DateField):
                continue
            bound = now if isinstance(field, models.DateTimeField) else today
            count = model._default_manager.filter(**{f"{field.name}__gt": bound}).count()
            if count:
                found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, SHANGHAI)


@pytest.mark.parametrize("hour, minute", [(0, 30), (8, 5), (23, 30)])
def test_nothing_lies_in_the_future_whatever_the_hour_of_loading(db, settings, tmp_path, hour, minute):
    settings.MEDIA_ROOT = tmp_path
    now = datetime(2026, 3, 4, hour, minute, tzinfo=SHANGHAI)  # a Wednesday
    with mock.patch("django.utils.timezone.now", return_value=now):
        zone = load_demo_zone(password="demo-password-1")
    assert zone.today == now.date()
    assert ahead_of(now) == []
    # Today's part of the story is there, on today and in its order.
    reports = DailyReport.objects.filter(day=zone.today)
    assert reports.exists() and all(local(r.filed_at).date() == r.day for r in reports)
    market = Incident.objects.get(source_id="market-gaoxin")
    assert local(market.occurred_at).date() == zone.today
    assert market.occurred_at <= market.acknowledged_at <= now
    steps = list(market.events.order_by("id").values_list("at", flat=True))
    assert steps == sorted(steps)
    assert CheckIn.objects.filter(checked_at__date=zone.today).exists()
    assert FeverAlert.objects.filter(status="open").count() == 1  # today's, at the market
    for filing_event in FilingEvent.objects.select_related("filing"):
        assert filing_event.at in {filing_event.filing.submitted_at, filing_event.filing.decided_at}
    if (hour, minute) == (23, 30):  # late in the day the story keeps its own hours
        assert local(market.occurred_at).time() == time(8, 15)
