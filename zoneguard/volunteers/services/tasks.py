"""Tasks of the corps: canvassing rounds (a checklist per shop, and the to-do an open unregistered
shop becomes) and leaflet drops."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, changes_between, snapshot
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation

from .. import access, canvassing, selectors
from ..models import (
    LeafletDrop,
    ShopVisit,
    Task,
    TaskStatus,
    Todo,
    TodoReason,
    TodoStatus,
    Volunteer,
    VolunteerStatus,
    VolunteerTaskKind,
)
from .common import MY_TASKS, checked_community, require_runs

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

# Photos of a shop's front or notice: images only, never a file a browser would run.
PHOTO_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


@transaction.atomic
def task_create(
    *,
    actor: User,
    community: Organisation,
    kind: str,
    title: str,
    note: str = "",
    due_on: date | None = None,
    volunteer_ids: Sequence[int] = (),
    shop_ids: Sequence[int] | None = None,
) -> Task:
    """Give volunteers of the community a task. A canvassing round covers the shops given, or
    every active shop and market of the community."""
    community = checked_community(community)
    require_runs(actor, community.pk)
    if kind not in VolunteerTaskKind.values:
        raise InvalidInput.for_field("kind", _("Choose a kind of task."))
    volunteers = list(
        Volunteer.objects.filter(pk__in=set(volunteer_ids), community=community, status=VolunteerStatus.APPROVED)
    )
    if len(volunteers) != len(set(volunteer_ids)):
        raise InvalidInput.for_field("volunteer_ids", _("Choose approved volunteers of the community."))
    shops: list[Organisation] = []
    if kind == VolunteerTaskKind.CANVASSING:
        choices = selectors.shop_choices(community_ids=[community.pk])
        shops = list(choices if shop_ids is None else choices.filter(pk__in=set(shop_ids)))
        if shop_ids is not None and len(shops) != len(set(shop_ids)):
            raise InvalidInput.for_field("shop_ids", _("Choose shops registered in the community."))
        if not shops:
            raise InvalidInput.for_field("shop_ids", _("The community has no shops registered to canvass."))
    task = Task(community=community, kind=kind, title=title.strip(), note=note.strip(), due_on=due_on, created_by=actor)
    validate_and_save(task)
    task.volunteers.set(volunteers)
    task.shops.set(shops)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        organisation_id=community.pk,
        detail={
            "kind": kind,
            "volunteer_ids": sorted(v.pk for v in volunteers),
            "shop_ids": sorted(s.pk for s in shops),
        },
    )
    notify(
        recipients=[v.user for v in volunteers if v.user_id],
        kind=NotificationKind.REMINDER,
        title=gettext_lazy("New task: %(title)s"),
        body=gettext_lazy("%(community)s gave you a task. See My tasks."),
        params={"title": task.title, "community": community.name},
        link=MY_TASKS,
        source=task,
    )
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    require_runs(actor, task.community_id)
    if Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, updated_at=timezone.now()
    ):
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=task,
            organisation_id=task.community_id,
            detail={"changes": {"status": [TaskStatus.OPEN, TaskStatus.DONE]}},
        )
    task.refresh_from_db()
    return task


def _task_worker(actor: User, task: Task) -> Volunteer | None:
    """Who records a task's results: a volunteer it was given to (returned), or a worker of the
    community (None). A task that is done takes no more."""
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("This task is done."), code="task_done")
    if access.is_volunteer(actor):
        volunteer = selectors.volunteer_of(actor)
        if volunteer is None or not task.volunteers.filter(pk=volunteer.pk).exists():
            raise NotFound()
        return volunteer
    require_runs(actor, task.community_id)
    return None


def check_photo(photo: UploadedFile, *, field: str = "photo") -> str:
    """The photo's safe name, or InvalidInput unless it is a JPEG or PNG image within the limit."""
    suffix = PurePath(str(photo.name or "")).suffix.lower()
    if suffix not in PHOTO_TYPES:
        raise InvalidInput.for_field(field, _("Upload a photo (JPEG or PNG)."), code="file_type")
    if not photo.size:
        raise InvalidInput.for_field(field, _("The file is empty."), code="file_empty")
    if photo.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            field,
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidInput.for_field(field, _("Upload a photo (JPEG or PNG)."), code="file_type") from error
    finally:
        photo.seek(0)
    if kind != PHOTO_TYPES[suffix]:
        raise InvalidInput.for_field(field, _("Upload a photo (JPEG or PNG)."), code="file_type")
    return f"shop{suffix}"


VISIT_FIELDS = ("is_open", "staff_count", "masks_worn", "staff_registered", "disinfection_done", "note")


