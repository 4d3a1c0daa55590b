"""Reads of economic dispatch, scoped by access.py: out of scope is "not found".

Every sum of money is an SQL Sum over DecimalField (exact on PostgreSQL's numeric; quantized back
to two places on SQLite), never a float added up in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.errors import InvalidInput, NotFound
from zoneguard.registry import selectors as registry_selectors
from zoneguard.registry.models import Department, Organisation, OrganisationKind, Sector

from . import access, funnel, lifecycle
from .models import (
    Contract,
    Disbursement,
    Lead,
    LeadSector,
    LeadStage,
    LeadStageChange,
    Milestone,
    MonthlyProgress,
    Project,
    ProjectStatus,
    Risk,
    RiskState,
)

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY: Any = DecimalField(max_digits=16, decimal_places=2)


def _money_sum(queryset: QuerySet[Any], field: str, group: str) -> Any:
    """A correlated subquery: the sum of `field` over `queryset`'s rows grouped by `group`, or 0."""
    return Coalesce(
        Subquery(queryset.values(group).annotate(total=Sum(field)).values("total")[:1], output_field=MONEY),
        Value(ZERO),
        output_field=MONEY,
    )


def money(value: Decimal | None) -> Decimal:
    """A sum as 万元 to the cent. PostgreSQL's numeric sums are exact already; SQLite hands back
    sums of its stored values to 15 significant digits, which the cents make exact again."""
    return (value if value is not None else ZERO).quantize(CENT)


def _total(queryset: QuerySet[Any], field: str) -> Decimal:
    return money(queryset.aggregate(total=Sum(field))["total"])


# --- Projects ---------------------------------------------------------------------------------


def overdue_risks(*, actor: User) -> QuerySet[Risk]:
    """Risks past their due date and not resolved, on projects in scope. An officer's are those
    their department acts on: the risks it owns, and every risk of the projects it is responsible
    for, whichever department owns it (it keeps the project, and chases the owner). Not those of
    projects it sees only as competent for the owner: someone else keeps them."""
    risks = Risk.objects.filter(
        project__in=Project.objects.filter(access.project_q(actor)).values("pk"), due_on__lt=timezone.localdate()
    ).exclude(state=RiskState.RESOLVED)
    if actor.department_id:
        risks = risks.filter(Q(department_id=actor.department_id) | Q(project__department_id=actor.department_id))
    return risks


