"""Supervision of key tasks (督查考核) and dispatch meetings, under /dispatch/: tasks, items and their
progress reports, monthly scores and their calculation, closing a month, the scheme, meetings.

Scoped: the commander reads every department and manages the scheme, the months and the meetings;
a department officer reads their department's tasks, items and score, and reports on the items
they answer for (or, as its head, on any of the department's); anyone else, a device token
included, reads nothing. Objects out of scope answer 404."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import Forbidden, InvalidInput, NotFound
from zoneguard.core.roles import is_commander
from zoneguard.dispatch.selectors import project_access
from zoneguard.tickets.selectors import ticket_access

from . import selectors, services
from .models import ItemStatus
from .schemas import (
    MONTH_PATTERN,
    AgendaItemIn,
    AgendaItemOut,
    AssessmentSchemeIn,
    AssessmentSchemeOut,
    ClosedMonthOut,
    DepartmentHeadIn,
    DepartmentHeadOut,
    DepartmentScoreDetailOut,
    DepartmentScoreOut,
    KeyTaskFilters,
    KeyTaskIn,
    KeyTaskOut,
    MeetingDecisionIn,
    MeetingDecisionOut,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    MinutesIn,
    MinutesReaderOut,
    ProgressReportOut,
    ScoreMonthQuery,
    TaskItemFilters,
    TaskItemIn,
    TaskItemOut,
    month_of,
    score_out,
)

router = Router(tags=["supervision"])

PK = Path(..., ge=1, le=MAX_ID)
MONTH = Path(..., pattern=MONTH_PATTERN, description="YYYY-MM")


def _officer(department_id: int, pk: int) -> Any:
    officer = selectors.department_officers(department_id=department_id).filter(pk=pk).first()
    if officer is None:
        raise InvalidInput.for_field("responsible_id", _("Choose an officer of the department."))
    return officer


# --- Tasks and items ----------------------------------------------------------------------------


@router.get("/dispatch/tasks", response={200: list[KeyTaskOut], **ERRORS})
@paginate(Paging)
def task_list(request: ApiRequest, filters: Query[KeyTaskFilters]) -> Any:
    """Key tasks by quarter, with how many of their items are done and overdue."""
    return selectors.task_list(actor=request.user, **filters.dict())


@router.post("/dispatch/tasks", response={201: KeyTaskOut, **ERRORS})
def task_create(request: ApiRequest, payload: KeyTaskIn) -> Any:
    """The commander, or an officer for their own department."""
    data = payload.dict()
    department = selectors.department_access(actor=request.user, pk=data.pop("department_id"))
    task = services.task_create(actor=request.user, department=department, **data)
    return 201, selectors.task_access(actor=request.user, pk=task.pk)


@router.get("/dispatch/tasks/{pk}", response={200: KeyTaskOut, **ERRORS})
def task_read(request: ApiRequest, pk: int = PK) -> Any:
    """One key task with its items' counts (done, overdue): the commander any; a department officer their
    department's; 404 otherwise."""
    return selectors.task_access(actor=request.user, pk=pk)


@router.get("/dispatch/items", response={200: list[TaskItemOut], **ERRORS})
@paginate(Paging)
def item_list(request: ApiRequest, filters: Query[TaskItemFilters]) -> Any:
    """Dated items of key tasks, by day; `overdue=true`: not reported done by the end of their day."""
    return selectors.item_list(actor=request.user, **filters.dict())


@router.post("/dispatch/items", response={201: TaskItemOut, **ERRORS})
def item_create(request: ApiRequest, payload: TaskItemIn) -> Any:
    """A dated step of a task, within its quarter, for an officer of its department."""
    task = selectors.task_access(actor=request.user, pk=payload.task_id)
    item = services.item_create(
        actor=request.user,
        task=task,
        due_on=payload.due_on,
        cadence=payload.cadence,
        title=payload.title,
        expected_result=payload.expected_result,
        responsible=_officer(task.department_id, payload.responsible_id),
    )
    return 201, selectors.item_access(actor=request.user, pk=item.pk)


