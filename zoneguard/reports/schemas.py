from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema

from .models import MAX_PEOPLE, MAX_STOCK, DailyReport
from .selectors import DayOverview, OrganisationDay

LITRES_PATTERN = r"^\d{1,7}(\.\d)?$"


class ReportFilters(InSchema):
    day: DateIn | None = None
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)


class ReportIn(InSchema):
    """Today's report; filing again the same day amends it."""

    organisation_id: int = Field(..., ge=1, le=MAX_ID)
    staff_on_duty: int = Field(..., ge=0, le=MAX_PEOPLE)
    staff_isolating: int = Field(0, ge=0, le=MAX_PEOPLE)
    temperature_anomalies: int = Field(0, ge=0, le=MAX_PEOPLE, description="Readings of 37.3 °C or more today.")
    disinfection_done: bool = False
    masks_in_stock: int = Field(0, ge=0, le=MAX_STOCK)
    disinfectant_litres: str = Field("0", pattern=LITRES_PATTERN, description='Litres, one decimal: "25.5".')
    problems: str = Field("", max_length=2000)


class RevisionOut(Schema):
    revision: int
    filed_by_name: str
    filed_at: datetime
    data: dict[str, Any]


class ReportOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    day: date
    staff_on_duty: int
    staff_isolating: int
    temperature_anomalies: int
    disinfection_done: bool
    masks_in_stock: int
    disinfectant_litres: str
    problems: str
    revision: int
    filed_at: datetime
    amended_at: datetime | None

    @staticmethod
    def resolve_disinfectant_litres(report: DailyReport) -> str:
        return str(report.disinfectant_litres)


class ReportDetailOut(ReportOut):
    revisions: list[RevisionOut]


class OverviewFilters(InSchema):
    day: DateIn | None = Field(None, description="Default: today.")


class OverviewRowOut(Schema):
    organisation_id: int = Field(..., alias="organisation.id")
    organisation_name: str = Field(..., alias="organisation.name")
    state: str = Field(..., description="filed, due (before the deadline) or late.")
    report_id: int | None
    reminded_at: datetime | None

    @staticmethod
    def resolve_report_id(row: OrganisationDay) -> int | None:
        return row.report.pk if row.report else None


class OverviewOut(Schema):
    day: date
    deadline: datetime
    due: int
    filed: int
    late: int
    organisations: list[OverviewRowOut] = Field(..., alias="rows")

    @staticmethod
    def resolve_due(overview: DayOverview) -> int:
        return len(overview.rows)

    @staticmethod
    def resolve_filed(overview: DayOverview) -> int:
        return len(overview.filed)

    @staticmethod
    def resolve_late(overview: DayOverview) -> int:
        return len(overview.late)
