from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, Mapped, Paging
from zoneguard.registry.selectors import organisation_access

from . import selectors, services
from .models import DailyReport
from .schemas import OverviewFilters, OverviewOut, ReportDetailOut, ReportFilters, ReportIn, ReportOut

router = Router(tags=["daily reports"])

PK = Path(..., ge=1, le=MAX_ID)


def report_out(report: DailyReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "organisation_id": report.organisation_id,
        "organisation_name": report.organisation.name,
        "day": report.day,
        "staff_on_duty": report.staff_on_duty,
        "staff_isolating": report.staff_isolating,
        "temperature_anomalies": report.temperature_anomalies,
        "disinfection_done": report.disinfection_done,
        "masks_in_stock": report.masks_in_stock,
        "disinfectant_litres": str(report.disinfectant_litres),
        "problems": report.problems,
        "revision": report.revision,
        "filed_at": report.filed_at,
        "amended_at": report.amended_at,
    }


def report_detail_out(report: DailyReport) -> dict[str, Any]:
    revisions = [
        {"revision": r.revision, "filed_by_name": r.filed_by_name, "filed_at": r.filed_at, "data": r.data}
        for r in report.revisions.all()
    ]
    return {**report_out(report), "revisions": revisions}


@router.get("/daily-reports", response={200: list[ReportOut], **ERRORS})
@paginate(Paging)
def report_list(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    return Mapped(selectors.report_list(actor=request.user, **filters.dict()), report_out)


@router.post("/daily-reports", response={200: ReportDetailOut, 201: ReportDetailOut, **ERRORS})
def report_file(request: HttpRequest, payload: ReportIn) -> Any:
    """File today's report (201), or amend it when already filed today (200; the history is kept)."""
    data = payload.dict()
    organisation = organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    report, created = services.report_file(actor=request.user, organisation=organisation, data=data)
    return (201 if created else 200), report_detail_out(selectors.report_access(actor=request.user, pk=report.pk))


@router.get("/daily-reports/overview", response={200: OverviewOut, **ERRORS})
def report_overview(request: HttpRequest, filters: Query[OverviewFilters]) -> Any:
    """Who has and has not filed on a day (default today), among the caller's organisations."""
    overview = selectors.day_overview(actor=request.user, day=filters.day)
    return {
        "day": overview.day,
        "deadline": overview.deadline,
        "due": len(overview.rows),
        "filed": len(overview.filed),
        "late": len(overview.late),
        "organisations": [
            {
                "organisation_id": row.organisation.pk,
                "organisation_name": row.organisation.name,
                "state": row.state,
                "report_id": row.report.pk if row.report else None,
                "reminded_at": row.reminded_at,
            }
            for row in overview.rows
        ],
    }


@router.get("/daily-reports/{pk}", response={200: ReportDetailOut, **ERRORS})
def report_read(request: HttpRequest, pk: int = PK) -> Any:
    return report_detail_out(selectors.report_access(actor=request.user, pk=pk))
