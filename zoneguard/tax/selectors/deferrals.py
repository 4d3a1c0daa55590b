"""Reads of payment deferrals: lists in scope, and the exact summary by tax type."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given

from .. import access
from ..models import Deferral, DeferralEvidence, DeferralItem, DeferralStatus, TaxType


def deferral_list(
    *, actor: User, status: str = "", organisation_id: int | None = None, search: str = ""
) -> QuerySet[Deferral]:
    """Applications of the taxpayers in the actor's scope (an enterprise: its own)."""
    qs = (
        Deferral.objects.filter(access.taxpayer_q(actor))
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "items", queryset=DeferralItem.objects.select_related("tax_type").order_by("tax_type__order", "id")
            ),
            "evidence",
        )
    )
    qs = filter_given(qs, status=status, organisation_id=organisation_id)
    if search.strip():
        qs = qs.filter(organisation__name__icontains=search.strip())
    return qs.order_by("-created_at", "-id")


def deferral_access(*, actor: User, pk: int) -> Deferral:
    deferral = deferral_list(actor=actor).filter(pk=pk).first()
    if deferral is None:
        raise NotFound()
    return deferral


def deferral_items(deferral: Deferral) -> list[DeferralItem]:
    """The application's taxes in tax type order (prefetched by deferral_list and deferral_access)."""
    return sorted(deferral.items.all(), key=lambda item: (item.tax_type.order, item.tax_type.name, item.pk))


def evidence_access(*, actor: User, pk: int) -> DeferralEvidence:
    evidence = DeferralEvidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise NotFound()
    deferral_access(actor=actor, pk=evidence.deferral_id)
    return evidence


@dataclass
class TaxTypeTotal:
    code: str
    name: str
    total: Decimal = Decimal("0.00")
    count: int = 0


@dataclass
class DeferralSummary:
    date_from: date | None
    date_to: date | None
    enterprises: int = 0
    deferrals: int = 0
    total: Decimal = Decimal("0.00")
    by_tax_type: list[TaxTypeTotal] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


def deferral_summary(*, actor: User, date_from: date | None = None, date_to: date | None = None) -> DeferralSummary:
    """Approved deferrals decided in [date_from, date_to] (local dates, either end open): the
    number of enterprises, and the granted amounts by tax type and overall.

    Added up in Python from the stored decimals, so the totals are exact on SQLite too (whose
    SUM works in floating point)."""
    access.require_user(actor)
    qs = _approved(actor=actor, date_from=date_from, date_to=date_to)
    summary = DeferralSummary(date_from=date_from, date_to=date_to)
    types = {t.pk: TaxTypeTotal(code=t.code, name=t.name) for t in TaxType.objects.order_by("order", "name")}
    per_deferral: dict[int, dict[int, Decimal]] = defaultdict(dict)
    items = DeferralItem.objects.filter(deferral__in=qs).values_list("deferral_id", "tax_type_id", "approved_amount")
    for deferral_id, tax_type_id, amount in items:
        granted = amount or Decimal("0.00")
        per_deferral[deferral_id][tax_type_id] = granted
        if granted:
            types[tax_type_id].total += granted
            types[tax_type_id].count += 1
    enterprises = set()
    for deferral in qs.order_by("decided_at", "id"):
        enterprises.add(deferral.organisation_id)
        summary.deferrals += 1
        summary.total += deferral.approved_total or Decimal("0.00")
        summary.rows.append({"deferral": deferral, "amounts": per_deferral.get(deferral.pk, {})})
    summary.enterprises = len(enterprises)
    summary.by_tax_type = [t for t in types.values() if t.count]
    return summary


def deferral_totals(*, actor: User, date_from: date | None = None, date_to: date | None = None) -> list[TaxTypeTotal]:
    """`deferral_summary(…).by_tax_type` alone, without loading the deferrals: two queries. Added
    up in Python from the stored decimals, exact to the fen."""
    access.require_user(actor)
    types = {t.pk: TaxTypeTotal(code=t.code, name=t.name) for t in TaxType.objects.order_by("order", "name")}
    items = DeferralItem.objects.filter(
        deferral__in=_approved(actor=actor, date_from=date_from, date_to=date_to).values("pk"),
        approved_amount__gt=0,
    ).values_list("tax_type_id", "approved_amount")
    for tax_type_id, amount in items:
        types[tax_type_id].total += amount
        types[tax_type_id].count += 1
    return [t for t in types.values() if t.count]


def _approved(*, actor: User, date_from: date | None, date_to: date | None) -> QuerySet[Deferral]:
    """Approved deferrals of the actor's taxpayers decided in [date_from, date_to] (local dates)."""
    qs = deferral_list(actor=actor, status=DeferralStatus.APPROVED)
    if date_from:
        qs = qs.filter(decided_at__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to:
        qs = qs.filter(decided_at__lt=timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min)))
    return qs
