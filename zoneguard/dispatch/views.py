"""Pages of economic dispatch: projects (list with totals, detail with its forms), the monthly
dispatch table and its export, the progress import, and the leads (board, funnel, detail).

Each form posts to its own URL; an invalid form or a refusal shows the page again with the
errors beside the fields, a success redirects back."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden
from zoneguard.core.excel import build_workbook, workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import Role, is_commander
from zoneguard.core.web import AuthedRequest, perform_with_form, set_choices_queryset, submit_form

from . import access, funnel, imports, lifecycle, selectors, services
from .forms import (
    AchievedForm,
    ContractForm,
    DisbursementForm,
    DispatchTableForm,
    ImportForm,
    LeadFilterForm,
    LeadForm,
    LeadOrganisationForm,
    LeadProjectForm,
    LeadStageForm,
    MilestoneForm,
    ProgressForm,
    ProjectFilterForm,
    ProjectForm,
    RiskForm,
    RiskStateForm,
    StatusForm,
)
from .models import Lead, LeadSector, LeadStage, Project, ProjectStatus

# --- Projects ---------------------------------------------------------------------------------


def _require_projects(request: AuthedRequest) -> None:
    if not access.sees_projects(request.user):
        raise Forbidden()


@login_required
def project_list(request: AuthedRequest) -> HttpResponse:
    _require_projects(request)
    form = ProjectFilterForm(request.GET or None, officer=request.user.role == Role.DEPARTMENT_OFFICER)
    set_choices_queryset(form, "sector", selectors.sectors_offered())
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"status": data["status"], "sector_id": data["sector"].pk if data["sector"] else None}
        filters["kind"] = data["kind"]
        filters["risks_overdue"] = data["risks_overdue"]
    projects = selectors.project_list(actor=request.user, **filters)
    return render(
        request,
        "dispatch/project_list.html",
        {
            "form": form,
            "page": paginate(request, projects),
            "totals": selectors.project_totals(projects),
            "by_status": selectors.project_totals_by(projects, "status"),
            "by_sector": selectors.project_totals_by(projects, "sector"),
            "may_create": access.may_create_project(request.user),
            "owns_leads": access.owns_leads(request.user),
        },
    )


def _project_form(request: AuthedRequest, data: Any = None, project: Project | None = None) -> ProjectForm:
    """The project's form, blank or filled with `project`. Its choices are what the user may pick,
    and what the project already holds, which a keeper may keep even outside their scope."""
    if project is None:
        form = ProjectForm(data, initial={"plan_year": timezone.localdate().year})
        held: dict[str, list[int]] = {"owner": [], "building_sites": [], "department": []}
    else:
        initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
        initial["building_sites"] = list(project.building_sites.all())
        form = ProjectForm(data, initial=initial)
        held = {
            "owner": [project.owner_id],
            "building_sites": [site.pk for site in initial["building_sites"]],
            "department": [project.department_id],
        }
    owners = selectors.owners_offered(actor=request.user)
    sites = selectors.building_sites_offered(actor=request.user)
    departments = selectors.departments_offered()
    if not is_commander(request.user):
        departments = departments.filter(pk=request.user.department_id or 0)
    set_choices_queryset(form, "owner", _with_held(owners, held["owner"]))
    set_choices_queryset(form, "building_sites", _with_held(sites, held["building_sites"]))
    set_choices_queryset(form, "sector", selectors.sectors_offered())
    set_choices_queryset(form, "department", _with_held(departments, held["department"]))
    return form


def _with_held(offered: QuerySet[Any], held: list[int]) -> QuerySet[Any]:
    if not held:
        return offered
    both = offered.model.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=held))
    # In the order offered; without an order_by of its own, the model's (order_by() would drop it).
    return both.order_by(*offered.query.order_by) if offered.query.order_by else both


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: AuthedRequest) -> HttpResponse:
    if not access.may_create_project(request.user):
        raise Forbidden()
    form = _project_form(request, request.POST or None)

    def create(data: dict[str, Any]) -> Project:
        values = dict(data)
        sites = values.pop("building_sites")
        return services.project_create(actor=request.user, data=values, building_sites=sites)

    done, project = submit_form(request, form, create, success=_("Project added."))
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return render(request, "dispatch/project_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The project's own details (name, owner, sites, money, plan); its status, milestones and
    money flows have their own forms on its page."""
    project = selectors.project_access(actor=request.user, pk=pk)
    if not access.keeps_project(request.user, project):
        raise Forbidden()
    form = _project_form(request, request.POST or None, project=project)

    def update(data: dict[str, Any]) -> Project:
        values = dict(data)
        sites = values.pop("building_sites")
        return services.project_update(actor=request.user, project=project, data=values, building_sites=sites)

    done, _project = submit_form(request, form, update, success=_("Project saved."))
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return render(request, "dispatch/project_form.html", {"form": form, "project": project})


