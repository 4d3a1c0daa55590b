"""Writes of dispatch meetings (调度会, 无接触办公): the commander holds them, sets the agenda, writes
the minutes and decisions; each decision becomes a key-task item once; the minutes go out to the
attendees as a notice whose readings are the read receipts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.services import changes_between
from zoneguard.core.dates import check_planned
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.core.roles import is_commander
from zoneguard.notices.services import notice_send_to_people
from zoneguard.registry.models import Department

from .. import deadlines, selectors
from ..models import AgendaItem, Decision, KeyTask, Meeting, TaskItem, TaskKind
from .common import audit, is_officer_of, require, validate
from .tasks import item_create


def _set_details(
    meeting: Meeting,
    title: str,
    held_at: datetime,
    place: str,
    video_link: str,
    departments: Iterable[Department],
    people: Iterable[User],
) -> dict[str, Any]:
    """Check and save what a meeting is (when, where, who attends); returns it as audited."""
    check_planned(held_at, "held_at")
    place, video_link = place.strip(), video_link.strip()
    if not place and not video_link:
        raise InvalidInput.for_field("place", _("Say where the meeting is held, or give its video link."))
    meeting.title, meeting.held_at, meeting.place, meeting.video_link = title.strip(), held_at, place, video_link
    validate(meeting)
    meeting.save()
    departments, people = list(departments), [p for p in people if p.is_active]
    meeting.departments.set(departments)
    meeting.people.set(people)
    return _details(meeting)


def _details(meeting: Meeting) -> dict[str, Any]:
    """What a meeting is, as its audit rows compare it."""
    return {
        "title": meeting.title,
        "held_at": meeting.held_at.isoformat(),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "departments": sorted(meeting.departments.values_list("pk", flat=True)),
        "people": sorted(meeting.people.values_list("pk", flat=True)),
    }


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    title: str,
    held_at: datetime,
    place: str = "",
    video_link: str = "",
    departments: Iterable[Department] = (),
    people: Iterable[User] = (),
) -> Meeting:
    require(is_commander(actor))
    meeting = Meeting(created_by=actor)
    details = _set_details(meeting, title, held_at, place, video_link, departments, people)
    audit(actor, meeting, "create", departments=details["departments"], people=details["people"])
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    held_at: datetime,
    place: str = "",
    video_link: str = "",
    departments: Iterable[Department] = (),
    people: Iterable[User] = (),
) -> Meeting:
    """Move a meeting, change its place or who attends, until its minutes are sent."""
    require(is_commander(actor))
    meeting = _lock(meeting)
    if meeting.minutes_notice_id is not None:
        raise Conflict(_("The minutes were sent: the meeting cannot be changed."), code="minutes_sent")
    before = _details(meeting)
    after = _set_details(meeting, title, held_at, place, video_link, departments, people)
    audit(actor, meeting, "update", changes=changes_between(before, after))
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_minutes_save(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """The minutes, until they are sent: what the attendees read is what was sent."""
    require(is_commander(actor))
    meeting = _lock(meeting)
    if meeting.minutes_notice_id is not None:
        raise Conflict(_("The minutes were sent: they cannot be changed."), code="minutes_sent")
    meeting.minutes = minutes.strip()
    validate(meeting)
    meeting.save(update_fields=["minutes", "updated_at"])
    audit(actor, meeting, "minutes", length=len(meeting.minutes))
    return meeting


@transaction.atomic
def agenda_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    task: KeyTask | None = None,
    ticket: Any = None,
    project: Any = None,
) -> AgendaItem:
    """An agenda item, about an investment project, a key task or an enterprise request (at most
    one of them), until the minutes are sent: the meeting was held then."""
    require(is_commander(actor))
    meeting = _lock(meeting)
    if meeting.minutes_notice_id is not None:
        raise Conflict(_("The minutes were sent: the agenda is closed."), code="minutes_sent")
    if sum(link is not None for link in (task, ticket, project)) > 1:
        raise InvalidInput.for_field("task_id", _("Link the agenda item to one thing: a project, a task or a request."))
    item = AgendaItem(meeting=meeting, title=title.strip(), task=task, ticket=ticket, project=project)
    validate(item, exclude=["meeting"])
    item.save()
    audit(
        actor,
        meeting,
        "agenda",
        agenda_item=item.pk,
        task=task.pk if task else None,
        ticket=ticket.pk if ticket else None,
        project=project.pk if project else None,
    )
    return item


@transaction.atomic
def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    department: Department,
    owner: User,
    due_on: date,
    agenda_item: AgendaItem | None = None,
) -> Decision:
    """A decision of the meeting, until its minutes are sent: the minutes carry the decisions to the
    attendees, and one added after would reach none of them. The meeting is locked, as for
    `minutes_send`, so a decision is either in the minutes sent or refused."""
    require(is_commander(actor))
    meeting = _lock(meeting)
    if meeting.minutes_notice_id is not None:
        raise Conflict(_("The minutes were sent: no decision can be added."), code="minutes_sent")
    if not is_officer_of(owner, department.pk):
        raise InvalidInput.for_field("owner_id", _("Choose an officer of the department."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise InvalidInput.for_field("agenda_item_id", _("Choose an item of this meeting's agenda."))
    decision = Decision(
        meeting=meeting, text=text.strip(), department=department, owner=owner, due_on=due_on, agenda_item=agenda_item
    )
    validate(decision, exclude=["meeting"])
    decision.save()
    audit(actor, meeting, "decision", decision=decision.pk, department=department.pk, due_on=due_on.isoformat())
    return decision


def _task_for(decision: Decision, actor: User) -> KeyTask:
    """The agenda item's task when it is the department's and covers the day; otherwise the
    department's task of meeting decisions for that quarter, created the first time."""
    year, quarter = deadlines.quarter_of(decision.due_on)
    linked = decision.agenda_item.task if decision.agenda_item is not None else None
    if (
        linked is not None
        and linked.department_id == decision.department_id
        and (linked.year, linked.quarter) == (year, quarter)
    ):
        return linked
    task = KeyTask.objects.filter(
        department_id=decision.department_id, year=year, quarter=quarter, kind=TaskKind.MEETING
    ).first()
    if task is None:
        task = KeyTask.objects.create(
            department_id=decision.department_id,
            year=year,
            quarter=quarter,
            kind=TaskKind.MEETING,
            title=_("Decisions of dispatch meetings"),
            target=_("Every decision carried out by its day"),
            created_by=actor,
        )
        audit(actor, task, "create", department=decision.department_id)
    return task


