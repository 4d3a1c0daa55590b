"""Pages of supervision: my items of today (one report form per item), the department's tasks,
the monthly ranking and the calculation behind a score, the scheme, closing a month, meetings."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError
from zoneguard.core.exports import Table, table_response
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import is_commander
from zoneguard.core.web import AuthedRequest, carried, perform, perform_with_form, set_choices_queryset, submit_form
from zoneguard.dispatch.selectors import project_list
from zoneguard.tickets.selectors import ticket_list

from . import access, deadlines, selectors, services
from .forms import (
    AgendaForm,
    DecisionForm,
    HeadForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    MonthForm,
    ReportForm,
    SchemeForm,
    TaskForm,
)
from .labels import explain
from .models import AssessmentScheme, ItemStatus, KeyTask, TaskItem, TaskKind

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _require_sees(request: AuthedRequest) -> None:
    if not access.sees_tasks(request.user):
        raise Http404


def _require_commander(request: AuthedRequest) -> None:
    if not is_commander(request.user):
        raise Http404


def _month(value: str) -> date:
    match = MONTH.match(value)
    if not match or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        raise Http404
    return date(int(match[1]), int(match[2]), 1)


def _report_form(request: AuthedRequest, item: TaskItem) -> ReportForm | None:
    """The item's report form; when its report was just refused, with what was typed and the errors
    beside the fields (core.web.carried: each item's form answers to its own URL)."""
    if item.status == ItemStatus.DONE or not access.may_report(request.user, item):
        return None
    return carried(request, ReportForm, reverse("supervision:report", args=[item.pk]), prefix=f"item-{item.pk}")


def _evidence_field(error: ApplicationError) -> ApplicationError:
    # The service names the files `files`, as the API does; on the page they are the `evidence` field.
    if "files" in error.errors:
        error.errors["evidence"] = error.errors.pop("files")
    return error


# --- My items -----------------------------------------------------------------------------------


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    """An officer's items due today and those overdue, each with its report form; the commander
    sees every department's."""
    _require_sees(request)
    day = timezone.localdate()
    if is_commander(request.user):
        items = list(selectors.item_list(actor=request.user, due_to=day).exclude(status=ItemStatus.DONE)[:200])
    else:
        items = list(selectors.my_items(actor=request.user, today=day))
    rows = [{"item": item, "overdue": item.due_on < day, "form": _report_form(request, item)} for item in items]
    return render(request, "supervision/today.html", {"rows": rows, "today": day})


@login_required
@require_POST
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.item_access(actor=request.user, pk=pk)
    form = ReportForm(request.POST, request.FILES, prefix=f"item-{item.pk}")

    def report_item(data: dict[str, Any]) -> Any:
        try:
            return services.item_report(
                actor=request.user,
                item=item,
                status=data["status"],
                percent=data["percent"],
                reason=data["reason"],
                note=data["note"],
                files=data["evidence"],
            )
        except ApplicationError as error:
            raise _evidence_field(error) from None

    # Refused, the page the officer returns to shows the item's form as typed, errors beside it.
    perform_with_form(request, form, report_item, success=_("Progress reported: %(item)s") % {"item": item.title})
    target = request.POST.get("next", "")
    return redirect("supervision:item", pk=pk) if target == "item" else redirect("supervision:today")


@login_required
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.item_access(actor=request.user, pk=pk)
    return render(
        request,
        "supervision/item_detail.html",
        {
            "item": item,
            "reports": selectors.item_reports(item=item),
            "form": _report_form(request, item),
            "overdue": deadlines.is_overdue(
                due_on=item.due_on, done=item.status == ItemStatus.DONE, today=timezone.localdate()
            ),
        },
    )


@login_required
def evidence(request: AuthedRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    try:
        stored = selectors.evidence_access(actor=request.user, item_pk=pk, pk=evidence_pk)
    except ApplicationError as error:
        raise Http404 from error
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


# --- Tasks --------------------------------------------------------------------------------------


@login_required
def tasks(request: AuthedRequest) -> HttpResponse:
    _require_sees(request)
    department = request.GET.get("department", "")
    qs = selectors.task_list(
        actor=request.user, department_id=int(department) if department.isdigit() and len(department) < 12 else None
    )
    form = TaskForm(request.POST or None, initial=_quarter_initial())
    set_choices_queryset(form, "department", selectors.visible_departments(actor=request.user))
    done, task = submit_form(
        request,
        form,
        lambda data: services.task_create(actor=request.user, **data),
        success=lambda task: _("Key task created: %(title)s") % {"title": task.title},
    )
    if done:
        return redirect("supervision:task", pk=task.pk)
    return render(
        request,
        "supervision/task_list.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "departments": selectors.visible_departments(actor=request.user),
            "department": department,
        },
    )


def _quarter_initial() -> dict[str, Any]:
    year, quarter = deadlines.quarter_of(timezone.localdate())
    return {"year": year, "quarter": quarter}


@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_access(actor=request.user, pk=pk)
    may_plan = access.may_plan(request.user, task.department_id)
    form = ItemForm(request.POST or None) if may_plan else None
    if form is not None:
        set_choices_queryset(form, "responsible", selectors.department_officers(department_id=task.department_id))
        done, _item = submit_form(
            request,
            form,
            lambda data: services.item_create(actor=request.user, task=task, **data),
            success=_("Item added."),
        )
        if done:
            return redirect("supervision:task", pk=pk)
    return render(
        request,
        "supervision/task_detail.html",
        {
            "task": task,
            "items": selectors.item_list(actor=request.user, task_id=task.pk),
            "form": form,
            "today": timezone.localdate(),
        },
    )


# --- Scores -------------------------------------------------------------------------------------


@login_required
def ranking(request: AuthedRequest) -> HttpResponseBase:
    """The month's ranking with the change from last month; the commander closes a month that is over."""
    _require_sees(request)
    day = timezone.localdate()
    form = MonthForm(request.GET or None, initial={"month": day.replace(day=1)})
    month = day.replace(day=1)
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"].replace(day=1)
    result = selectors.month_scores(actor=request.user, month=month)
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="supervision.score",
            detail={"month": f"{month:%Y-%m}", "rows": len(result.rows)},
        )
        return table_response(_ranking_table(result))
    _first, last = deadlines.month_bounds(month)
    return render(
        request,
        "supervision/ranking.html",
        {
            "form": form,
            "result": result,
            "month": month,
            "previous": deadlines.previous_month(month),
            "may_close": is_commander(request.user) and result.closed is None and day > last,
            "scheme": selectors.active_scheme(),
        },
    )


