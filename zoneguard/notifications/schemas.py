from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from zoneguard.core.api import InSchema


class NotificationFilters(InSchema):
    unread_only: bool = False
    kind: str = Field("", max_length=20)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int
