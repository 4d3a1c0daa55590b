"""The tax hall: windows, opening hours, slots, closures and appointments."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from zoneguard.core.api import MAX_ID, DateIn, DateTimeIn, InSchema

from ..models import AppointmentStatus, OpeningHours, Purpose
from .common import Id, OptionalId


class WindowOut(Schema):
    id: int
    name: str
    services: str
    is_active: bool


class WindowIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50)
    services: str = Field("", max_length=200)
    is_active: bool = True


class WindowPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=50)
    services: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class OpeningHoursIn(InSchema):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday.")
    opens_at: time = Field(..., description="Local time of the zone, HH:MM, without an offset.")
    closes_at: time = Field(..., description="Local time of the zone, HH:MM, without an offset.")

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError(_("Enter a local time without a time zone."))
        return value


class OpeningHoursOut(Schema):
    id: int
    weekday: int = Field(..., description="0 is Monday.")
    opens_at: str
    closes_at: str

    @staticmethod
    def resolve_opens_at(hours: OpeningHours) -> str:
        return f"{hours.opens_at:%H:%M}"

    @staticmethod
    def resolve_closes_at(hours: OpeningHours) -> str:
        return f"{hours.closes_at:%H:%M}"


class HallOut(Schema):
    id: int
    name: str
    address: str
    windows: list[WindowOut]
    opening_hours: list[OpeningHoursOut]


class SlotFilters(InSchema):
    date: DateIn
    hall_id: int | None = OptionalId


class SlotIn(InSchema):
    starts_at: DateTimeIn = Field(..., description="ISO 8601; without an offset, the zone's local time.")
    ends_at: DateTimeIn
    capacity: int = Field(..., ge=1, le=1000)
    hall_id: int | None = Field(None, ge=1, le=MAX_ID, description="The hall; the first open hall if left out.")


class SlotPatch(InSchema):
    capacity: int | None = Field(None, ge=1, le=1000)
    is_open: bool | None = None


class SlotsGenerateIn(InSchema):
    date_from: DateIn
    date_to: DateIn
    minutes: int = Field(30, ge=5, le=720)
    capacity: int | None = Field(None, ge=1, le=1000, description="Defaults to the number of open windows.")
    hall_id: int | None = OptionalId


class SlotsGeneratedOut(Schema):
    created: int


class SlotOut(Schema):
    id: int
    hall_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    available: int
    is_open: bool


class ClosureIn(InSchema):
    date: DateIn
    reason: str = Field("", max_length=200)
    hall_id: int | None = OptionalId


class ClosureOut(Schema):
    id: int
    hall_id: int
    date: date
    reason: str
    cancelled: int = Field(..., description="Bookings cancelled by the closure (their taxpayers are told).")


class AppointmentFilters(InSchema):
    date: DateIn | None = None
    organisation_id: int | None = OptionalId
    status: AppointmentStatus | None = None


class AppointmentIn(InSchema):
    slot_id: int = Id
    organisation_id: int = Id
    purpose: Purpose
    note: str = Field("", max_length=200)


class RescheduleIn(InSchema):
    slot_id: int = Id
    reason: str = Field("", max_length=200, description="Told to the taxpayer when the tax bureau moves the booking.")


class CancelIn(InSchema):
    reason: str = Field("", max_length=200, description="Told to the taxpayer when the tax bureau cancels the booking.")


class AppointmentOut(Schema):
    id: int
    code: str = Field(..., description="The booking code to show at the hall.")
    slot_id: int
    starts_at: datetime = Field(..., alias="slot.starts_at")
    ends_at: datetime = Field(..., alias="slot.ends_at")
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    purpose: str
    status: str
    note: str
