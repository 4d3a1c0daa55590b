"""The economic dispatch API: investment projects (progress, milestones, risks, contracts,
disbursements), investment leads (stage changes, organisation, project) and the funnel.

Scoped by access.py: a project out of the caller's scope, or a lead for anyone but the commander
and the investment attraction department, answers 404; a project seen but not kept answers 403 to
a write."""

from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from . import selectors, services
from .schemas import (
    ContractIn,
    ContractOut,
    DisbursementFilters,
    DisbursementIn,
    DisbursementOut,
    FunnelFilters,
    FunnelOut,
    LeadDetailOut,
    LeadFilters,
    LeadIn,
    LeadOrganisationIn,
    LeadOut,
    LeadPatchIn,
    LeadProjectIn,
    LeadStageIn,
    MilestoneIn,
    MilestoneOut,
    MilestonePatchIn,
    MonthTotalOut,
    OrganisationRefOut,
    ProgressIn,
    ProgressOut,
    ProgressWrittenOut,
    ProjectDetailOut,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPatchIn,
    ProjectStatusIn,
    ProjectTotalsOut,
    RiskIn,
    RiskOut,
    RiskStateIn,
)

router = Router(tags=["dispatch"])

PK = Path(..., ge=1, le=MAX_ID)


def _project_data(request: ApiRequest, data: dict[str, Any]) -> tuple[dict[str, Any], list[Any] | None]:
    """Ids of the registry as its objects, for the services."""
    actor = request.user
    if "owner_id" in data:
        data["owner"] = selectors.organisation_choice(actor=actor, pk=data.pop("owner_id"))
    if "department_id" in data:
        data["department"] = selectors.department_choice(data.pop("department_id"))
    if "sector_id" in data:
        data["sector"] = selectors.sector_choice(data.pop("sector_id"))
    site_ids = data.pop("building_site_ids", None)
    sites = selectors.building_site_choices(actor=actor, pks=site_ids) if site_ids is not None else None
    return data, sites


# --- Projects ---------------------------------------------------------------------------------


@router.get("/dispatch/projects", response={200: list[ProjectOut], **ERRORS})
@paginate(Paging)
def project_list(request: ApiRequest, filters: Query[ProjectFilters]) -> Any:
    """Projects in scope, with cumulative and this year's investment and payments (10k yuan)."""
    return selectors.project_list(actor=request.user, **filters.dict())


@router.get("/dispatch/projects/totals", response={200: ProjectTotalsOut, **ERRORS})
def project_totals(request: ApiRequest, filters: Query[ProjectFilters]) -> Any:
    """Totals of the filtered list, and per status and per sector: each adds up to the total."""
    projects = selectors.project_list(actor=request.user, **filters.dict())
    totals = selectors.project_totals(projects)
    return {
        **totals.__dict__,
        "by_status": selectors.project_totals_by(projects, "status"),
        "by_sector": selectors.project_totals_by(projects, "sector"),
    }


@router.post("/dispatch/projects", response={201: ProjectDetailOut, **ERRORS})
def project_create(request: ApiRequest, payload: ProjectIn) -> Any:
    """The commander for any department; an officer for their own department."""
    data, sites = _project_data(request, payload.dict())
    project = services.project_create(actor=request.user, data=data, building_sites=sites)
    return 201, selectors.project_access(actor=request.user, pk=project.pk)


