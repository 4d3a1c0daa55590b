"""Reads of the supplies app, scoped by access.py: depots, items, stock with days of cover, the
ledger, requests in the priority table's order. Out-of-scope objects are "not found"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation
from zoneguard.reports.models import DailyReport

from . import access, cover, priorities
from .models import (
    Depot,
    EntryKind,
    Item,
    LedgerEntry,
    LedgerLine,
    PriorityRule,
    RequestStatus,
    StockLevel,
    SupplyRequest,
)
from .stock import ZERO


def item_list(*, actor: User, active_only: bool = False) -> QuerySet[Item]:
    if not access.reaches_supplies(actor):
        return Item.objects.none()
    items = Item.objects.all()
    return items.filter(is_active=True) if active_only else items


def item_access(*, actor: User, pk: int) -> Item:
    item = item_list(actor=actor).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def depot_list(*, actor: User) -> QuerySet[Depot]:
    return Depot.objects.filter(access.depot_q(actor)).select_related("organisation", "keeper").distinct()


def depot_access(*, actor: User, pk: int) -> Depot:
    depot = depot_list(actor=actor).filter(pk=pk).first()
    if depot is None:
        raise NotFound()
    return depot


@dataclass
class StockRow:
    depot: Depot
    item: Item
    quantity: Decimal
    threshold: Decimal | None
    issued_last_week: Decimal
    reported_use: Decimal
    days_of_cover: Decimal | None

    @property
    def depot_id(self) -> int:
        return self.depot.pk

    @property
    def item_id(self) -> int:
        return self.item.pk

    @property
    def low(self) -> bool:
        return self.threshold is not None and self.quantity < self.threshold


def stock_rows(*, actor: User, depot_id: int | None = None, item_id: int | None = None) -> list[StockRow]:
    """Stock per depot and item: the sum of the ledger, with the threshold and the days of cover
    (cover.py). Five queries, whatever the number of rows."""
    depots = depot_list(actor=actor)
    if depot_id is not None:
        depots = depots.filter(pk=depot_id)
    depot_by_id = {d.pk: d for d in depots}
    if not depot_by_id:
        return []
    lines = LedgerLine.objects.filter(depot_id__in=depot_by_id)
    levels = StockLevel.objects.filter(depot_id__in=depot_by_id)
    if item_id is not None:
        lines, levels = lines.filter(item_id=item_id), levels.filter(item_id=item_id)
    totals = {
        (r["depot_id"], r["item_id"]): r["total"]
        for r in lines.values("depot_id", "item_id").annotate(total=Sum("quantity")).order_by()
    }
    since = timezone.now() - timedelta(days=cover.WINDOW_DAYS)
    issued = {
        (r["depot_id"], r["item_id"]): -r["total"]
        for r in lines.filter(
            quantity__lt=0, created_at__gte=since, entry__kind__in=[EntryKind.ISSUE, EntryKind.TRANSFER]
        )
        .values("depot_id", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    thresholds = {(lv.depot_id, lv.item_id): lv.threshold for lv in levels}
    keys = set(totals) | {k for k, t in thresholds.items() if t is not None}
    items = {i.pk: i for i in Item.objects.filter(pk__in={k[1] for k in keys})}
    reported = _reported_mask_use({d.organisation_id for d in depot_by_id.values() if d.organisation_id})
    rows = []
    for key in keys:
        depot, item = depot_by_id[key[0]], items[key[1]]
        quantity = totals.get(key, ZERO)
        used = issued.get(key, ZERO)
        from_reports = (
            Decimal(reported.get(depot.organisation_id, 0)) if item.is_mask and depot.organisation_id else ZERO
        )
        rows.append(
            StockRow(
                depot=depot,
                item=item,
                quantity=quantity,
                threshold=thresholds.get(key),
                issued_last_week=used,
                reported_use=from_reports,
                days_of_cover=cover.days_of_cover(stock=quantity, issued=used, reported=from_reports),
            )
        )
    rows.sort(key=lambda r: (r.depot.kind, r.depot.name, r.item.category, r.item.name))
    return rows


def _reported_mask_use(organisation_ids: set[int | None]) -> dict[int, int]:
    """Masks each organisation used over the window according to its daily reports (cover.py).
    Read from the reports' own table: a count the reports app publishes for every reader."""
    if not organisation_ids:
        return {}
    today = timezone.localdate()
    levels: dict[int, list[Any]] = defaultdict(list)
    for organisation_id, day, masks in DailyReport.objects.filter(
        organisation_id__in=organisation_ids, day__gte=today - timedelta(days=cover.WINDOW_DAYS), day__lte=today
    ).values_list("organisation_id", "day", "masks_in_stock"):
        levels[organisation_id].append((day, masks))
    return {org: cover.reported_use(days) for org, days in levels.items()}


