"""Writes of economic dispatch. Each checks the actor's right, validates, writes in one
transaction with its audit row, and raises ApplicationError subclasses on refusal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, audited_create, audited_update
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry import services as registry_services
from zoneguard.registry.models import Department, Organisation, OrganisationKind, Sector

from . import access, funnel, lifecycle, plausibility
from .models import (
    Contract,
    Disbursement,
    Lead,
    LeadStage,
    LeadStageChange,
    Milestone,
    MonthlyProgress,
    Project,
    ProjectStatus,
    Risk,
    RiskState,
)

PROJECT_FIELDS = (
    "name",
    "owner",
    "sector",
    "kind",
    "department",
    "total_investment",
    "plan_year",
    "year_planned_investment",
    "planned_start",
    "planned_completion",
    "actual_start",
    "actual_completion",
    "description",
)
# The fields _check_project reads, by their values (a foreign key's would be a query).
PLAUSIBLE_FIELDS = ("plan_year", "planned_start", "actual_start", "actual_completion", "total_investment")
MILESTONE_FIELDS = ("name", "planned_on", "achieved_on")
RISK_FIELDS = ("description", "department", "raised_on", "due_on")
CONTRACT_FIELDS = ("contractor", "number", "title", "amount", "signed_on")
LEAD_FIELDS = (
    "company_name",
    "sector",
    "origin",
    "estimated_investment",
    "next_step",
    "next_step_owner",
    "next_step_on",
    "notes",
)
ZERO = Decimal("0")


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("owner").get(pk=project.pk)


def _check_owner(actor: User, owner: Organisation | None) -> None:
    from zoneguard.registry import scoping

    if owner is None or not scoping.can_see_organisation(actor, owner):
        raise InvalidInput.for_field("owner", _("Choose an organisation you can see."))


def _contracted(project: Project) -> Decimal:
    total = Contract.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def _check_project(project: Project, *, changed: set[str]) -> None:
    """The rules of plausibility.py over the project as it would be saved: its plan, its actual
    dates (when they change: a date accepted once stays so) and its total against its contracts."""
    if project.plan_year is None:
        return  # the model's validation says the field is required
    plausibility.check_plan(plan_year=project.plan_year, planned_start=project.planned_start, changed=changed)
    today = timezone.localdate()
    for field in ("actual_start", "actual_completion"):
        day = getattr(project, field)
        if field in changed and day is not None:
            plausibility.check_actual_day(day, plan_year=project.plan_year, today=today, field=field)
    if project.pk is not None and "total_investment" in changed and project.total_investment is not None:
        plausibility.check_contracted(
            contracted=_contracted(project), total_investment=project.total_investment, field="total_investment"
        )


def _set_sites(project: Project, sites: Iterable[Organisation] | None) -> list[int] | None:
    if sites is None:
        return None
    chosen = list(sites)
    if any(site.kind != OrganisationKind.BUILDING_PROJECT for site in chosen):
        raise InvalidInput.for_field("building_sites", _("Choose building projects of the registry."))
    project.building_sites.set(chosen)
    return sorted(site.pk for site in chosen)


# --- Projects ---------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *, actor: User, data: Mapping[str, Any], building_sites: Iterable[Organisation] | None = None
) -> Project:
    department = data.get("department")
    _require(access.may_create_project(actor, department.pk if isinstance(department, Department) else None))
    _check_owner(actor, data.get("owner"))
    project = audited_create(
        actor=actor,
        instance=Project(),
        data=data,
        fields=PROJECT_FIELDS,
        check=lambda new: _check_project(new, changed=set(data)),
    )
    sites = _set_sites(project, building_sites)
    if sites:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=project,
            organisation_id=project.owner_id,
            detail={"changes": {"building_sites": [[], sites]}},
        )
    return project


@transaction.atomic
def project_update(
    *, actor: User, project: Project, data: Mapping[str, Any], building_sites: Iterable[Organisation] | None = None
) -> Project:
    project = _lock_project(project)
    _require(access.keeps_project(actor, project))
    if "owner" in data and data["owner"] != project.owner:
        _check_owner(actor, data["owner"])
    held = {field: getattr(project, field) for field in PLAUSIBLE_FIELDS}

    def check(changed: Project) -> None:
        if not access.keeps_project(actor, changed):
            raise InvalidInput.for_field("department", _("You cannot hand the project to another department."))
        _check_project(changed, changed={f for f in PLAUSIBLE_FIELDS if getattr(changed, f) != held[f]})

    audited_update(
        actor=actor, instance=project, data=data, fields=PROJECT_FIELDS, check=check, organisation_id=project.owner_id
    )
    before = sorted(project.building_sites.values_list("pk", flat=True))
    after = _set_sites(project, building_sites)
    if after is not None and after != before:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=project,
            organisation_id=project.owner_id,
            detail={"changes": {"building_sites": [before, after]}},
        )
    return project


@transaction.atomic
def project_change_status(*, actor: User, project: Project, status: str, on: date | None = None) -> Project:
    """A change of status on a day (today by default): 409 out of order (lifecycle.py). Starting
    sets the actual start, completing the actual completion, unless they were recorded already."""
    project = _lock_project(project)
    _require(access.keeps_project(actor, project))
    if status not in ProjectStatus.values:
        raise InvalidInput.for_field("status", _("Choose a status."))
    if not lifecycle.may_change(project.status, status):
        raise Conflict(
            _("A project that is %(current)s cannot become %(new)s.")
            % {"current": project.get_status_display(), "new": ProjectStatus(status).label},
            code="status_order",
        )
    today = timezone.localdate()
    day = on or today
    plausibility.check_status_day(day, last_change=project.status_changed_on, plan_year=project.plan_year, today=today)
    data: dict[str, Any] = {"status": status, "status_changed_on": day}
    if status == ProjectStatus.UNDER_CONSTRUCTION and project.actual_start is None:
        data["actual_start"] = day
    if status == ProjectStatus.COMPLETED and project.actual_completion is None:
        data["actual_completion"] = day
    audited_update(actor=actor, instance=project, data=data, fields=tuple(data), organisation_id=project.owner_id)
    return project


# --- Milestones and risks --------------------------------------------------------------------


def _check_milestone(milestone: Milestone, *, changed: set[str]) -> None:
    plausibility.check_milestone(
        planned_on=milestone.planned_on,
        achieved_on=milestone.achieved_on,
        plan_year=milestone.project.plan_year,
        today=timezone.localdate(),
        changed=changed,
    )


@transaction.atomic
def milestone_add(*, actor: User, project: Project, data: Mapping[str, Any]) -> Milestone:
    _require(access.keeps_project(actor, project))
    return audited_create(
        actor=actor,
        instance=Milestone(project=project),
        data=data,
        fields=MILESTONE_FIELDS,
        organisation_id=project.owner_id,
        check=lambda new: _check_milestone(new, changed=set(MILESTONE_FIELDS)),
    )


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, data: Mapping[str, Any]) -> Milestone:
    """Rename or re-date a milestone, or record it achieved: the days are checked as when it was
    added (plausibility.check_milestone), those that change only."""
    _require(access.keeps_project(actor, milestone.project))
    held = {field: getattr(milestone, field) for field in MILESTONE_FIELDS}

    def check(edited: Milestone) -> None:
        _check_milestone(edited, changed={f for f in MILESTONE_FIELDS if getattr(edited, f) != held[f]})

    audited_update(
        actor=actor,
        instance=milestone,
        data=data,
        fields=MILESTONE_FIELDS,
        organisation_id=milestone.project.owner_id,
        check=check,
    )
    return milestone


@transaction.atomic
def risk_add(*, actor: User, project: Project, data: Mapping[str, Any]) -> Risk:
    """A risk or problem for a department to solve by a date, raised today unless `raised_on` says
    when; its officers are told, and see the project from then on (access.project_q)."""
    _require(access.keeps_project(actor, project))
    today = timezone.localdate()
    values = {**data, "raised_on": data.get("raised_on") or today}
    if values.get("due_on") is not None:
        plausibility.check_risk_dates(
            raised_on=values["raised_on"], due_on=values["due_on"], plan_year=project.plan_year, today=today
        )
    risk = audited_create(
        actor=actor, instance=Risk(project=project), data=values, fields=RISK_FIELDS, organisation_id=project.owner_id
    )
    notify(
        recipients=User.objects.filter(
            is_active=True, role=Role.DEPARTMENT_OFFICER, department_id=risk.department_id
        ).exclude(pk=actor.pk),
        kind=NotificationKind.REMINDER,
        title=gettext_lazy("A problem of %(project)s for your department"),
        body=gettext_lazy("%(description)s To be solved by %(due_on)s."),
        params={"project": project.name, "description": risk.description, "due_on": risk.due_on.isoformat()},
        link=f"/dispatch/{project.pk}/",
        source=risk,
    )
    return risk


@transaction.atomic
def risk_set_state(*, actor: User, risk: Risk, state: str, on: date | None = None) -> Risk:
    """A resolved risk records the day (today by default): one that has come, not before the risk
    was raised (plausibility.check_risk_resolved). Reopening one clears it."""
    _require(access.keeps_project(actor, risk.project))
    if state not in RiskState.values:
        raise InvalidInput.for_field("state", _("Choose a state."))
    resolved_on = None
    if state == RiskState.RESOLVED:
        today = timezone.localdate()
        resolved_on = on or today
        plausibility.check_risk_resolved(resolved_on, raised_on=risk.raised_on, today=today)
    audited_update(
        actor=actor,
        instance=risk,
        data={"state": state, "resolved_on": resolved_on},
        fields=("state", "resolved_on"),
        organisation_id=risk.project.owner_id,
    )
    return risk


# --- Monthly progress ------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _progress_write(
    *, actor: User, project: Project, month: date, invested: Decimal, workers_on_site: int, note: str
) -> MonthlyProgress:
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise InvalidInput.for_field("month", _("Progress is reported for the current or a past month."))
    plausibility.check_progress_month(
        month, status=project.status, actual_start=project.actual_start, planned_start=project.planned_start
    )
    existing = MonthlyProgress.objects.filter(project=project, month=month).first()
    data = {"invested": invested, "workers_on_site": workers_on_site, "note": note}
    if existing is None:
        progress = MonthlyProgress(project=project, month=month, reported_by=actor)
        return audited_create(
            actor=actor,
            instance=progress,
            data=data,
            fields=tuple(data),
            organisation_id=project.owner_id,
        )
    existing.reported_by = actor
    audited_update(actor=actor, instance=existing, data=data, fields=tuple(data), organisation_id=project.owner_id)
    return existing


@transaction.atomic
def progress_report(
    *, actor: User, project: Project, month: date, invested: Decimal, workers_on_site: int, note: str = ""
) -> MonthlyProgress:
    """The month's figures of a project, one row per month: reporting a month again corrects it.
    The project's row is locked so that two reports of one month do not both insert."""
    project = _lock_project(project)
    _require(access.reports_progress(actor, project))
    return _progress_write(
        actor=actor, project=project, month=month, invested=invested, workers_on_site=workers_on_site, note=note
    )


