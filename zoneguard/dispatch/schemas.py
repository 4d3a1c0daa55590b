"""Input and output of the dispatch API. Money is 万元 as decimal strings (exact), never floats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainSerializer

from zoneguard.core.api import MAX_ID, DateIn, InSchema

from . import lifecycle
from .models import FundingSource, LeadSector, LeadStage, ProjectKind, ProjectStatus, RiskState

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
# Sums from the database, written to the cent as strings: exact, and the same on every database.
MoneyOut = Annotated[Decimal, PlainSerializer(lambda value: str(value.quantize(Decimal("0.01"))), return_type=str)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Projects ---------------------------------------------------------------------------------


class ProjectFilters(InSchema):
    status: ProjectStatus | None = None
    sector_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: ProjectKind | None = None
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    search: str | None = Field(None, max_length=100)


class ProjectIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    owner_id: Id
    building_site_ids: list[Id] = Field(default_factory=list, max_length=50)
    sector_id: Id | None = None
    kind: ProjectKind = ProjectKind.INDUSTRIAL
    department_id: Id
    total_investment: Money
    plan_year: int = Field(..., ge=2000, le=2100)
    year_planned_investment: Money
    planned_start: DateIn | None = None
    planned_completion: DateIn | None = None
    description: str = Field("", max_length=5000)


class ProjectPatchIn(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    owner_id: Id | None = None
    building_site_ids: list[Id] | None = Field(None, max_length=50)
    sector_id: Id | None = None
    kind: ProjectKind | None = None
    department_id: Id | None = None
    total_investment: Money | None = None
    plan_year: int | None = Field(None, ge=2000, le=2100)
    year_planned_investment: Money | None = None
    planned_start: DateIn | None = None
    planned_completion: DateIn | None = None
    actual_start: DateIn | None = None
    actual_completion: DateIn | None = None
    description: str | None = Field(None, max_length=5000)


class ProjectStatusIn(InSchema):
    status: ProjectStatus
    on: DateIn | None = Field(None, description="The day of the change; today (Asia/Shanghai) by default.")


class SiteRefOut(Schema):
    id: int
    name: str


class ProjectOut(Schema):
    id: int
    name: str
    owner_id: int
    owner_name: str
    sector_id: int | None
    sector_name: str
    kind: str
    department_id: int
    department_name: str
    total_investment: MoneyOut
    plan_year: int
    year_planned_investment: MoneyOut
    planned_start: date | None
    planned_completion: date | None
    actual_start: date | None
    actual_completion: date | None
    status: str
    status_changed_on: date | None
    invested_total: MoneyOut = Field(description="Investment completed since the project began (10k yuan).")
    invested_year: MoneyOut = Field(description="Investment completed in the plan year (10k yuan).")
    share_of_year_plan: Decimal | None = Field(description="invested_year as a percentage of the year's plan.")
    contracted_total: MoneyOut
    paid_total: MoneyOut
    next_statuses: list[str]

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_sector_name(obj: Any) -> str:
        return obj.sector.name if obj.sector_id else ""

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return obj.department.name

    @staticmethod
    def resolve_share_of_year_plan(obj: Any) -> Decimal | None:
        return lifecycle.share_of_plan(obj.invested_year, obj.year_planned_investment)

    @staticmethod
    def resolve_next_statuses(obj: Any) -> list[str]:
        return lifecycle.allowed_next(obj.status)


class ProjectDetailOut(ProjectOut):
    description: str
    building_sites: list[SiteRefOut]

    @staticmethod
    def resolve_building_sites(obj: Any) -> list[Any]:
        return list(obj.building_sites.all())


class GroupTotalsOut(Schema):
    key: str
    label: str
    count: int
    total_investment: MoneyOut
    year_planned_investment: MoneyOut


class ProjectTotalsOut(Schema):
    count: int
    total_investment: MoneyOut
    year_planned_investment: MoneyOut
    invested_total: MoneyOut
    paid_total: MoneyOut
    by_status: list[GroupTotalsOut]
    by_sector: list[GroupTotalsOut]


# --- Progress, milestones, risks ---------------------------------------------------------------


class ProgressIn(InSchema):
    month: DateIn = Field(..., description="Any day of the month reported.")
    invested: Money
    workers_on_site: int = Field(0, ge=0, le=1_000_000)
    note: str = Field("", max_length=500)


class ProgressOut(Schema):
    id: int
    month: date
    invested: MoneyOut
    cumulative: MoneyOut
    year_to_date: MoneyOut
    share_of_year_plan: Decimal | None
    workers_on_site: int
    note: str


class ProgressWrittenOut(Schema):
    id: int
    month: date
    invested: MoneyOut
    workers_on_site: int
    note: str


class MilestoneIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    planned_on: DateIn
    achieved_on: DateIn | None = None


class MilestonePatchIn(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    planned_on: DateIn | None = None
    achieved_on: DateIn | None = None


class MilestoneOut(Schema):
    id: int
    name: str
    planned_on: date
    achieved_on: date | None


class RiskIn(InSchema):
    description: str = Field(..., min_length=1, max_length=2000)
    department_id: Id
    raised_on: DateIn | None = Field(None, description="The day the risk came up; today (Asia/Shanghai) by default.")
    due_on: DateIn


class RiskStateIn(InSchema):
    state: RiskState
    on: DateIn | None = None


class RiskOut(Schema):
    id: int
    description: str
    department_id: int
    department_name: str
    raised_on: date
    due_on: date
    state: str
    resolved_on: date | None

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return obj.department.name


# --- Contracts and disbursements --------------------------------------------------------------


class ContractIn(InSchema):
    contractor: str = Field(..., min_length=1, max_length=200)
    number: str = Field(..., min_length=1, max_length=60)
    title: str = Field("", max_length=200)
    amount: PositiveMoney
    signed_on: DateIn | None = None


class ContractOut(Schema):
    id: int
    contractor: str
    number: str
    title: str
    amount: MoneyOut
    signed_on: date | None
    paid: MoneyOut
    remaining: MoneyOut


class DisbursementFilters(InSchema):
    contract_id: int | None = Field(None, ge=1, le=MAX_ID)


class DisbursementIn(InSchema):
    contract_id: Id
    amount: PositiveMoney
    paid_on: DateIn
    funding_source: FundingSource
    note: str = Field("", max_length=500)


class DisbursementOut(Schema):
    id: int
    contract_id: int
    contract_number: str
    contractor: str
    amount: MoneyOut
    paid_on: date
    funding_source: str
    note: str

    @staticmethod
    def resolve_contract_number(obj: Any) -> str:
        return obj.contract.number

    @staticmethod
    def resolve_contractor(obj: Any) -> str:
        return obj.contract.contractor


class MonthTotalOut(Schema):
    month: date
    amount: MoneyOut
    count: int


# --- Leads ------------------------------------------------------------------------------------


class LeadFilters(InSchema):
    stage: LeadStage | None = None
    sector: LeadSector | None = None
    search: str | None = Field(None, max_length=100)


class LeadIn(InSchema):
    company_name: str = Field(..., min_length=1, max_length=200)
    sector: LeadSector
    origin: str = Field("", max_length=100)
    estimated_investment: Money = Decimal("0")
    stage: LeadStage = LeadStage.CONTACT
    on: DateIn | None = Field(None, description="The day the lead reached its stage; today by default.")
    next_step: str = Field("", max_length=300)
    next_step_owner: str = Field("", max_length=50)
    next_step_on: DateIn | None = None
    notes: str = Field("", max_length=5000)


class LeadPatchIn(InSchema):
    company_name: str | None = Field(None, min_length=1, max_length=200)
    sector: LeadSector | None = None
    origin: str | None = Field(None, max_length=100)
    estimated_investment: Money | None = None
    next_step: str | None = Field(None, max_length=300)
    next_step_owner: str | None = Field(None, max_length=50)
    next_step_on: DateIn | None = None
    notes: str | None = Field(None, max_length=5000)


class LeadStageIn(InSchema):
    stage: LeadStage
    on: DateIn | None = None
    reason: str = Field("", max_length=500, description="Required when the lead moves back.")


class LeadOrganisationIn(InSchema):
    sector_id: Id | None = None
    credit_code: str = Field("", max_length=18)
    address: str = Field("", max_length=300)


class LeadProjectIn(InSchema):
    department_id: Id
    kind: ProjectKind = ProjectKind.INDUSTRIAL
    plan_year: int = Field(..., ge=2000, le=2100)
    year_planned_investment: Money
    sector_id: Id | None = None


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    changed_on: date
    reason: str
    recorded_at: datetime = Field(alias="created_at")


class LeadOut(Schema):
    id: int
    company_name: str
    sector: str
    origin: str
    estimated_investment: MoneyOut
    stage: str
    stage_changed_on: date
    next_step: str
    next_step_owner: str
    next_step_on: date | None
    notes: str
    organisation_id: int | None
    project_id: int | None


class LeadDetailOut(LeadOut):
    history: list[StageChangeOut]

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(obj.stage_changes.all())


class OrganisationRefOut(Schema):
    id: int
    name: str


class FunnelCellOut(Schema):
    sector: str
    stage: str
    count: int
    estimated_investment: MoneyOut


class FunnelStepOut(Schema):
    from_stage: str
    to_stage: str
    leads: int
    median_days: Decimal | None


class FunnelOut(Schema):
    cells: list[FunnelCellOut]
    reached: dict[str, int] = Field(description="Stage → leads at that stage or beyond it.")
    by_stage: dict[str, int]
    by_sector: dict[str, int]
    steps: list[FunnelStepOut] = Field(description="Median days from each stage to the next.")


class FunnelFilters(InSchema):
    sector: LeadSector | None = None
