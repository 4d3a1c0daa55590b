"""Helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .errors import Conflict, InvalidInput

M = TypeVar("M", bound=models.Model)


def validate(instance: models.Model, *, exclude: Iterable[str] = (), constraints: bool = True) -> None:
    """Run model validation (field checks, uniqueness and, with `constraints`, the Meta
    constraints); failures become InvalidInput with field messages in the user's language.
    Without `constraints`, a service that locked the rows it checks lets the database enforce
    them instead of querying for each one."""
    try:
        instance.full_clean(exclude=list(exclude) or None, validate_constraints=constraints)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error


def validate_and_save(instance: M, *, exclude: Iterable[str] | None = None) -> M:
    """Run model validation (field checks, constraints, uniqueness) and save.

    Validation failures become InvalidInput with field messages in the user's language; a
    uniqueness race lost to a concurrent writer becomes Conflict. Call inside a transaction."""
    validate(instance, exclude=exclude or ())
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Conflict(code="integrity") from error
    return instance


def apply_fields(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Set the allowed fields present in `data`; returns the values that were there before."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput.for_field(sorted(unknown)[0], _("This field cannot be changed here."), code="read_only")
    before = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        attname = field.attname if isinstance(field, models.Field) else name
        before[name] = getattr(instance, attname)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is None and isinstance(field, (models.CharField, models.TextField)) and not field.null:
            value = ""  # "no value" for text stored NOT NULL, as Django forms do
        setattr(instance, attname, value)
    return before
