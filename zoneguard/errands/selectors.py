"""Reads of errands, always through access.errand_q (or the resident's own case)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.isolation.models import IsolationCase

from . import access, lifecycle
from .models import Errand, ErrandLine, ErrandStatus

# Pending errands first, the oldest on top: they age visibly; done ones after, newest first.
_PENDING_FIRST = Case(
    When(status__in=sorted(lifecycle.PENDING), then=Value(0)), default=Value(1), output_field=IntegerField()
)


def _with_lines(qs: QuerySet[Errand]) -> QuerySet[Errand]:
    return qs.select_related("case", "case__person", "community", "volunteer").prefetch_related(
        Prefetch("lines", queryset=ErrandLine.objects.order_by("id"))
    )


# Delivered (the resident may have confirmed) and the volunteer not yet paid back: what the
# community still owes, a filter of the list of its own.
UNPAID = "unpaid"
UNPAID_STATUSES = (ErrandStatus.DELIVERED, ErrandStatus.RECEIVED)


def errand_list(
    *, actor: User, status: str = "", community_id: int | None = None, case_id: int | None = None
) -> QuerySet[Errand]:
    qs = _with_lines(Errand.objects.filter(access.errand_q(actor)))
    if status == UNPAID:
        qs, status = qs.filter(status__in=UNPAID_STATUSES), ""
    qs = filter_given(qs, status=status, community_id=community_id, case_id=case_id)
    return qs.order_by(_PENDING_FIRST, "requested_at", "id")


def errand_access(*, actor: User, pk: int) -> Errand:
    errand = _with_lines(Errand.objects.filter(access.errand_q(actor), pk=pk)).first()
    if errand is None:
        raise NotFound()
    return errand


def offered_to(volunteer: Any) -> QuerySet[Errand]:
    return _with_lines(Errand.objects.filter(status=ErrandStatus.OPEN, community_id=volunteer.community_id)).order_by(
        "requested_at", "id"
    )


def assigned_to(volunteer: Any) -> QuerySet[Errand]:
    """The volunteer's errands still to run or to be paid back."""
    return _with_lines(
        Errand.objects.filter(
            volunteer=volunteer, status__in=[ErrandStatus.ACCEPTED, ErrandStatus.DELIVERED, ErrandStatus.RECEIVED]
        )
    ).order_by("accepted_at", "id")


def resident_errands(case: IsolationCase) -> QuerySet[Errand]:
    return _with_lines(Errand.objects.filter(case=case)).order_by(_PENDING_FIRST, "-requested_at", "-id")


def resident_errand(case: IsolationCase, pk: int) -> Errand:
    errand = Errand.objects.filter(case=case, pk=pk).first()
    if errand is None:
        raise NotFound()
    return errand