# --- Contracts and disbursements ----------------------------------------------------------------


@transaction.atomic
def contract_add(*, actor: User, project: Project, data: Mapping[str, Any]) -> Contract:
    """A contract within the project's total investment, with the contracts signed before: the
    project's row is locked while they are summed, so two contracts at once are checked in turn."""
    project = _lock_project(project)
    _require(access.keeps_project(actor, project))
    amount = data.get("amount")
    if isinstance(amount, Decimal):
        plausibility.check_contracted(
            contracted=_contracted(project) + amount, total_investment=project.total_investment, field="amount"
        )
    return audited_create(
        actor=actor,
        instance=Contract(project=project),
        data=data,
        fields=CONTRACT_FIELDS,
        organisation_id=project.owner_id,
    )


class ContractExceeded(Conflict):
    default_code = "contract_exceeded"


def contract_paid(contract: Contract) -> Decimal:
    total = Disbursement.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


@transaction.atomic
def disbursement_record(
    *,
    actor: User,
    contract: Contract,
    amount: Decimal,
    paid_on: date,
    funding_source: str,
    note: str = "",
) -> Disbursement:
    """A payment to the contractor. The contract's row is locked while the payments so far are
    summed and the new one written: two payments at once are checked one after the other, so
    together they never pass the contract's amount."""
    contract = Contract.objects.select_for_update().select_related("project").get(pk=contract.pk)
    _require(access.keeps_project(actor, contract.project))
    if amount is None or amount <= ZERO:
        raise InvalidInput.for_field("amount", _("Enter an amount above zero."))
    remaining = contract.amount - contract_paid(contract)
    if amount > remaining:
        raise ContractExceeded(
            _(
                "This payment would pass the contract's amount: %(remaining)s (10k yuan) remain to be paid "
                "on contract %(number)s."
            )
            % {"remaining": remaining, "number": contract.number}
        )
    disbursement = Disbursement(contract=contract, recorded_by=actor)
    return audited_create(
        actor=actor,
        instance=disbursement,
        data={"amount": amount, "paid_on": paid_on, "funding_source": funding_source, "note": note},
        fields=("amount", "paid_on", "funding_source", "note"),
        organisation_id=contract.project.owner_id,
    )