@transaction.atomic
def visit_record(
    *,
    actor: User,
    task: Task,
    shop: Organisation | None,
    is_open: bool,
    staff_count: int | None = None,
    masks_worn: bool | None = None,
    staff_registered: bool | None = None,
    disinfection_done: bool | None = None,
    note: str = "",
    photo: UploadedFile | None = None,
    visited_at: datetime | None = None,
) -> ShopVisit:
    """Record one shop's checklist in a canvassing round (recording it again corrects it). An open
    shop answers every check; a closed one none. A shop open without its staff registered becomes a
    to-do for the community (canvassing.needs_follow_up), once while it is open."""
    visitor = _task_worker(actor, task)
    if task.kind != VolunteerTaskKind.CANVASSING:
        raise InvalidInput.for_field("task", _("Shops are canvassed in a canvassing task."), code="not_canvassing")
    if shop is None or not task.shops.filter(pk=shop.pk).exists():
        raise InvalidInput.for_field("shop_id", _("This shop is not part of the round."), code="shop_not_in_task")
    now = timezone.now()
    if visited_at is not None and visited_at > now + timedelta(minutes=1):
        raise InvalidInput.for_field("visited_at", _("The time lies in the future."), code="in_the_future")
    if is_open:
        missing = {
            name: [_("Answer this for an open shop.")]
            for name, value in (
                ("staff_count", staff_count),
                ("masks_worn", masks_worn),
                ("staff_registered", staff_registered),
                ("disinfection_done", disinfection_done),
            )
            if value is None
        }
        if missing:
            raise InvalidInput(next(iter(missing.values()))[0], code="checklist_incomplete", errors=missing)
    else:
        staff_count = masks_worn = staff_registered = disinfection_done = None
    photo_name = check_photo(photo) if photo is not None else ""
    visit = ShopVisit.objects.select_for_update().filter(task=task, shop=shop).first()
    created = visit is None
    if visit is None:
        visit = ShopVisit(task=task, shop=shop)
    before = {} if created else snapshot(visit, VISIT_FIELDS)
    visit.visited_by = visitor if visitor is not None else visit.visited_by
    visit.recorded_by = actor
    visit.visited_at = visited_at or now
    visit.is_open, visit.staff_count, visit.masks_worn = is_open, staff_count, masks_worn
    visit.staff_registered, visit.disinfection_done, visit.note = staff_registered, disinfection_done, note.strip()
    if photo is not None:
        visit.photo.save(photo_name, photo, save=False)
    validate_and_save(visit)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=visit,
        organisation_id=task.community_id,
        detail={
            "task_id": task.pk,
            "shop_id": shop.pk,
            "changes": changes_between(before, snapshot(visit, VISIT_FIELDS)),
        },
    )
    facts = canvassing.VisitFacts(
        shop_id=shop.pk,
        visited_at=visit.visited_at,
        is_open=is_open,
        masks_worn=masks_worn,
        staff_registered=staff_registered,
        disinfection_done=disinfection_done,
    )
    if canvassing.needs_follow_up(facts):
        _todo_open(actor, task, visit)
    return visit


def _todo_open(actor: User, task: Task, visit: ShopVisit) -> None:
    if Todo.objects.filter(
        organisation=visit.shop, reason=TodoReason.UNREGISTERED_STAFF, status=TodoStatus.OPEN
    ).exists():
        return
    todo = Todo(community=task.community, organisation=visit.shop, reason=TodoReason.UNREGISTERED_STAFF, visit=visit)
    validate_and_save(todo)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=todo,
        organisation_id=task.community_id,
        detail={"visit_id": visit.pk, "reason": todo.reason},
    )
    notify(
        recipients=selectors.community_workers(community_id=task.community_id),
        kind=NotificationKind.REMINDER,
        title=gettext_lazy("To do: %(shop)s is open without its staff registered"),
        body=gettext_lazy("Found in the canvassing round %(task)s. Register its staff, then close the to-do."),
        params={"shop": visit.shop.name, "task": task.title},
        link="/volunteers/todos/",
        source=todo,
    )


@transaction.atomic
def visit_photo(*, actor: User, visit: ShopVisit, photo: UploadedFile) -> ShopVisit:
    _task_worker(actor, visit.task)
    name = check_photo(photo)
    visit.photo.save(name, photo, save=False)
    visit.save(update_fields=["photo", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=visit,
        organisation_id=visit.task.community_id,
        detail={"photo": visit.photo.name},
    )
    return visit


@transaction.atomic
def leaflets_record(
    *, actor: User, task: Task, building: str, leaflets: int, note: str = "", dropped_at: datetime | None = None
) -> LeafletDrop:
    visitor = _task_worker(actor, task)
    if task.kind != VolunteerTaskKind.LEAFLETS:
        raise InvalidInput.for_field("task", _("Leaflets are recorded in a leaflet task."), code="not_leaflets")
    now = timezone.now()
    if dropped_at is not None and dropped_at > now + timedelta(minutes=1):
        raise InvalidInput.for_field("dropped_at", _("The time lies in the future."), code="in_the_future")
    drop = LeafletDrop(
        task=task,
        building=building.strip(),
        leaflets=leaflets,
        note=note.strip(),
        dropped_by=visitor,
        recorded_by=actor,
        dropped_at=dropped_at or now,
    )
    validate_and_save(drop)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=drop,
        organisation_id=task.community_id,
        detail={"task_id": task.pk, "building": drop.building, "leaflets": leaflets},
    )
    return drop


@transaction.atomic
def todo_close(*, actor: User, todo: Todo, note: str = "") -> Todo:
    require_runs(actor, todo.community_id)
    now = timezone.now()
    closed = Todo.objects.filter(pk=todo.pk, status=TodoStatus.OPEN).update(
        status=TodoStatus.DONE, closed_at=now, closed_by=actor, closing_note=note.strip()[:200], updated_at=now
    )
    if not closed:
        raise Conflict(_("This to-do is closed already."), code="closed")
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=todo,
        organisation_id=todo.community_id,
        detail={"changes": {"status": [TodoStatus.OPEN, TodoStatus.DONE]}, "note": note.strip()[:200]},
    )
    todo.refresh_from_db()
    return todo