@transaction.atomic
def decision_to_item(*, actor: User, decision: Decision) -> TaskItem:
    """The decision becomes an item of the department's key tasks, with its owner and day: once."""
    require(is_commander(actor))
    decision = Decision.objects.select_for_update(of=("self",)).select_related("agenda_item__task").get(pk=decision.pk)
    if decision.item_id is not None:
        raise Conflict(_("This decision is already an item."), code="decision_item_exists")
    item = item_create(
        actor=actor,
        task=_task_for(decision, actor),
        due_on=decision.due_on,
        title=decision.text,
        expected_result=decision.text,
        responsible=decision.owner,
    )
    decision.item = item
    decision.save(update_fields=["item"])
    audit(actor, decision.meeting, "decision_item", decision=decision.pk, item=item.pk)
    return item


@transaction.atomic
def minutes_send(*, actor: User, meeting: Meeting) -> Any:
    """Send the minutes (and the decisions) to the attendees as a notice, once."""
    require(is_commander(actor))
    meeting = _lock(meeting)
    if meeting.minutes_notice_id is not None:
        raise Conflict(_("The minutes were already sent."), code="minutes_sent")
    if not meeting.minutes:
        raise InvalidInput.for_field("minutes", _("Write the minutes first."), code="required")
    decisions = list(meeting.decisions.select_related("department", "owner").order_by("due_on", "id"))
    body = linebreaks(escape(meeting.minutes))
    if decisions:
        rows = "".join(
            f"<li>{escape(d.text)} — {escape(d.department.name)}, {escape(d.owner.display_name)}, "
            f"{d.due_on:%Y-%m-%d}</li>"
            for d in decisions
        )
        heading = escape(_("Decisions"))
        body += f"<h3>{heading}</h3><ol>{rows}</ol>"
    notice = notice_send_to_people(
        actor=actor,
        title=_("Minutes: %(title)s") % {"title": meeting.title},
        body=body,
        people=selectors.attendees(meeting),
    )
    meeting.minutes_notice = notice
    meeting.save(update_fields=["minutes_notice", "updated_at"])
    audit(actor, meeting, "minutes_sent", notice=notice.pk)
    return notice