def _detail(request: AuthedRequest, project: Project, **bound: forms.Form) -> HttpResponse:
    """The project's page; `bound` are forms posted and refused, shown again with their errors."""
    keeps = access.keeps_project(request.user, project)
    contracts = list(selectors.contract_list(project=project))
    disbursements = selectors.disbursement_list(project=project)
    risk_form = RiskForm(initial={"raised_on": timezone.localdate()})
    set_choices_queryset(risk_form, "department", selectors.departments_offered())
    forms_shown: dict[str, Any] = {
        "status_form": StatusForm(allowed=lifecycle.allowed_next(project.status), initial={"on": timezone.localdate()}),
        "milestone_form": MilestoneForm(),
        "risk_form": risk_form,
        "progress_form": ProgressForm(initial={"month": timezone.localdate().replace(day=1)}),
        "contract_form": ContractForm(),
        "disbursement_form": DisbursementForm(contracts=contracts, initial={"paid_on": timezone.localdate()}),
        "achieved_form": AchievedForm(initial={"achieved_on": timezone.localdate()}),
        "risk_state_form": RiskStateForm(),
    }
    forms_shown.update(bound)
    status = 422 if bound else 200
    return render(
        request,
        "dispatch/project_detail.html",
        {
            "project": project,
            "today": timezone.localdate(),
            "keeps": keeps,
            "reports": access.reports_progress(request.user, project),
            "started": project.status in lifecycle.STARTED,
            "share_of_year_plan": lifecycle.share_of_plan(
                project.invested_year,  # type: ignore[attr-defined]
                project.year_planned_investment,
            ),
            "next_statuses": lifecycle.allowed_next(project.status),
            "milestones": list(selectors.milestone_list(project=project)),
            "risks": list(selectors.risk_list(project=project)),
            "progress": selectors.progress_rows(project=project),
            "contracts": contracts,
            "disbursements": list(disbursements[:50]),
            "months": selectors.disbursement_months(disbursements=disbursements),
            **forms_shown,
        },
        status=status,
    )


@login_required
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.project_access(actor=request.user, pk=pk))


def _posted(request: AuthedRequest, pk: int, form: forms.Form, name: str, action: Any, success: str) -> HttpResponse:
    project = selectors.project_access(actor=request.user, pk=pk)
    done, _result = submit_form(request, form, lambda data: action(project, data), success=success)
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return _detail(request, project, **{name: form})


@login_required
@require_POST
def project_status(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        StatusForm(request.POST),
        "status_form",
        lambda project, data: services.project_change_status(
            actor=request.user, project=project, status=data["status"], on=data["on"]
        ),
        _("Status changed."),
    )


@login_required
@require_POST
def milestone_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        MilestoneForm(request.POST),
        "milestone_form",
        lambda project, data: services.milestone_add(actor=request.user, project=project, data=data),
        _("Milestone added."),
    )


@login_required
@require_POST
def milestone_achieved(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    project = selectors.project_access(actor=request.user, pk=pk)
    milestone = selectors.milestone_access(actor=request.user, project=project, pk=milestone_pk)
    form = AchievedForm(request.POST)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.milestone_update(actor=request.user, milestone=milestone, data=data),
        success=_("Milestone reached."),
    )
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return _detail(request, project, achieved_form=form)


@login_required
@require_POST
def risk_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = RiskForm(request.POST)
    set_choices_queryset(form, "department", selectors.departments_offered())
    return _posted(
        request,
        pk,
        form,
        "risk_form",
        lambda project, data: services.risk_add(actor=request.user, project=project, data=data),
        _("Risk recorded: its department is responsible for it."),
    )


@login_required
@require_POST
def risk_state(request: AuthedRequest, pk: int, risk_pk: int) -> HttpResponse:
    project = selectors.project_access(actor=request.user, pk=pk)
    risk = selectors.risk_access(actor=request.user, project=project, pk=risk_pk)
    perform_with_form(
        request,
        RiskStateForm(request.POST),
        lambda data: services.risk_set_state(actor=request.user, risk=risk, state=data["state"]),
        success=_("Risk updated."),
    )
    return redirect("dispatch:project", pk=project.pk)


