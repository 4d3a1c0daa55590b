from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.registry.selectors import organisation_access

from . import selectors, services
from .schemas import OverviewFilters, OverviewOut, ReportDetailOut, ReportFilters, ReportIn, ReportOut

router = Router(tags=["daily reports"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/daily-reports", response={200: list[ReportOut], **ERRORS})
@paginate(Paging)
def report_list(request: ApiRequest, filters: Query[ReportFilters]) -> Any:
    """Daily prevention reports of the organisations in the caller's scope, newest day first; `day` and
    `organisation_id` narrow the list."""
    return selectors.report_list(actor=request.user, **filters.dict())


@router.post("/daily-reports", response={200: ReportDetailOut, 201: ReportDetailOut, **ERRORS})
def report_file(request: ApiRequest, payload: ReportIn) -> Any:
    """File today's report (201), or amend it when already filed today (200; the history is kept)."""
    data = payload.dict()
    organisation = organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    report, created = services.report_file(actor=request.user, organisation=organisation, data=data)
    return (201 if created else 200), selectors.report_access(actor=request.user, pk=report.pk)


@router.get("/daily-reports/overview", response={200: OverviewOut, **ERRORS})
def report_overview(request: ApiRequest, filters: Query[OverviewFilters]) -> Any:
    """Who has and has not filed on a day (default today), among the caller's organisations."""
    return selectors.day_overview(actor=request.user, day=filters.day)


@router.get("/daily-reports/{pk}", response={200: ReportDetailOut, **ERRORS})
def report_read(request: ApiRequest, pk: int = PK) -> Any:
    """One daily report of an organisation in the caller's scope (404 otherwise), with its earlier revisions."""
    return selectors.report_access(actor=request.user, pk=pk)
