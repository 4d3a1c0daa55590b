"""Payment deferrals (延期缴纳税款): an enterprise applies per tax type for up to three months; the
tax officer approves (perhaps fewer months, smaller amounts) or refuses; totals are exact."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation

from .. import access
from ..models import (
    MAX_DEFERRAL_MONTHS,
    MONEY_MAX,
    Deferral,
    DeferralEvidence,
    DeferralItem,
    DeferralStatus,
    TaxType,
)
from ..money import amount_str, format_amount, parse_amount
from ..selectors.common import tax_officers
from .files import check_upload, literal

MAX_ITEMS = 20
MAX_EVIDENCE_FILES = 10
# Taxes of a month are declared and paid by the 15th of the next month (the statutory deadline).
PAYMENT_DAY = 15


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_period(today: date) -> date:
    """The month whose taxes fall due next: last month until the 15th, this month after. The law
    asks for the application before the taxes fall due, so after the 15th a taxpayer who knows it
    cannot pay this month's applies for them."""
    first = today.replace(day=1)
    return add_months(first, -1) if today.day <= PAYMENT_DAY else first


def default_due_on(period: date) -> date:
    return add_months(period.replace(day=1), 1).replace(day=PAYMENT_DAY)


def _check_months(months: Any, *, field: str = "months", most: int = MAX_DEFERRAL_MONTHS) -> int:
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= most:
        raise InvalidInput.for_field(
            field, _("Enter a number of months from 1 to %(most)s.") % {"most": most}, code="months_range"
        )
    return months


def _notify_officers(deferral: Deferral) -> None:
    notify(
        recipients=tax_officers(),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("%(organisation)s applies to defer %(total)s yuan of taxes"),
        body=gettext_lazy("%(months)s months, tax period %(period)s."),
        params={
            "organisation": deferral.organisation.name,
            "total": format_amount(deferral.total),
            "months": deferral.months,
            "period": f"{deferral.period:%Y-%m}",
        },
        link=f"/tax/deferrals/{deferral.pk}/",
        source=deferral,
    )


@transaction.atomic
def deferral_apply(
    *,
    actor: User,
    organisation: Organisation,
    months: int,
    reason: str,
    items: Sequence[tuple[str, Any]],
    period: date | None = None,
    due_on: date | None = None,
    evidence: Sequence[UploadedFile] = (),
) -> Deferral:
    """Apply to defer the taxes of a period. `items` are (tax type code, amount) pairs; amounts are
    exact decimals with at most two places. Invalid input raises InvalidInput and writes nothing."""
    access.require(access.can_act_for(actor, organisation))
    months = _check_months(months)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.for_field("reason", _("Describe the difficulty that makes the deferral necessary."))
    if len(reason) > 5000:
        raise InvalidInput.for_field("reason", _("Keep the reason under 5000 characters."), code="too_long")
    if not items:
        raise InvalidInput.for_field("items", _("Enter the amount of at least one tax."), code="required")
    if len(items) > MAX_ITEMS:
        raise InvalidInput.for_field("items", _("Enter at most 20 taxes."), code="too_many")
    types = {t.code: t for t in TaxType.objects.filter(is_active=True, code__in=[code for code, _a in items])}
    parsed: list[tuple[TaxType, Decimal]] = []
    for index, (code, raw) in enumerate(items):
        if code not in types:
            raise InvalidInput.for_field(f"items.{index}.tax_type", _("Choose a tax type."), code="unknown_tax_type")
        if any(t.code == code for t, _a in parsed):
            raise InvalidInput.for_field(
                f"items.{index}.tax_type", _("Each tax type appears once."), code="duplicate_tax_type"
            )
        parsed.append((types[code], parse_amount(raw, field=f"items.{index}.amount")))
    total = sum((amount for _t, amount in parsed), Decimal("0.00"))
    if total > MONEY_MAX:
        raise InvalidInput.for_field(
            "items", _("The total is more than %(max)s yuan.") % {"max": format_amount(MONEY_MAX)}, code="too_large"
        )
    today = timezone.localdate()
    period = (period or default_period(today)).replace(day=1)
    if period > today.replace(day=1):
        raise InvalidInput.for_field(
            "period", _("The tax period has not begun: choose this month or an earlier one."), code="future_period"
        )
    due_on = due_on or default_due_on(period)
    if due_on < period:
        raise InvalidInput.for_field("due_on", _("The payment is due after the tax period begins."))
    if due_on < today:
        raise InvalidInput.for_field(
            "due_on",
            _("The payment deadline has passed: a deferral is applied for before the taxes fall due."),
            code="deadline_passed",
        )
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise InvalidInput.for_field("evidence", _("Upload at most 10 files."), code="too_many")
    names = [check_upload(file, field="evidence") for file in evidence]
    deferral = Deferral(
        organisation=organisation,
        period=period,
        due_on=due_on,
        months=months,
        reason=reason,
        total=total,
        applied_by=actor,
    )
    try:
        with transaction.atomic():
            deferral.save()
    except IntegrityError as error:
        raise Conflict(
            _("This taxpayer already has a deferral application for %(period)s.") % {"period": f"{period:%Y-%m}"},
            code="deferral_exists",
        ) from error
    DeferralItem.objects.bulk_create(
        [DeferralItem(deferral=deferral, tax_type=tax_type, amount=amount) for tax_type, amount in parsed],
        batch_size=500,
    )
    for file, name in zip(evidence, names, strict=True):
        _save_evidence(actor, deferral, file, name)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=deferral,
        organisation_id=organisation.pk,
        detail={
            "months": months,
            "period": f"{period:%Y-%m}",
            "items": {t.code: amount_str(a) for t, a in parsed},
            "total": amount_str(total),
        },
    )
    _notify_officers(deferral)
    return deferral


