"""Helpers for page views: the date fields every form uses, and turning domain errors into form
errors and messages."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
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


def page_errors(form: forms.BaseForm, error: ApplicationError) -> dict[str, list[str]]:
    """A service's refusal as a page shows it: messages on the form's own fields stay beside them;
    anything else (a field only the API has, or data for machines such as the quantity still
    available) is said once by the refusal's message above the form."""
    shown: dict[str, list[str]] = {}
    for field, field_messages in error.errors.items():
        if field in form.fields or field == NON_FIELD_ERRORS:
            shown[field] = list(field_messages)
    said = [message for field_messages in shown.values() for message in field_messages]
    if (len(shown) < len(error.errors) or not shown) and error.message not in said:
        shown.setdefault(NON_FIELD_ERRORS, []).insert(0, error.message)
    return shown


def add_error_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on the form, beside the fields it concerns."""
    for field, field_messages in page_errors(form, error).items():
        for message in field_messages:
            form.add_error(None if field == NON_FIELD_ERRORS else field, message)


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
    """For a small form on a page (a note, a file) that posts to an action and returns to the
    page: as `perform`, running `action(cleaned_data)`. An invalid form, or the service's refusal,
    changes nothing: the first error (or `invalid`), named by its field, becomes the error message,
    and what was typed goes back to the page with the errors (`carry_back`), where `carried` shows
    them beside the fields."""
    if not form.is_valid():
        carry_back(request, form.errors)
        messages.error(request, invalid or _first_error(form, form.errors))
        return False, None
    try:
        result = action(form.cleaned_data)
    except ApplicationError as error:
        errors = page_errors(form, error)
        carry_back(request, errors)
        messages.error(request, _first_error(form, errors))
        return False, None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def _first_error(form: forms.BaseForm, errors: Mapping[str, Sequence[Any]]) -> str:
    field, field_messages = next(iter(errors.items()))
    message = str(field_messages[0])
    if field in form.fields and form.fields[field].label:
        return _("%(field)s: %(error)s") % {"field": form.fields[field].label, "error": message}
    return message


_CARRIED = "zoneguard.carried_form"
CARRIED_SECONDS = 600  # a refusal met later, on another visit to the page, is not shown again


def carry_back(request: HttpRequest, errors: Mapping[str, Sequence[Any]]) -> None:
    """Keep what was posted to this action, and why it was refused, for the page the user returns
    to (once): a refused note or amount is not typed again. Files are not kept."""
    request.session[_CARRIED] = {
        "action": request.path,
        "at": time.time(),
        "data": {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"},
        "errors": {field: [str(message) for message in field_messages] for field, field_messages in errors.items()},
    }


F = TypeVar("F", bound=forms.BaseForm)


def carried(request: HttpRequest, form_class: type[F], action: str | tuple[str, ...], *args: Any, **kwargs: Any) -> F:
    """`form_class(*args, **kwargs)` for a small form that posts to the URL `action` (or to one of
    several, a button each); when that action has just refused it, the form holds what was typed,
    with the errors beside the fields."""
    actions = (action,) if isinstance(action, str) else action
    entry = request.session.get(_CARRIED)
    if not entry or entry.get("action") not in actions or time.time() - entry.get("at", 0) > CARRIED_SECONDS:
        return form_class(*args, **kwargs)
    del request.session[_CARRIED]
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    form = form_class(data, *args, **kwargs)
    form.full_clean()
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # the refusal's errors, the service's too
    for field, field_messages in entry["errors"].items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    return form


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