@login_required
@require_POST
def progress_report(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        ProgressForm(request.POST),
        "progress_form",
        lambda project, data: services.progress_report(actor=request.user, project=project, **data),
        _("Monthly progress recorded."),
    )


@login_required
@require_POST
def contract_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        ContractForm(request.POST),
        "contract_form",
        lambda project, data: services.contract_add(actor=request.user, project=project, data=data),
        _("Contract added."),
    )


@login_required
@require_POST
def disbursement_record(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.project_access(actor=request.user, pk=pk)
    form = DisbursementForm(request.POST, contracts=list(selectors.contract_list(project=project)))

    def record(data: dict[str, Any]) -> Any:
        contract = selectors.contract_access(project=project, pk=int(data.pop("contract")))
        return services.disbursement_record(actor=request.user, contract=contract, **data)

    done, _result = submit_form(request, form, record, success=_("Payment recorded."))
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return _detail(request, project, disbursement_form=form)


# --- The monthly dispatch table (项目调度表) ----------------------------------------------------


def _table_month(form: DispatchTableForm) -> date:
    this_month = timezone.localdate().replace(day=1)
    if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"].replace(day=1)
    return this_month


@login_required
def dispatch_table(request: AuthedRequest) -> HttpResponseBase:
    _require_projects(request)
    form = DispatchTableForm(request.GET or None)
    month = _table_month(form)
    status = request.GET.get("status", "")
    table = selectors.dispatch_table(
        actor=request.user, month=month, status=status if status in ProjectStatus.values else None
    )
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="dispatch.project",
            object_repr=_("Monthly project dispatch table"),
            detail={"month": f"{month:%Y-%m}", "rows": len(table.rows)},
        )
        filename = _("project dispatch table %(month)s.xlsx") % {"month": f"{month:%Y-%m}"}
        return workbook_response(_table_workbook(table), filename)
    return render(request, "dispatch/dispatch_table.html", {"form": form, "table": table, "month": month})


