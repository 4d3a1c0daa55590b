from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from zoneguard.core.api import MAX_ID, DateTimeIn, InSchema

from .models import Incident, IncidentKind, IncidentStatus, Severity


class IncidentFilters(InSchema):
    status: IncidentStatus | None = None
    kind: IncidentKind | None = None
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)


class IncidentIn(InSchema):
    kind: IncidentKind
    severity: Severity = Severity.HIGH
    title: str = Field(..., min_length=1, max_length=200, description="What happened, in a line.")
    description: str = Field("", max_length=5000)
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    location: str = Field("", max_length=200, description="Where, when no organisation is given.")
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="A registered person concerned.")
    people_involved: str = Field("", max_length=2000)
    temperature: str | None = Field(None, pattern=r"^\d{2}(\.\d)?$", description='°C, e.g. "38.2".')
    occurred_at: DateTimeIn | None = Field(None, description="ISO 8601 with its offset; default: now.")

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class NoteIn(InSchema):
    note: str = Field(..., min_length=1, max_length=5000)


class CloseIn(InSchema):
    resolution: str = Field(..., min_length=1, max_length=5000)


class IncidentEventOut(Schema):
    action: str
    actor_name: str
    note: str
    at: datetime


class IncidentOut(Schema):
    id: int
    kind: str
    severity: str
    status: str
    title: str
    organisation_id: int | None
    organisation_name: str | None
    site_id: int | None
    location: str
    temperature: str | None
    occurred_at: datetime
    reported_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_organisation_name(incident: Incident) -> str | None:
        return incident.organisation.name if incident.organisation else None

    @staticmethod
    def resolve_temperature(incident: Incident) -> str | None:
        return str(incident.temperature) if incident.temperature is not None else None


class IncidentDetailOut(IncidentOut):
    description: str
    people_involved: str
    resolution: str
    events: list[IncidentEventOut]
