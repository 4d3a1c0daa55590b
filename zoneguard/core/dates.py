"""The calendar ZoneGuard accepts from its users: days from 2000-01-01 to 2100-12-31, and times in
those years.

Far dates are never meant, and they break things far from where they are sent: a day's bounds in
Beijing time, a day after or before, a time made aware, each overflows at the ends of Python's
calendar, and databases store different ranges. The API schemas (core.api), the form fields
(core.web) and the model fields (core.models) all refuse dates outside this calendar with the
messages below."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidInput

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def day_in_range(value: date) -> bool:
    if isinstance(value, datetime):
        return moment_in_range(value)
    return FIRST_DAY <= value <= LAST_DAY


def moment_in_range(value: datetime) -> bool:
    """By the year as sent: with any offset, such a time stays far from the ends of the calendar."""
    return FIRST_DAY.year <= value.year <= LAST_DAY.year


def day_range_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


def moment_range_message() -> str:
    return _("Enter a date and time in the years %(first)s to %(last)s.") % {
        "first": FIRST_DAY.year,
        "last": LAST_DAY.year,
    }


def validate_day(value: date) -> None:
    """A Django validator, for form and model fields."""
    if isinstance(value, datetime):
        validate_moment(value)
    elif not day_in_range(value):
        raise ValidationError(day_range_message(), code="date_range")


def validate_moment(value: datetime) -> None:
    if not moment_in_range(value):
        raise ValidationError(moment_range_message(), code="date_range")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The zone's day (Asia/Shanghai) as an aware half-open interval: a range on the time column,
    which its index serves, where `__date` would compute the date of every row."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


PLANNING_HORIZON_DAYS = 366


def check_planned(value: date, field: str) -> None:
    """A day something is planned for (a shift, a meeting, supplies needed by) lies within a year
    from today: 2099 for 2026 is a slip of the keyboard, and a shift or a meeting planned there
    would sit in every list of what is coming. Raises InvalidInput on `field`."""
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    if day > timezone.localdate() + timedelta(days=PLANNING_HORIZON_DAYS):
        raise InvalidInput.for_field(field, _("Plan at most a year ahead: check the year."), code="too_far_ahead")