def _save_evidence(actor: User, deferral: Deferral, file: UploadedFile, name: str) -> DeferralEvidence:
    evidence = DeferralEvidence(deferral=deferral, name=name, size=file.size or 0, uploaded_by=actor)
    evidence.file.save(name, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def deferral_evidence_add(*, actor: User, deferral: Deferral, file: UploadedFile) -> DeferralEvidence:
    access.require(access.can_act_for(actor, deferral.organisation))
    if deferral.status != DeferralStatus.SUBMITTED:
        raise Conflict(_("Evidence is added while the application is being reviewed."), code="already_decided")
    if deferral.evidence.count() >= MAX_EVIDENCE_FILES:
        raise InvalidInput.for_field("file", _("Upload at most 10 files."), code="too_many")
    evidence = _save_evidence(actor, deferral, file, check_upload(file))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=deferral,
        organisation_id=deferral.organisation_id,
        detail={"evidence_added": evidence.name},
    )
    return evidence


def _already_decided() -> Conflict:
    return Conflict(_("This application has already been decided."), code="already_decided")


@transaction.atomic
def deferral_decide(
    *,
    actor: User,
    deferral: Deferral,
    approve: bool,
    months: int | None = None,
    amounts: Mapping[str, Any] | None = None,
    note: str = "",
) -> Deferral:
    """Approve (for `months`, at most those applied for, and `amounts` per tax type code, at most
    those applied for; what is not given is granted as applied) or refuse with a reason."""
    access.require(access.can_administer(actor) and access.can_act_for(actor, deferral.organisation))
    if deferral.status != DeferralStatus.SUBMITTED:
        raise _already_decided()
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput.for_field("note", _("Keep the note under 2000 characters."), code="too_long")
    now = timezone.now()
    pending = Deferral.objects.filter(pk=deferral.pk, status=DeferralStatus.SUBMITTED)
    if approve:
        # The law grants a deferral on proof of the hardship: without it, only a refusal is possible.
        if not deferral.evidence.exists():
            raise Conflict(
                _(
                    "This application has no hardship evidence. It can be approved once the evidence is "
                    "uploaded; until then it can only be refused."
                ),
                code="no_evidence",
            )
        granted_months = _check_months(months if months is not None else deferral.months, most=deferral.months)
        items = list(deferral.items.select_related("tax_type"))
        by_code = {item.tax_type.code: item for item in items}
        amounts = dict(amounts or {})
        for code in amounts:
            if code not in by_code:
                raise InvalidInput.for_field(
                    f"amounts.{code}", _("This tax is not part of the application."), code="unknown_tax_type"
                )
        granted: dict[int, Decimal] = {}
        for code, item in by_code.items():
            amount = parse_amount(amounts.get(code, item.amount), field=f"amounts.{code}", allow_zero=True)
            if amount > item.amount:
                raise InvalidInput.for_field(
                    f"amounts.{code}",
                    _("Grant at most the %(amount)s yuan applied for.") % {"amount": format_amount(item.amount)},
                    code="more_than_applied",
                )
            granted[item.pk] = amount
        approved_total = sum(granted.values(), Decimal("0.00"))
        if approved_total <= 0:
            raise InvalidInput.for_field(
                "amounts", _("Grant some amount, or refuse the application."), code="nothing_granted"
            )
        new_due_on = add_months(deferral.due_on, granted_months)
        if not pending.update(
            status=DeferralStatus.APPROVED,
            approved_months=granted_months,
            approved_total=approved_total,
            new_due_on=new_due_on,
            decided_by=actor,
            decided_at=now,
            decision_note=note,
            updated_at=now,
        ):
            raise _already_decided()
        for item in items:
            DeferralItem.objects.filter(pk=item.pk).update(approved_amount=granted[item.pk])
        detail: dict[str, Any] = {
            "months": granted_months,
            "approved": {code: amount_str(granted[item.pk]) for code, item in by_code.items()},
            "approved_total": amount_str(approved_total),
            "new_due_on": new_due_on.isoformat(),
        }
        title = gettext_lazy("Your tax deferral is approved: %(total)s yuan until %(due)s")
        params = {"total": format_amount(approved_total), "due": new_due_on.isoformat()}
    else:
        if not note:
            raise InvalidInput.for_field("note", _("Give the reason for the refusal."), code="required")
        if not pending.update(
            status=DeferralStatus.REFUSED, decided_by=actor, decided_at=now, decision_note=note, updated_at=now
        ):
            raise _already_decided()
        detail = {"decision": "refused", "note": note}
        title = gettext_lazy("Your tax deferral application for %(period)s was refused")
        params = {"period": f"{deferral.period:%Y-%m}"}
    deferral.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.APPROVE if approve else AuditAction.UPDATE,
        obj=deferral,
        organisation_id=deferral.organisation_id,
        detail=detail,
    )
    notify(
        recipients=organisation_admins(organisation_id=deferral.organisation_id),
        kind=NotificationKind.APPROVAL,
        title=title,
        body=literal(note),
        params=params,
        link=f"/tax/deferrals/{deferral.pk}/",
        source=deferral,
    )
    return deferral
