from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema
from zoneguard.core.masking import mask_id_number, mask_name, mask_phone

from .models import CaseStatus, Reason, Source


class CaseFilters(InSchema):
    status: CaseStatus | None = None
    community_id: int | None = Field(None, ge=1, le=MAX_ID)
    reason: Reason | None = None
    search: str = Field("", max_length=50, description="A name, or a whole ID number.")


class CaseIn(InSchema):
    person_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A registered person; or give name and id_number instead."
    )
    name: str = Field("", max_length=50)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    community_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = Field("", max_length=200)
    reason: Reason
    start_date: DateIn | None = Field(None, description="Today by default.")
    worker_id: int | None = Field(None, ge=1, le=MAX_ID, description="The community worker who follows the case.")
    note: str = Field("", max_length=500)


class CaseAssignIn(InSchema):
    community_id: int | None = Field(None, ge=1, le=MAX_ID)
    worker_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)


class FollowUpIn(InSchema):
    temperature: Decimal = Field(..., ge=34, le=43, max_digits=3, decimal_places=1)
    symptoms: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=500)
    day: DateIn | None = Field(None, description="Today by default; a worker may catch up on an earlier day.")


class CaseDecisionIn(InSchema):
    note: str = Field("", max_length=500)


class FollowUpOut(Schema):
    id: int
    day: date
    slot: int
    temperature: Decimal
    symptoms: list[str]
    note: str
    by_resident: bool
    recorded_at: datetime
    incident_id: int | None


class CaseOut(Schema):
    id: int
    person_id: int
    name: str = Field(description="Masked.")
    id_number: str = Field(description="Masked.")
    phone: str = Field(description="Masked.")
    community_id: int | None
    address: str
    reason: str
    source: Source
    source_person_id: int | None
    start_date: date
    end_date: date
    readings_per_day: int
    worker_id: int | None
    status: str
    closed_at: datetime | None
    close_note: str

    @staticmethod
    def resolve_name(obj: object) -> str:
        return mask_name(obj.person.name)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_id_number(obj: object) -> str:
        return mask_id_number(obj.person.id_number)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_phone(obj: object) -> str:
        return mask_phone(obj.phone or obj.person.phone)  # type: ignore[attr-defined]


class CaseDetailOut(CaseOut):
    missed_days: list[date] = Field(description="Days of the period over with fewer readings than asked.")
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_missed_days(obj: object) -> list[date]:
        from .selectors import case_calendar

        return [day.day for day in case_calendar(obj) if day.state == "missed"]  # type: ignore[arg-type]

    @staticmethod
    def resolve_follow_ups(obj: object) -> list[object]:
        from .selectors import follow_ups

        return list(follow_ups(obj))  # type: ignore[arg-type]


class ResidentFollowUpIn(InSchema):
    temperature: Decimal = Field(..., ge=34, le=43, max_digits=3, decimal_places=1)
    symptoms: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=500)


class ReasonRuleIn(InSchema):
    days: int = Field(..., ge=1, le=60)
    readings_per_day: int = Field(1, ge=1, le=2)


class ReasonRuleOut(Schema):
    reason: str
    days: int
    readings_per_day: int
