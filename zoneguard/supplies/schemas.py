from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema
from zoneguard.registry.models import OrganisationKind

from .models import MAX_QUANTITY, DepotKind, EntryKind, ItemCategory, ReceiptSource, RequestStatus


class ItemIn(InSchema):
    name: str = Field(..., min_length=1, max_length=100)
    category: ItemCategory
    unit: str = Field(..., min_length=1, max_length=20)


class ItemOut(Schema):
    id: int
    name: str
    category: str
    unit: str
    is_active: bool


class DepotIn(InSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: DepotKind
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID, description="Empty for the zone's own depot.")
    keeper_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = Field("", max_length=200)


class DepotOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int | None
    organisation_name: str
    keeper_id: int | None
    address: str

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return obj.organisation.name if obj.organisation_id else ""


class StockFilters(InSchema):
    depot_id: int | None = Field(None, ge=1, le=MAX_ID)
    item_id: int | None = Field(None, ge=1, le=MAX_ID)


class StockOut(Schema):
    depot_id: int
    depot_name: str
    item_id: int
    item_name: str
    unit: str
    quantity: Decimal = Field(description="The sum of the depot's ledger for the item.")
    threshold: Decimal | None
    low: bool
    issued_last_week: Decimal
    reported_use: Decimal = Field(description="Masks used over the week according to daily reports.")
    days_of_cover: Decimal | None = Field(description="Empty when nothing was used over the week.")

    @staticmethod
    def resolve_depot_name(obj: Any) -> str:
        return obj.depot.name

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return obj.item.name

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.item.unit


class ThresholdIn(InSchema):
    depot_id: int = Field(..., ge=1, le=MAX_ID)
    item_id: int = Field(..., ge=1, le=MAX_ID)
    threshold: Decimal | None = Field(None, ge=0, le=MAX_QUANTITY, max_digits=12, decimal_places=2)


class LedgerFilters(InSchema):
    depot_id: int | None = Field(None, ge=1, le=MAX_ID)
    item_id: int | None = Field(None, ge=1, le=MAX_ID)


class LedgerIn(InSchema):
    kind: EntryKind
    item_id: int = Field(..., ge=1, le=MAX_ID)
    depot_id: int = Field(..., ge=1, le=MAX_ID, description="The depot it moves into (receipt) or out of.")
    quantity: Decimal = Field(
        ...,
        ge=-MAX_QUANTITY,
        le=MAX_QUANTITY,
        max_digits=12,
        decimal_places=2,
        description="Above zero; signed for an adjustment.",
    )
    to_depot_id: int | None = Field(None, ge=1, le=MAX_ID, description="A transfer's destination.")
    source: ReceiptSource | None = Field(None, description="A receipt: purchase or donation.")
    donor: str = Field("", max_length=100)
    recipient_organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    recipient_name: str = Field("", max_length=100, description="An issue to a person.")
    reason: str = Field("", max_length=200, description="Required for an adjustment.")
    note: str = Field("", max_length=200)
    client_id: uuid.UUID | None = Field(None, description="Sent again on a retry: the same entry is answered.")


class LedgerOut(Schema):
    id: int
    kind: str
    item_id: int
    item_name: str
    quantity: Decimal
    depot_id: int
    to_depot_id: int | None
    source: str
    donor: str
    recipient_organisation_id: int | None
    recipient_name: str
    reason: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return obj.item.name


class RequestLineIn(InSchema):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: Decimal = Field(..., gt=0, le=MAX_QUANTITY, max_digits=12, decimal_places=2)


class RequestIn(InSchema):
    organisation_id: int = Field(..., ge=1, le=MAX_ID)
    needed_by: DateIn
    reason: str = Field(..., min_length=1, max_length=500)
    lines: list[RequestLineIn] = Field(..., min_length=1, max_length=20)
    client_id: uuid.UUID | None = Field(None, description="Sent again on a retry: the same request is answered.")


class RequestFilters(InSchema):
    status: RequestStatus | None = None


class AllocationIn(InSchema):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    depot_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: Decimal = Field(..., gt=0, le=MAX_QUANTITY, max_digits=12, decimal_places=2)


class AllocateIn(InSchema):
    allocations: list[AllocationIn] = Field(..., min_length=1, max_length=50)


class RefuseIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=500)


class RequestLineOut(Schema):
    item_id: int
    item_name: str
    quantity: Decimal

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return obj.item.name


class AllocationOut(Schema):
    id: int
    item_id: int
    depot_id: int
    depot_name: str
    quantity: Decimal
    handed_over: bool

    @staticmethod
    def resolve_item_id(obj: Any) -> int:
        return int(obj.line.item_id)

    @staticmethod
    def resolve_depot_name(obj: Any) -> str:
        return obj.depot.name

    @staticmethod
    def resolve_handed_over(obj: Any) -> bool:
        return obj.entry_id is not None


class RequestOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    needed_by: Any
    reason: str
    status: str
    priority: int | None = Field(None, description="The rank of the priority table that matched (lists only).")
    refusal_reason: str
    lines: list[RequestLineOut]
    allocations: list[AllocationOut]
    created_at: datetime
    handed_over_at: datetime | None
    received_at: datetime | None

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_allocations(obj: Any) -> list[Any]:
        return list(obj.allocations.all())


class PriorityRuleIn(InSchema):
    rank: int = Field(..., ge=1, le=99)
    label: str = Field(..., min_length=1, max_length=100)
    organisation_kind: OrganisationKind | None = None
    sector_id: int | None = Field(None, ge=1, le=MAX_ID)
    workers_on_site: bool = False


class PriorityRuleOut(Schema):
    id: int
    rank: int
    label: str
    organisation_kind: str
    sector_id: int | None
    workers_on_site: bool
