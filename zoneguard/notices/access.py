"""Who writes, who sees and whom a notice reaches."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation

from .models import Notice, NoticeReader, NoticeRecipient, NoticeStatus


def can_author(actor: User) -> bool:
    return is_active_user(actor) and (scoping.is_commander(actor) or actor.role == Role.DEPARTMENT_OFFICER)


def can_manage(actor: User, notice: Notice) -> bool:
    """Edit a draft, publish, read the receipts: its author, their department, the commander."""
    if not can_author(actor):
        return False
    if scoping.is_commander(actor) or notice.author_id == actor.pk:
        return True
    return bool(actor.department_id) and notice.department_id == actor.department_id


def visible_q(actor: User) -> Q:
    if not is_active_user(actor):
        return scoping.NOTHING
    if scoping.is_commander(actor):
        return Q()
    q = Q(author=actor)
    if actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        q |= Q(department_id=actor.department_id)
    received = NoticeRecipient.objects.filter(scoping.organisation_q(actor, "organisation")).values("notice_id")
    named = NoticeReader.objects.filter(user=actor).values("notice_id")
    return q | Q(status=NoticeStatus.PUBLISHED, pk__in=received) | Q(status=NoticeStatus.PUBLISHED, pk__in=named)


def represented_q(actor: User) -> Q:
    """The organisations on whose behalf the actor reads: their own and the ones it is parent of."""
    if not is_active_user(actor) or not actor.organisation_id:
        return scoping.NOTHING
    return Q(pk=actor.organisation_id) | Q(parent_id=actor.organisation_id)


def audience(
    *,
    actor: User,
    kinds: list[str],
    sector_ids: list[int],
    community_ids: list[int],
    organisation_ids: list[int],
) -> QuerySet[Organisation]:
    """The active organisations within the author's scope that match every criterion given (kind,
    sector, community), together with those listed by name."""
    scope = Organisation.objects.filter(scoping.organisation_q(actor), is_active=True)
    criteria = Q()
    if kinds:
        criteria &= Q(kind__in=kinds)
    if sector_ids:
        criteria &= Q(sector_id__in=sector_ids)
    if community_ids:
        criteria &= Q(community_id__in=community_ids)
    matched = scope.filter(criteria) if (kinds or sector_ids or community_ids) else scope.none()
    listed = scope.filter(pk__in=organisation_ids) if organisation_ids else scope.none()
    return scope.filter(Q(pk__in=matched.values("pk")) | Q(pk__in=listed.values("pk"))).order_by("name_key", "id")
