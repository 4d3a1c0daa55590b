"""Reads of enterprise requests, always through access.ticket_q."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.core.roles import is_commander
from zoneguard.registry.models import Department

from . import access, figures, lifecycle
from .models import RoutingRule, Ticket, TicketAttachment, TicketEvent, TimeLimit, Urgency

# Open requests first, the most urgent deadline on top; done ones after, newest first.
_OPEN_FIRST = Case(
    When(status__in=sorted(lifecycle.OPEN), then=Value(0)), default=Value(1), output_field=IntegerField()
)


def _listed(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("organisation", "department")


def ticket_list(
    *,
    actor: User,
    status: str = "",
    category: str = "",
    urgency: str = "",
    department_id: int | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Ticket]:
    qs = _listed(Ticket.objects.filter(access.ticket_q(actor)))
    qs = filter_given(
        qs,
        status=status,
        category=category,
        urgency=urgency,
        department_id=department_id,
        organisation_id=organisation_id,
    )
    return qs.order_by(_OPEN_FIRST, "resolve_due", "-filed_at", "-id")


def ticket_access(*, actor: User, pk: int) -> Ticket:
    ticket = (
        _listed(Ticket.objects.filter(access.ticket_q(actor), pk=pk))
        .prefetch_related(
            Prefetch("attachments", queryset=TicketAttachment.objects.order_by("uploaded_at", "id")),
            Prefetch("events", queryset=TicketEvent.objects.select_related("department").order_by("at", "id")),
        )
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


def attachment_access(*, actor: User, pk: int, attachment_pk: int) -> TicketAttachment:
    attachment = (
        TicketAttachment.objects.filter(pk=attachment_pk, ticket_id=pk)
        .filter(ticket__in=Ticket.objects.filter(access.ticket_q(actor)))
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment


def figure_departments(actor: User) -> QuerySet[Department]:
    if is_commander(actor):
        return Department.objects.order_by("name", "id")
    if access.sees_figures(actor) and actor.department_id is not None:
        return Department.objects.filter(pk=actor.department_id)
    return Department.objects.none()


def department_figures(*, actor: User, start: datetime, end: datetime, now: datetime) -> list[tuple[Any, Any]]:
    """(department, figures) for each department the actor may see, over requests filed in [start,
    end); overdue counts whatever their filing date."""
    departments = list(figure_departments(actor))
    if not departments:
        return []
    rows = [
        figures.Row(*values)
        for values in Ticket.objects.filter(department__in=departments).values_list(
            "department_id",
            "status",
            "filed_at",
            "accept_due",
            "resolve_due",
            "first_accepted_at",
            "resolved_at",
            "reopen_count",
            "rating",
        )
    ]
    result = figures.department_figures(rows, start=start, end=end, now=now)
    return [(d, result.get(d.pk) or figures.Figures(d.pk)) for d in departments]


def routing_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("sector", "department").order_by("category", "sector__name", "id")


def time_limits() -> QuerySet[TimeLimit]:
    return TimeLimit.objects.order_by("category", "urgency")


def pass_on_departments(ticket: Ticket) -> QuerySet[Department]:
    others = Department.objects.order_by("name", "id")
    return others.exclude(pk=ticket.department_id) if ticket.department_id is not None else others


def routing_rule(pk: int) -> RoutingRule:
    rule = RoutingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    return rule


def default_limits() -> list[tuple[Any, Any]]:
    """(urgency label, limits) the zone falls back on where it set none."""
    labels = dict(Urgency.choices)
    return [(labels[urgency], limits) for urgency, limits in lifecycle.DEFAULT_LIMITS.items()]


def department_heads() -> list[tuple[Department, Any]]:
    """Every department with the head its requests' escalations go to (None: all its officers)."""
    return [(d, d.head) for d in Department.objects.select_related("head").order_by("name", "id")]