@router.get("/dispatch/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS})
def project_detail(request: ApiRequest, project_id: int = PK) -> Any:
    """One project with its investment to date and this year's, what was paid, and its building sites (10k yuan).
    The commander sees every project; a department officer their department's, those of owners it supervises and
    those with a risk it owns; an organisation admin those of their organisation and those it is parent of; 404
    otherwise."""
    return selectors.project_access(actor=request.user, pk=project_id)


@router.patch("/dispatch/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS})
def project_update(request: ApiRequest, payload: ProjectPatchIn, project_id: int = PK) -> Any:
    """Change a project's details (its status through `POST .../status`): the commander or an officer of the
    project's responsible department (403 to others who see the project). 422 when an officer would hand it to
    another department, the owner is not an organisation the caller sees, or the plan, dates or total investment
    (not below its contracts) are implausible."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    data, sites = _project_data(request, payload.dict(exclude_unset=True))
    services.project_update(actor=request.user, project=project, data=data, building_sites=sites)
    return selectors.project_access(actor=request.user, pk=project_id)


@router.post("/dispatch/projects/{project_id}/status", response={200: ProjectDetailOut, **ERRORS})
def project_status(request: ApiRequest, payload: ProjectStatusIn, project_id: int = PK) -> Any:
    """planned → under construction → suspended ⇄ resumed → completed; 409 out of order."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    services.project_change_status(actor=request.user, project=project, status=payload.status, on=payload.on)
    return selectors.project_access(actor=request.user, pk=project_id)


# --- Monthly progress -------------------------------------------------------------------------


@router.get("/dispatch/projects/{project_id}/progress", response={200: list[ProgressOut], **ERRORS})
@paginate(Paging)
def progress_list(request: ApiRequest, project_id: int = PK) -> Any:
    """One row a month, with the cumulative and the year's investment to that month."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.progress_rows(project=project)


@router.post("/dispatch/projects/{project_id}/progress", response={200: ProgressWrittenOut, **ERRORS})
def progress_report(request: ApiRequest, payload: ProgressIn, project_id: int = PK) -> Any:
    """The owner organisation's admin, or the responsible department: reporting a month again
    corrects it."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return services.progress_report(actor=request.user, project=project, **payload.dict())


# --- Milestones and risks --------------------------------------------------------------------


@router.get("/dispatch/projects/{project_id}/milestones", response={200: list[MilestoneOut], **ERRORS})
@paginate(Paging)
def milestone_list(request: ApiRequest, project_id: int = PK) -> Any:
    """The project's milestones by planned date, for anyone who sees the project (404 otherwise)."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.milestone_list(project=project)


@router.post("/dispatch/projects/{project_id}/milestones", response={201: MilestoneOut, **ERRORS})
def milestone_add(request: ApiRequest, payload: MilestoneIn, project_id: int = PK) -> Any:
    """Add a milestone to the project: the commander or an officer of the project's responsible department (403 to
    others who see the project). 422 for a planned date more than a year ahead or long before the project's plan,
    or an actual date in the future or long before the plan."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return 201, services.milestone_add(actor=request.user, project=project, data=payload.dict())


@router.patch("/dispatch/projects/{project_id}/milestones/{milestone_id}", response={200: MilestoneOut, **ERRORS})
def milestone_update(
    request: ApiRequest, payload: MilestonePatchIn, project_id: int = PK, milestone_id: int = PK
) -> Any:
    """Rename or re-date a milestone, or record it achieved: the commander or an officer of the project's
    responsible department (403 to others who see the project); 404 when it is not the project's. The dates that
    change are checked as when the milestone is added (422)."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    milestone = selectors.milestone_access(actor=request.user, project=project, pk=milestone_id)
    return services.milestone_update(actor=request.user, milestone=milestone, data=payload.dict(exclude_unset=True))


@router.get("/dispatch/projects/{project_id}/risks", response={200: list[RiskOut], **ERRORS})
@paginate(Paging)
def risk_list(request: ApiRequest, project_id: int = PK) -> Any:
    """The project's risks and problems by due date, each with the department that must solve it; for anyone who
    sees the project (404 otherwise)."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.risk_list(project=project)


@router.post("/dispatch/projects/{project_id}/risks", response={201: RiskOut, **ERRORS})
def risk_add(request: ApiRequest, payload: RiskIn, project_id: int = PK) -> Any:
    """Raise a risk or problem for a department to solve by `due_on` (raised today unless `raised_on` says when):
    its officers are told and see the project from then on. The commander or an officer of the project's
    responsible department (403 to others who see the project). 422 for an unknown department, a `raised_on` in
    the future or before the project's plan, or a due date before it."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    data = payload.dict()
    data["department"] = selectors.department_choice(data.pop("department_id"))
    return 201, services.risk_add(actor=request.user, project=project, data=data)


@router.post("/dispatch/projects/{project_id}/risks/{risk_id}/state", response={200: RiskOut, **ERRORS})
def risk_state(request: ApiRequest, payload: RiskStateIn, project_id: int = PK, risk_id: int = PK) -> Any:
    """Resolve a risk (on `on`, today by default) or open it again, which clears the day: the commander or an
    officer of the project's responsible department (403 to others who see the project); 404 when it is not the
    project's. 422 for an `on` in the future or before the day the risk was raised."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    risk = selectors.risk_access(actor=request.user, project=project, pk=risk_id)
    return services.risk_set_state(actor=request.user, risk=risk, state=payload.state, on=payload.on)


# --- Contracts and disbursements ----------------------------------------------------------------


@router.get("/dispatch/projects/{project_id}/contracts", response={200: list[ContractOut], **ERRORS})
@paginate(Paging)
def contract_list(request: ApiRequest, project_id: int = PK) -> Any:
    """Each contract with what was paid on it and what remains (10k yuan)."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.contract_list(project=project)


@router.post("/dispatch/projects/{project_id}/contracts", response={201: ContractOut, **ERRORS})
def contract_add(request: ApiRequest, payload: ContractIn, project_id: int = PK) -> Any:
    """Add a contract with a contractor: the commander or an officer of the project's responsible department (403 to
    others who see the project). 422 when the project's contracts would together pass its total investment."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    contract = services.contract_add(actor=request.user, project=project, data=payload.dict())
    return 201, selectors.contract_access(project=project, pk=contract.pk)


