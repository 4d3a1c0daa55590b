"""Writes of daily prevention reports, and the late filers' reminders."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, changes_between, snapshot
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role, is_active_user
from zoneguard.core.services import apply_fields, validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation
from zoneguard.resumption.selectors import resumed_organisation_ids

from .models import DailyReport, DailyReportRevision, ReportReminder
from .schedule import deadline_for

REPORT_FIELDS = (
    "staff_on_duty",
    "staff_isolating",
    "temperature_anomalies",
    "disinfection_done",
    "masks_in_stock",
    "disinfectant_litres",
    "problems",
)


def can_report(actor: User, organisation: Organisation) -> bool:
    """The organisation's administrators file its report, and so do those of its parent."""
    if not is_active_user(actor):
        return False
    if actor.role != Role.ORGANISATION_ADMIN or not actor.organisation_id:
        return False
    return actor.organisation_id in {organisation.pk, organisation.parent_id}


def _data(report: DailyReport) -> dict[str, Any]:
    data = snapshot(report, REPORT_FIELDS)
    data["disinfectant_litres"] = str(report.disinfectant_litres)
    return data


def _revision(report: DailyReport, actor: User) -> None:
    DailyReportRevision.objects.create(
        report=report,
        revision=report.revision,
        data=_data(report),
        filed_by=actor,
        filed_by_name=actor.display_name,
    )


@transaction.atomic
def report_file(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any], day: date | None = None
) -> tuple[DailyReport, bool]:
    """File today's report, or amend it when it was already filed today. Returns (report, created)."""
    if not can_report(actor, organisation):
        raise Forbidden(_("Only the organisation's administrators file its daily report."))
    today = timezone.localdate()
    day = day or today
    if day != today:
        raise InvalidInput.for_field("day", _("Only today's report can be filed or amended."), code="not_today")
    if organisation.pk not in resumed_organisation_ids(day=day, organisation_ids=[organisation.pk]):
        raise Conflict(
            _("%(name)s has not resumed work: its resumption filing must be approved first.")
            % {"name": organisation.name},
            code="not_resumed",
        )
    values = dict(data)
    if isinstance(values.get("disinfectant_litres"), (int, float, str)):
        values["disinfectant_litres"] = Decimal(str(values["disinfectant_litres"]))
    existing = DailyReport.objects.select_for_update().filter(organisation=organisation, day=day).first()
    if existing is None:
        report = DailyReport(organisation=organisation, day=day, filed_at=timezone.now(), filed_by=actor)
        apply_fields(report, values, REPORT_FIELDS)
        try:
            validate_and_save(report, exclude=["organisation"])
        except Conflict:
            # Filed at the same moment from another device: amend the report that won.
            existing = DailyReport.objects.select_for_update().get(organisation=organisation, day=day)
        else:
            _revision(report, actor)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=report,
                organisation_id=organisation.pk,
                detail={"changes": changes_between({}, _data(report))},
            )
            return report, True
    report = existing
    before = _data(report)
    apply_fields(report, values, REPORT_FIELDS)
    report.revision += 1
    report.amended_at = timezone.now()
    validate_and_save(report, exclude=["organisation"])
    _revision(report, actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        organisation_id=organisation.pk,
        detail={"changes": changes_between(before, _data(report)), "revision": report.revision},
    )
    return report, False


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind every resumed organisation that has not filed today's report once the deadline has
    passed. Safe to run every few minutes, concurrently too: the (organisation, day) key of
    ReportReminder lets exactly one run send each organisation's reminder of the day."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if now < deadline_for(day):
        return 0
    due = resumed_organisation_ids(day=day)
    filed = set(DailyReport.objects.filter(day=day, organisation_id__in=due).values_list("organisation_id", flat=True))
    reminded = set(
        ReportReminder.objects.filter(day=day, organisation_id__in=due).values_list("organisation_id", flat=True)
    )
    late = Organisation.objects.filter(pk__in=due - filed - reminded, is_active=True).order_by("pk")
    sent = 0
    for organisation in late:
        with transaction.atomic():
            reminder, created = ReportReminder.objects.get_or_create(organisation=organisation, day=day)
            if not created:
                continue
            recipients = list(organisation_admins(organisation_id=organisation.pk))
            if organisation.parent_id:
                recipients += list(organisation_admins(organisation_id=organisation.parent_id))
            notify(
                recipients=recipients,
                kind=NotificationKind.REMINDER,
                title=gettext_lazy("Daily prevention report of %(organisation)s is late"),
                body=gettext_lazy("Today's report (%(day)s) was due at %(deadline)s. Please file it now."),
                params={
                    "organisation": organisation.name,
                    "day": day.isoformat(),
                    "deadline": timezone.localtime(deadline_for(day)).strftime("%H:%M"),
                },
                link=f"/reports/file/?organisation={organisation.pk}",
                source=reminder,
            )
            reminder.recipients = len({u.pk for u in recipients})
            reminder.save(update_fields=["recipients"])
            sent += 1
    return sent


@transaction.atomic
def deadline_set(*, actor: User, deadline: Any) -> None:
    """The commander moves the daily deadline (reminders follow at the next run)."""
    from zoneguard.registry.scoping import is_commander

    from .models import ReportDeadline

    if not is_commander(actor):
        raise Forbidden()
    row = ReportDeadline.objects.order_by("-updated_at").first() or ReportDeadline(deadline=deadline)
    before = row.deadline.strftime("%H:%M") if row.pk else None
    row.deadline, row.updated_by = deadline, actor
    validate_and_save(row)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=row, detail={"deadline": [before, deadline.strftime("%H:%M")]}
    )
