from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, InSchema
from zoneguard.core.masking import mask_name

from . import access
from .models import ErrandStatus, LineKind


class ErrandFilters(InSchema):
    status: ErrandStatus | None = None
    community_id: int | None = Field(None, ge=1, le=MAX_ID)
    case_id: int | None = Field(None, ge=1, le=MAX_ID)


class LineIn(InSchema):
    kind: LineKind = LineKind.GROCERIES
    item: str = Field(..., min_length=1, max_length=100)
    quantity: str = Field("1", max_length=30)


class ErrandIn(InSchema):
    case_id: int = Field(..., ge=1, le=MAX_ID, description="The home-isolation case of the resident.")
    lines: list[LineIn] = Field(..., min_length=1, max_length=20)
    note: str = Field("", max_length=500)
    client_id: uuid.UUID | None = Field(None, description="Sent again on a retry: the same errand is answered.")


class ErrandAssignIn(InSchema):
    volunteer_id: int = Field(..., ge=1, le=MAX_ID)


class ErrandCancelIn(InSchema):
    reason: str = Field("", max_length=200)


class LineOut(Schema):
    kind: str
    item: str
    quantity: str


class ErrandOut(Schema):
    id: int
    case_id: int
    community_id: int
    status: str
    name: str = Field(description="The resident, masked.")
    address: str = Field(description="Empty for a volunteer until the errand is theirs.")
    lines: list[LineOut]
    note: str
    by_resident: bool
    requested_at: datetime
    volunteer_id: int | None
    accepted_at: datetime | None
    amount: Decimal | None = Field(description="Yuan, to the cent.")
    has_receipt: bool
    delivered_at: datetime | None
    received_at: datetime | None
    settled_at: datetime | None
    escalated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    contents_purged_at: datetime | None = Field(
        description="When the keeping time of personal data removed the lines, notes and receipt."
    )

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return mask_name(obj.case.person.name)

    @staticmethod
    def resolve_address(obj: Any, context: Any) -> str:
        return obj.case.address if access.sees_address(context["request"].user, obj) else ""

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_has_receipt(obj: Any) -> bool:
        return bool(obj.receipt)
