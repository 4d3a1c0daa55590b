from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from zoneguard.accounts.services.users import department_head_set
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.excel import add_sheet, build_workbook, workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, object_action, perform, perform_with_form, submit_form

from . import access, lifecycle, selectors, services
from .forms import (
    AttachForm,
    CommentForm,
    HeadForm,
    LimitForm,
    MessageForm,
    PassOnForm,
    PeriodForm,
    RateForm,
    ReopenForm,
    ResolveForm,
    RuleForm,
    TicketForm,
    WithdrawForm,
)
from .models import Category, Ticket, TicketStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("tickets:ticket", pk=ticket.pk)


@login_required
def ticket_list(request: AuthedRequest) -> HttpResponse:
    if not access.sees_tickets(request.user):
        raise Forbidden()
    status = request.GET.get("status", "")
    status = status if status in TicketStatus.values else ""
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    tickets = selectors.ticket_list(actor=request.user, status=status, category=category)
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "page": paginate(request, tickets),
            "status": status,
            "statuses": TicketStatus.choices,
            "category": category,
            "categories": Category.choices,
            "may_file": access.may_file(request.user),
            "sees_figures": access.sees_figures(request.user),
            "is_commander": access.is_commander_of_zone(request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: AuthedRequest) -> HttpResponse:
    if not access.may_file(request.user):
        raise Forbidden()
    form = TicketForm(request.POST or None, request.FILES or None)
    done, ticket = submit_form(
        request,
        form,
        lambda data: services.ticket_file(
            actor=request.user,
            category=data["category"],
            urgency=data["urgency"],
            title=data["title"],
            description=data["description"],
            attachments=[data["attachment"]] if data["attachment"] else [],
            client_id=data["client_id"],
        ),
        success=_("Request filed: the department in charge is told."),
    )
    if done:
        return _back(ticket)
    return render(request, "tickets/ticket_new.html", {"form": form})


def _action(name: str, ticket: Ticket) -> str:
    return reverse(f"tickets:{name}", args=[ticket.pk])


@login_required
def ticket_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_access(actor=request.user, pk=pk)
    handler = access.is_handler(request.user, ticket)
    enterprise = access.is_enterprise(request.user, ticket)
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "events": list(ticket.events.all()),
            "attachments": list(ticket.attachments.all()),
            "actions": lifecycle.allowed_actions(ticket.status),
            "talking": ticket.status in lifecycle.TALKING,
            "handler": handler,
            "enterprise": enterprise,
            "overdue": lifecycle.is_overdue(
                status=ticket.status, accept_due=ticket.accept_due, resolve_due=ticket.resolve_due, now=timezone.now()
            ),
            "pass_on_form": carried(
                request, PassOnForm, _action("pass-on", ticket), departments=selectors.pass_on_departments(ticket)
            )
            if handler
            else None,
            "message_form": carried(request, MessageForm, _action("message", ticket)),
            "resolve_form": carried(request, ResolveForm, _action("resolve", ticket)),
            "reopen_form": carried(request, ReopenForm, _action("reopen", ticket)),
            "withdraw_form": carried(request, WithdrawForm, _action("withdraw", ticket)),
            "rate_form": carried(request, RateForm, _action("rate", ticket)),
            "attach_form": AttachForm(),
        },
    )


@login_required
def attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> FileResponse:
    found = selectors.attachment_access(actor=request.user, pk=pk, attachment_pk=attachment_pk)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        AttachForm(request.POST, request.FILES),
        lambda data: services.ticket_attach(actor=request.user, ticket=ticket, file=data["file"]),
        success=_("File attached."),
    )
    return _back(ticket)


def _ticket(request: AuthedRequest, pk: int) -> Ticket:
    return selectors.ticket_access(actor=request.user, pk=pk)


def _to_ticket(_request: AuthedRequest, ticket: Ticket) -> HttpResponse:
    return _back(ticket)


accept = object_action(
    load=_ticket,
    action=lambda user, ticket, _data: services.ticket_accept(actor=user, ticket=ticket),
    success=gettext_lazy("Accepted: the enterprise is told you are on it."),
    back=_to_ticket,
)