def ledger_list(*, actor: User, depot_id: int | None = None, item_id: int | None = None) -> QuerySet[LedgerEntry]:
    scope = access.depot_q(actor, "depot") | access.depot_q(actor, "to_depot")
    entries = LedgerEntry.objects.filter(scope) if scope != scoping.NOTHING else LedgerEntry.objects.none()
    if depot_id is not None:
        entries = entries.filter(Q(depot_id=depot_id) | Q(to_depot_id=depot_id))
    if item_id is not None:
        entries = entries.filter(item_id=item_id)
    return entries.select_related("item", "depot", "to_depot", "recipient_organisation", "created_by").distinct()


def ledger_entry_access(*, actor: User, pk: int) -> LedgerEntry:
    entry = ledger_list(actor=actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def request_list(*, actor: User, status: str | None = None) -> QuerySet[SupplyRequest]:
    requests = SupplyRequest.objects.filter(
        pk__in=SupplyRequest.objects.filter(access.request_q(actor)).values("pk")
    ).select_related("organisation", "organisation__sector")
    if status:
        requests = requests.filter(status=status)
    return requests


def request_access(*, actor: User, pk: int) -> SupplyRequest:
    request = (
        request_list(actor=actor)
        .prefetch_related("lines__item", "allocations__depot", "allocations__line__item")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def keeper_choices(*, actor: User, organisation: Organisation | None = None) -> QuerySet[User]:
    """Who may keep a depot the actor opens (for `organisation`): for those who run supplies any
    active person with an account but a gate device; for an organisation admin the active accounts
    of the organisations they run (access.keeper_q); nobody for anyone else."""
    return User.objects.filter(access.keeper_q(actor, organisation)).order_by("full_name", "username")


def priority_rule_list(*, actor: User) -> QuerySet[PriorityRule]:
    """The table as those who run supplies read it (the commander edits it)."""
    if not access.runs_supplies(actor):
        return PriorityRule.objects.none()
    return PriorityRule.objects.select_related("sector")


def priority_rules() -> list[priorities.Rule]:
    return [
        priorities.Rule(
            rank=rule.rank,
            organisation_kind=rule.organisation_kind,
            sector_code=rule.sector.code if rule.sector else "",
            workers_on_site=rule.workers_on_site,
        )
        for rule in PriorityRule.objects.select_related("sector")
    ]


def request_queue(*, actor: User, status: str | None = None) -> list[SupplyRequest]:
    """The requests in serving order (priorities.py), each with its `priority` rank."""
    requests = list(request_list(actor=actor, status=status).prefetch_related("lines__item"))
    on_site = _workers_on_site({r.organisation_id for r in requests})
    candidates = {
        r.pk: priorities.Candidate(
            key=r.pk,
            organisation_kind=r.organisation.kind,
            sector_code=r.organisation.sector.code if r.organisation.sector else "",
            workers_on_site=r.organisation_id in on_site,
            needed_by=r.needed_by,
            created_at=r.created_at,
        )
        for r in requests
    }
    by_pk = {r.pk: r for r in requests}
    ordered = []
    for candidate, rank in priorities.order_requests(list(candidates.values()), priority_rules()):
        request = by_pk[candidate.key]
        request.priority = rank if rank != priorities.UNRANKED else None
        ordered.append(request)
    return ordered


def _workers_on_site(organisation_ids: set[int]) -> set[int]:
    """Organisations whose latest daily report, of the last week, has staff on duty."""
    since = timezone.localdate() - timedelta(days=cover.WINDOW_DAYS)
    latest: dict[int, tuple[Any, int]] = {}
    for organisation_id, day, staff in DailyReport.objects.filter(
        organisation_id__in=organisation_ids, day__gte=since
    ).values_list("organisation_id", "day", "staff_on_duty"):
        if organisation_id not in latest or latest[organisation_id][0] < day:
            latest[organisation_id] = (day, staff)
    return {org for org, (_day, staff) in latest.items() if staff > 0}


def open_request_count(*, actor: User) -> int:
    if not access.runs_supplies(actor):
        return 0
    return SupplyRequest.objects.filter(status=RequestStatus.PENDING).count()


def low_stock_count(*, actor: User) -> int:
    return sum(1 for row in stock_rows(actor=actor) if row.low)
