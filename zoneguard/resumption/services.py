"""Writes of resumption filings: submit, amend and resubmit, approve or return.

Each step writes a FilingEvent (who, when, the filing as it stood) and an audit row in the same
transaction, tells the other side through the notification service, and announces the
organisation's `resumption_state` fact when it changes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import department_officers, organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, changes_between, snapshot
from zoneguard.core.dates import check_planned
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.events import organisation_changed
from zoneguard.core.services import apply_fields, validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation

from . import access
from .models import FilingAction, FilingEvent, FilingStatus, ResumptionFiling

FILING_FIELDS = (
    "planned_date",
    "staff_expected",
    "staff_local",
    "staff_other_provinces",
    "staff_from_risk_areas",
    "disinfection",
    "temperature_points",
    "isolation_room",
    "masks_in_stock",
    "canteen_rules",
    "plan_notes",
    "responsible_name",
    "responsible_phone",
)
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt"}
STATE_FACT = frozenset({"resumption_state"})


def check_upload(document: UploadedFile, *, field: str) -> None:
    name = document.name or ""
    if PurePath(name).suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise InvalidInput.for_field(
            field,
            _("Upload a PDF, Word, Excel, image or text file (%(extensions)s).")
            % {"extensions": ", ".join(sorted(DOCUMENT_EXTENSIONS))},
        )
    if (document.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            field, _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )


def _snapshot(filing: ResumptionFiling) -> dict[str, Any]:
    data = snapshot(filing, FILING_FIELDS)
    data["planned_date"] = filing.planned_date.isoformat() if isinstance(filing.planned_date, date) else None
    data["plan_document"] = filing.plan_document_name
    return data


def _event(filing: ResumptionFiling, *, actor: User, action: str, comment: str = "", department: Any = None) -> None:
    FilingEvent.objects.create(
        filing=filing,
        action=action,
        actor=actor,
        actor_name=actor.display_name if hasattr(actor, "display_name") else str(actor),
        department=department,
        revision=filing.revision,
        comment=comment,
        data=_snapshot(filing),
    )


def _link(filing: ResumptionFiling) -> str:
    return f"/resumption/filings/{filing.pk}/"


def applicants(organisation: Organisation) -> list[Any]:
    """Who hears about the decision: the organisation's administrators and its parent's."""
    users = list(organisation_admins(organisation_id=organisation.pk))
    if organisation.parent_id:
        users += list(organisation_admins(organisation_id=organisation.parent_id))
    return users


def _notify_reviewers(filing: ResumptionFiling, *, resubmitted: bool) -> None:
    recipients = [
        officer
        for department in access.reviewing_departments(filing.organisation)
        for officer in department_officers(department_id=department.pk)
    ]
    notify(
        recipients=recipients,
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Resumption filing resubmitted by %(organisation)s")
        if resubmitted
        else gettext_lazy("Resumption filing from %(organisation)s"),
        body=gettext_lazy("Planned resumption on %(date)s with %(staff)s staff. Please review it."),
        params={
            "organisation": filing.organisation.name,
            "date": filing.planned_date.isoformat(),
            "staff": filing.staff_expected,
        },
        link=_link(filing),
        source=filing,
    )


def _check_planned_date(filing: ResumptionFiling) -> None:
    """Work resumes after the review, so not before today (2001 for 2026 is a slip of the
    keyboard, and an approval would count the organisation as resumed since then), and within the
    planning horizon."""
    day = filing.planned_date
    if not isinstance(day, date):
        return  # missing or malformed: the model's validation names it
    if day < timezone.localdate():
        raise InvalidInput.for_field(
            "planned_date", _("Choose today or a later day: work resumes once the filing is approved."), code="past"
        )
    check_planned(day, "planned_date")


def _set_document(filing: ResumptionFiling, document: UploadedFile | None) -> None:
    if document is None:
        return
    check_upload(document, field="plan_document")
    filing.plan_document_name = PurePath(document.name or "plan").name[:200]
    filing.plan_document.save(document.name or "plan", document, save=False)


@transaction.atomic
def filing_submit(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any], document: UploadedFile | None = None
) -> ResumptionFiling:
    if not access.can_file(actor, organisation):
        raise Forbidden(_("Only the organisation's administrators file its resumption."))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if ResumptionFiling.objects.filter(organisation=organisation).exists():
        raise Conflict(_("This organisation has already filed; amend its filing instead."), code="filing_exists")
    filing = ResumptionFiling(
        organisation=organisation,
        status=FilingStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    apply_fields(filing, data, FILING_FIELDS)
    _check_planned_date(filing)
    _set_document(filing, document)
    validate_and_save(filing)
    _event(filing, actor=actor, action=FilingAction.SUBMITTED)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=filing,
        organisation_id=organisation.pk,
        detail={"changes": changes_between({}, snapshot(filing, FILING_FIELDS))},
    )
    _notify_reviewers(filing, resubmitted=False)
    organisation_changed.send(sender=ResumptionFiling, organisation_id=organisation.pk, facts=STATE_FACT)
    return filing


def _locked(filing: ResumptionFiling) -> ResumptionFiling:
    return ResumptionFiling.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=filing.pk)


@transaction.atomic
def filing_amend(
    *, actor: User, filing: ResumptionFiling, data: Mapping[str, Any], document: UploadedFile | None = None
) -> ResumptionFiling:
    """Change a filing that is waiting for review or was returned; it goes (back) to review."""
    filing = _locked(filing)
    if not access.can_file(actor, filing.organisation):
        raise Forbidden(_("Only the organisation's administrators amend its filing."))
    if filing.status == FilingStatus.APPROVED:
        raise Conflict(_("An approved filing cannot be changed."), code="filing_approved")
    before = snapshot(filing, FILING_FIELDS)
    previous_status = filing.status
    apply_fields(filing, data, FILING_FIELDS)
    _check_planned_date(filing)
    _set_document(filing, document)
    filing.status = FilingStatus.SUBMITTED
    filing.revision += 1
    filing.submitted_at = timezone.now()
    filing.submitted_by = actor
    validate_and_save(filing)
    _event(filing, actor=actor, action=FilingAction.RESUBMITTED)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=filing,
        organisation_id=filing.organisation_id,
        detail={"changes": changes_between(before, snapshot(filing, FILING_FIELDS)), "revision": filing.revision},
    )
    _notify_reviewers(filing, resubmitted=True)
    if previous_status != filing.status:
        organisation_changed.send(sender=ResumptionFiling, organisation_id=filing.organisation_id, facts=STATE_FACT)
    return filing


@transaction.atomic
def filing_decide(*, actor: User, filing: ResumptionFiling, approve: bool, comment: str = "") -> ResumptionFiling:
    """Approve (the organisation counts as resumed from its planned date, or from today when that
    has passed) or return with comments.
    Returning an approved filing withdraws the approval (a case on site, rules not kept): the
    organisation no longer counts as resumed until an amended filing is approved again."""
    filing = _locked(filing)
    if not access.can_review(actor, filing.organisation):
        raise Forbidden(_("Only the competent department reviews this filing."))
    if access.can_file(actor, filing.organisation):
        raise Forbidden(_("An applicant cannot review their own filing."))
    withdrawn = filing.status == FilingStatus.APPROVED and not approve
    if filing.status != FilingStatus.SUBMITTED and not withdrawn:
        raise Conflict(_("This filing is not waiting for review."), code="filing_not_submitted")
    comment = (comment or "").strip()
    if withdrawn and not comment:
        raise InvalidInput.for_field("comment", _("Say why the approval is withdrawn."))
    if not approve and not comment:
        raise InvalidInput.for_field("comment", _("Say what must be changed."))
    filing.status = FilingStatus.APPROVED if approve else FilingStatus.RETURNED
    filing.decided_at = timezone.now()
    filing.decided_by = actor
    filing.decided_department = actor.department if actor.department_id else None
    filing.review_comment = comment
    # Not before the approval: a filing reviewed after its planned day counts from the approval.
    filing.resumed_on = max(filing.planned_date, timezone.localdate(filing.decided_at)) if approve else None
    validate_and_save(filing)
    _event(
        filing,
        actor=actor,
        action=FilingAction.APPROVED if approve else FilingAction.WITHDRAWN if withdrawn else FilingAction.RETURNED,
        comment=comment,
        department=filing.decided_department,
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPROVE if approve else AuditAction.RETURN,
        obj=filing,
        organisation_id=filing.organisation_id,
        detail={"revision": filing.revision, "comment": comment, **({"action": "withdraw"} if withdrawn else {})},
    )
    if approve:
        title = gettext_lazy("Resumption of %(organisation)s approved")
    elif withdrawn:
        title = gettext_lazy("Approval to resume withdrawn for %(organisation)s")
    else:
        title = gettext_lazy("Resumption filing of %(organisation)s returned for changes")
    notify(
        recipients=applicants(filing.organisation),
        kind=NotificationKind.APPROVAL,
        title=title,
        body=comment,
        params={"organisation": filing.organisation.name},
        link=_link(filing),
        source=filing,
    )
    organisation_changed.send(sender=ResumptionFiling, organisation_id=filing.organisation_id, facts=STATE_FACT)
    return filing
