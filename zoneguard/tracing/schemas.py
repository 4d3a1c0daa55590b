from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, InSchema
from zoneguard.core.masking import mask_name


class TraceFilters(InSchema):
    person_id: int = Field(..., ge=1, le=MAX_ID, description="The case to trace.")
    days: int = Field(14, ge=1, le=30, description="How many days back.")
    min_overlap_minutes: int | None = Field(
        None, ge=1, le=1440, description="Time together that makes a contact; default: the zone's setting (15)."
    )
    depth: int = Field(1, ge=1, le=2, description="2 adds the contacts of the contacts.")
    limit: int = Field(
        100, ge=1, le=settings.API_MAX_PAGE_SIZE, description="How many of the ranked contacts to answer."
    )
    offset: int = Field(0, ge=0, le=10_000_000, description="Where in the ranking the answer starts.")


class ContactOut(Schema):
    person_id: int | None = Field(description="None for a declared contact who matches no registered person.")
    name: str = Field(description="Masked.")
    kind: str = Field(description="`colocated` (shared a site) or `declared` (named on a health declaration).")
    degree: int
    site_ids: list[int]
    overlap_minutes: int = Field(description="Time shared at the sites, in total.")
    first_contact_at: datetime
    last_contact_at: datetime
    via_person_id: int | None = Field(None, description="For degree 2: the first-degree contact in between.")


class TraceOut(Schema):
    person_id: int
    days: int
    min_overlap_minutes: int
    depth: int
    count: int = Field(description="Contacts found in all: page through them with `offset`.")
    items: list[ContactOut]


class MarkIn(InSchema):
    case_id: int = Field(..., ge=1, le=MAX_ID, description="The traced case.")
    person_ids: list[int] = Field(..., min_length=1, max_length=1000)
    note: str = Field("", max_length=200)


class ReleaseIn(InSchema):
    note: str = Field(..., max_length=200, description="The grounds: observation period over, a negative test.")


class CloseContactOut(Schema):
    id: int
    person_id: int
    name: str = Field(description="Masked.")

    @staticmethod
    def resolve_name(restriction: Any) -> str:
        return mask_name(restriction.person.name)

    source_person_id: int | None
    note: str
    started_at: datetime
    released_at: datetime | None
    released_by: str | None = Field(None, description="Who released the person.")
    release_note: str = Field("", description="The grounds given for the release.")

    @staticmethod
    def resolve_released_by(restriction: Any) -> str | None:
        return restriction.released_by.display_name if restriction.released_by_id else None


class EndStatusIn(InSchema):
    person_id: int = Field(..., ge=1, le=MAX_ID)
    note: str = Field(..., max_length=200, description="The grounds: a negative test, a reading mistyped.")


class EndedStatusOut(Schema):
    person_id: int
    declaration_id: int
    status: str = Field(description="The status that was ended: `red` or `yellow`.")
    valid_until: datetime = Field(description="Now: the person declares again.")
    cleared_at: datetime
    clearance_note: str

    @staticmethod
    def resolve_declaration_id(declaration: Any) -> int:
        return int(declaration.pk)