def _ranking_table(result: selectors.MonthScores) -> Table:
    def change(row: selectors.DepartmentScore) -> str:
        if row.rank_change is None:
            return "—"
        return f"↑{row.rank_change}" if row.rank_change > 0 else f"↓{-row.rank_change}" if row.rank_change else "="

    state = _("closed, scores frozen") if result.closed else _("computed from the records as they stand")
    return Table(
        title=_("Scores of %(month)s (%(state)s)") % {"month": f"{result.month:%Y-%m}", "state": state},
        headers=[
            _("Rank"),
            _("Department"),
            _("Score"),
            _("Change from last month"),
            pgettext("ranking", "Places"),
            _("Items"),
            pgettext("items", "Done"),
            _("Overdue"),
        ],
        rows=[
            [row.rank, row.department.name, row.total, row.change, change(row), row.items, row.done, row.overdue]
            for row in result.rows
        ],
        sheet_name=_("Scores"),
        filename=_("scores-%(month)s") % {"month": f"{result.month:%Y-%m}"},
    )


@login_required
def score_detail(request: AuthedRequest, department: int, month: str) -> HttpResponse:
    """The calculation behind one score, line by line."""
    _require_sees(request)
    when = _month(month)
    try:
        row = selectors.department_score(actor=request.user, department_id=department, month=when)
    except ApplicationError as error:
        raise Http404 from error
    lines = [{**line, "explain": explain(line)} for line in row.lines]
    closed = selectors.closed_months().filter(month=when).first()
    return render(
        request,
        "supervision/score_detail.html",
        {"row": row, "lines": lines, "month": when, "closed": closed},
    )


