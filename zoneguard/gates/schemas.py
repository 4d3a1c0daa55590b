from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from zoneguard.core.api import MAX_ID, ErrorOut, InSchema, LeanInSchema

from .models import AlertStatus, Decision, Direction


def _bounded_time(value: Any) -> Any:
    if isinstance(value, datetime) and not 2000 <= value.year <= 2100:
        raise ValueError("Enter a date and time between the years 2000 and 2100.")
    return value


class CheckinIn(LeanInSchema):
    client_id: UUID = Field(..., description="Chosen by the gate for this passage; a retry sends the same one.")
    site_id: int = Field(..., ge=1, le=MAX_ID)
    id_number: str | None = Field(None, max_length=40, description="Resident ID number (or send `card_code`).")
    card_code: str | None = Field(
        None, max_length=300, description="The status card's code, or the card URL its QR code carries."
    )
    temperature: float | None = Field(
        None, ge=-100, le=200, description="°C; required to enter. Outside 34.0–43.0 is refused with 422."
    )
    checked_at: datetime = Field(..., description="When the person passed (the gate's clock); naive is Beijing time.")
    direction: Direction = Direction.IN
    photo: str | None = Field(
        None, max_length=3_000_000, description="Base64 JPEG or PNG from the channel camera, for face-check sites."
    )

    @field_validator("checked_at", mode="after")
    @classmethod
    def _time_range(cls, value: datetime) -> datetime:
        return _bounded_time(value)


class CheckinOut(Schema):
    client_id: UUID
    checkin_id: int | None
    decision: Decision | None
    status: str | None = Field(..., description="The person's health status: green, yellow, red, or null.")
    reasons: list[str] = Field(..., description="Why entry was refused, for people, in the request's language.")
    reason_codes: list[str] = Field(
        ...,
        description="fever, unknown_person, no_declaration, declaration_expired, status_red, status_yellow, "
        "face_missing, face_not_enrolled, face_no_face, face_mismatch.",
    )
    person: str | None = Field(..., description="The person's name, masked (张*葵), for the officer to confirm.")
    replayed: bool = Field(..., description="True when this client_id was already recorded: the first answer.")


class BatchIn(LeanInSchema):
    items: list[CheckinIn] = Field(..., min_length=1, max_length=1000)


class BatchItemOut(CheckinOut):
    error: ErrorOut | None = Field(..., description="Set when this item was not recorded (e.g. implausible reading).")


class BatchOut(Schema):
    items: list[BatchItemOut]
    recorded: int
    replayed: int
    errors: int


class CheckinFilters(InSchema):
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    day: date | None = None
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    direction: Direction | None = None
    decision: Decision | None = None


class CheckinListOut(Schema):
    id: int
    site_id: int
    organisation_id: int
    person_id: int | None
    person: str | None = Field(..., description="Masked name.")
    id_number: str = Field(..., description="Masked.")
    direction: Direction
    temperature: float | None
    decision: Decision
    status: str
    reason_codes: list[str]
    checked_at: datetime


class OnSiteOut(Schema):
    site_id: int
    person_id: int
    since: datetime


class AlertFilters(InSchema):
    status: AlertStatus | None = None
    site_id: int | None = Field(None, ge=1, le=MAX_ID)


class AlertOut(Schema):
    id: int
    site_id: int
    organisation_id: int
    person_id: int | None
    person: str | None = Field(..., description="Masked name.")
    temperature: float
    checked_at: datetime
    status: AlertStatus
    acknowledged_at: datetime | None
    closed_at: datetime | None
    note: str


class AlertCloseIn(InSchema):
    note: str = Field("", max_length=2000)
