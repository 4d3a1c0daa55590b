from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema

from . import lifecycle
from .models import Category, TicketStatus, Urgency


class TicketFilters(InSchema):
    status: TicketStatus | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)


class TicketIn(InSchema):
    category: Category
    urgency: Urgency = Urgency.NORMAL
    title: str = Field(..., min_length=1, max_length=120)
    description: str = Field(..., min_length=1, max_length=5000)
    client_id: UUID | None = Field(
        None, description="The filer's key: the same key twice files one request and answers it again."
    )


class PassOnIn(InSchema):
    department_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field(..., min_length=1, max_length=1000)


class MessageIn(InSchema):
    body: str = Field(..., min_length=1, max_length=5000)


class ResolveIn(InSchema):
    answer: str = Field(..., min_length=1, max_length=5000)


class CommentIn(InSchema):
    comment: str = Field("", max_length=5000)


class ReopenIn(InSchema):
    comment: str = Field(..., min_length=1, max_length=5000)


class WithdrawIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=5000)


class RateIn(InSchema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class FiguresIn(InSchema):
    start: DateIn = Field(..., description="First day of the period (Asia/Shanghai).")
    end: DateIn = Field(..., description="Last day of the period, included.")


class TicketAttachmentOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: datetime


class EventOut(Schema):
    id: int
    action: str
    actor_name: str
    by_enterprise: bool
    department_id: int | None
    status: str
    body: str
    at: datetime


class TicketOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    department_id: int | None
    department_name: str
    category: str
    urgency: str
    title: str
    description: str
    status: str
    filed_at: datetime
    accept_due: datetime
    resolve_due: datetime
    accepted_at: datetime | None
    resolved_at: datetime | None
    confirmed_at: datetime | None
    answer: str
    reopen_count: int
    passed_count: int
    rating: int | None
    rating_comment: str
    actions: list[str] = Field(description="The transitions the request's state allows now.")

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return obj.department.name if obj.department_id else ""

    @staticmethod
    def resolve_actions(obj: Any) -> list[str]:
        return lifecycle.allowed_actions(obj.status)


class TicketDetailOut(TicketOut):
    attachments: list[TicketAttachmentOut]
    events: list[EventOut]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class FiguresOut(Schema):
    department_id: int
    department_name: str
    received: int
    accepted_in_time: int
    resolved: int
    overdue_now: int
    reopened: int
    withdrawn: int
    median_hours: Decimal | None
    p90_hours: Decimal | None
    average_rating: Decimal | None
