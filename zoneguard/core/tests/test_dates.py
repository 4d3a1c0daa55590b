"""ZoneGuard's calendar (core.dates) and the form and model fields that hold users to it; every
API operation and page is swept by tests/test_dates_out_of_range.py."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from zoneguard.core import models as core_models
from zoneguard.core import web
from zoneguard.core.dates import day_in_range, moment_in_range


def test_the_calendar_holds_its_first_and_last_days_and_nothing_beyond():
    assert day_in_range(date(2000, 1, 1)) and day_in_range(date(2100, 12, 31))
    assert not day_in_range(date(1999, 12, 31)) and not day_in_range(date(2101, 1, 1))


def test_times_are_held_to_the_years_as_sent_whatever_their_offset():
    east = timezone(timedelta(hours=14))
    assert moment_in_range(datetime(2000, 1, 1, 0, 0, tzinfo=east))  # 1999 in UTC, still storable
    assert moment_in_range(datetime(2100, 12, 31, 23, 59))
    assert not moment_in_range(datetime(1999, 12, 31, 23, 59, tzinfo=UTC))
    assert not moment_in_range(datetime(2101, 1, 1))
    assert not day_in_range(datetime(9999, 12, 31))  # a datetime passed as a date is held as a time


def test_the_form_field_refuses_far_days_in_the_users_language():
    field = web.BoundedDateField()
    assert field.clean("2100-12-31") == date(2100, 12, 31)
    with pytest.raises(ValidationError) as refused:
        field.clean("9999-12-31")
    assert refused.value.messages == ["请输入 2000-01-01 至 2100-12-31 之间的日期。"]
    assert web.BoundedDateField(required=False).clean("") is None


def test_date_month_and_time_inputs_tell_the_browser_the_ends_of_the_calendar():
    day = web.BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    month = web.BoundedDateField(widget=web.MonthInput(), input_formats=["%Y-%m"])
    assert 'min="2000-01-01"' in (html := day.widget.render("day", None)) and 'max="2100-12-31"' in html
    assert 'min="2000-01"' in (html := month.widget.render("period", None)) and 'max="2100-12"' in html
    moment = web.BoundedDateTimeField(widget=web.DateTimeLocalInput())
    html = moment.widget.render("measured_at", None)
    assert 'min="2000-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html


class _Dates(forms.Form):
    day = web.BoundedDateField()
    period = web.BoundedDateField(widget=web.MonthInput(), input_formats=["%Y-%m"])
    moment = web.BoundedDateTimeField(widget=web.DateTimeLocalInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_pickers_show_their_initial_values_in_the_form_browsers_read_in_every_language(language):
    # Chinese writes a date 2020/02/10: in a date input the browser would drop it and show nothing.
    form = _Dates(
        initial={"day": date(2020, 2, 10), "period": date(2020, 2, 1), "moment": datetime(2020, 2, 10, 8, 30)}
    )
    with translation.override(language):
        html = str(form)
    assert 'type="date" name="day" value="2020-02-10"' in html
    assert 'type="month" name="period" value="2020-02"' in html
    assert 'type="datetime-local" name="moment" value="2020-02-10T08:30"' in html


def test_the_model_fields_refuse_far_dates_on_validation_and_give_forms_the_bounded_fields():
    with pytest.raises(ValidationError):
        core_models.BoundedDateField().clean(date(1999, 12, 31), None)
    with pytest.raises(ValidationError):
        core_models.BoundedDateTimeField().clean(datetime(2101, 1, 1, tzinfo=UTC), None)
    assert isinstance(core_models.BoundedDateField().formfield(), web.BoundedDateField)
    assert isinstance(core_models.BoundedDateTimeField().formfield(), web.BoundedDateTimeField)


def test_migrations_see_djangos_fields():
    # The calendar is a rule of input: it adds nothing to the tables, nor to the migrations.
    assert core_models.BoundedDateField().deconstruct()[1] == "django.db.models.DateField"
    assert core_models.BoundedDateTimeField().deconstruct()[1] == "django.db.models.DateTimeField"
