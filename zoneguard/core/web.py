"""Helpers for page views: the date fields every form uses, and turning domain errors into form
errors and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from .dates import FIRST_DAY, LAST_DAY, validate_day, validate_moment
from .errors import ApplicationError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from zoneguard.accounts.models import User

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a ZoneGuard user."""

    user: User


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is written ISO (2020-02-10) whatever the language:
    Chinese formats a date as 2020/02/10, which a date input refuses and shows empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    """The browser's month picker (2020-02); the field takes `input_formats=["%Y-%m"]`."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, its value ISO (2020-02-10T08:30) as `DateInput`'s."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BoundedDateField(forms.DateField):
    """Every date a form takes, filters included: outside ZoneGuard's calendar (core.dates) it is a
    form error, and date and month inputs tell the browser the calendar's ends too."""

    widget = DateInput
    default_validators = [validate_day]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        kind = widget.attrs.get("type", getattr(widget, "input_type", None))
        if kind == "date":
            attrs.update(min=FIRST_DAY.isoformat(), max=LAST_DAY.isoformat())
        elif kind == "month":
            attrs.update(min=f"{FIRST_DAY:%Y-%m}", max=f"{LAST_DAY:%Y-%m}")
        return attrs


class BoundedDateTimeField(forms.DateTimeField):
    """Every date and time a form takes: in the years of ZoneGuard's calendar (core.dates)."""

    default_validators = [validate_moment]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if widget.attrs.get("type", getattr(widget, "input_type", None)) == "datetime-local":
            attrs.update(min=f"{FIRST_DAY.year}-01-01T00:00", max=f"{LAST_DAY.year}-12-31T23:59")
        return attrs


def set_choices_queryset(form: forms.BaseForm, name: str, queryset: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def add_error_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on the form, beside the fields it concerns."""
    if not error.errors:
        form.add_error(None, error.message)
        return
    for field, field_messages in error.errors.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
) -> tuple[bool, Any]:
    """For a POSTed, valid form: run `action(cleaned_data)` (a service call) and flash `success`
    (or `success(result)`).

    Returns (True, the action's result) when it ran; (False, None) when the form must be shown
    again, with the service's refusal on it, beside the fields it concerns."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        result = action(form.cleaned_data)
    except ApplicationError as error:
        add_error_to_form(form, error)
        return False, None
    messages.success(request, success(result) if callable(success) else success)
    return True, result


def perform(
    request: HttpRequest, action: Callable[[], Any], *, success: str | Callable[[Any], str] | None = None
) -> tuple[bool, Any]:
    """For a button that POSTs without a form to show again: run `action()` (a service call); its
    refusal becomes an error message, and `success` (or `success(result)`) the message when it ran.

    Returns (True, the action's result) when it ran; (False, None) when it was refused."""
    try:
        result = action()
    except ApplicationError as error:
        messages.error(request, error.message)
        return False, None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def perform_with_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    invalid: str | None = None,
    success: str | Callable[[Any], str] | None = None,
) -> tuple[bool, Any]:
    """For a small form on a page (a note, a file) that is not shown again on its own: as `perform`,
    running `action(cleaned_data)`; an invalid form changes nothing and `invalid` (or the form's
    first error) becomes the error message."""
    if not form.is_valid():
        messages.error(request, invalid or str(next(iter(form.errors.values()))[0]))
        return False, None
    return perform(request, lambda: action(form.cleaned_data), success=success)


def object_action(
    *,
    load: Callable[[AuthedRequest, int], T],
    action: Callable[[User, T, dict[str, Any]], Any],
    success: _StrPromise,
    back: Callable[[AuthedRequest, T], HttpResponse],
    form: type[forms.Form] | None = None,
) -> Callable[..., HttpResponse]:
    """A page's button or small form that acts on one object (accept, answer, release...): POST
    only, signed in; `load` finds the object in the user's scope (404 outside it), `action(user,
    obj, cleaned_data)` is the service call; its refusal or the form's first error becomes the
    error message, `success` the message when it ran; then `back(request, obj)`."""

    @login_required
    @require_POST
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        obj = load(request, pk)
        if form is None:
            perform(request, lambda: action(request.user, obj, {}), success=str(success))
        else:
            bound = form(request.POST, request.FILES)
            perform_with_form(request, bound, lambda data: action(request.user, obj, data), success=str(success))
        return back(request, obj)

    return view
