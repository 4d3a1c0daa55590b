"""Who files and who reviews resumption filings.

- An organisation's own administrators file for it, and so do the administrators of its parent
  (the investment group files for its building projects).
- Officers of the departments whose review rules (FilingReviewRule over a CompetenceRule) match
  the organisation's kind and sector review it; the commander may too. Nobody reviews a filing
  they could file."""

from __future__ import annotations

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user
from zoneguard.registry import scoping
from zoneguard.registry.models import Department, Organisation

from .models import RESUMABLE_KINDS, FilingReviewRule


def can_file(actor: User, organisation: Organisation) -> bool:
    if not is_active_user(actor) or actor.role != Role.ORGANISATION_ADMIN or not actor.organisation_id:
        return False
    if organisation.kind not in RESUMABLE_KINDS:
        return False
    return actor.organisation_id in {organisation.pk, organisation.parent_id}


def fileable_organisations_q(actor: User) -> Q:
    if not is_active_user(actor) or actor.role != Role.ORGANISATION_ADMIN or not actor.organisation_id:
        return scoping.NOTHING
    return (Q(pk=actor.organisation_id) | Q(parent_id=actor.organisation_id)) & Q(kind__in=RESUMABLE_KINDS)


def review_rules(actor: User) -> list[tuple[str, int | None]]:
    """(kind, sector id) of the review rules of the actor's department, read once per actor object."""
    if not actor.department_id:
        return []
    cached = getattr(actor, "_zoneguard_review_rules", None)
    if cached is None:
        cached = list(
            FilingReviewRule.objects.filter(
                is_active=True, competence_rule__department_id=actor.department_id
            ).values_list("competence_rule__organisation_kind", "competence_rule__sector_id")
        )
        actor._zoneguard_review_rules = cached  # type: ignore[attr-defined]
    return cached


def _matches(rule_kind: str, rule_sector: int | None, kind: str, sector_id: int | None) -> bool:
    return (not rule_kind or rule_kind == kind) and (not rule_sector or rule_sector == sector_id)


def can_review(actor: User, organisation: Organisation) -> bool:
    if not is_active_user(actor):
        return False
    if scoping.is_commander(actor):
        return True
    if actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return False
    return any(_matches(k, s, organisation.kind, organisation.sector_id) for k, s in review_rules(actor))


def can_see_contact(actor: User, organisation: Organisation) -> bool:
    """The responsible person's phone in full: for the applicants and the reviewers (and the
    commander); others who see the filing only need to know it exists."""
    return can_file(actor, organisation) or can_review(actor, organisation)


def reviewable_q(actor: User, path: str = "organisation") -> Q:
    """Filings (or anything reaching an organisation through `path`) the actor may review."""
    if scoping.is_commander(actor):
        return Q()
    if not is_active_user(actor) or actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return scoping.NOTHING
    prefix = f"{path}__" if path else ""
    combined = scoping.NOTHING
    for kind, sector_id in review_rules(actor):
        rule = Q()
        if kind:
            rule &= Q(**{f"{prefix}kind": kind})
        if sector_id:
            rule &= Q(**{f"{prefix}sector_id": sector_id})
        if not rule:
            return Q()
        combined |= rule
    return combined


def reviews_filings(actor: User) -> bool:
    """Whether the actor reviews anyone's filings (the commander, an officer with review rules)."""
    return reviewable_q(actor) != scoping.NOTHING


def reviewing_departments(organisation: Organisation) -> list[Department]:
    """The competent departments for this organisation's filing (主管部门)."""
    rules = FilingReviewRule.objects.filter(is_active=True, competence_rule__department__is_active=True).values_list(
        "competence_rule__department_id", "competence_rule__organisation_kind", "competence_rule__sector_id"
    )
    ids = {dept for dept, kind, sector in rules if _matches(kind, sector, organisation.kind, organisation.sector_id)}
    return list(Department.objects.filter(pk__in=ids).order_by("name_key"))