@router.get("/dispatch/items/{pk}", response={200: TaskItemOut, **ERRORS})
def item_read(request: ApiRequest, pk: int = PK) -> Any:
    """One dated item of a key task: the commander any; a department officer their department's; 404 otherwise."""
    return selectors.item_access(actor=request.user, pk=pk)


@router.get("/dispatch/items/{pk}/reports", response={200: list[ProgressReportOut], **ERRORS})
@paginate(Paging)
def report_list(request: ApiRequest, pk: int = PK) -> Any:
    """The item's progress reports, newest first, with links to their evidence."""
    return selectors.item_reports(item=selectors.item_access(actor=request.user, pk=pk))


@router.post("/dispatch/items/{pk}/reports", response={201: ProgressReportOut, **ERRORS})
def report_create(
    request: ApiRequest,
    status: Form[ItemStatus],
    percent: Form[int | None] = None,
    reason: Form[str] = "",
    note: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    pk: int = PK,
) -> Any:
    """Multipart: `status` done, partly (with `percent`, 1 to 99) or blocked (with `reason`), a
    `note`, and up to five `files` of evidence. By the item's responsible person or the
    department's head; 409 once the item is done."""
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput.for_field("percent", _("Say how much is done: 1 to 99 percent."))
    if len(reason) > 300 or len(note) > 500:
        raise InvalidInput.for_field("note", _("The text is too long."))
    item = selectors.item_access(actor=request.user, pk=pk)
    report = services.item_report(
        actor=request.user, item=item, status=status, percent=percent, reason=reason, note=note, files=files or []
    )
    return 201, selectors.item_reports(item=item).get(pk=report.pk)


@router.put("/dispatch/heads/{pk}", response={200: DepartmentHeadOut, **ERRORS})
def head_set(request: ApiRequest, payload: DepartmentHeadIn, pk: int = PK) -> Any:
    """The commander names a department's head, told of items still overdue a day on."""
    if not is_commander(request.user):
        raise NotFound()
    department = selectors.department_access(actor=request.user, pk=pk)
    department = services.department_head_set(
        actor=request.user, department=department, user=_officer(department.pk, payload.user_id)
    )
    return {"department_id": department.pk, "user_id": department.head_id}


# --- Scores -------------------------------------------------------------------------------------


@router.get("/dispatch/scores", response={200: list[DepartmentScoreOut], **ERRORS})
@paginate(Paging)
def score_list(request: ApiRequest, query: Query[ScoreMonthQuery]) -> Any:
    """The month's ranking with the change from the month before: the stored scores once the
    commander closed the month, computed from the records before. An officer gets their own
    department's row."""
    month = month_of(query.month)
    result = selectors.month_scores(actor=request.user, month=month)
    return [score_out(row, result.month, result.closed is not None) for row in result.rows]


@router.get("/dispatch/scores/{department}/{month}", response={200: DepartmentScoreDetailOut, **ERRORS})
def score_read(request: ApiRequest, department: int = PK, month: str = MONTH) -> Any:
    """A department's score of the month with its calculation, line by line (item, rule, points)."""
    when = month_of(month)
    row = selectors.department_score(actor=request.user, department_id=department, month=when)
    closed = selectors.closed_months().filter(month=when).exists()
    return score_out(row, when, closed, lines=True)


@router.post("/dispatch/months/{month}/close", response={201: ClosedMonthOut, **ERRORS})
def month_close(request: ApiRequest, month: str = MONTH) -> Any:
    """The commander freezes a month that is over: its scores are stored and answered from then on."""
    if not is_commander(request.user):
        raise NotFound()
    return 201, services.month_close(actor=request.user, month=month_of(month))


