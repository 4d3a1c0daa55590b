from __future__ import annotations

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