def _table_workbook(table: selectors.DispatchTable) -> Any:
    headers = [
        _("No."),
        _("Project"),
        _("Owner organisation"),
        _("Responsible department"),
        _("Status"),
        _("Total investment (10k yuan)"),
        _("Planned this year (10k yuan)"),
        _("Invested this month (10k yuan)"),
        _("Invested this year (10k yuan)"),
        _("Share of the year's plan (%)"),
        _("Invested since start (10k yuan)"),
        _("Paid this month (10k yuan)"),
        _("Paid since start (10k yuan)"),
        _("Workers on site"),
    ]
    rows = [
        [
            number,
            row.project.name,
            row.project.owner.name,
            row.project.department.name,
            row.project.get_status_display(),
            row.project.total_investment,
            row.year_planned_investment,
            row.invested_month,
            row.invested_year,
            row.share_of_year_plan,
            row.invested_total,
            row.paid_month,
            row.paid_total,
            row.workers_on_site,
        ]
        for number, row in enumerate(table.rows, start=1)
    ]
    t = table.totals
    totals = [
        _("Total"),
        "",
        "",
        "",
        "",
        t["total_investment"],
        t["year_planned_investment"],
        t["invested_month"],
        t["invested_year"],
        t["share_of_year_plan"],
        t["invested_total"],
        t["paid_month"],
        t["paid_total"],
        t["workers_on_site"],
    ]
    money = "#,##0.00"
    return build_workbook(
        title=_("Investment projects: dispatch table of %(month)s") % {"month": f"{table.month:%Y-%m}"},
        headers=headers,
        rows=rows,
        totals=totals,
        sheet_name=_("Dispatch table"),
        number_formats={5: money, 6: money, 7: money, 8: money, 9: "0.00", 10: money, 11: money, 12: money},
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_import(request: AuthedRequest) -> HttpResponse:
    _require_projects(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.progress_import(actor=request.user, data=form.cleaned_data["file"].read())
        if report.written:
            messages.success(request, _("%(count)d monthly figures recorded.") % {"count": len(report.rows)})
            return redirect("dispatch:table")
    return render(request, "dispatch/progress_import.html", {"form": form, "report": report})


@login_required
def progress_template(request: AuthedRequest) -> HttpResponseBase:
    _require_projects(request)
    return workbook_response(imports.progress_template(), _("monthly progress") + ".xlsx")


# --- Leads ------------------------------------------------------------------------------------


def _require_leads(request: AuthedRequest) -> None:
    if not access.owns_leads(request.user):
        raise Forbidden()


@login_required
def lead_board(request: AuthedRequest) -> HttpResponse:
    _require_leads(request)
    form = LeadFilterForm(request.GET or None)
    sector = form.cleaned_data["sector"] if form.is_bound and form.is_valid() else ""
    leads = list(selectors.lead_list(actor=request.user, sector=sector or None).order_by("stage_changed_on", "id"))
    columns = [
        {
            "stage": stage,
            "label": selectors.stage_label(stage),
            "leads": [lead for lead in leads if lead.stage == stage],
        }
        for stage in funnel.ORDER
    ]
    result = selectors.lead_funnel(actor=request.user, sector=sector or None)
    sectors = [
        {
            "label": label,
            "cells": [
                next((c for c in result.cells if c.sector == value and c.stage == stage), None)
                for stage in funnel.ORDER
            ],
            "count": result.by_sector.get(value, 0),
        }
        for value, label in LeadSector.choices
        if result.by_sector.get(value)
    ]
    return render(
        request,
        "dispatch/lead_board.html",
        {
            "form": form,
            "columns": columns,
            "funnel": result,
            "stages": [(stage, selectors.stage_label(stage), result.reached[stage]) for stage in funnel.ORDER],
            "steps": [
                (selectors.stage_label(s.from_stage), selectors.stage_label(s.to_stage), s.leads, s.median_days)
                for s in result.steps
            ],
            "sectors": sectors,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_new(request: AuthedRequest) -> HttpResponse:
    _require_leads(request)
    form = LeadForm(request.POST or None, initial={"on": timezone.localdate()})

    def create(data: dict[str, Any]) -> Lead:
        values = dict(data)
        stage, on = values.pop("stage"), values.pop("on")
        return services.lead_create(actor=request.user, data=values, stage=stage, on=on)

    done, lead = submit_form(request, form, create, success=_("Lead added."))
    if done:
        return redirect("dispatch:lead", pk=lead.pk)
    return render(request, "dispatch/lead_new.html", {"form": form})


def _lead_detail(request: AuthedRequest, lead: Lead, **bound: forms.Form) -> HttpResponse:
    organisation_form = LeadOrganisationForm()
    set_choices_queryset(organisation_form, "sector", selectors.sectors_offered())
    project_form = LeadProjectForm(initial={"plan_year": timezone.localdate().year})
    departments = selectors.departments_offered()
    if not is_commander(request.user):
        departments = departments.filter(pk=request.user.department_id or 0)
    set_choices_queryset(project_form, "department", departments)
    shown: dict[str, Any] = {
        "stage_form": LeadStageForm(initial={"on": timezone.localdate()}),
        "organisation_form": organisation_form,
        "project_form": project_form,
    }
    shown.update(bound)
    return render(
        request,
        "dispatch/lead_detail.html",
        {
            "lead": lead,
            "history": list(lead.stage_changes.all()),
            "may_register": funnel.reached(lead.stage, funnel.REGISTERED) and lead.organisation_id is None,
            "may_start": lead.stage == LeadStage.STARTED
            and lead.organisation_id is not None
            and lead.project_id is None,
            **shown,
        },
        status=422 if bound else 200,
    )


@login_required
def lead_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lead_detail(request, selectors.lead_access(actor=request.user, pk=pk))


@login_required
@require_POST
def lead_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_access(actor=request.user, pk=pk)
    form = LeadStageForm(request.POST)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.lead_change_stage(actor=request.user, lead=lead, **data),
        success=_("Stage changed."),
    )
    if done:
        return redirect("dispatch:lead", pk=lead.pk)
    return _lead_detail(request, lead, stage_form=form)


@login_required
@require_POST
def lead_organisation(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_access(actor=request.user, pk=pk)
    form = LeadOrganisationForm(request.POST)
    set_choices_queryset(form, "sector", selectors.sectors_offered())
    done, _result = submit_form(
        request,
        form,
        lambda data: services.lead_register_organisation(actor=request.user, lead=lead, **data),
        success=_("The company is now an organisation of the registry."),
    )
    if done:
        return redirect("dispatch:lead", pk=lead.pk)
    return _lead_detail(request, lead, organisation_form=form)


@login_required
@require_POST
def lead_project(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_access(actor=request.user, pk=pk)
    form = LeadProjectForm(request.POST)
    set_choices_queryset(form, "department", selectors.departments_offered())
    done, project = submit_form(
        request,
        form,
        lambda data: services.lead_start_project(actor=request.user, lead=lead, **data),
        success=_("The lead is now an investment project."),
    )
    if done:
        return redirect("dispatch:project", pk=project.pk)
    return _lead_detail(request, lead, project_form=form)