@login_required
@require_POST
def month_close(request: AuthedRequest, month: str) -> HttpResponse:
    _require_commander(request)
    when = _month(month)
    perform(
        request,
        lambda: services.month_close(actor=request.user, month=when),
        success=_("%(month)s is closed: its scores are frozen.") % {"month": f"{when:%Y-%m}"},
    )
    return redirect(f"{_ranking_url()}?month={when:%Y-%m}")


def _ranking_url() -> str:
    from django.urls import reverse

    return reverse("supervision:ranking")


@login_required
def scheme(request: AuthedRequest) -> HttpResponse:
    _require_commander(request)
    current = selectors.active_scheme()
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in services.scores.SCHEME_FIELDS}
        initial |= {f"weight_{kind}": weight for kind, weight in (current.weights or {}).items()}
    else:
        default = AssessmentScheme()
        initial = {name: getattr(default, name) for name in services.scores.SCHEME_FIELDS}
        initial["name"] = _("Assessment scheme")
    form = SchemeForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        values, weights = form.values()
        return services.scheme_save(actor=request.user, weights=weights, **values)

    done, _saved = submit_form(request, form, save, success=_("The assessment scheme was saved."))
    if done:
        return redirect("supervision:scheme")
    head_form = HeadForm()
    set_choices_queryset(head_form, "department", selectors.visible_departments(actor=request.user))
    set_choices_queryset(head_form, "user", selectors.meeting_people().exclude(department__isnull=True))
    return render(
        request,
        "supervision/scheme.html",
        {
            "form": form,
            "scheme": current,
            "head_form": head_form,
            "heads": selectors.heads(),
            "departments": selectors.visible_departments(actor=request.user),
            "closed": selectors.closed_months()[:12],
            "kinds": TaskKind,
        },
    )


@login_required
@require_POST
def head_set(request: AuthedRequest) -> HttpResponse:
    _require_commander(request)
    form = HeadForm(request.POST)
    set_choices_queryset(form, "department", selectors.visible_departments(actor=request.user))
    set_choices_queryset(form, "user", selectors.meeting_people().exclude(department__isnull=True))
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    else:
        perform(
            request,
            lambda: services.department_head_set(
                actor=request.user, department=form.cleaned_data["department"], user=form.cleaned_data["user"]
            ),
            success=_("The department's head was set."),
        )
    return redirect("supervision:scheme")


# --- Meetings -----------------------------------------------------------------------------------


@login_required
def meetings(request: AuthedRequest) -> HttpResponse:
    _require_sees(request)
    form = None
    if is_commander(request.user):
        form = MeetingForm(request.POST or None)
        set_choices_queryset(form, "departments", selectors.visible_departments(actor=request.user))
        set_choices_queryset(form, "people", selectors.meeting_people())
        done, meeting = submit_form(
            request,
            form,
            lambda data: services.meeting_create(actor=request.user, **data),
            success=_("Meeting created: add its agenda."),
        )
        if done:
            return redirect("supervision:meeting", pk=meeting.pk)
    return render(
        request,
        "supervision/meeting_list.html",
        {"page": paginate(request, selectors.meeting_list(actor=request.user)), "form": form},
    )


