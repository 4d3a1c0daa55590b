from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from zoneguard.core.api import InSchema

from .models import DeliveryRule, DeliveryStatus


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


class DeliveryFilters(InSchema):
    status: DeliveryStatus | None = None


class DeliveryOut(Schema):
    id: int
    rule_id: int | None
    channel: str
    target: str
    title: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None


# From selectors.rule_list, which counts the failed deliveries.
class RuleOut(Schema):
    id: int
    name: str
    audience: str
    department_id: int | None
    organisation_id: int | None
    kinds: list[str]
    channel: str
    webhook_url: str
    has_secret: bool
    is_active: bool
    failed: int = Field(..., description="Deliveries of this rule that failed for good.")

    @staticmethod
    def resolve_has_secret(rule: DeliveryRule) -> bool:
        return bool(rule.webhook_secret)
