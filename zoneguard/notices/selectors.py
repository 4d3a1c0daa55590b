"""Reads of notices, through the actor's scope."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from zoneguard.accounts.models import User
from zoneguard.core.errors import Forbidden, NotFound

from . import access
from .models import Notice, NoticeReader, NoticeRecipient, NoticeStatus


def notice_list(*, actor: User, status: str = "") -> QuerySet[Notice]:
    qs = (
        Notice.objects.filter(access.visible_q(actor))
        .select_related("department", "author")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False), distinct=True),
            # A notice sent to people by name (a meeting's minutes) has readers, not organisations.
            reader_count=Count("readers", distinct=True),
            readers_read=Count("readers", filter=Q(readers__read_at__isnull=False), distinct=True),
        )
    )
    if status:
        qs = qs.filter(status=status)
    # Drafts (no publication time) first for their author, then the newest published. Spelled out:
    # a bare "-published_at" puts NULLs first on PostgreSQL and last on SQLite.
    return qs.order_by(F("published_at").desc(nulls_first=True), "-created_at", "-id")


def notice_access(*, actor: User, pk: int) -> Notice:
    notice = Notice.objects.filter(access.visible_q(actor), pk=pk).select_related("department", "author").first()
    if notice is None:
        raise NotFound()
    return notice


def receipts(*, actor: User, notice: Notice) -> QuerySet[NoticeRecipient]:
    """Who has read the notice: for its author, their department and the commander."""
    if not access.can_manage(actor, notice):
        raise Forbidden()
    # Those who have not read it first: they are whom the officer follows up.
    return notice.recipients.select_related("organisation", "read_by").order_by(
        F("read_at").asc(nulls_first=True), "organisation__name"
    )


def my_receipts(*, actor: User, notice: Notice) -> QuerySet[NoticeRecipient]:
    from zoneguard.registry.models import Organisation

    represented = Organisation.objects.filter(access.represented_q(actor)).values("pk")
    return notice.recipients.filter(organisation__in=represented).select_related("organisation")


def unread_for(*, actor: User) -> int:
    """Published notices sent to the organisations the actor reads for, that none of them has read."""
    from zoneguard.registry.models import Organisation

    represented = Organisation.objects.filter(access.represented_q(actor)).values("pk")
    return (
        NoticeRecipient.objects.filter(
            organisation__in=represented, read_at__isnull=True, notice__status=NoticeStatus.PUBLISHED
        )
        .values("notice_id")
        .distinct()
        .count()
    )


def reader_receipts(*, notice: Notice) -> QuerySet[NoticeReader]:
    """The people a notice was sent to by name, those who have not read it first."""
    return notice.readers.select_related("user").order_by(F("read_at").asc(nulls_first=True), "user_id")