@router.get("/dispatch/scheme", response={200: AssessmentSchemeOut, **ERRORS})
def scheme_read(request: ApiRequest) -> Any:
    """The active assessment scheme monthly scores are computed with (base, weights, deductions per overdue day,
    bonuses, floor): the commander only; 404 for others, and when no scheme is active."""
    if not is_commander(request.user):
        raise NotFound()
    scheme = selectors.active_scheme()
    if scheme is None:
        raise NotFound()
    return scheme


@router.put("/dispatch/scheme", response={200: AssessmentSchemeOut, **ERRORS})
def scheme_save(request: ApiRequest, payload: AssessmentSchemeIn) -> Any:
    """The commander edits the active scheme; closed months keep the one they were closed with."""
    if not is_commander(request.user):
        raise NotFound()
    data = payload.dict()
    weights = {str(kind): value for kind, value in data.pop("weights").items()}
    return services.scheme_save(actor=request.user, weights=weights, **data)


# --- Meetings -----------------------------------------------------------------------------------


def _meeting(request: ApiRequest, pk: int) -> Any:
    return selectors.meeting_access(actor=request.user, pk=pk)


def _managed(request: ApiRequest, pk: int) -> Any:
    meeting = _meeting(request, pk)
    if not is_commander(request.user):
        raise Forbidden()
    return meeting


@router.get("/dispatch/meetings", response={200: list[MeetingListOut], **ERRORS})
@paginate(Paging)
def meeting_list(request: ApiRequest) -> Any:
    """Every meeting for the commander; for an officer, those their department or they attend."""
    return selectors.meeting_list(actor=request.user)


def _meeting_details(request: ApiRequest, payload: MeetingIn) -> dict[str, Any]:
    """The payload as the services take it: the departments and people it names, each known."""
    departments = list(selectors.visible_departments(actor=request.user).filter(pk__in=payload.department_ids))
    if len(departments) != len(set(payload.department_ids)):
        raise InvalidInput.for_field("department_ids", _("Unknown department."))
    people = list(selectors.meeting_people().filter(pk__in=payload.people_ids))
    if len(people) != len(set(payload.people_ids)):
        raise InvalidInput.for_field("people_ids", _("Choose officers of the zone."))
    return {
        "title": payload.title,
        "held_at": payload.held_at,
        "place": payload.place,
        "video_link": payload.video_link,
        "departments": departments,
        "people": people,
    }


@router.post("/dispatch/meetings", response={201: MeetingOut, **ERRORS})
def meeting_create(request: ApiRequest, payload: MeetingIn) -> Any:
    """Call a dispatch meeting, naming the departments and the people (officers and commanders of the zone) who
    attend: the commander only (404 for others). 422 for an unknown department or person."""
    if not is_commander(request.user):
        raise NotFound()
    meeting = services.meeting_create(actor=request.user, **_meeting_details(request, payload))
    return 201, _meeting(request, meeting.pk)


@router.put("/dispatch/meetings/{pk}", response={200: MeetingOut, **ERRORS})
def meeting_update(request: ApiRequest, payload: MeetingIn, pk: int = PK) -> Any:
    """Move the meeting, change its place or who attends (409 once its minutes are sent)."""
    meeting = _managed(request, pk)
    services.meeting_update(actor=request.user, meeting=meeting, **_meeting_details(request, payload))
    return _meeting(request, pk)


@router.get("/dispatch/meetings/{pk}", response={200: MeetingOut, **ERRORS})
def meeting_read(request: ApiRequest, pk: int = PK) -> Any:
    """One meeting with its agenda, decisions and minutes: the commander any; an officer those their department or
    they themselves attend; 404 otherwise."""
    return _meeting(request, pk)


@router.post("/dispatch/meetings/{pk}/agenda", response={201: AgendaItemOut, **ERRORS})
def agenda_add(request: ApiRequest, payload: AgendaItemIn, pk: int = PK) -> Any:
    """An agenda item about an investment project, a key task or an enterprise request (at most one). The
    commander; 409 `minutes_sent` once the meeting's minutes were sent."""
    meeting = _managed(request, pk)
    task = selectors.task_access(actor=request.user, pk=payload.task_id) if payload.task_id else None
    ticket = ticket_access(actor=request.user, pk=payload.ticket_id) if payload.ticket_id else None
    project = project_access(actor=request.user, pk=payload.project_id) if payload.project_id else None
    return 201, services.agenda_add(
        actor=request.user, meeting=meeting, title=payload.title, task=task, ticket=ticket, project=project
    )


