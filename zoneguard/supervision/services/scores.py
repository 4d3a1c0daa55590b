"""Writes of scoring: the commander edits the scheme and closes a month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.core.roles import is_commander

from .. import deadlines, selectors
from ..models import AssessmentScheme, ClosedMonth, MonthScore, TaskKind
from .common import audit, require, validate

SCHEME_FIELDS = ("name", "base", "per_overdue_day", "item_cap", "early_bonus", "monthly_bonus_cap", "floor")
MAX_WEIGHT = Decimal("10")


def _weights(weights: dict[str, Any]) -> dict[str, str]:
    cleaned = {}
    for kind, value in weights.items():
        if kind not in TaskKind.values:
            raise InvalidInput.for_field("weights", _("Unknown task kind: %(kind)s.") % {"kind": kind})
        try:
            weight = Decimal(str(value))
        except InvalidOperation as error:
            raise InvalidInput.for_field("weights", _("A weight is a number from 0 to 10.")) from error
        if (
            not weight.is_finite()
            or not Decimal(0) <= weight <= MAX_WEIGHT
            or weight != weight.quantize(Decimal("0.01"))
        ):
            raise InvalidInput.for_field("weights", _("A weight is a number from 0 to 10."))
        cleaned[kind] = str(weight.quantize(Decimal("0.01")))
    return cleaned


@transaction.atomic
def scheme_save(*, actor: User, weights: dict[str, Any], **values: Any) -> AssessmentScheme:
    """The commander edits the active scheme (one is created the first time). Closed months keep
    the scheme they were closed with."""
    require(is_commander(actor))
    unknown = set(values) - set(SCHEME_FIELDS)
    if unknown:
        raise InvalidInput.for_field(sorted(unknown)[0], _("This field cannot be changed here."))
    scheme = AssessmentScheme.objects.select_for_update().filter(is_active=True).first() or AssessmentScheme(
        name=_("Assessment scheme"), is_active=True
    )
    created = scheme.pk is None
    for name, value in values.items():
        setattr(scheme, name, value.strip() if isinstance(value, str) else value)
    scheme.weights = _weights(weights)
    scheme.updated_by = actor
    validate(scheme)
    if scheme.floor > scheme.base:
        raise InvalidInput.for_field("floor", _("The lowest score cannot be above the base points."))
    scheme.save()
    audit(actor, scheme, "create" if created else "update", **selectors.scheme_snapshot(scheme))
    return scheme


@transaction.atomic
def month_close(*, actor: User, month: date) -> ClosedMonth:
    """Freeze the month's scores as they stand: stored with their lines and the scheme applied.
    Only a month that is over, and only once."""
    require(is_commander(actor))
    month = month.replace(day=1)
    _first, last = deadlines.month_bounds(month)
    today = timezone.localdate()
    if today <= last:
        raise Conflict(_("A month can be closed once it is over."), code="month_not_over")
    if ClosedMonth.objects.filter(month=month).exists():
        raise Conflict(_("This month is already closed."), code="month_closed")
    scheme = selectors.active_scheme()
    if scheme is None:
        raise Conflict(_("Set up the assessment scheme first."), code="no_scheme")
    result = selectors.month_scores(actor=actor, month=month, today=today)
    try:
        with transaction.atomic():
            closed = ClosedMonth.objects.create(month=month, scheme=selectors.scheme_snapshot(scheme), closed_by=actor)
    except IntegrityError as error:
        raise Conflict(_("This month is already closed."), code="month_closed") from error
    MonthScore.objects.bulk_create(
        [
            MonthScore(
                closed_month=closed,
                department=row.department,
                total=row.total,
                rank=row.rank,
                items=row.items,
                overdue=row.overdue,
                done=row.done,
                lines=row.lines,
            )
            for row in result.rows
        ],
        batch_size=200,
    )
    audit(actor, closed, "create", departments=len(result.rows))
    return closed
