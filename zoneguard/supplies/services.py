"""Writes of the supplies app: items, depots, thresholds, ledger posts, requests and their
transitions, the priority table. Every stock movement goes through stock.py's locks; every write
is one transaction with its audit row."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.dates import check_planned
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.roles import Role, is_commander
from zoneguard.core.services import validate
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation, Sector

from . import access, stock
from .models import (
    MAX_QUANTITY,
    Allocation,
    Depot,
    DepotKind,
    EntryKind,
    Item,
    LedgerEntry,
    LedgerLine,
    PriorityRule,
    ReceiptSource,
    RequestLine,
    RequestStatus,
    StockLevel,
    SupplyRequest,
)

MAX_LINES = 20


def _audit(actor: User | None, obj: Any, action: str, *, created: bool = False, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        organisation_id=getattr(obj, "audit_organisation_id", None),
        detail={"action": action, **{k: str(v) if isinstance(v, Decimal) else v for k, v in detail.items()}},
    )


def _require_runs_supplies(actor: User) -> None:
    if not access.runs_supplies(actor):
        raise NotFound()


def _runs_depot(actor: User, depot: Depot) -> bool:
    return Depot.objects.filter(access.depot_q(actor), pk=depot.pk).exists()


def _quantity(value: Decimal, field: str = "quantity", *, signed: bool = False, item: Item | None = None) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_QUANTITY or value != value.quantize(Decimal("0.01")):
        raise InvalidInput.for_field(field, _("Enter a quantity with at most two decimals."))
    if value == 0 or (value < 0 and not signed):
        raise InvalidInput.for_field(field, _("Enter a quantity above zero."))
    if item is not None and item.counted_in_pieces and value != value.to_integral_value():
        raise InvalidInput.for_field(
            field, _("%(item)s is counted in whole %(unit)s.") % {"item": item.name, "unit": item.unit}
        )
    return value


# Items and depots


@transaction.atomic
def item_create(*, actor: User, name: str, category: str, unit: str) -> Item:
    _require_runs_supplies(actor)
    item = Item(name=name.strip(), category=category, unit=unit.strip())
    validate(item, constraints=False)
    item.save()
    _audit(actor, item, "item_create", created=True, name=item.name)
    return item


@transaction.atomic
def item_set_active(*, actor: User, item: Item, active: bool) -> Item:
    """A withdrawn item keeps its ledger and stock but is offered in no new post or request."""
    _require_runs_supplies(actor)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.is_active != active:
        item.is_active = active
        item.save(update_fields=["is_active", "updated_at"])
        _audit(actor, item, "item_activate" if active else "item_withdraw", name=item.name)
    return item


def keeper_refused(actor: User) -> InvalidInput:
    """The refusal of a keeper the actor may not choose, in the same words whether the account
    exists elsewhere or not at all."""
    if access.runs_supplies(actor):
        return InvalidInput.for_field("keeper_id", _("Choose an active user as keeper."))
    return InvalidInput.for_field(
        "keeper_id", _("Choose an active account of the depot's organisation, its parent or its subsidiaries.")
    )


@transaction.atomic
def depot_create(
    *,
    actor: User,
    name: str,
    kind: str,
    organisation: Organisation | None = None,
    keeper: User | None = None,
    address: str = "",
) -> Depot:
    """Those who run supplies open any depot, kept by any active person but a device; an
    organisation admin a store of an organisation they run (their own or a subsidiary's), kept by an
    active account of that organisation, its parent or its subsidiaries (access.keeper_q)."""
    if not access.may_open_depot(actor, organisation):
        raise NotFound()
    if kind != DepotKind.ENTERPRISE and not access.runs_supplies(actor):
        # The zone's and the communities' depots are opened by those who run the zone's supplies.
        raise InvalidInput.for_field("kind", _("An organisation opens its own store."))
    if keeper is not None and not User.objects.filter(access.keeper_q(actor, organisation), pk=keeper.pk).exists():
        raise keeper_refused(actor)
    depot = Depot(name=name.strip(), kind=kind, organisation=organisation, keeper=keeper, address=address.strip())
    validate(depot, constraints=False)
    depot.save()
    _audit(actor, depot, "depot_create", created=True, name=depot.name)
    return depot


@transaction.atomic
def threshold_set(*, actor: User, depot: Depot, item: Item, threshold: Decimal | None) -> StockLevel:
    if not _runs_depot(actor, depot):
        raise NotFound()
    if threshold is not None and (threshold < 0 or threshold > MAX_QUANTITY):
        raise InvalidInput.for_field("threshold", _("Enter a quantity of zero or more."))
    level = stock.locked_levels([(depot.pk, item.pk)])[(depot.pk, item.pk)]
    level.threshold = threshold
    level.below_threshold = False
    level.save(update_fields=["threshold", "below_threshold"])
    stock.after_write([level], depots={depot.pk: depot}, items={item.pk: item})
    _audit(actor, depot, "threshold_set", item=item.name, threshold=threshold)
    return level


# The ledger


@dataclass(frozen=True)
class Post:
    """One ledger post as asked: what `ledger_post` checks and writes."""

    kind: str
    item: Item
    quantity: Decimal
    depot: Depot
    to_depot: Depot | None = None
    source: str = ""
    donor: str = ""
    recipient_organisation: Organisation | None = None
    recipient_name: str = ""
    reason: str = ""
    note: str = ""


def _check_post(actor: User, post: Post) -> None:
    if not _runs_depot(actor, post.depot):
        raise NotFound()
    _quantity(post.quantity, signed=post.kind == EntryKind.ADJUSTMENT, item=post.item)
    if post.kind == EntryKind.RECEIPT:
        if post.source not in ReceiptSource.values:
            raise InvalidInput.for_field("source", _("Say whether it was bought or donated."))
        if post.source == ReceiptSource.DONATION and not post.donor.strip():
            raise InvalidInput.for_field("donor", _("Name the donor."))
    elif post.kind == EntryKind.TRANSFER:
        if post.to_depot is None or post.to_depot.pk == post.depot.pk:
            raise InvalidInput.for_field("to_depot_id", _("Choose another depot to transfer to."))
    elif post.kind == EntryKind.ISSUE:
        if post.recipient_organisation is None and not post.recipient_name.strip():
            raise InvalidInput.for_field("recipient_name", _("Say to which organisation or person it was issued."))
    elif post.kind == EntryKind.ADJUSTMENT:
        if not post.reason.strip():
            raise InvalidInput.for_field("reason", _("Say why the count differs."))
    else:
        raise InvalidInput.for_field("kind", _("Choose receipt, transfer, issue or adjustment."))


def _lines(post: Post) -> list[tuple[Depot, Decimal]]:
    if post.kind == EntryKind.RECEIPT:
        return [(post.depot, post.quantity)]
    if post.kind == EntryKind.TRANSFER:
        assert post.to_depot is not None
        return [(post.depot, -post.quantity), (post.to_depot, post.quantity)]
    if post.kind == EntryKind.ISSUE:
        return [(post.depot, -post.quantity)]
    return [(post.depot, post.quantity)]


def _write(actor: User | None, post: Post, client_id: uuid.UUID | None, *, reserved: Decimal) -> LedgerEntry:
    """Under the locks: check the stock, write the entry and its lines."""
    lines = _lines(post)
    for depot, delta in lines:
        if delta < 0:
            stock.require(depot=depot, item=post.item, quantity=-delta, reserved=reserved)
    entry = LedgerEntry(
        kind=post.kind,
        item=post.item,
        quantity=post.quantity,
        depot=post.depot,
        to_depot=post.to_depot,
        source=post.source if post.kind == EntryKind.RECEIPT else "",
        donor=post.donor.strip() if post.kind == EntryKind.RECEIPT else "",
        recipient_organisation=post.recipient_organisation if post.kind == EntryKind.ISSUE else None,
        recipient_name=post.recipient_name.strip() if post.kind == EntryKind.ISSUE else "",
        reason=post.reason.strip(),
        note=post.note.strip(),
        client_id=client_id,
        created_by=actor,
    )
    validate(entry, exclude=["client_id"], constraints=False)
    entry.save()
    LedgerLine.objects.bulk_create(
        [LedgerLine(entry=entry, depot=depot, item=post.item, quantity=delta) for depot, delta in lines], batch_size=2
    )
    return entry


def _reserved(depot_id: int, item_id: int) -> Decimal:
    """Allocated from the depot and not yet handed over: not to be issued to someone else."""
    total = Allocation.objects.filter(
        depot_id=depot_id, line__item_id=item_id, entry__isnull=True, request__status=RequestStatus.ALLOCATED
    ).aggregate(total=Sum("quantity"))["total"]
    return total or stock.ZERO


def ledger_post(*, actor: User, post: Post, client_id: uuid.UUID | None = None) -> LedgerEntry:
    """Post a receipt, transfer, issue or adjustment. Refused with a 409 (InsufficientStock, with
    the quantity available) when it would take a depot below zero or into what is allocated to a
    request; nothing is written then. The same `client_id` twice answers the first entry."""
    try:
        return _ledger_post(actor=actor, post=post, client_id=client_id)
    except IntegrityError:
        # Two posts with one client_id at the same moment: the second answers the first's entry.
        if client_id is not None:
            existing = LedgerEntry.objects.filter(client_id=client_id).first()
            if existing is not None:
                return _same_post(actor, existing, post)
        raise


def _same_post(actor: User, existing: LedgerEntry, post: Post) -> LedgerEntry:
    if (
        existing.created_by_id != actor.pk
        or existing.kind != post.kind
        or existing.depot_id != post.depot.pk
        or existing.item_id != post.item.pk
        or existing.quantity != post.quantity
    ):
        raise Conflict(_("This key was used for another ledger entry."), code="client_id_reused")
    return existing


@transaction.atomic
def _ledger_post(*, actor: User, post: Post, client_id: uuid.UUID | None) -> LedgerEntry:
    if client_id is not None:
        existing = LedgerEntry.objects.filter(client_id=client_id).first()
        if existing is not None:
            return _same_post(actor, existing, post)
    _check_post(actor, post)
    if post.kind == EntryKind.TRANSFER and post.to_depot is not None and not _runs_depot(actor, post.to_depot):
        raise NotFound()  # a keeper or an admin transfers between the depots they run
    pairs = [(depot.pk, post.item.pk) for depot, _delta in _lines(post)]
    levels = stock.locked_levels(pairs)
    if client_id is not None:
        # Looked again under the lock: a concurrent post with this key may have committed meanwhile.
        existing = LedgerEntry.objects.filter(client_id=client_id).first()
        if existing is not None:
            return _same_post(actor, existing, post)
    # What is allocated to requests is not to be issued or moved elsewhere; a count, though, is the
    # truth of the shelf and is recorded whatever was allocated (never below zero all the same).
    held = post.kind in (EntryKind.ISSUE, EntryKind.TRANSFER)
    reserved = _reserved(post.depot.pk, post.item.pk) if held else stock.ZERO
    entry = _write(actor, post, client_id, reserved=reserved)
    depots = {d.pk: d for d, _delta in _lines(post)}
    stock.after_write(list(levels.values()), depots=depots, items={post.item.pk: post.item})
    _audit(actor, entry, post.kind, created=True, item=post.item.name, quantity=post.quantity, depot=post.depot.name)
    return entry


# Requests


@transaction.atomic
def request_create(
    *,
    actor: User,
    organisation: Organisation,
    needed_by: Any,
    reason: str,
    lines: Sequence[Mapping[str, Any]],
    client_id: uuid.UUID | None = None,
) -> SupplyRequest:
    """An organisation asks for supplies ("2,000 KN95 by Friday"). The officers who run supplies
    are told. The same `client_id` twice answers the first request."""
    if client_id is not None:
        existing = SupplyRequest.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.organisation_id != organisation.pk or existing.requested_by_id != actor.pk:
                raise Conflict(_("This key was used for another request."), code="client_id_reused")
            return existing
    if not access.may_request_for(actor, organisation.pk):
        raise NotFound()
    if not lines:
        raise InvalidInput.for_field("lines", _("Say what is needed: at least one item."), code="required")
    if len(lines) > MAX_LINES:
        raise InvalidInput.for_field("lines", _("At most %(max)d items a request.") % {"max": MAX_LINES})
    if needed_by < timezone.localdate():
        raise InvalidInput.for_field("needed_by", _("The date needed by cannot be in the past."))
    check_planned(needed_by, "needed_by")
    request = SupplyRequest(
        organisation=organisation,
        needed_by=needed_by,
        reason=reason.strip(),
        client_id=client_id,
        requested_by=actor,
    )
    validate(request, exclude=["client_id"], constraints=False)
    request.save()
    entries, seen = [], set()
    for line in lines:
        item = line["item"]
        if item.pk in seen:
            raise InvalidInput.for_field("lines", _("Name each item once."))
        seen.add(item.pk)
        entry = RequestLine(request=request, item=item, quantity=_quantity(Decimal(line["quantity"]), item=item))
        entries.append(entry)
    RequestLine.objects.bulk_create(entries, batch_size=MAX_LINES)
    _audit(actor, request, "request", created=True, lines=len(entries))
    notify(
        recipients=_supplies_officers(),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Supplies requested by %(organisation)s"),
        body=gettext_lazy("Needed by %(day)s."),
        params={"organisation": organisation.name, "day": needed_by.isoformat()},
        link=f"/supplies/requests/{request.pk}/",
        source=request,
    )
    return request


def _supplies_officers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.DEPARTMENT_OFFICER, department__supplies_duty__is_active=True
        ).order_by("id")
    )


def _locked_request(request: SupplyRequest) -> SupplyRequest:
    return SupplyRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)


def _conflict_status(request: SupplyRequest) -> Conflict:
    return Conflict(
        _("Not possible while the request is %(status)s.") % {"status": request.get_status_display()},
        code="invalid_transition",
    )


@transaction.atomic
def request_allocate(
    *, actor: User, request: SupplyRequest, allocations: Sequence[Mapping[str, Any]]
) -> list[Allocation]:
    """Allocate part or all of a request's lines from one or more depots: `allocations` are
    {"item": Item, "depot": Depot, "quantity": Decimal}. Each is checked against the depot's stock
    less what is already allocated from it (409 with what is available); none is written unless
    all fit. Allocated, the stock stays in the depot until handed over."""
    _require_runs_supplies(actor)
    request = _locked_request(request)
    if request.status not in (RequestStatus.PENDING, RequestStatus.ALLOCATED):
        raise _conflict_status(request)
    if not allocations:
        raise InvalidInput.for_field("allocations", _("Allocate at least one quantity."), code="required")
    lines = {line.item_id: line for line in request.lines.select_related("item")}
    wanted: dict[tuple[int, int], Decimal] = {}
    depots: dict[int, Depot] = {}
    for allocation in allocations:
        item, depot = allocation["item"], allocation["depot"]
        if item.pk not in lines:
            raise InvalidInput.for_field("allocations", _("%(item)s was not requested.") % {"item": item.name})
        quantity = _quantity(Decimal(allocation["quantity"]), item=item)
        wanted[(depot.pk, item.pk)] = wanted.get((depot.pk, item.pk), stock.ZERO) + quantity
        depots[depot.pk] = depot
    already: dict[int, Decimal] = {}
    for existing in request.allocations.select_related("line"):
        already[existing.line.item_id] = already.get(existing.line.item_id, stock.ZERO) + existing.quantity
    for item_id, line in lines.items():
        total = already.get(item_id, stock.ZERO) + sum((q for (_d, i), q in wanted.items() if i == item_id), stock.ZERO)
        if total > line.quantity:
            raise InvalidInput.for_field(
                "allocations",
                _("More %(item)s allocated than requested (%(quantity)s).")
                % {"item": line.item.name, "quantity": stock.format_quantity(line.quantity)},
            )
    stock.locked_levels(wanted.keys())
    created = []
    for (depot_id, item_id), quantity in wanted.items():
        stock.require(
            depot=depots[depot_id], item=lines[item_id].item, quantity=quantity, reserved=_reserved(depot_id, item_id)
        )
        created.append(
            Allocation(
                request=request, line=lines[item_id], depot=depots[depot_id], quantity=quantity, allocated_by=actor
            )
        )
    Allocation.objects.bulk_create(created, batch_size=MAX_LINES)
    request.status = RequestStatus.ALLOCATED
    request.save(update_fields=["status", "updated_at"])
    _audit(actor, request, "allocate", allocations=len(created))
    _tell_keepers(request, depots.values(), gettext_lazy("Supplies to hand over to %(organisation)s"))
    return created


def _tell_keepers(request: SupplyRequest, depots: Any, title: Any) -> None:
    """Tell the keepers of `depots` (once each) about the request: `title` names its organisation."""
    keepers = {d.keeper_id: d.keeper for d in depots if d.keeper_id is not None}
    if keepers:
        notify(
            recipients=list(keepers.values()),
            kind=NotificationKind.INFO,
            title=title,
            params={"organisation": request.organisation.name},
            link=f"/supplies/requests/{request.pk}/",
            source=request,
        )


def _release_allocations(request: SupplyRequest, title: Any) -> None:
    """What was allocated and not handed over goes back to the depots; their keepers are told
    there is nothing to hand over."""
    held = request.allocations.filter(entry__isnull=True)
    depots = [allocation.depot for allocation in held.select_related("depot__keeper")]
    held.delete()
    _tell_keepers(request, depots, title)


@transaction.atomic
def request_hand_over(*, actor: User, request: SupplyRequest) -> list[LedgerEntry]:
    """Hand over what was allocated: each allocation becomes an issue out of its depot to the
    organisation, checked against the stock under the lock (409, nothing written, if it fell
    short meanwhile). Those who run supplies hand over everything; a keeper only when every
    allocation is from a depot they keep."""
    request = _locked_request(request)
    if request.status != RequestStatus.ALLOCATED:
        raise _conflict_status(request)
    pending = list(request.allocations.filter(entry__isnull=True).select_related("depot", "line__item"))
    if not access.may_hand_over(actor, [a.depot.keeper_id for a in pending]):
        raise NotFound()
    stock.locked_levels((a.depot_id, a.line.item_id) for a in pending)
    entries = []
    for allocation in pending:
        post = Post(
            kind=EntryKind.ISSUE,
            item=allocation.line.item,
            quantity=allocation.quantity,
            depot=allocation.depot,
            recipient_organisation=request.organisation,
            note=_("Request %(number)d") % {"number": request.pk},
        )
        entry = _write(actor, post, None, reserved=stock.ZERO)
        allocation.entry = entry
        allocation.save(update_fields=["entry"])
        entries.append(entry)
    request.status = RequestStatus.HANDED_OVER
    request.handed_over_at = timezone.now()
    request.save(update_fields=["status", "handed_over_at", "updated_at"])
    levels = list(
        StockLevel.objects.filter(
            depot_id__in={a.depot_id for a in pending}, item_id__in={a.line.item_id for a in pending}
        )
    )
    stock.after_write(
        levels, depots={a.depot_id: a.depot for a in pending}, items={a.line.item_id: a.line.item for a in pending}
    )
    _audit(actor, request, "hand_over", issues=len(entries))
    admins = User.objects.filter(
        is_active=True, role=Role.ORGANISATION_ADMIN, organisation_id=request.organisation_id
    ).order_by("id")
    notify(
        recipients=list(admins),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Your supplies were handed over"),
        body=gettext_lazy("Please acknowledge receipt."),
        link=f"/supplies/requests/{request.pk}/",
        source=request,
    )
    return entries


@transaction.atomic
def request_acknowledge(*, actor: User, request: SupplyRequest) -> SupplyRequest:
    """The organisation confirms it received what was handed over."""
    if not access.may_acknowledge(actor, request.organisation_id):
        raise NotFound()
    request = _locked_request(request)
    if request.status != RequestStatus.HANDED_OVER:
        raise _conflict_status(request)
    request.status = RequestStatus.RECEIVED
    request.received_at = timezone.now()
    request.received_by = actor
    request.save(update_fields=["status", "received_at", "received_by", "updated_at"])
    _audit(actor, request, "acknowledge")
    return request


@transaction.atomic
def request_refuse(*, actor: User, request: SupplyRequest, reason: str) -> SupplyRequest:
    """Refuse with a reason; what was allocated and not handed over goes back to the depots."""
    _require_runs_supplies(actor)
    request = _locked_request(request)
    if request.status not in (RequestStatus.PENDING, RequestStatus.ALLOCATED):
        raise _conflict_status(request)
    reason = reason.strip()
    if not reason:
        raise InvalidInput.for_field("reason", _("Say why the request is refused."), code="required")
    _release_allocations(
        request, gettext_lazy("The supplies request of %(organisation)s was refused: nothing to hand over")
    )
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason[:500]
    request.save(update_fields=["status", "refusal_reason", "updated_at"])
    _audit(actor, request, "refuse", reason=request.refusal_reason)
    admins = User.objects.filter(
        is_active=True, role=Role.ORGANISATION_ADMIN, organisation_id=request.organisation_id
    ).order_by("id")
    notify(
        recipients=list(admins),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Your supplies request was refused"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": request.refusal_reason},
        link=f"/supplies/requests/{request.pk}/",
        source=request,
    )
    return request


@transaction.atomic
def request_withdraw(*, actor: User, request: SupplyRequest) -> SupplyRequest:
    """The organisation no longer needs it: withdrawn while pending or allocated. What was
    allocated goes back to the depots, and their keepers learn there is nothing to hand over."""
    if not access.may_withdraw(actor, request.organisation_id):
        raise NotFound()
    request = _locked_request(request)
    if request.status not in (RequestStatus.PENDING, RequestStatus.ALLOCATED):
        raise _conflict_status(request)
    _release_allocations(request, gettext_lazy("%(organisation)s withdrew its supplies request: nothing to hand over"))
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    _audit(actor, request, "withdraw")
    return request


# The priority table


@transaction.atomic
def priority_rule_create(
    *,
    actor: User,
    rank: int,
    label: str,
    organisation_kind: str = "",
    sector: Sector | None = None,
    workers_on_site: bool = False,
) -> PriorityRule:
    if not is_commander(actor):
        raise NotFound()
    rule = PriorityRule(
        rank=rank,
        label=label.strip(),
        organisation_kind=organisation_kind,
        sector=sector,
        workers_on_site=workers_on_site,
    )
    validate(rule, constraints=False)
    rule.save()
    _audit(actor, rule, "priority_rule_create", created=True, rank=rank, label=rule.label)
    return rule


@transaction.atomic
def priority_rule_delete(*, actor: User, rule: PriorityRule) -> None:
    if not is_commander(actor):
        raise NotFound()
    audit_record(actor=actor, action=AuditAction.DELETE, obj=rule, detail={"rank": rule.rank, "label": rule.label})
    rule.delete()


# Stock counts


@dataclass(frozen=True)
class Count:
    depot: Depot
    item: Item
    counted: Decimal


@transaction.atomic
def count_apply(*, actor: User, counts: Sequence[Count], reason: str) -> list[LedgerEntry]:
    """A stock count becomes adjustments: for each (depot, item) the difference between what was
    counted and the ledger's sum, under the lock; nothing where they agree. All or nothing."""
    for count in counts:
        if not _runs_depot(actor, count.depot):
            raise NotFound()
    if not reason.strip():
        raise InvalidInput.for_field("reason", _("Say why the count differs."))
    levels = stock.locked_levels((c.depot.pk, c.item.pk) for c in counts)
    entries = []
    for count in counts:
        difference = count.counted - stock.on_hand(count.depot.pk, count.item.pk)
        if difference == 0:
            continue
        post = Post(kind=EntryKind.ADJUSTMENT, item=count.item, quantity=difference, depot=count.depot, reason=reason)
        entries.append(_write(actor, post, None, reserved=stock.ZERO))
    stock.after_write(
        list(levels.values()),
        depots={c.depot.pk: c.depot for c in counts},
        items={c.item.pk: c.item for c in counts},
    )
    audit_record(
        actor=actor, action=AuditAction.IMPORT, object_type="supplies.count", detail={"adjustments": len(entries)}
    )
    return entries
