"""Writes of errands: ask, accept or assign, deliver with the amount and the receipt, confirm
receipt, record the payment, cancel; and the escalation of the unaccepted. Each transition locks
the errand and checks lifecycle.py's rules, so two volunteers accepting at once get one errand
between them and an action out of order changes nothing (409)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_purged, audit_record
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.masking import mask_name
from zoneguard.core.services import validate
from zoneguard.isolation import access as isolation_access
from zoneguard.isolation.models import CaseStatus, IsolationCase
from zoneguard.isolation.services import case_followers
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.volunteers.selectors import community_volunteers
from zoneguard.volunteers.services import check_photo

from . import access, lifecycle
from .models import Errand, ErrandLine, ErrandStatus, LineKind

MAX_LINES = 20
RESIDENT = "resident"  # the audit log's name for the resident acting through their link


def _audit(actor: User | None, errand: Errand, action: str, **detail: Any) -> None:
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else RESIDENT,
        action=AuditAction.CREATE if action == "request" else AuditAction.UPDATE,
        obj=errand,
        organisation_id=errand.community_id,
        detail={"action": action, "status": errand.status, **detail},
    )


def _link(errand: Errand) -> str:
    return f"/errands/{errand.pk}/"


# A quantity is free text ("5斤", "两盒"), but one that starts with a negative number or zero is a slip.
NOT_ABOVE_ZERO = re.compile(r"^\s*(-|0+(\.0*)?(?![\d.]))")


def _clean_lines(lines: Sequence[Mapping[str, Any]]) -> list[ErrandLine]:
    cleaned = []
    for line in lines:
        item, quantity = str(line.get("item") or "").strip(), str(line.get("quantity") or "").strip()
        if not item and not quantity:
            continue
        if NOT_ABOVE_ZERO.match(quantity):
            raise InvalidInput.for_field("lines", _("Enter a quantity above zero: %(item)s.") % {"item": item})
        entry = ErrandLine(item=item, quantity=quantity or "1", kind=line.get("kind") or LineKind.GROCERIES)
        validate(entry, exclude=["errand"], constraints=False)
        cleaned.append(entry)
    if not cleaned:
        raise InvalidInput.for_field("lines", _("Say what to buy: at least one line."), code="required")
    if len(cleaned) > MAX_LINES:
        raise InvalidInput.for_field("lines", _("At most %(max)d lines an errand.") % {"max": MAX_LINES})
    return cleaned


@transaction.atomic
def errand_request(
    *,
    actor: User | None,
    case: IsolationCase,
    lines: Sequence[Mapping[str, Any]],
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> Errand:
    """Ask for an errand for an isolated resident: `actor` None is the resident through their
    link, otherwise a worker who follows the case. Offered at once to the community's volunteers.
    The same `client_id` twice answers the first errand."""
    if client_id is not None:
        existing = Errand.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.case_id != case.pk:
                raise Conflict(_("This key was used for another errand."), code="client_id_reused")
            return existing
    if actor is not None and not isolation_access.may_handle_community(actor, case.community_id):
        raise NotFound()
    if case.status != CaseStatus.ACTIVE:
        raise Conflict(_("This case is closed: errands are for people in isolation."), code="case_closed")
    if case.community_id is None:
        raise Conflict(_("Say first in which community the person isolates."), code="no_community")
    if not case.address.strip():
        raise Conflict(
            _("Record first the address where the person isolates: the volunteer delivers there."), code="no_address"
        )
    entries = _clean_lines(lines)
    errand = Errand(
        case=case,
        community_id=case.community_id,
        note=note.strip()[:500],
        by_resident=actor is None,
        requested_by=actor,
        client_id=client_id,
    )
    errand.save()
    for entry in entries:
        entry.errand = errand
    ErrandLine.objects.bulk_create(entries, batch_size=MAX_LINES)
    _audit(actor, errand, "request", lines=len(entries))
    volunteers = community_volunteers(community_id=case.community_id)
    notify(
        recipients=[v.user for v in volunteers],
        kind=NotificationKind.INFO,
        title=gettext_lazy("Errand to run: %(lines)s"),
        body=gettext_lazy("For a resident isolating at home. The first to accept runs it."),
        params={"lines": "、".join(e.item for e in entries[:3]) + ("…" if len(entries) > 3 else "")},
        link="/volunteers/my/",
        source=errand,
    )
    return errand


def _locked(errand: Errand) -> Errand:
    return (
        Errand.objects.select_for_update(of=("self",))
        .select_related("case", "case__person", "case__worker", "volunteer", "volunteer__user")
        .get(pk=errand.pk)
    )


def _move(errand: Errand, action: str) -> None:
    target = lifecycle.next_status(errand.status, action)
    if target is None:
        raise Conflict(
            _("Not now: the errand is %(status)s.") % {"status": ErrandStatus(errand.status).label},
            code="out_of_order",
        )
    errand.status = target


@transaction.atomic
def errand_accept(*, actor: User, errand: Errand) -> Errand:
    """A volunteer of the community takes the errand: the first one wins, the others are told it
    is taken."""
    volunteer = access.approved_volunteer(actor)
    errand = _locked(errand)
    if volunteer is None or volunteer.community_id != errand.community_id:
        raise NotFound()
    if errand.status == ErrandStatus.ACCEPTED and errand.volunteer_id == volunteer.pk:
        return errand  # accepted twice from a shaky phone: the same answer
    if errand.status != ErrandStatus.OPEN:
        raise Conflict(_("Another volunteer has taken this errand."), code="errand_taken")
    _move(errand, "accept")
    errand.volunteer, errand.accepted_at = volunteer, timezone.now()
    errand.save(update_fields=["status", "volunteer", "accepted_at"])
    _audit(actor, errand, "accept", volunteer=volunteer.pk)
    return errand


@transaction.atomic
def errand_assign(*, actor: User, errand: Errand, volunteer: Any) -> Errand:
    """The worker gives the errand to a volunteer of the community, who is told."""
    errand = _locked(errand)
    if not access.may_handle(actor, errand):
        raise NotFound()
    if volunteer is None or not volunteer.is_approved or volunteer.community_id != errand.community_id:
        raise InvalidInput.for_field("volunteer_id", _("Choose an approved volunteer of the community."))
    _move(errand, "assign")
    errand.volunteer, errand.accepted_at, errand.assigned_by = volunteer, timezone.now(), actor
    errand.save(update_fields=["status", "volunteer", "accepted_at", "assigned_by"])
    _audit(actor, errand, "assign", volunteer=volunteer.pk)
    notify(
        recipients=[volunteer.user] if volunteer.user else [],
        kind=NotificationKind.INFO,
        title=gettext_lazy("An errand for you"),
        body=gettext_lazy("Buy the list and leave it at the door; record the amount and the receipt."),
        link="/volunteers/my/",
        source=errand,
    )
    return errand


@transaction.atomic
def errand_deliver(*, actor: User, errand: Errand, amount: Decimal, receipt: UploadedFile | None) -> Errand:
    """The volunteer left the shopping at the door: the amount spent, to the cent, and a photo of
    the receipt."""
    volunteer = access.approved_volunteer(actor)
    errand = _locked(errand)
    if volunteer is None or volunteer.community_id != errand.community_id:
        raise NotFound()
    if errand.volunteer_id not in (None, volunteer.pk):
        raise NotFound()  # another volunteer's
    _move(errand, "deliver")  # before anyone accepted it: out of order
    if receipt is None:
        raise InvalidInput.for_field("receipt", _("Add a photo of the receipt."), code="required")
    name = check_photo(receipt, field="receipt")
    errand.amount = amount
    validate(errand, exclude=["case", "community", "volunteer", "receipt"], constraints=False)
    errand.delivered_at = timezone.now()
    errand.receipt.save(name, receipt, save=False)
    errand.save(update_fields=["status", "amount", "receipt", "delivered_at"])
    _audit(actor, errand, "deliver", amount=str(errand.amount))
    notify(
        recipients=case_followers(errand.case),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Errand delivered: %(name)s"),
        body=gettext_lazy("%(amount)s yuan, receipt attached. The resident confirms and pays it back."),
        params={"name": mask_name(errand.case.person.name), "amount": str(errand.amount)},
        link=_link(errand),
        source=errand,
    )
    return errand


@transaction.atomic
def errand_confirm(*, actor: User | None, errand: Errand) -> Errand:
    """It arrived: the resident through their link (`actor` None), or the worker for them."""
    errand = _locked(errand)
    if actor is not None and not access.may_handle(actor, errand):
        raise NotFound()
    _move(errand, "confirm")
    errand.received_at, errand.received_by_resident = timezone.now(), actor is None
    errand.save(update_fields=["status", "received_at", "received_by_resident"])
    _audit(actor, errand, "confirm")
    return errand


@transaction.atomic
def errand_settle(*, actor: User, errand: Errand) -> Errand:
    """The resident paid the amount back: recorded by the volunteer who was paid or the worker."""
    errand = _locked(errand)
    volunteer = access.approved_volunteer(actor)
    if not access.may_handle(actor, errand) and (volunteer is None or errand.volunteer_id != volunteer.pk):
        raise NotFound()
    _move(errand, "settle")
    errand.settled_at = timezone.now()
    errand.save(update_fields=["status", "settled_at"])
    _audit(actor, errand, "settle", amount=str(errand.amount))
    return errand


@transaction.atomic
def errand_cancel(*, actor: User | None, errand: Errand, reason: str = "") -> Errand:
    """Before delivery only: by the resident (`actor` None) or the worker."""
    errand = _locked(errand)
    if actor is not None and not access.may_handle(actor, errand):
        raise NotFound()
    _move(errand, "cancel")
    errand.cancelled_at, errand.cancel_reason = timezone.now(), reason.strip()[:200]
    errand.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _audit(actor, errand, "cancel")
    if errand.volunteer is not None and errand.volunteer.user is not None:
        notify(
            recipients=[errand.volunteer.user],
            kind=NotificationKind.INFO,
            title=gettext_lazy("Errand cancelled"),
            body=gettext_lazy("No need to buy it any more."),
            link="/volunteers/my/",
            source=errand,
        )
    return errand


def cancel_open_errands(*, case: IsolationCase, actor: User | None, **_signal: Any) -> int:
    """When a home isolation ends (core.events.isolation_closed), the errands nobody took yet are
    no longer offered: the resident may go out again, or is in hospital. One a volunteer already
    took goes on to its delivery. Returns how many were cancelled."""
    cancelled = 0
    for errand in Errand.objects.select_for_update().filter(case=case, status=ErrandStatus.OPEN):
        _move(errand, "cancel")
        errand.cancelled_at, errand.cancel_reason = timezone.now(), str(_("The home isolation ended."))
        errand.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        _audit(actor, errand, "cancel")
        cancelled += 1
    return cancelled


def escalate_due(*, now: datetime | None = None) -> int:
    """Tell the community worker of every errand nobody accepted within the hour, once."""
    now = now or timezone.now()
    due = Errand.objects.filter(
        status=ErrandStatus.OPEN, escalated_at__isnull=True, requested_at__lte=now - lifecycle.ESCALATE_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            errand = _locked(Errand(pk=pk))
            if not lifecycle.is_due_for_escalation(
                status=errand.status, requested_at=errand.requested_at, escalated_at=errand.escalated_at, now=now
            ):
                continue
            errand.escalated_at = now
            errand.save(update_fields=["escalated_at"])
            audit_record(
                actor=None,
                actor_name="ZoneGuard",
                action=AuditAction.UPDATE,
                obj=errand,
                organisation_id=errand.community_id,
                detail={"action": "escalate"},
            )
            notify(
                recipients=case_followers(errand.case),
                kind=NotificationKind.ALERT,
                title=gettext_lazy("No volunteer for an errand: %(name)s"),
                body=gettext_lazy("Asked %(minutes)s minutes ago. Assign a volunteer or run it yourself."),
                params={
                    "name": mask_name(errand.case.person.name),
                    "minutes": lifecycle.age_minutes(since=errand.requested_at, now=now),
                },
                link=_link(errand),
                source=errand,
            )
            count += 1
    return count


PURGED_CONTENTS = gettext_lazy("Shopping lists, notes and receipts of finished errands")


def purge_errand_contents(before: datetime, dry_run: bool) -> int:
    """What residents asked for (medicine among it), the notes, the reasons for cancelling and the
    receipt photos of errands paid back or cancelled before `before` (core.retention); the
    notifications that named the items are older still and go with all notifications. The errand
    stays (who asked, who ran it, when, how much): it counts the volunteer's work and the money
    paid back. Returns how many errands were emptied, or would be."""
    paid_back = Q(status=ErrandStatus.SETTLED, settled_at__lt=before)
    cancelled = Q(status=ErrandStatus.CANCELLED, cancelled_at__lt=before)
    ended = Errand.objects.filter(paid_back | cancelled, contents_purged_at__isnull=True).order_by("pk")
    if dry_run:
        return ended.count()
    emptied = 0
    while chunk := list(ended.values_list("pk", "receipt")[:500]):
        ids = [pk for pk, _receipt in chunk]
        receipts = [receipt for _pk, receipt in chunk if receipt]
        with transaction.atomic():
            ErrandLine.objects.filter(errand_id__in=ids).delete()
            emptied_now = {"note": "", "cancel_reason": "", "receipt": "", "contents_purged_at": timezone.now()}
            Errand.objects.filter(pk__in=ids).update(**emptied_now)
            # The files go once no committed row names them.
            transaction.on_commit(lambda receipts=receipts: _delete_receipts(receipts))  # type: ignore[misc]
        emptied += len(chunk)
    audit_purged(model=Errand, before=before, records=emptied, label=PURGED_CONTENTS)
    return emptied


def _delete_receipts(names: list[str]) -> None:
    storage = Errand._meta.get_field("receipt").storage
    for name in names:
        storage.delete(name)