@router.get("/dispatch/projects/{project_id}/disbursements", response={200: list[DisbursementOut], **ERRORS})
@paginate(Paging)
def disbursement_list(request: ApiRequest, filters: Query[DisbursementFilters], project_id: int = PK) -> Any:
    """Payments made on the project's contracts, latest paid first; `contract_id` narrows the list. For anyone who
    sees the project (404 otherwise)."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.disbursement_list(project=project, **filters.dict())


@router.get("/dispatch/projects/{project_id}/disbursements/months", response={200: list[MonthTotalOut], **ERRORS})
def disbursement_months(request: ApiRequest, filters: Query[DisbursementFilters], project_id: int = PK) -> Any:
    """Payments per month of the date paid."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    return selectors.disbursement_months(disbursements=selectors.disbursement_list(project=project, **filters.dict()))


@router.post("/dispatch/projects/{project_id}/disbursements", response={201: DisbursementOut, **ERRORS})
def disbursement_record(request: ApiRequest, payload: DisbursementIn, project_id: int = PK) -> Any:
    """A payment to a contractor; 409 when it would pass the contract's amount, naming what remains."""
    project = selectors.project_access(actor=request.user, pk=project_id)
    data = payload.dict()
    contract = selectors.contract_access(project=project, pk=data.pop("contract_id"))
    return 201, services.disbursement_record(actor=request.user, contract=contract, **data)


# --- Leads ------------------------------------------------------------------------------------


@router.get("/dispatch/leads", response={200: list[LeadOut], **ERRORS})
@paginate(Paging)
def lead_list(request: ApiRequest, filters: Query[LeadFilters]) -> Any:
    """For the commander and the investment attraction department."""
    return selectors.lead_list(actor=request.user, **filters.dict())


@router.post("/dispatch/leads", response={201: LeadDetailOut, **ERRORS})
def lead_create(request: ApiRequest, payload: LeadIn) -> Any:
    """Record an investment lead at its stage (contact by default) on `on` (today by default), which starts its
    history. The commander and the officers of the investment attraction departments; 404 for anyone else, as for
    the other lead endpoints."""
    selectors.lead_desk_access(actor=request.user)
    data = payload.dict()
    stage, on = data.pop("stage"), data.pop("on")
    lead = services.lead_create(actor=request.user, data=data, stage=stage, on=on)
    return 201, selectors.lead_access(actor=request.user, pk=lead.pk)


@router.get("/dispatch/leads/{lead_id}", response={200: LeadDetailOut, **ERRORS})
def lead_detail(request: ApiRequest, lead_id: int = PK) -> Any:
    """One lead with its stage history: the commander and the officers of the investment attraction departments; 404
    for anyone else."""
    return selectors.lead_access(actor=request.user, pk=lead_id)


@router.patch("/dispatch/leads/{lead_id}", response={200: LeadDetailOut, **ERRORS})
def lead_update(request: ApiRequest, payload: LeadPatchIn, lead_id: int = PK) -> Any:
    """Change a lead's details (its stage through `POST .../stage`): the commander and the officers of the
    investment attraction departments; 404 for anyone else."""
    lead = selectors.lead_access(actor=request.user, pk=lead_id)
    services.lead_update(actor=request.user, lead=lead, data=payload.dict(exclude_unset=True))
    return selectors.lead_access(actor=request.user, pk=lead_id)


@router.post("/dispatch/leads/{lead_id}/stage", response={200: LeadDetailOut, **ERRORS})
def lead_stage(request: ApiRequest, payload: LeadStageIn, lead_id: int = PK) -> Any:
    """Forward freely (skipping stages allowed); back only with a reason (422 without); 409 when
    the lead is at that stage already."""
    lead = selectors.lead_access(actor=request.user, pk=lead_id)
    services.lead_change_stage(actor=request.user, lead=lead, **payload.dict())
    return selectors.lead_access(actor=request.user, pk=lead_id)


@router.post("/dispatch/leads/{lead_id}/organisation", response={200: OrganisationRefOut, **ERRORS})
def lead_organisation(request: ApiRequest, payload: LeadOrganisationIn, lead_id: int = PK) -> Any:
    """A registered lead becomes an enterprise of the registry (once: asked again, the same one)."""
    lead = selectors.lead_access(actor=request.user, pk=lead_id)
    data = payload.dict()
    sector = selectors.sector_choice(data.pop("sector_id"))
    return services.lead_register_organisation(actor=request.user, lead=lead, sector=sector, **data)


@router.post("/dispatch/leads/{lead_id}/project", response={200: ProjectDetailOut, **ERRORS})
def lead_project(request: ApiRequest, payload: LeadProjectIn, lead_id: int = PK) -> Any:
    """A lead that started building becomes an investment project of its organisation (once)."""
    lead = selectors.lead_access(actor=request.user, pk=lead_id)
    data = payload.dict()
    data["department"] = selectors.department_choice(data.pop("department_id"))
    data["sector"] = selectors.sector_choice(data.pop("sector_id"))
    project = services.lead_start_project(actor=request.user, lead=lead, **data)
    return selectors.project_access(actor=request.user, pk=project.pk)


@router.get("/dispatch/funnel", response={200: FunnelOut, **ERRORS})
def lead_funnel(request: ApiRequest, filters: Query[FunnelFilters]) -> Any:
    """Leads per sector and stage, how many reached each stage, and median days between stages."""
    return selectors.lead_funnel(actor=request.user, **filters.dict())