# --- Investment leads ------------------------------------------------------------------------


def _stage_row(*, actor: User, lead: Lead, from_stage: str, to_stage: str, on: date, reason: str) -> None:
    validate_and_save(
        LeadStageChange(
            lead=lead, from_stage=from_stage, to_stage=to_stage, changed_on=on, reason=reason, changed_by=actor
        )
    )


@transaction.atomic
def lead_create(
    *, actor: User, data: Mapping[str, Any], stage: str = LeadStage.CONTACT, on: date | None = None
) -> Lead:
    _require(access.owns_leads(actor))
    if stage not in LeadStage.values:
        raise InvalidInput.for_field("stage", _("Choose a stage."))
    day = on or timezone.localdate()
    lead = audited_create(
        actor=actor,
        instance=Lead(stage=stage, stage_changed_on=day),
        data=data,
        fields=LEAD_FIELDS,
    )
    _stage_row(actor=actor, lead=lead, from_stage="", to_stage=stage, on=day, reason="")
    return lead


@transaction.atomic
def lead_update(*, actor: User, lead: Lead, data: Mapping[str, Any]) -> Lead:
    _require(access.owns_leads(actor))
    audited_update(actor=actor, instance=lead, data=data, fields=LEAD_FIELDS)
    return lead


@transaction.atomic
def lead_change_stage(*, actor: User, lead: Lead, stage: str, on: date | None = None, reason: str = "") -> Lead:
    """Forward freely, back only with a reason (funnel.py); the day goes into the history. A day
    before the lead's last change is refused: the history reads in order."""
    _require(access.owns_leads(actor))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if stage not in LeadStage.values:
        raise InvalidInput.for_field("stage", _("Choose a stage."))
    day = on or timezone.localdate()
    move = funnel.move(lead.stage, stage, reason=reason)
    if move == funnel.SAME:
        raise Conflict(_("The lead is at this stage already."), code="same_stage")
    if move == funnel.BACK_NEEDS_REASON:
        raise InvalidInput.for_field("reason", _("Say why the lead moves back."), code="reason_required")
    if day < lead.stage_changed_on:
        raise InvalidInput.for_field(
            "on",
            _("The lead's last change was on %(day)s: a change cannot come before it.")
            % {"day": lead.stage_changed_on.isoformat()},
        )
    before = lead.stage
    audited_update(
        actor=actor,
        instance=lead,
        data={"stage": stage, "stage_changed_on": day},
        fields=("stage", "stage_changed_on"),
    )
    _stage_row(actor=actor, lead=lead, from_stage=before, to_stage=stage, on=day, reason=reason.strip())
    return lead


