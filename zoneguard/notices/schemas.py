from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, InSchema
from zoneguard.registry.models import OrganisationKind

from . import access
from .models import Notice, NoticeRecipient, NoticeStatus

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


# From selectors.notice_list, which counts the recipients and readers.
class NoticeOut(Schema):
    id: int
    title: str
    status: str
    department: str | None
    published_at: datetime | None
    recipient_count: int | None = Field(None, description="For the notice's author and department only.")
    read_count: int | None = Field(None, description="For the notice's author and department only.")

    @staticmethod
    def resolve_department(notice: Notice) -> str | None:
        return notice.department.name if notice.department else None

    @staticmethod
    def resolve_recipient_count(notice: Notice, context: dict[str, Any]) -> int | None:
        return getattr(notice, "recipient_count", None) if access.can_manage(context["request"].user, notice) else None

    @staticmethod
    def resolve_read_count(notice: Notice, context: dict[str, Any]) -> int | None:
        return getattr(notice, "read_count", None) if access.can_manage(context["request"].user, notice) else None


class NoticeAttachmentOut(Schema):
    id: int
    name: str
    size: int


class NoticeDetailOut(NoticeOut):
    body: str
    attachments: list[NoticeAttachmentOut]


class PublishedOut(Schema):
    recipients: int


class ReadOut(Schema):
    marked: int = Field(..., description="Recipient organisations whose first reading this was.")


class ReceiptOut(Schema):
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    read_at: datetime | None
    read_by: str | None

    @staticmethod
    def resolve_read_by(receipt: NoticeRecipient) -> str | None:
        return receipt.read_by.display_name if receipt.read_by else None
