"""Writes of key tasks and their items: plan them, report progress with evidence, remind the
overdue and tell the department's head."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.services import users as accounts_users
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.roles import is_commander
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Department

from .. import access, deadlines
from ..models import Evidence, ItemStatus, KeyTask, ProgressReport, TaskItem
from .common import MY_ITEMS, audit, is_officer_of, require, validate

# Evidence of progress: what officers photograph or write (the notices' attachments, less slides).
EVIDENCE_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".zip"}
MAX_EVIDENCE = 5


def department_head_set(*, actor: User, department: Department, user: User) -> Department:
    """The commander names who answers for a department's key tasks: one of its officers. The
    department has one head, the one its late requests go to as well (accounts)."""
    require(is_commander(actor))
    if not is_officer_of(user, department.pk):
        raise InvalidInput.for_field("user_id", _("Choose an officer of the department."))
    return accounts_users.department_head_set(actor=actor, department=department, head=user)


@transaction.atomic
def task_create(
    *,
    actor: User,
    department: Department,
    year: int,
    quarter: int,
    kind: str,
    title: str,
    target: str,
    target_quantity: Decimal | None = None,
    unit: str = "",
) -> KeyTask:
    if not access.may_plan(actor, department.pk):
        raise NotFound()
    task = KeyTask(
        department=department,
        year=year,
        quarter=quarter,
        kind=kind,
        title=title.strip(),
        target=target.strip(),
        target_quantity=target_quantity,
        unit=unit.strip(),
        created_by=actor,
    )
    validate(task)
    task.save()
    audit(actor, task, "create", department=department.pk)
    return task


@transaction.atomic
def item_create(
    *,
    actor: User,
    task: KeyTask,
    due_on: date,
    title: str,
    expected_result: str,
    responsible: User,
    cadence: str = "daily",
) -> TaskItem:
    """A dated step of the task, within its quarter, for an officer of its department."""
    if not access.may_plan(actor, task.department_id):
        raise NotFound()
    first, last = deadlines.quarter_bounds(task.year, task.quarter)
    if not first <= due_on <= last:
        raise InvalidInput.for_field(
            "due_on",
            _("Choose a day of the task's quarter (%(first)s to %(last)s).")
            % {"first": first.isoformat(), "last": last.isoformat()},
        )
    if not is_officer_of(responsible, task.department_id):
        raise InvalidInput.for_field("responsible_id", _("Choose an officer of the department."))
    item = TaskItem(
        task=task,
        due_on=due_on,
        cadence=cadence,
        title=title.strip(),
        expected_result=expected_result.strip(),
        responsible=responsible,
    )
    validate(item)
    item.save()
    audit(actor, item, "create", task=task.pk, due_on=due_on.isoformat())
    return item


def _check_file(file: UploadedFile) -> str:
    name = PurePath(file.name or "evidence").name[:200]
    if PurePath(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise InvalidInput.for_field(
            "files",
            _("Attach photos, documents, spreadsheets or zip files (%(extensions)s).")
            % {"extensions": ", ".join(sorted(EVIDENCE_EXTENSIONS))},
        )
    if not file.size:
        raise InvalidInput.for_field("files", _("The file is empty."))
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            "files", _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    return name


@transaction.atomic
def item_report(
    *,
    actor: User,
    item: TaskItem,
    status: str,
    percent: int | None = None,
    reason: str = "",
    note: str = "",
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """The responsible person (or the department's head) reports on the item: done, partly done
    with how much, or blocked with why. Done is final: the day it was done is what the score reads."""
    item = TaskItem.objects.select_for_update(of=("self",)).select_related("task").get(pk=item.pk)
    if access.officer_department(actor) != item.task.department_id and not is_commander(actor):
        raise NotFound()
    require(access.may_report(actor, item))
    if item.status == ItemStatus.DONE:
        raise Conflict(_("This item was already reported done."), code="item_done")
    reason, note = reason.strip(), note.strip()
    if status == ItemStatus.DONE:
        percent = 100
    elif status == ItemStatus.PARTLY:
        if percent is None or not 1 <= percent <= 99:
            raise InvalidInput.for_field("percent", _("Say how much is done: 1 to 99 percent."))
    elif status == ItemStatus.BLOCKED:
        if not reason:
            raise InvalidInput.for_field("reason", _("Say what blocks it."), code="required")
        percent = item.percent if percent is None else percent
    else:
        raise InvalidInput.for_field("status", _("Report it done, partly done or blocked."))
    if len(files) > MAX_EVIDENCE:
        raise InvalidInput.for_field("files", _("At most %(n)s files a report.") % {"n": MAX_EVIDENCE})
    names = [_check_file(file) for file in files]
    report = ProgressReport(item=item, status=status, percent=percent or 0, reason=reason, note=note, reported_by=actor)
    validate(report, exclude=["item"])
    report.save()
    for file, name in zip(files, names, strict=True):
        evidence = Evidence(report=report, name=name, size=file.size or 0)
        evidence.file.save(name, file, save=False)
        evidence.save()
    now = timezone.now()
    item.status, item.percent, item.reported_at = status, report.percent, now
    fields = ["status", "percent", "reported_at", "updated_at"]
    if status == ItemStatus.DONE:
        item.done_at, item.done_on = now, timezone.localdate(now)
        fields += ["done_at", "done_on"]
    item.save(update_fields=fields)
    audit(actor, item, "report", status=status, percent=report.percent, files=len(names))
    return report


def _head_of(department_id: int) -> User | None:
    head = Department.objects.select_related("head").get(pk=department_id).head
    return head if head is not None and head.is_active and head.department_id == department_id else None


def remind_overdue(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind the responsible person of every overdue item, once; a day later, tell the
    department's head, once. Returns (reminded, escalated). Run it as often as you like."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = TaskItem.objects.filter(due_on__lt=today).exclude(status=ItemStatus.DONE)
    due = candidates.filter(reminded_at__isnull=True) | candidates.filter(escalated_at__isnull=True)
    reminded = escalated = 0
    for pk in list(due.values_list("pk", flat=True).order_by("pk")):
        with transaction.atomic():
            item = (
                TaskItem.objects.select_for_update(of=("self",))
                .select_related("task", "task__department", "responsible")
                .get(pk=pk)
            )
            done = item.status == ItemStatus.DONE
            params = {"item": item.title, "due": item.due_on.isoformat(), "department": item.task.department.name}
            if deadlines.reminder_due(due_on=item.due_on, done=done, today=today, reminded_at=item.reminded_at):
                item.reminded_at = now
                item.save(update_fields=["reminded_at"])
                audit(None, item, "remind")
                notify(
                    recipients=[item.responsible],
                    kind=NotificationKind.REMINDER,
                    title=gettext_lazy("Overdue: %(item)s"),
                    body=gettext_lazy("It was due on %(due)s. Report what is done, or what blocks it."),
                    params=params,
                    link=MY_ITEMS,
                    source=item,
                )
                reminded += 1
            head = _head_of(item.task.department_id)
            if head is not None and deadlines.escalation_due(
                due_on=item.due_on, done=done, today=today, escalated_at=item.escalated_at
            ):
                item.escalated_at = now
                item.save(update_fields=["escalated_at"])
                audit(None, item, "escalate", head=head.pk)
                notify(
                    recipients=[head],
                    kind=NotificationKind.ALERT,
                    title=gettext_lazy("Still overdue in %(department)s: %(item)s"),
                    body=gettext_lazy("Due on %(due)s and still not reported done by %(person)s."),
                    params={**params, "person": item.responsible.display_name},
                    link=f"/supervision/items/{item.pk}/",
                    source=item,
                )
                escalated += 1
    return reminded, escalated
