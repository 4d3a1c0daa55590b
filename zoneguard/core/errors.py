"""Domain errors. Services raise these; the API handler and the page helpers translate them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models.constraints import BaseConstraint
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A rule of the domain refused the request. `code` is stable for machines, `message` is for people."""

    status = 400
    default_code = "error"
    default_message = _("The request could not be completed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.message = str(message) if message is not None else str(self.default_message)
        self.code = code or self.default_code
        self.errors = {field: [str(m) for m in msgs] for field, msgs in (errors or {}).items()}
        super().__init__(self.message)


class NotFound(ApplicationError):
    """Also used for objects outside the caller's scope: their existence is not disclosed."""

    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Forbidden(ApplicationError):
    status = 403
    default_code = "forbidden"
    default_message = _("You do not have permission to do this.")


class Conflict(ApplicationError):
    status = 409
    default_code = "conflict"
    default_message = _("The request conflicts with the current state.")


class RateLimited(ApplicationError):
    """Too many requests from one client or for one subject in the current window (ratelimit.py).
    `retry_after`: seconds until the window ends, for the Retry-After header."""

    status = 429
    default_code = "rate_limited"
    default_message = _("Too many requests in a short time. Please try again in a few minutes.")

    def __init__(self, message: str | None = None, *, code: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after

    @classmethod
    def until(cls, moment: datetime, *, retry_after: int) -> RateLimited:
        time = f"{timezone.localtime(moment):%H:%M}"
        return cls(
            gettext("Too many requests in a short time. Please try again after %(time)s.") % {"time": time},
            retry_after=retry_after,
        )


class InvalidInput(ApplicationError):
    status = 422
    default_code = "invalid"
    default_message = _("Some of the data is not valid.")

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> InvalidInput:
        if hasattr(error, "error_dict"):
            errors = {
                field: [_readable(message) for e in field_errors for message in e.messages]
                for field, field_errors in error.error_dict.items()
            }
        else:
            errors = {"__all__": [_readable(m) for m in error.messages]}
        first = next((msgs[0] for msgs in errors.values() if msgs), None)
        return cls(first, errors=errors)

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> InvalidInput:
        return cls(message, code=code, errors={field: [message]})


def _readable(message: str) -> str:
    """A database constraint without a message of its own says 'Constraint "name" is violated':
    a name for engineers. Users are told to check what they entered together."""
    template = str(BaseConstraint.default_violation_error_message)
    before, _sep, after = template.partition("%(name)s")
    if message.startswith(before) and message.endswith(after) and len(message) > len(template) - len("%(name)s"):
        return gettext("Some of the values entered do not fit together: please check them.")
    return str(message)