@router.put("/dispatch/meetings/{pk}/minutes", response={200: MeetingOut, **ERRORS})
def minutes_save(request: ApiRequest, payload: MinutesIn, pk: int = PK) -> Any:
    """The minutes, until they are sent (409 after)."""
    services.meeting_minutes_save(actor=request.user, meeting=_managed(request, pk), minutes=payload.minutes)
    return _meeting(request, pk)


@router.post("/dispatch/meetings/{pk}/minutes/send", response={200: list[MinutesReaderOut], **ERRORS})
def minutes_send(request: ApiRequest, pk: int = PK) -> Any:
    """Send the minutes to the attendees as a notice, once (409 after); answers its read receipts."""
    notice = services.minutes_send(actor=request.user, meeting=_managed(request, pk))
    return list(selectors.minutes_receipts(notice_id=notice.pk))


@router.get("/dispatch/meetings/{pk}/receipts", response={200: list[MinutesReaderOut], **ERRORS})
def minutes_receipts(request: ApiRequest, pk: int = PK) -> Any:
    """Who has read the minutes (those who have not first); empty until they are sent."""
    meeting = _managed(request, pk)
    if meeting.minutes_notice_id is None:
        return []
    return list(selectors.minutes_receipts(notice_id=meeting.minutes_notice_id))


@router.get("/dispatch/meetings/{pk}/decisions", response={200: list[MeetingDecisionOut], **ERRORS})
def decision_list(request: ApiRequest, pk: int = PK) -> Any:
    """The meeting's decisions by due date, for those who see the meeting (404 otherwise)."""
    return list(_meeting(request, pk).decisions.all())


@router.post("/dispatch/meetings/{pk}/decisions", response={201: MeetingDecisionOut, **ERRORS})
def decision_add(request: ApiRequest, payload: MeetingDecisionIn, pk: int = PK) -> Any:
    """Record a decision of the meeting for an active department (404 otherwise), with its owner (an officer of that
    department; 422 otherwise), due date and, optionally, the agenda item it settles (422 when not this meeting's).
    The commander only: 403 to an officer who sees the meeting. 409 `minutes_sent` once the minutes were sent."""
    meeting = _managed(request, pk)
    department = selectors.department_access(actor=request.user, pk=payload.department_id)
    owner = selectors.department_officers(department_id=department.pk).filter(pk=payload.owner_id).first()
    if owner is None:
        raise InvalidInput.for_field("owner_id", _("Choose an officer of the department."))
    agenda_item = None
    if payload.agenda_item_id is not None:
        agenda_item = meeting.agenda.filter(pk=payload.agenda_item_id).first()
        if agenda_item is None:
            raise InvalidInput.for_field("agenda_item_id", _("Choose an item of this meeting's agenda."))
    return 201, services.decision_add(
        actor=request.user,
        meeting=meeting,
        text=payload.text,
        department=department,
        owner=owner,
        due_on=payload.due_on,
        agenda_item=agenda_item,
    )


@router.post("/dispatch/meetings/{pk}/decisions/{decision}/item", response={201: TaskItemOut, **ERRORS})
def decision_to_item(request: ApiRequest, pk: int = PK, decision: int = PK) -> Any:
    """The decision becomes a key-task item of its department, with its owner and day: once (409 after)."""
    meeting = _managed(request, pk)
    item = services.decision_to_item(
        actor=request.user, decision=selectors.decision_access(actor=request.user, meeting=meeting, pk=decision)
    )
    return 201, selectors.item_access(actor=request.user, pk=item.pk)