def project_list(
    *,
    actor: User,
    status: str | None = None,
    sector_id: int | None = None,
    kind: str | None = None,
    department_id: int | None = None,
    search: str | None = None,
    risks_overdue: bool = False,
) -> QuerySet[Project]:
    """Projects in scope, each with its cumulative investment, the year's so far, and what was
    paid to its contractors. `risks_overdue`: only those with a risk of `overdue_risks`."""
    queryset = Project.objects.filter(access.project_q(actor))
    if risks_overdue:
        queryset = queryset.filter(pk__in=overdue_risks(actor=actor).values("project_id"))
    if status:
        queryset = queryset.filter(status=status)
    if sector_id:
        queryset = queryset.filter(sector_id=sector_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if search:
        queryset = queryset.filter(name__icontains=search)
    progress = MonthlyProgress.objects.filter(project=OuterRef("pk"))
    return queryset.select_related("owner", "sector", "department").annotate(
        invested_total=_money_sum(progress, "invested", "project"),
        invested_year=_money_sum(progress.filter(month__year=OuterRef("plan_year")), "invested", "project"),
        contracted_total=_money_sum(Contract.objects.filter(project=OuterRef("pk")), "amount", "project"),
        paid_total=_money_sum(
            Disbursement.objects.filter(contract__project=OuterRef("pk")), "amount", "contract__project"
        ),
    )


@dataclass
class Totals:
    count: int
    total_investment: Decimal
    year_planned_investment: Decimal
    invested_total: Decimal
    paid_total: Decimal


@dataclass
class GroupTotals:
    key: str
    label: str
    count: int
    total_investment: Decimal
    year_planned_investment: Decimal


def project_totals(projects: QuerySet[Project]) -> Totals:
    """The totals of a list of projects, each summed over its own table so no join repeats a row."""
    ids = projects.order_by().values("pk")
    base = Project.objects.filter(pk__in=ids).aggregate(
        count=Count("pk"), total=Sum("total_investment"), planned=Sum("year_planned_investment")
    )
    return Totals(
        count=base["count"],
        total_investment=money(base["total"]),
        year_planned_investment=money(base["planned"]),
        invested_total=_total(MonthlyProgress.objects.filter(project__in=ids), "invested"),
        paid_total=_total(Disbursement.objects.filter(contract__project__in=ids), "amount"),
    )


def project_totals_by(projects: QuerySet[Project], field: str) -> list[GroupTotals]:
    """Counts and planned investment per status (`field`="status") or per sector ("sector")."""
    ids = projects.order_by().values("pk")
    key = "sector__name" if field == "sector" else field
    rows = (
        Project.objects.filter(pk__in=ids)
        .order_by()
        .values(key)
        .annotate(count=Count("pk"), total=Sum("total_investment"), planned=Sum("year_planned_investment"))
        .order_by(key)
    )
    labels = dict(ProjectStatus.choices) if field == "status" else {}
    return [
        GroupTotals(
            key=row[key] or "",
            label=str(labels.get(row[key], row[key] or "—")),
            count=row["count"],
            total_investment=money(row["total"]),
            year_planned_investment=money(row["planned"]),
        )
        for row in rows
    ]


def project_access(*, actor: User, pk: int) -> Project:
    project = project_list(actor=actor).filter(pk=pk).prefetch_related("building_sites").first()
    if project is None:
        raise NotFound()
    return project


def progress_list(*, project: Project) -> QuerySet[MonthlyProgress]:
    """The project's months with the cumulative investment to each (since the project began) and
    the year's so far; `share_of_year_plan` is computed against the project's plan (selector below)."""
    return (
        MonthlyProgress.objects.filter(project=project)
        .annotate(
            year=ExtractYear("month"),
            cumulative=Window(Sum("invested"), partition_by=[F("project_id")], order_by=F("month").asc()),
            year_to_date=Window(
                Sum("invested"), partition_by=[F("project_id"), ExtractYear("month")], order_by=F("month").asc()
            ),
        )
        .order_by("month")
    )


def progress_rows(*, project: Project) -> list[MonthlyProgress]:
    rows = list(progress_list(project=project))
    for row in rows:
        row.cumulative, row.year_to_date = money(row.cumulative), money(row.year_to_date)  # type: ignore[attr-defined]
        plan = project.year_planned_investment if row.year == project.plan_year else None  # type: ignore[attr-defined]
        row.share_of_year_plan = lifecycle.share_of_plan(row.year_to_date, plan)  # type: ignore[attr-defined]
    return rows


def milestone_list(*, project: Project) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project=project)


def risk_list(*, project: Project) -> QuerySet[Risk]:
    return Risk.objects.filter(project=project).select_related("department")


def milestone_access(*, actor: User, project: Project, pk: int) -> Milestone:
    milestone = Milestone.objects.filter(project=project, pk=pk).select_related("project").first()
    if milestone is None:
        raise NotFound()
    return milestone


def risk_access(*, actor: User, project: Project, pk: int) -> Risk:
    risk = Risk.objects.filter(project=project, pk=pk).select_related("project", "department").first()
    if risk is None:
        raise NotFound()
    return risk


def contract_list(*, project: Project) -> QuerySet[Contract]:
    return Contract.objects.filter(project=project).annotate(
        paid=_money_sum(Disbursement.objects.filter(contract=OuterRef("pk")), "amount", "contract"),
        remaining=F("amount") - F("paid"),
    )


def contract_access(*, project: Project, pk: int) -> Contract:
    contract = contract_list(project=project).filter(pk=pk).select_related("project").first()
    if contract is None:
        raise NotFound()
    return contract


def disbursement_list(*, project: Project, contract_id: int | None = None) -> QuerySet[Disbursement]:
    queryset = Disbursement.objects.filter(contract__project=project).select_related("contract")
    if contract_id:
        queryset = queryset.filter(contract_id=contract_id)
    return queryset


@dataclass
class MonthTotal:
    month: date
    amount: Decimal
    count: int


def disbursement_months(*, disbursements: QuerySet[Disbursement]) -> list[MonthTotal]:
    """Payments per month (of the date paid), oldest first."""
    rows = (
        disbursements.order_by()
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(amount=Sum("amount"), count=Count("pk"))
        .order_by("month")
    )
    return [MonthTotal(month=row["month"], amount=money(row["amount"]), count=row["count"]) for row in rows]


def disbursements_in_scope(*, actor: User) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(access.project_q(actor, "contract__project"))