@login_required
@require_POST
def pass_on(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_access(actor=request.user, pk=pk)
    done, _result = perform_with_form(
        request,
        PassOnForm(request.POST, departments=selectors.pass_on_departments(ticket)),
        lambda data: services.ticket_pass_on(
            actor=request.user, ticket=ticket, department=data["department"], reason=data["reason"]
        ),
        success=_("Passed on: the other department is told."),
    )
    if done and not access.is_commander_of_zone(request.user):
        return redirect("tickets:list")  # no longer the department's to see
    return _back(ticket)


message = object_action(
    load=_ticket,
    form=MessageForm,
    action=lambda user, ticket, data: services.ticket_message(actor=user, ticket=ticket, body=data["body"]),
    success=gettext_lazy("Message sent."),
    back=_to_ticket,
)


resolve = object_action(
    load=_ticket,
    form=ResolveForm,
    action=lambda user, ticket, data: services.ticket_resolve(actor=user, ticket=ticket, answer=data["answer"]),
    success=gettext_lazy("Answered: the enterprise is asked to confirm."),
    back=_to_ticket,
)


confirm = object_action(
    load=_ticket,
    form=CommentForm,
    action=lambda user, ticket, data: services.ticket_confirm(actor=user, ticket=ticket, comment=data["comment"]),
    success=gettext_lazy("Confirmed as solved. Please rate the answer."),
    back=_to_ticket,
)


reopen = object_action(
    load=_ticket,
    form=ReopenForm,
    action=lambda user, ticket, data: services.ticket_reopen(actor=user, ticket=ticket, comment=data["comment"]),
    success=gettext_lazy("Reopened: the department is told."),
    back=_to_ticket,
)


withdraw = object_action(
    load=_ticket,
    form=WithdrawForm,
    action=lambda user, ticket, data: services.ticket_withdraw(actor=user, ticket=ticket, reason=data["reason"]),
    success=gettext_lazy("Withdrawn: the department is told."),
    back=_to_ticket,
)


rate = object_action(
    load=_ticket,
    form=RateForm,
    action=lambda user, ticket, data: services.ticket_rate(
        actor=user, ticket=ticket, rating=data["rating"], comment=data["comment"]
    ),
    success=gettext_lazy("Thank you for rating."),
    back=_to_ticket,
)


# --- Figures and the commander's tables ------------------------------------------------------


@login_required
def figures(request: AuthedRequest) -> HttpResponseBase:
    if not access.sees_figures(request.user):
        raise Forbidden()
    form = PeriodForm(request.GET if "start" in request.GET else None)
    first, last = form.period()
    if not form.is_bound:
        form = PeriodForm(initial={"start": first, "end": last})
    start = datetime.combine(first, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    now = timezone.now()
    rows = selectors.department_figures(actor=request.user, start=start, end=end, now=now)
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="tickets.ticket",
            detail={"from": first.isoformat(), "to": last.isoformat()},
        )
        workbook = _figures_workbook(request, rows, first=first, last=last, start=start, end=end)
        return workbook_response(workbook, f"enterprise-requests-{first:%Y%m%d}-{last:%Y%m%d}.xlsx")
    return render(request, "tickets/figures.html", {"form": form, "rows": rows, "start": first, "end": last})


def _figures_workbook(
    request: AuthedRequest, rows: list[tuple[Any, Any]], *, first: date, last: date, start: datetime, end: datetime
) -> Workbook:
    period = f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    workbook = build_workbook(
        title=_("Enterprise requests by department, %(period)s") % {"period": period},
        sheet_name=_("Departments"),
        headers=[
            _("Department"),
            _("Received"),
            _("Accepted in time"),
            _("Resolved"),
            _("Overdue now"),
            _("Median hours to resolve"),
            _("90th percentile hours to resolve"),
            _("Reopened"),
            _("Withdrawn"),
            _("Average rating"),
        ],
        rows=[
            [
                d.name,
                f.received,
                f.accepted_in_time,
                f.resolved,
                f.overdue_now,
                f.median_hours,
                f.p90_hours,
                f.reopened,
                f.withdrawn,
                f.average_rating,
            ]
            for d, f in rows
        ],
    )
    tickets = selectors.ticket_list(actor=request.user).filter(filed_at__gte=start, filed_at__lt=end)
    add_sheet(
        workbook,
        sheet_name=_("Enterprise requests"),
        title=_("Requests filed, %(period)s") % {"period": period},
        headers=[
            "#",
            _("Enterprise"),
            _("Department"),
            _("Category"),
            _("Urgency"),
            _("Title"),
            _("Status"),
            _("Filed at"),
            _("Resolved at"),
            _("Rating"),
        ],
        rows=[
            [
                t.pk,
                t.organisation.name,
                t.department.name if t.department_id and t.department else "",
                t.get_category_display(),
                t.get_urgency_display(),
                t.title,
                t.get_status_display(),
                f"{timezone.localtime(t.filed_at):%Y-%m-%d %H:%M}",
                f"{timezone.localtime(t.resolved_at):%Y-%m-%d %H:%M}" if t.resolved_at else "",
                t.rating,
            ]
            for t in tickets.order_by("filed_at", "id")
        ],
    )
    return workbook


@login_required
@require_http_methods(["GET", "POST"])
def routing(request: AuthedRequest) -> HttpResponse:
    """The commander's tables: where each category goes, the time limits, the department heads."""
    if not access.is_commander_of_zone(request.user):
        raise Forbidden()
    which = request.POST.get("form", "")
    rule_form = RuleForm(request.POST if which == "rule" else None, prefix="rule")
    limit_form = LimitForm(request.POST if which == "limit" else None, prefix="limit")
    head_form = HeadForm(request.POST if which == "head" else None, prefix="head")
    done = False
    if which == "rule":
        done, _r = submit_form(
            request,
            rule_form,
            lambda d: services.routing_rule_set(
                actor=request.user, category=d["category"], sector=d["sector"], department=d["department"]
            ),
            success=_("Routing rule saved."),
        )
    elif which == "limit":
        done, _r = submit_form(
            request,
            limit_form,
            lambda d: services.time_limit_set(
                actor=request.user,
                category=d["category"],
                urgency=d["urgency"],
                accept_hours=d["accept_hours"],
                resolve_hours=d["resolve_hours"],
            ),
            success=_("Time limit saved."),
        )
    elif which == "head":
        done, _r = submit_form(
            request,
            head_form,
            lambda d: department_head_set(actor=request.user, department=d["department"], head=d["head"]),
            success=_("Department head saved."),
        )
    if done:
        return redirect("tickets:routing")
    return render(
        request,
        "tickets/routing.html",
        {
            "rules": selectors.routing_rules(),
            "limits": selectors.time_limits(),
            "default_limits": selectors.default_limits(),
            "heads": selectors.department_heads(),
            "rule_form": rule_form,
            "limit_form": limit_form,
            "head_form": head_form,
        },
    )


@login_required
@require_POST
def rule_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    if not access.is_commander_of_zone(request.user):
        raise NotFound()
    rule = selectors.routing_rule(pk)
    perform(request, lambda: services.routing_rule_delete(actor=request.user, rule=rule), success=_("Rule removed."))
    return redirect("tickets:routing")
