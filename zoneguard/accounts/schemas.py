from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from zoneguard.core.api import InSchema


class TokenIn(InSchema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    organisation_id: int | None
    department_id: int | None
    site_id: int | None = Field(None, description="The one site a device token works at.")

    @staticmethod
    def resolve_site_id(user: Any) -> int | None:
        return user.device_site_id