@login_required
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a meeting, change its place or who attends, until its minutes are sent."""
    meeting = _managed_meeting(request, pk)
    if meeting.minutes_notice_id is not None:
        raise Http404
    initial = {
        "title": meeting.title,
        "held_at": timezone.localtime(meeting.held_at),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "departments": list(meeting.departments.all()),
        "people": list(meeting.people.all()),
    }
    form = MeetingForm(request.POST or None, initial=initial)
    set_choices_queryset(form, "departments", selectors.visible_departments(actor=request.user))
    set_choices_queryset(form, "people", selectors.meeting_people())
    done, _meeting = submit_form(
        request,
        form,
        lambda data: services.meeting_update(actor=request.user, meeting=meeting, **data),
        success=_("Meeting changed."),
    )
    if done:
        return redirect("supervision:meeting", pk=pk)
    return render(request, "supervision/meeting_edit.html", {"form": form, "meeting": meeting})


def _meeting_forms(request: AuthedRequest, meeting: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    agenda = bound.get("agenda") or AgendaForm()
    set_choices_queryset(agenda, "task", KeyTask.objects.none() | selectors.task_list(actor=request.user))
    set_choices_queryset(agenda, "ticket", ticket_list(actor=request.user))
    set_choices_queryset(agenda, "project", project_list(actor=request.user))
    decision = bound.get("decision") or DecisionForm()
    set_choices_queryset(decision, "department", selectors.visible_departments(actor=request.user))
    set_choices_queryset(decision, "owner", selectors.meeting_people().exclude(department__isnull=True))
    set_choices_queryset(decision, "agenda_item", meeting.agenda.all())
    minutes = bound.get("minutes") or MinutesForm(initial={"minutes": meeting.minutes})
    return {"agenda_form": agenda, "decision_form": decision, "minutes_form": minutes}


@login_required
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_access(actor=request.user, pk=pk)
    manages = is_commander(request.user)
    context: dict[str, Any] = {"meeting": meeting, "manages": manages}
    if manages:
        context |= _meeting_forms(request, meeting)
        if meeting.minutes_notice_id is not None:
            context["receipts"] = list(selectors.minutes_receipts(notice_id=meeting.minutes_notice_id))
    return render(request, "supervision/meeting_detail.html", context)


def _managed_meeting(request: AuthedRequest, pk: int) -> Any:
    meeting = selectors.meeting_access(actor=request.user, pk=pk)
    _require_commander(request)
    return meeting


def _again(request: AuthedRequest, meeting: Any, **bound: Any) -> HttpResponse:
    """The meeting's page again, with the refused form bound and its errors shown."""
    context = {"meeting": meeting, "manages": True, **_meeting_forms(request, meeting, bound)}
    return render(request, "supervision/meeting_detail.html", context, status=422)


@login_required
@require_POST
def meeting_agenda(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = AgendaForm(request.POST)
    _meeting_forms(request, meeting, {"agenda": form})
    done, _item = submit_form(
        request,
        form,
        lambda data: services.agenda_add(actor=request.user, meeting=meeting, **data),
        success=_("Agenda item added."),
    )
    if done:
        return redirect("supervision:meeting", pk=pk)
    if meeting.minutes_notice_id is not None:
        return _said_after_minutes(request, form, pk, _("The minutes were sent: the agenda is closed."))
    return _again(request, meeting, agenda=form)


def _said_after_minutes(request: AuthedRequest, form: Any, pk: int, fallback: str) -> HttpResponse:
    """The page has no agenda or decision form once the minutes are sent: a refusal is said as a
    message."""
    for message in form.non_field_errors() or [fallback]:
        messages.error(request, str(message))
    return redirect("supervision:meeting", pk=pk)


@login_required
@require_POST
def meeting_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = MinutesForm(request.POST)
    done, _saved = submit_form(
        request,
        form,
        lambda data: services.meeting_minutes_save(actor=request.user, meeting=meeting, minutes=data["minutes"]),
        success=_("The minutes were saved."),
    )
    return redirect("supervision:meeting", pk=pk) if done else _again(request, meeting, minutes=form)


@login_required
@require_POST
def meeting_decision(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = DecisionForm(request.POST)
    _meeting_forms(request, meeting, {"decision": form})
    done, _decision = submit_form(
        request,
        form,
        lambda data: services.decision_add(actor=request.user, meeting=meeting, **data),
        success=_("Decision recorded."),
    )
    if done:
        return redirect("supervision:meeting", pk=pk)
    if meeting.minutes_notice_id is not None:
        return _said_after_minutes(request, form, pk, _("The minutes were sent: no decision can be added."))
    return _again(request, meeting, decision=form)


@login_required
@require_POST
def decision_item(request: AuthedRequest, pk: int, decision: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    chosen = selectors.decision_access(actor=request.user, meeting=meeting, pk=decision)
    perform(
        request,
        lambda: services.decision_to_item(actor=request.user, decision=chosen),
        success=_("The decision is now an item of the department's key tasks."),
    )
    return redirect("supervision:meeting", pk=pk)


@login_required
@require_POST
def minutes_send(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    perform(
        request,
        lambda: services.minutes_send(actor=request.user, meeting=meeting),
        success=_("The minutes were sent to the attendees."),
    )
    return redirect("supervision:meeting", pk=pk)