@transaction.atomic
def lead_register_organisation(
    *, actor: User, lead: Lead, sector: Sector | None = None, credit_code: str = "", address: str = ""
) -> Organisation:
    """A lead whose company registered becomes an enterprise of the registry, through the registry's
    own service (its rights and checks). Once only: asked again, the same organisation answers."""
    _require(access.owns_leads(actor))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.organisation_id is not None:
        organisation = Organisation.objects.get(pk=lead.organisation_id)
        return organisation
    if not funnel.reached(lead.stage, funnel.REGISTERED):
        raise Conflict(_("Only a lead whose company has registered becomes an organisation."), code="not_registered")
    organisation = registry_services.organisation_create(
        actor=actor,
        data={
            "name": lead.company_name,
            "kind": OrganisationKind.ENTERPRISE,
            "sector": sector,
            "credit_code": credit_code or None,
            "address": address,
        },
    )
    audited_update(
        actor=actor,
        instance=lead,
        data={"organisation": organisation},
        fields=("organisation",),
        organisation_id=organisation.pk,
    )
    return organisation


@transaction.atomic
def lead_start_project(
    *,
    actor: User,
    lead: Lead,
    department: Department,
    kind: str,
    plan_year: int,
    year_planned_investment: Decimal,
    sector: Sector | None = None,
) -> Project:
    """A lead whose company started building becomes an investment project of its organisation,
    under construction from the day the lead started. Once only, as for the organisation."""
    _require(access.owns_leads(actor))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.project_id is not None:
        return Project.objects.get(pk=lead.project_id)
    if lead.stage != LeadStage.STARTED:
        raise Conflict(_("Only a lead whose company started building becomes a project."), code="not_started")
    if lead.organisation_id is None:
        raise Conflict(_("Register the lead's organisation first."), code="no_organisation")
    owner = Organisation.objects.get(pk=lead.organisation_id)
    if not access.may_create_project(actor, department.pk):
        raise InvalidInput.for_field("department", _("Choose your own department."))
    data = {
        "name": lead.company_name,
        "owner": owner,
        "sector": sector or owner.sector,
        "kind": kind,
        "department": department,
        "total_investment": lead.estimated_investment,
        "plan_year": plan_year,
        "year_planned_investment": year_planned_investment,
        "actual_start": lead.stage_changed_on,
        "description": lead.notes,
    }
    project = audited_create(
        actor=actor,
        instance=Project(status=ProjectStatus.UNDER_CONSTRUCTION, status_changed_on=lead.stage_changed_on),
        data=data,
        fields=PROJECT_FIELDS,
        check=lambda new: _check_project(new, changed=set(data)),
    )
    audited_update(actor=actor, instance=lead, data={"project": project}, fields=("project",), organisation_id=owner.pk)
    return project
