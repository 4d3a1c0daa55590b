"""What the tax API's areas share: ids, and the files attached to policies and deferrals."""

from __future__ import annotations

from django.urls import reverse
from ninja import Field, Schema

from zoneguard.core.api import MAX_ID

from ..models import DeferralEvidence, PolicyAttachment

Id = Field(..., ge=1, le=MAX_ID)
OptionalId = Field(None, ge=1, le=MAX_ID)


# A policy's attachment or a deferral's evidence.
class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_url(attachment: PolicyAttachment | DeferralEvidence) -> str:
        name = "tax:attachment" if isinstance(attachment, PolicyAttachment) else "tax:evidence"
        return reverse(name, args=[attachment.pk])