# --- The monthly dispatch table (项目调度表) ----------------------------------------------------


@dataclass
class DispatchRow:
    project: Project
    year_planned_investment: Decimal | None  # None: the project's plan is of another year
    invested_month: Decimal
    invested_year: Decimal
    invested_total: Decimal
    share_of_year_plan: Decimal | None
    workers_on_site: int | None
    paid_month: Decimal
    paid_total: Decimal


@dataclass
class DispatchTable:
    month: date
    rows: list[DispatchRow]
    totals: dict[str, Decimal | int | None]


def dispatch_table(
    *, actor: User, month: date, status: str | None = None, sector_id: int | None = None
) -> DispatchTable:
    """One row a project: the month's investment and payments, the year's and the cumulative to the
    end of the month (later months do not count), and a totals row summed the same way. A row's
    year plan is shown, and totalled, only when the project's plan is of the month's year: a plan
    of 2020 is not the plan of 2030."""
    month = month.replace(day=1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    projects = project_list(actor=actor, status=status, sector_id=sector_id)
    progress = MonthlyProgress.objects.filter(project=OuterRef("pk"), month__lte=month)
    paid = Disbursement.objects.filter(contract__project=OuterRef("pk"), paid_on__lt=next_month)
    projects = projects.annotate(
        invested_month=_money_sum(progress.filter(month=month), "invested", "project"),
        invested_to_month=_money_sum(progress, "invested", "project"),
        invested_year_to_month=_money_sum(progress.filter(month__year=month.year), "invested", "project"),
        paid_month=_money_sum(paid.filter(paid_on__gte=month), "amount", "contract__project"),
        paid_to_month=_money_sum(paid, "amount", "contract__project"),
        workers=Subquery(
            MonthlyProgress.objects.filter(project=OuterRef("pk"), month=month).values("workers_on_site")[:1]
        ),
    )
    rows = []
    for project in projects:
        plan = project.year_planned_investment if project.plan_year == month.year else None
        rows.append(
            DispatchRow(
                project=project,
                year_planned_investment=plan,
                invested_month=money(project.invested_month),
                invested_year=money(project.invested_year_to_month),
                invested_total=money(project.invested_to_month),
                share_of_year_plan=lifecycle.share_of_plan(project.invested_year_to_month, plan),
                workers_on_site=project.workers,
                paid_month=money(project.paid_month),
                paid_total=money(project.paid_to_month),
            )
        )
    ids = projects.order_by().values("pk")
    in_month = MonthlyProgress.objects.filter(project__in=ids)
    payments = Disbursement.objects.filter(contract__project__in=ids, paid_on__lt=next_month)
    base = Project.objects.filter(pk__in=ids).aggregate(
        total=Sum("total_investment"),
        planned=Sum("year_planned_investment", filter=Q(plan_year=month.year)),
    )
    year_done = _total(
        in_month.filter(month__year=month.year, month__lte=month, project__plan_year=month.year), "invested"
    )
    totals: dict[str, Decimal | int | None] = {
        "total_investment": money(base["total"]),
        "year_planned_investment": money(base["planned"]),
        "invested_month": _total(in_month.filter(month=month), "invested"),
        "invested_year": _total(in_month.filter(month__year=month.year, month__lte=month), "invested"),
        "invested_total": _total(in_month.filter(month__lte=month), "invested"),
        "share_of_year_plan": lifecycle.share_of_plan(year_done, base["planned"]),
        "workers_on_site": in_month.filter(month=month).aggregate(n=Sum("workers_on_site"))["n"] or 0,
        "paid_month": _total(payments.filter(paid_on__gte=month), "amount"),
        "paid_total": _total(payments, "amount"),
    }
    return DispatchTable(month=month, rows=rows, totals=totals)


# --- Leads ------------------------------------------------------------------------------------


def lead_list(
    *, actor: User, stage: str | None = None, sector: str | None = None, search: str | None = None
) -> QuerySet[Lead]:
    queryset = Lead.objects.filter(access.lead_q(actor))
    if stage:
        queryset = queryset.filter(stage=stage)
    if sector:
        queryset = queryset.filter(sector=sector)
    if search:
        queryset = queryset.filter(company_name__icontains=search)
    return queryset.select_related("organisation", "project")


def lead_desk_access(*, actor: User) -> None:
    """Raises not-found unless the actor keeps the leads (the commander, the investment attraction
    department): whoever else asks to record a lead learns no more than from a lead they asked for,
    not even that there is a lead desk."""
    if not access.owns_leads(actor):
        raise NotFound()


def lead_access(*, actor: User, pk: int) -> Lead:
    lead = (
        lead_list(actor=actor)
        .filter(pk=pk)
        .prefetch_related(Prefetch("stage_changes", queryset=LeadStageChange.objects.select_related("changed_by")))
        .first()
    )
    if lead is None:
        raise NotFound()
    return lead


@dataclass
class FunnelCell:
    sector: str
    stage: str
    count: int
    estimated_investment: Decimal


@dataclass
class FunnelStep:
    from_stage: str
    to_stage: str
    leads: int
    median_days: Decimal | None


@dataclass
class Funnel:
    cells: list[FunnelCell]
    reached: dict[str, int]  # stage → leads at that stage or beyond
    by_stage: dict[str, int]
    by_sector: dict[str, int]
    steps: list[FunnelStep]


def lead_funnel(*, actor: User, sector: str | None = None) -> Funnel:
    """Leads per sector and stage (counts and estimated investment, summed in SQL), how many reached
    each stage, and the median days of each step (funnel.py)."""
    leads = lead_list(actor=actor, sector=sector)
    rows = (
        leads.order_by()
        .values("sector", "stage")
        .annotate(count=Count("pk"), estimate=Sum("estimated_investment"))
        .order_by("sector", "stage")
    )
    cells = [
        FunnelCell(
            sector=row["sector"],
            stage=row["stage"],
            count=row["count"],
            estimated_investment=money(row["estimate"]),
        )
        for row in rows
    ]
    by_stage = {stage: 0 for stage in funnel.ORDER}
    by_sector = {value: 0 for value in LeadSector.values}
    for cell in cells:
        by_stage[cell.stage] += cell.count
        by_sector[cell.sector] += cell.count
    reached = {
        stage: sum(count for other, count in by_stage.items() if funnel.RANK[other] >= funnel.RANK[stage])
        for stage in funnel.ORDER
    }
    changes = LeadStageChange.objects.filter(lead__in=leads.order_by().values("pk")).values_list(
        "lead_id", "to_stage", "changed_on"
    )
    steps = [
        FunnelStep(from_stage=a, to_stage=b, leads=n, median_days=days)
        for a, b, n, days in funnel.conversion_days(funnel.first_reached(changes))
    ]
    return Funnel(cells=cells, reached=reached, by_stage=by_stage, by_sector=by_sector, steps=steps)


def stage_label(stage: str) -> str:
    return str(LeadStage(stage).label) if stage in LeadStage.values else stage


# --- Choices of the registry, for inputs --------------------------------------------------------


def department_choice(pk: int, *, field: str = "department_id") -> Department:
    department = registry_selectors.department_list().filter(pk=pk).first()
    if department is None:
        raise InvalidInput.for_field(field, _("Choose a department."))
    return department


def sector_choice(pk: int | None, *, field: str = "sector_id") -> Sector | None:
    if pk is None:
        return None
    sector = registry_selectors.sector_list().filter(pk=pk).first()
    if sector is None:
        raise InvalidInput.for_field(field, _("Choose a sector."))
    return sector


def organisation_choice(*, actor: User, pk: int, field: str = "owner_id") -> Organisation:
    organisation = registry_selectors.organisation_list(actor=actor).filter(pk=pk).first()
    if organisation is None:
        raise InvalidInput.for_field(field, _("Choose an organisation you can see."))
    return organisation


def building_site_choices(*, actor: User, pks: list[int]) -> list[Organisation]:
    sites = list(
        registry_selectors.organisation_list(actor=actor, kind=OrganisationKind.BUILDING_PROJECT).filter(pk__in=pks)
    )
    if len(sites) != len(set(pks)):
        raise InvalidInput.for_field("building_site_ids", _("Choose building projects of the registry."))
    return sites


def building_sites_offered(*, actor: User) -> QuerySet[Organisation]:
    return registry_selectors.organisation_list(actor=actor, kind=OrganisationKind.BUILDING_PROJECT)


def owners_offered(*, actor: User) -> QuerySet[Organisation]:
    return registry_selectors.organisation_list(actor=actor).exclude(kind=OrganisationKind.COMMUNITY)


def departments_offered() -> QuerySet[Department]:
    return registry_selectors.department_list()


def sectors_offered() -> QuerySet[Sector]:
    return registry_selectors.sector_list()
