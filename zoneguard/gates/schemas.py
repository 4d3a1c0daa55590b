from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import ValidationError, ValidatorFunctionWrapHandler, WrapValidator

from zoneguard.core.api import MAX_ID, DateIn, DateTimeIn, ErrorOut, InSchema, LeanInSchema, invalid_input
from zoneguard.core.masking import mask_name

from .models import AlertStatus, CheckIn, Decision, Direction, RetestMethod
from .services.checkins import UnreadableItem


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
    checked_at: DateTimeIn = Field(..., description="When the person passed (the gate's clock); naive is Beijing time.")
    direction: Direction = Direction.IN
    photo: str | None = Field(
        None, max_length=3_000_000, description="Base64 JPEG or PNG from the channel camera, for face-check sites."
    )


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


def _item_or_unreadable(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """An offline gate's item that does not validate is answered in its own place: refusing the
    whole upload would keep the gate from ever uploading the other entries it holds."""
    try:
        return handler(value)
    except ValidationError as error:
        client_id = value.get("client_id") if isinstance(value, dict) else None
        try:
            readable_id = UUID(str(client_id)) if client_id is not None else None
        except ValueError:
            readable_id = None
        return UnreadableItem(client_id=readable_id, error=invalid_input(error.errors()))


class BatchIn(LeanInSchema):
    items: list[Annotated[CheckinIn, WrapValidator(_item_or_unreadable)]] = Field(
        ...,
        min_length=1,
        max_length=1000,
        description="Each item is validated on its own: one that does not validate is answered with its error "
        "in its place, and the others are recorded.",
    )


class BatchItemOut(CheckinOut):
    client_id: UUID | None = Field(..., description="The item's client_id; null when it was not a valid UUID.")  # type: ignore[assignment]
    error: ErrorOut | None = Field(
        ..., description="Set when this item was not recorded (e.g. a missing field or an implausible reading)."
    )


class BatchOut(Schema):
    items: list[BatchItemOut]
    recorded: int
    replayed: int
    errors: int


class CheckinFilters(InSchema):
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    day: DateIn | None = None
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    direction: Direction | None = None
    decision: Decision | None = None


class CheckinListOut(Schema):
    id: int
    site_id: int
    organisation_id: int
    person_id: int | None
    person: str | None = Field(..., description="Masked name.")
    id_number: str = Field(..., alias="masked_id_number", description="Masked.")
    direction: Direction
    temperature: float | None
    decision: Decision
    status: str
    reason_codes: list[str]
    checked_at: datetime

    @staticmethod
    def resolve_person(checkin: CheckIn) -> str | None:
        return mask_name(checkin.person.name) if checkin.person else None


class OnSiteOut(Schema):
    site_id: int
    person_id: int
    since: datetime


class AlertFilters(InSchema):
    status: AlertStatus | None = None
    site_id: int | None = Field(None, ge=1, le=MAX_ID)


class RetestOut(Schema):
    temperature: float
    method: RetestMethod
    measured_at: datetime


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
    retests: list[RetestOut]
    released_at: datetime | None = Field(
        ..., description="From then on the gates admit the person again; until then they are refused at every gate."
    )

    @staticmethod
    def resolve_person(alert: Any) -> str | None:
        return mask_name(alert.person.name) if alert.person else None

    @staticmethod
    def resolve_retests(alert: Any) -> list[Any]:
        return list(alert.retests.all())


class AlertRetestIn(InSchema):
    temperature: Decimal = Field(..., ge=34, le=43, max_digits=4, decimal_places=1)
    method: RetestMethod
    measured_at: DateTimeIn | None = Field(None, description="When it was measured; now when not given.")


class AlertCloseIn(InSchema):
    note: str = Field("", max_length=2000)
