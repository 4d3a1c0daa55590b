"""What every API router shares: input checks, the error body, paging, and the error handlers
(authentication is the accounts app's: accounts/auth.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from pydantic import AfterValidator, BaseModel, field_validator, model_validator

from .dates import day_in_range, day_range_message, moment_in_range, moment_range_message
from .errors import ApplicationError, InvalidInput, RateLimited

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

# Largest id the databases store (bigint): larger numbers are refused as input, not overflowed.
MAX_ID = 2**63 - 1


class ApiRequest(HttpRequest):
    """The request of an operation behind the API's authentication (accounts/auth.py): its user is
    a ZoneGuard user, a device token's acting as a device of its site."""

    user: User


def _check_text(value: Any) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(_("Text cannot contain NUL characters."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(_("Text contains characters that are not valid Unicode.")) from error
    elif isinstance(value, list):
        for item in value:
            _check_text(item)
    return value


def _day_in_range(value: date) -> date:
    if not day_in_range(value):
        raise ValueError(day_range_message())
    return value


def _moment_in_range(value: datetime) -> datetime:
    if not moment_in_range(value):
        raise ValueError(moment_range_message())
    return value


# Every date and time an input schema takes, in the calendar of core.dates: far ones are a 422.
DateIn = Annotated[date, AfterValidator(_day_in_range)]
DateTimeIn = Annotated[datetime, AfterValidator(_moment_in_range)]


class InSchema(Schema):
    """Base of every input schema: text that no database can store is refused with a 422."""

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return _check_text(value)


class LeanInSchema(BaseModel):
    """For inputs that arrive by the thousand (a gate's offline batch): plain pydantic, without
    ninja's per-object wrapper, and the same refusal of text no database can store, checked once
    per object rather than once per field."""

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for value in data.values():
                _check_text(value)
        return data


class ErrorOut(Schema):
    code: str = Field(..., description="Stable machine-readable code, e.g. `not_found`, `invalid`, `slot_full`.")
    message: str = Field(..., description="A sentence for people, in the language of the request.")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Field name → messages.")


# Every operation documents the client errors it can answer with, all in ErrorOut's shape:
# 400 malformed, 401 no or bad credentials, 403 refused, 404 absent or out of scope,
# 409 conflicts with the current state, 413 body over DATA_UPLOAD_MAX_MEMORY_SIZE,
# 422 invalid input, 429 locked out or rate-limited.
CLIENT_ERRORS = frozenset({400, 401, 403, 404, 409, 413, 422, 429})
ERRORS: dict[Any, type[Schema]] = {CLIENT_ERRORS: ErrorOut}


class Paging(PaginationBase):
    """`?limit=&offset=`, bounded so that no value reaches the database as an overflow."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=settings.API_MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=10_000_000)

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            ...,
            description=f"How many items the filters select: exact up to {settings.API_EXACT_COUNT_LIMIT:,}; "
            "a larger list is counted no further and says so in count_exact.",
        )
        count_exact: bool

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        offset, limit = pagination.offset, pagination.limit
        items = list(queryset[offset : offset + limit])
        if items and len(items) < limit:
            count = offset + len(items)  # the last page: nothing to count
        else:
            count = self._bounded_count(queryset, settings.API_EXACT_COUNT_LIMIT)
        exact = count <= settings.API_EXACT_COUNT_LIMIT
        return {"items": items, "count": min(count, settings.API_EXACT_COUNT_LIMIT), "count_exact": exact}

    @staticmethod
    def _bounded_count(queryset: Any, limit: int) -> int:
        """At most `limit` + 1: a count that stops where the answer is known to be large."""
        if isinstance(queryset, QuerySet):
            return queryset.order_by()[: limit + 1].count()
        return len(queryset)


def error_body(code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


# pydantic error types → messages people can read, in their language.
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("Ensure this value has at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("Ensure this value has at least %(min_length)s characters."),
    "too_long": gettext_lazy("Ensure this list has at most %(max_length)s items."),
    "too_short": gettext_lazy("Ensure this list has at least %(min_length)s items."),
    "string_pattern_mismatch": gettext_lazy("The value does not have the expected format."),
    "string_type": gettext_lazy("Enter text."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_max_places": gettext_lazy("Ensure that there are no more than %(decimal_places)s decimal places."),
    "decimal_max_digits": gettext_lazy("Ensure that there are no more than %(max_digits)s digits in total."),
    "greater_than": gettext_lazy("Ensure this value is greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Ensure this value is greater than or equal to %(ge)s."),
    "less_than": gettext_lazy("Ensure this value is less than %(lt)s."),
    "less_than_equal": gettext_lazy("Ensure this value is less than or equal to %(le)s."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "date_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "datetime_type": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "uuid_parsing": gettext_lazy("Enter a valid UUID."),
    "uuid_type": gettext_lazy("Enter a valid UUID."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "list_type": gettext_lazy("Send a list."),
    "extra_forbidden": gettext_lazy("This field is not allowed."),
}
FALLBACK_MESSAGE = gettext_lazy("This value is not valid.")


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload", "data", "filters")]
    return ".".join(parts) or "__all__"


def _message(error: dict[str, Any]) -> str:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        # Our own validators raise ValueError with a translated message: pass it through.
        if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
            return str(error["ctx"]["error"])
        return str(FALLBACK_MESSAGE)
    context = dict(error.get("ctx") or {})
    if "expected" in context:
        # pydantic says the choices in English ("'allow' or 'deny'"): the values alone, in any language.
        choices = re.findall(r"'([^']*)'", str(context["expected"]))
        context["expected"] = " / ".join(choices) if choices else context["expected"]
    try:
        return str(template) % context
    except (KeyError, TypeError, ValueError):
        return str(FALLBACK_MESSAGE)


def invalid_input(errors: Sequence[Any]) -> InvalidInput:
    """pydantic's errors as the API says them: field name → messages in the request's language,
    the first of them as the message."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_message(error))
    first = next(iter(fields.values()))[0] if fields else str(InvalidInput.default_message)
    return InvalidInput(first, errors=fields)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        error = invalid_input(exc.errors)
        return api.create_response(request, error_body(error.code, error.message, error.errors), status=422)

    @api.exception_handler(ApplicationError)
    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        response = api.create_response(request, error_body(exc.code, exc.message, exc.errors), status=exc.status)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(DjangoValidationError)
    def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        error = InvalidInput.from_validation_error(exc)
        return api.create_response(request, error_body(error.code, error.message, error.errors), status=422)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, error_body("unauthorized", _("Sign in or send a valid API token.")), status=401
        )

    @api.exception_handler(RequestDataTooBig)
    def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Left to Django, the API would answer its HTML 400 page; logged as Django logs it.
        logging.getLogger("django.security.RequestDataTooBig").warning(
            "%s", exc, extra={"status_code": 413, "request": request}
        )
        message = _("The request is too large: send at most %(size)s.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return api.create_response(request, error_body("too_large", message), status=413)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own refusals are worded in English: the body it could not read is said in the
        # caller's language (the others are a session's CSRF failure and the like).
        unreadable = exc.status_code == 400 and str(exc).startswith("Cannot parse request body")
        message = str(PYDANTIC_MESSAGES["json_invalid"]) if unreadable else str(exc)
        return api.create_response(request, error_body(f"http_{exc.status_code}", message), status=exc.status_code)
