"""What the list selectors share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def filter_given(qs: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """`qs` narrowed by each lookup whose value was given: a list's optional filters, where None or
    an empty string means "any" (False is a value: `is_active=False` lists the inactive)."""
    given = {lookup: value for lookup, value in lookups.items() if value is not None and value != ""}
    return qs.filter(**given) if given else qs
