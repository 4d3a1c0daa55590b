"""What a project's figures cannot be, as plain functions over plain data (no database): each
raises InvalidInput on the field to correct (or Conflict when no field is wrong), with a message
that says what to check.

The order in a project's life: it is put in a year plan, planned to start (in or before the plan's
year, within a year from today), starts (not in the future, and not long before its plan), reports
its months from the month it started, signs contracts within its total investment; a risk is due
on or after the day it was raised, and resolved on a day that has come, not before it was raised;
a milestone is planned as a start is, and achieved on a day that has come."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from zoneguard.core.dates import FIRST_DAY, check_planned
from zoneguard.core.errors import Conflict, InvalidInput

from . import lifecycle

# How long before its plan's year a project may have started. A project is in the plan of every
# year it builds (续建), and the longest a zone builds (a new town, a university campus) take
# four or five years; ten leaves room for a project stalled and resumed, and still refuses a
# year mistyped into the past (2000 for 2020). A fixed year would refuse nothing of the kind
# once the zone is a few years old; the registration day would refuse the projects a zone
# registers when it starts using ZoneGuard, which are building already.
YEARS_BUILDING_BEFORE_PLAN = 10
CENT = Decimal("0.01")


def earliest_day(plan_year: int) -> date:
    """The earliest a project of the plan of `plan_year` can have started, or seen a risk raised."""
    return max(date(plan_year - YEARS_BUILDING_BEFORE_PLAN, 1, 1), FIRST_DAY)


def check_plan(*, plan_year: int, planned_start: date | None, changed: set[str]) -> None:
    """A plan is made for this year or the next, a start planned at most a year ahead (the
    planning horizon of core.dates: 2099 for 2026 is a slip of the keyboard) and in or before the
    plan's year: the year's planned investment is spent on a project that has started by then.
    The horizon is checked on what changed only: time moves a plan made earlier closer, not away."""
    if "plan_year" in changed:
        check_planned(date(plan_year, 1, 1), "plan_year")
    if planned_start is None:
        return
    if "planned_start" in changed:
        check_planned(planned_start, "planned_start")
    if planned_start.year > plan_year:
        raise InvalidInput.for_field(
            "planned_start",
            _(
                "The project is in the plan of %(year)s: its planned start cannot be in a later year. "
                "Check the year, or put the project in the plan of the year it starts."
            )
            % {"year": plan_year},
            code="start_after_plan_year",
        )


def check_actual_day(day: date, *, plan_year: int, today: date, field: str) -> None:
    """An actual date (a start, a change of status, a completion) has happened: not after today,
    and not long before the project's plan (YEARS_BUILDING_BEFORE_PLAN)."""
    if day > today:
        raise InvalidInput.for_field(field, _("This date is in the future: enter the day it happened."), code="future")
    earliest = earliest_day(plan_year)
    if day < earliest:
        raise InvalidInput.for_field(
            field,
            _("A project of the plan of %(year)s cannot have started before %(earliest)s: check the year.")
            % {"year": plan_year, "earliest": earliest.isoformat()},
            code="too_early",
        )


def check_status_day(day: date, *, last_change: date | None, plan_year: int, today: date) -> None:
    """The day of a change of status (field `on`): it happened, and after the project's last one,
    so that its history reads in order."""
    check_actual_day(day, plan_year=plan_year, today=today, field="on")
    if last_change is not None and day < last_change:
        raise InvalidInput.for_field(
            "on",
            _("The project's status last changed on %(day)s: a change cannot come before it.")
            % {"day": last_change.isoformat()},
            code="before_last_change",
        )


def check_progress_month(month: date, *, status: str, actual_start: date | None, planned_start: date | None) -> None:
    """Progress is reported once the project has started (it becomes under construction on the
    day it starts), and for the months from its start on: the actual start when it is known, the
    planned one otherwise."""
    if status not in lifecycle.STARTED:
        raise Conflict(
            _(
                "The project has not started: its progress is reported once it is under construction. "
                "Change its status first, with the day it started."
            ),
            code="not_started",
        )
    start = actual_start or planned_start
    if start is not None and month < start.replace(day=1):
        raise InvalidInput.for_field(
            "month",
            _("The project started in %(month)s: report months from then on.") % {"month": f"{start:%Y-%m}"},
            code="before_start",
        )


def check_contracted(*, contracted: Decimal, total_investment: Decimal, field: str) -> None:
    """A project's contracts together are part of its investment: above its total, either a
    contract's amount or the total is wrong (an amount in 元 for 万元, a total not updated)."""
    if contracted > total_investment:
        if field == "amount":
            message = _(
                "With this contract the project's contracts would come to %(contracted)s (10k yuan), "
                "above its total investment of %(total)s."
            )
        else:
            message = _(
                "The project's contracts come to %(contracted)s (10k yuan): its total investment cannot be less."
            )
        raise InvalidInput.for_field(
            field,
            message % {"contracted": contracted.quantize(CENT), "total": total_investment.quantize(CENT)},
            code="above_total_investment",
        )


def check_risk_dates(*, raised_on: date, due_on: date, plan_year: int, today: date) -> None:
    """A risk is raised on a day that has come, and is due on or after it."""
    if raised_on > today:
        raise InvalidInput.for_field(
            "raised_on", _("This date is in the future: enter the day it happened."), code="future"
        )
    earliest = earliest_day(plan_year)
    if raised_on < earliest:
        raise InvalidInput.for_field(
            "raised_on",
            _("A risk of a project of the plan of %(year)s cannot be raised before %(earliest)s: check the year.")
            % {"year": plan_year, "earliest": earliest.isoformat()},
            code="too_early",
        )
    if due_on < raised_on:
        raise InvalidInput.for_field(
            "due_on",
            _("The due date cannot be before the day the risk was raised (%(day)s).") % {"day": raised_on.isoformat()},
            code="due_before_raised",
        )


def check_risk_resolved(day: date, *, raised_on: date, today: date) -> None:
    """A risk is resolved on a day that has come (field `on`), and not before it was raised."""
    if day > today:
        raise InvalidInput.for_field("on", _("This date is in the future: enter the day it happened."), code="future")
    if day < raised_on:
        raise InvalidInput.for_field(
            "on",
            _("The risk was raised on %(day)s: it cannot be resolved before.") % {"day": raised_on.isoformat()},
            code="resolved_before_raised",
        )


def check_milestone(
    *, planned_on: date, achieved_on: date | None, plan_year: int, today: date, changed: set[str]
) -> None:
    """A milestone's planned day is a plan: at most a year ahead (core.dates), and not long before
    the project's plan; the day it was achieved has happened (check_actual_day). Checked on what
    changed only, as a project's plan is: time moves a planned day closer, not away."""
    if "planned_on" in changed:
        check_planned(planned_on, "planned_on")
        earliest = earliest_day(plan_year)
        if planned_on < earliest:
            raise InvalidInput.for_field(
                "planned_on",
                _(
                    "A milestone of a project of the plan of %(year)s cannot be planned before %(earliest)s: "
                    "check the year."
                )
                % {"year": plan_year, "earliest": earliest.isoformat()},
                code="too_early",
            )
    if achieved_on is not None and "achieved_on" in changed:
        check_actual_day(achieved_on, plan_year=plan_year, today=today, field="achieved_on")
