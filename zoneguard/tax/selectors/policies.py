"""Reads of the policy library: policies, who they apply to and why, questions and FAQ, profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core import facts as fact_registry
from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation

from .. import access, eligibility
from ..models import Operator, Policy, PolicyAttachment, PolicyCategory, PolicyStatus, Question, TaxProfile


def category_list() -> QuerySet[PolicyCategory]:
    return PolicyCategory.objects.annotate(
        published=Count("policies", filter=Q(policies__status=PolicyStatus.PUBLISHED))
    ).order_by("order", "name")


def _sees_drafts(actor: User) -> bool:
    return access.can_administer(actor) or scoping.is_commander(actor)


def policy_list(*, actor: User, status: str = "", category_id: int | None = None, search: str = "") -> QuerySet[Policy]:
    """Every policy for tax officers and the commander; the published ones for enterprises."""
    access.require_user(actor)
    qs = Policy.objects.select_related("category")
    if not _sees_drafts(actor):
        qs = qs.filter(status=PolicyStatus.PUBLISHED)
    qs = filter_given(qs, status=status, category_id=category_id)
    if search.strip():
        text = search.strip()
        qs = qs.filter(Q(title__icontains=text) | Q(document_number__icontains=text) | Q(issuer__icontains=text))
    return qs.order_by("category__order", "-valid_from", "title", "id")


def policy_access(*, actor: User, pk: int) -> Policy:
    policy = policy_list(actor=actor).filter(pk=pk).first()
    if policy is None:
        raise NotFound()
    return policy


def policy_conditions(policy: Policy) -> list[dict[str, Any]]:
    return [
        {"condition": c, "text": eligibility.condition_text(c), "known": eligibility.registered(c.fact) is not None}
        for c in policy.conditions.all()
    ]


def attachment_access(*, actor: User, pk: int) -> PolicyAttachment:
    attachment = PolicyAttachment.objects.filter(pk=pk).select_related("policy").first()
    if attachment is None:
        raise NotFound()
    policy_access(actor=actor, pk=attachment.policy_id)
    return attachment


def eligible_policies(*, actor: User, organisation: Organisation) -> list[eligibility.PolicyResult]:
    """The published, current policies this taxpayer is eligible for, each with its reasons.
    `organisation` must come from taxpayer_access (the caller's scope)."""
    today = timezone.localdate()
    policies = list(
        policy_list(actor=actor, status=PolicyStatus.PUBLISHED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .prefetch_related("conditions")
    )
    return [
        r
        for r in (eligibility.Evaluation(policies, [organisation.pk]).result(p, organisation.pk) for p in policies)
        if r.eligible
    ]


def policy_result(*, policy: Policy, organisation: Organisation) -> eligibility.PolicyResult:
    """Whether and why one taxpayer meets one policy's conditions."""
    policy = Policy.objects.prefetch_related("conditions").get(pk=policy.pk)
    return eligibility.Evaluation([policy], [organisation.pk]).result(policy, organisation.pk)


@dataclass(frozen=True)
class EligibleOrganisation:
    organisation: Organisation
    result: eligibility.PolicyResult
    notified: bool


def eligible_organisations(*, actor: User, policy: Policy) -> list[EligibleOrganisation]:
    """The taxpayers in the actor's scope that meet the policy's conditions, with the reasons.
    Tax officers and the commander only: an enterprise does not learn about the others."""
    if not _sees_drafts(actor):
        raise Forbidden()
    organisations = list(
        access.taxpayers()
        .filter(scoping.organisation_q(actor, served=True))
        .order_by("name_key", "id")
        .select_related("sector")
    )
    loaded = Policy.objects.prefetch_related("conditions").get(pk=policy.pk)
    evaluation = eligibility.Evaluation([loaded], [o.pk for o in organisations])
    notified = set(loaded.matches.filter(notified_at__isnull=False).values_list("organisation_id", flat=True))
    return [
        EligibleOrganisation(organisation=o, result=result, notified=o.pk in notified)
        for o in organisations
        if (result := evaluation.result(loaded, o.pk)).eligible
    ]


def facts_catalogue() -> list[dict[str, Any]]:
    """The facts a condition may test, with their operators and values, for editors and the API."""
    catalogue = []
    for fact in fact_registry.all_facts():
        choices = [(str(v), str(label)) for v, label in fact.choices()] if fact.choices else []
        catalogue.append(
            {
                "name": fact.name,
                "label": str(fact.label),
                "kind": fact.kind,
                "operators": [
                    {"value": str(o), "label": str(Operator(o).label)}
                    for o in eligibility.OPERATORS_BY_KIND.get(fact.kind, ())
                ],
                "choices": [{"value": v, "label": label} for v, label in choices],
            }
        )
    return catalogue


def question_list(
    *, actor: User, policy_id: int | None = None, answered: bool | None = None, organisation_id: int | None = None
) -> QuerySet[Question]:
    """Questions of the taxpayers in the actor's scope (an enterprise: its own)."""
    qs = Question.objects.filter(access.taxpayer_q(actor)).select_related("policy", "organisation")
    qs = filter_given(qs, policy_id=policy_id, organisation_id=organisation_id)
    if answered is not None:
        qs = qs.exclude(answer="") if answered else qs.filter(answer="")
    return qs.order_by("-created_at", "-id")


def question_access(*, actor: User, pk: int) -> Question:
    question = question_list(actor=actor).filter(pk=pk).first()
    if question is None:
        raise NotFound()
    return question


def faq_list(*, actor: User, policy_id: int | None = None) -> QuerySet[Question]:
    """Answered questions published as FAQ, on published policies; who asked is not shown."""
    access.require_user(actor)
    qs = Question.objects.filter(is_faq=True, policy__status=PolicyStatus.PUBLISHED).exclude(answer="")
    if policy_id:
        qs = qs.filter(policy_id=policy_id)
    return qs.select_related("policy").order_by("policy_id", "-answered_at", "-id")


def tax_profile(*, organisation: Organisation) -> TaxProfile:
    """The taxpayer's profile, or an unsaved blank one."""
    return TaxProfile.objects.filter(organisation=organisation).first() or TaxProfile(organisation=organisation)
