from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema
from zoneguard.core.masking import mask_phone

from . import access
from .models import MAX_STAFF, FilingEvent, FilingStatus, ResumptionFiling
from .selectors import RateRow

Staff = Field(..., ge=0, le=MAX_STAFF)


class FilingDecision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


class ResumableKind(StrEnum):
    ENTERPRISE = "enterprise"
    BUILDING_PROJECT = "building_project"
    SHOP = "shop"
    MARKET = "market"


class FilingFilters(InSchema):
    status: FilingStatus | None = None
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    search: str = Field("", max_length=100)
    to_review: bool = Field(False, description="Only filings waiting for the caller's review.")


class FilingIn(InSchema):
    organisation_id: int = Field(..., ge=1, le=MAX_ID)
    planned_date: DateIn = Field(
        ..., description="Planned resumption date; the organisation counts as resumed from it."
    )
    staff_expected: int = Staff
    staff_local: int = Staff
    staff_other_provinces: int = Staff
    staff_from_risk_areas: int = Field(0, ge=0, le=MAX_STAFF)
    disinfection: bool = False
    temperature_points: int = Field(0, ge=0, le=10_000)
    isolation_room: bool = False
    masks_in_stock: int = Field(0, ge=0, le=100_000_000)
    canteen_rules: bool = False
    plan_notes: str = Field("", max_length=5000)
    responsible_name: str = Field(..., min_length=1, max_length=50)
    responsible_phone: str = Field(..., min_length=1, max_length=20)


class FilingPatch(InSchema):
    planned_date: DateIn | None = None
    staff_expected: int | None = Field(None, ge=0, le=MAX_STAFF)
    staff_local: int | None = Field(None, ge=0, le=MAX_STAFF)
    staff_other_provinces: int | None = Field(None, ge=0, le=MAX_STAFF)
    staff_from_risk_areas: int | None = Field(None, ge=0, le=MAX_STAFF)
    disinfection: bool | None = None
    temperature_points: int | None = Field(None, ge=0, le=10_000)
    isolation_room: bool | None = None
    masks_in_stock: int | None = Field(None, ge=0, le=100_000_000)
    canteen_rules: bool | None = None
    plan_notes: str | None = Field(None, max_length=5000)
    responsible_name: str | None = Field(None, min_length=1, max_length=50)
    responsible_phone: str | None = Field(None, min_length=1, max_length=20)


class DecisionIn(InSchema):
    decision: FilingDecision
    comment: str = Field(
        "", max_length=2000, description="Required when returning the filing, or withdrawing its approval (return)."
    )


class FilingEventOut(Schema):
    action: str
    actor_name: str
    department: str | None
    revision: int
    comment: str
    at: datetime

    @staticmethod
    def resolve_department(event: FilingEvent) -> str | None:
        return event.department.name if event.department else None


class FilingOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    status: str
    planned_date: date
    staff_expected: int
    staff_local: int
    staff_other_provinces: int
    staff_from_risk_areas: int
    disinfection: bool
    temperature_points: int
    isolation_room: bool
    masks_in_stock: int
    canteen_rules: bool
    plan_notes: str
    has_document: bool
    responsible_name: str
    responsible_phone: str = Field(..., description="Masked in lists; in full when one filing is read.")
    revision: int
    submitted_at: datetime
    decided_at: datetime | None
    decided_department: str | None
    review_comment: str
    resumed_on: date | None

    @staticmethod
    def resolve_has_document(filing: ResumptionFiling) -> bool:
        return bool(filing.plan_document)

    @staticmethod
    def resolve_responsible_phone(filing: ResumptionFiling) -> str:
        return mask_phone(filing.responsible_phone)

    @staticmethod
    def resolve_decided_department(filing: ResumptionFiling) -> str | None:
        return filing.decided_department.name if filing.decided_department else None


# One filing, with the responsible person's phone in full for those who may see it.
class FilingDetailOut(FilingOut):
    events: list[FilingEventOut]

    @staticmethod
    def resolve_responsible_phone(filing: ResumptionFiling, context: dict[str, Any] | None = None) -> str:
        # Masked when there is no request to tell who reads.
        if context and access.can_see_contact(context["request"].user, filing.organisation):
            return filing.responsible_phone
        return mask_phone(filing.responsible_phone)

    @staticmethod
    def resolve_events(filing: ResumptionFiling) -> list[FilingEvent]:
        return list(filing.events.select_related("department"))


class RatesFilters(InSchema):
    day: DateIn | None = Field(None, description="The day the rates are for (default: today).")
    kind: ResumableKind | None = None


class RateOut(Schema):
    key: str | None
    label: str
    registered: int
    resumed: int
    resumption_rate: float | None = Field(..., description="resumed ÷ registered, 0..1; null when none registered.")
    total_staff: int
    on_duty: int
    return_rate: float | None = Field(..., description="on duty ÷ total staff, 0..1.")

    @staticmethod
    def resolve_key(row: RateRow) -> str | None:
        return None if row.key is None else str(row.key)


class RatesOut(Schema):
    day: date
    overall: RateOut
    by_kind: list[RateOut]
    by_sector: list[RateOut]
    by_community: list[RateOut]
