from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, InSchema
from zoneguard.registry.models import OrganisationKind

from .models import NoticeStatus

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class NoticeFilters(InSchema):
    status: NoticeStatus | None = None


class NoticeIn(InSchema):
    """A draft notice. Recipients: the organisations matching every criterion given (kinds,
    sectors, communities), and those listed."""

    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=50_000, description="HTML; only basic formatting is kept.")
    kinds: list[OrganisationKind] = Field(default_factory=list, max_length=10)
    sector_ids: list[Id] = Field(default_factory=list, max_length=100)
    community_ids: list[Id] = Field(default_factory=list, max_length=100)
    organisation_ids: list[Id] = Field(default_factory=list, max_length=1000)


class NoticeOut(Schema):
    id: int
    title: str
    status: str
    department: str | None
    published_at: datetime | None
    recipient_count: int | None = Field(None, description="For the notice's author and department only.")
    read_count: int | None = Field(None, description="For the notice's author and department only.")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int


class NoticeDetailOut(NoticeOut):
    body: str
    attachments: list[AttachmentOut]


class PublishedOut(Schema):
    recipients: int


class ReadOut(Schema):
    marked: int = Field(..., description="Recipient organisations whose first reading this was.")


class ReceiptOut(Schema):
    organisation_id: int
    organisation_name: str
    read_at: datetime | None
    read_by: str | None
