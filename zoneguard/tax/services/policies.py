"""The policy library: policies and their conditions, matching and push, questions and answers,
and the tax profiles whose fields are facts the conditions read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, audited_create, audited_update
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.events import organisation_changed
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation

from .. import access, eligibility
from ..facts import PROFILE_FACTS
from ..models import (
    Policy,
    PolicyAttachment,
    PolicyCondition,
    PolicyMatch,
    PolicyStatus,
    Question,
    TaxProfile,
)
from ..selectors.common import tax_officers
from .files import check_upload, literal

POLICY_FIELDS = ("title", "category", "issuer", "document_number", "valid_from", "valid_until", "summary", "text")
PROFILE_FIELDS = ("taxpayer_type", "revenue_band", "hardship_reported", "hardship_note")
MAX_CONDITIONS = 30


def _audit(actor: User, action: str, obj: Any, **detail: Any) -> None:
    organisation_id = getattr(obj, "organisation_id", None)
    audit_record(actor=actor, action=action, obj=obj, organisation_id=organisation_id, detail=detail)


# --- Policies -------------------------------------------------------------------------------------


def _check_validity(policy: Policy) -> None:
    """Said beside the field: the database's check constraint alone gives a message for all fields."""
    valid_from, valid_until = policy.valid_from, policy.valid_until
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        raise InvalidInput.for_field(
            "valid_until", _("The policy cannot end before it takes effect."), code="not_ordered"
        )


@transaction.atomic
def policy_create(*, actor: User, data: Mapping[str, Any]) -> Policy:
    """A draft: it is pushed to nobody until published."""
    access.require_administrator(actor)
    return audited_create(
        actor=actor, instance=Policy(created_by=actor), data=data, fields=POLICY_FIELDS, check=_check_validity
    )


@transaction.atomic
def policy_update(*, actor: User, policy: Policy, data: Mapping[str, Any]) -> Policy:
    access.require_administrator(actor)
    if audited_update(actor=actor, instance=policy, data=data, fields=POLICY_FIELDS, check=_check_validity):
        matches_refresh(policies=[policy])
    return policy


@transaction.atomic
def policy_publish(*, actor: User, policy: Policy) -> int:
    """Publish (or publish again): eligible enterprises not yet told about it are notified.
    Returns how many were notified now."""
    access.require_administrator(actor)
    if policy.status != PolicyStatus.PUBLISHED:
        policy.status = PolicyStatus.PUBLISHED
        policy.published_at = policy.published_at or timezone.now()
        policy.save(update_fields=["status", "published_at", "updated_at"])
        _audit(actor, AuditAction.UPDATE, policy, status=PolicyStatus.PUBLISHED)
    return matches_refresh(policies=[policy])


@transaction.atomic
def policy_withdraw(*, actor: User, policy: Policy) -> Policy:
    """A published policy only: a draft was never shown to enterprises, and a withdrawn one is
    withdrawn already. The state is checked on the locked row."""
    access.require_administrator(actor)
    status = Policy.objects.select_for_update().values_list("status", flat=True).get(pk=policy.pk)
    if status == PolicyStatus.DRAFT:
        raise Conflict(
            _("This policy is a draft: it was never published, so there is nothing to withdraw."),
            code="not_published",
        )
    if status != PolicyStatus.PUBLISHED:
        raise Conflict(_("This policy is already withdrawn."), code="not_published")
    policy.status = PolicyStatus.WITHDRAWN
    policy.save(update_fields=["status", "updated_at"])
    _audit(actor, AuditAction.UPDATE, policy, status=PolicyStatus.WITHDRAWN)
    return policy


@transaction.atomic
def condition_add(
    *, actor: User, policy: Policy, fact: str, operator: str, value: str = "", values: Sequence[str] = ()
) -> PolicyCondition:
    access.require_administrator(actor)
    if policy.conditions.count() >= MAX_CONDITIONS:
        raise InvalidInput.for_field("fact", _("A policy has at most 30 conditions."), code="too_many_conditions")
    stored = eligibility.normalize_condition(fact_name=fact, operator=operator, value=value, values=values)
    condition = validate_and_save(PolicyCondition(policy=policy, fact=fact, operator=operator, value=stored))
    _audit(
        actor,
        AuditAction.UPDATE,
        policy,
        condition_added={"fact": fact, "operator": operator, "value": stored},
    )
    matches_refresh(policies=[policy])
    return condition


@transaction.atomic
def condition_remove(*, actor: User, condition: PolicyCondition) -> None:
    access.require_administrator(actor)
    policy = condition.policy
    removed = {"fact": condition.fact, "operator": condition.operator, "value": condition.value}
    condition.delete()
    _audit(actor, AuditAction.UPDATE, policy, condition_removed=removed)
    matches_refresh(policies=[policy])


@transaction.atomic
def attachment_add(*, actor: User, policy: Policy, file: UploadedFile) -> PolicyAttachment:
    access.require_administrator(actor)
    name = check_upload(file)
    attachment = PolicyAttachment(policy=policy, name=name, size=file.size or 0, uploaded_by=actor)
    attachment.file.save(name, file, save=False)
    attachment.save()
    _audit(actor, AuditAction.UPDATE, policy, attachment_added=name)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: PolicyAttachment) -> None:
    access.require_administrator(actor)
    policy, name, file = attachment.policy, attachment.name, attachment.file
    attachment.delete()
    _audit(actor, AuditAction.UPDATE, policy, attachment_removed=name)
    transaction.on_commit(lambda: file.delete(save=False))


# --- Matching and push ---------------------------------------------------------------------------


def _pushable(policies: Iterable[Policy]) -> list[Policy]:
    today = timezone.localdate()
    return [
        p for p in policies if p.status == PolicyStatus.PUBLISHED and (p.valid_until is None or p.valid_until >= today)
    ]


def matches_refresh(*, policies: Iterable[Policy], organisation_ids: Iterable[int] | None = None) -> int:
    """Record who is eligible for these published policies now, and notify each organisation
    newly found eligible, once per policy ever: the claim on `notified_at` is a conditional
    update, so concurrent refreshes cannot notify twice. Returns the number notified.

    Call inside the transaction of the change that prompted it."""
    pushable = _pushable(policies)
    if not pushable:
        return 0
    candidates = access.taxpayers()
    if organisation_ids is not None:
        candidates = candidates.filter(pk__in=list(organisation_ids))
    ids = list(candidates.values_list("pk", flat=True))
    policy_ids = [p.pk for p in pushable]
    loaded = list(Policy.objects.filter(pk__in=policy_ids).prefetch_related("conditions"))
    evaluation = eligibility.Evaluation(loaded, ids)
    eligible = {(r.policy.pk, r.organisation_id) for r in evaluation.eligible()}
    scope = Q(policy_id__in=policy_ids, organisation_id__in=ids)
    existing = {(m.policy_id, m.organisation_id): m for m in PolicyMatch.objects.filter(scope)}
    PolicyMatch.objects.bulk_create(
        [PolicyMatch(policy_id=p, organisation_id=o) for p, o in eligible if (p, o) not in existing],
        ignore_conflicts=True,
        batch_size=500,
    )
    now = timezone.now()
    for key, match in existing.items():
        if match.is_eligible != (key in eligible):
            PolicyMatch.objects.filter(pk=match.pk).update(is_eligible=key in eligible, updated_at=now)
    notified = 0
    by_id = {p.pk: p for p in loaded}
    for policy_id, organisation_id in sorted(eligible):
        claimed = PolicyMatch.objects.filter(
            policy_id=policy_id, organisation_id=organisation_id, notified_at__isnull=True
        ).update(notified_at=now)
        if claimed:
            _notify_match(by_id[policy_id], organisation_id)
            notified += 1
    return notified


def _notify_match(policy: Policy, organisation_id: int) -> None:
    notify(
        recipients=organisation_admins(organisation_id=organisation_id),
        kind=NotificationKind.NOTICE,
        title=gettext_lazy("A tax relief policy applies to you: %(title)s"),
        body=gettext_lazy("%(issuer)s. Open it to read the policy and why it applies to your enterprise."),
        params={"title": policy.title, "issuer": policy.issuer},
        link=f"/tax/policies/{policy.pk}/",
        source=policy,
    )


def matches_refresh_for_organisation(*, organisation_id: int, facts: Iterable[str]) -> int:
    """An organisation's facts changed: re-evaluate the published policies that read them (and
    those without conditions, which every new taxpayer meets)."""
    changed = set(facts)
    policies = (
        Policy.objects.filter(status=PolicyStatus.PUBLISHED)
        .filter(Q(conditions__fact__in=changed) | Q(conditions__isnull=True))
        .distinct()
    )
    return matches_refresh(policies=list(policies), organisation_ids=[organisation_id])


# --- Tax profiles --------------------------------------------------------------------------------


def _check_hardship(profile: TaxProfile) -> None:
    """Reported difficulties are described: the tax officer reads what they are before granting
    relief meant for enterprises in difficulty."""
    if profile.hardship_reported and not (profile.hardship_note or "").strip():
        raise InvalidInput.for_field(
            "hardship_note", _("Describe the difficulties the enterprise reported."), code="required"
        )


@transaction.atomic
def tax_profile_update(*, actor: User, organisation: Organisation, data: Mapping[str, Any]) -> TaxProfile:
    """The tax officer or the enterprise keeps the profile; changed facts are announced, so that
    policies are matched again (here and in any module listening)."""
    access.require(access.can_act_for(actor, organisation))
    profile = TaxProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = audited_create(
            actor=actor,
            instance=TaxProfile(organisation=organisation),
            data=data,
            fields=PROFILE_FIELDS,
            check=_check_hardship,
        )
        changed_facts = frozenset(PROFILE_FACTS.values())
    else:
        changes = audited_update(actor=actor, instance=profile, data=data, fields=PROFILE_FIELDS, check=_check_hardship)
        changed_facts = frozenset(PROFILE_FACTS[f] for f in changes if f in PROFILE_FACTS)
    if changed_facts:
        organisation_changed.send(sender=TaxProfile, organisation_id=organisation.pk, facts=changed_facts)
    return profile


# --- Questions and answers -----------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor: User, policy: Policy, organisation: Organisation, question: str) -> Question:
    access.require(access.can_act_for(actor, organisation))
    if policy.status != PolicyStatus.PUBLISHED:
        raise NotFound()
    text = (question or "").strip()
    if not text:
        raise InvalidInput.for_field("question", _("Enter your question."), code="required")
    if len(text) > 2000:
        raise InvalidInput.for_field("question", _("Keep the question under 2000 characters."), code="too_long")
    item = Question.objects.create(policy=policy, organisation=organisation, asked_by=actor, question=text)
    _audit(actor, AuditAction.CREATE, item, policy=policy.pk)
    notify(
        recipients=tax_officers(),
        kind=NotificationKind.INFO,
        title=gettext_lazy("%(organisation)s asks about %(policy)s"),
        body=literal(text[:500]),
        params={"organisation": organisation.name, "policy": policy.title},
        link=f"/tax/questions/{item.pk}/",
        source=item,
    )
    return item


def _already_answered() -> Conflict:
    return Conflict(_("This question has already been answered."), code="already_answered")


@transaction.atomic
def question_answer(*, actor: User, question: Question, answer: str, publish: bool = False) -> Question:
    """Answer once: the taxpayer was told the answer, so it is not replaced afterwards (a second
    post, a double click or an old tab, is refused with `already_answered`)."""
    access.require_administrator(actor)
    if question.answer:
        raise _already_answered()
    text = (answer or "").strip()
    if not text:
        raise InvalidInput.for_field("answer", _("Enter the answer."), code="required")
    if len(text) > 5000:
        raise InvalidInput.for_field("answer", _("Keep the answer under 5000 characters."), code="too_long")
    now = timezone.now()
    # Conditional, so that of two answers posted at once only the first is kept.
    if not Question.objects.filter(pk=question.pk, answer="").update(
        answer=text, answered_by=actor, answered_at=now, is_faq=publish, updated_at=now
    ):
        raise _already_answered()
    question.refresh_from_db()
    _audit(actor, AuditAction.UPDATE, question, answered=True, faq=publish)
    notify(
        recipients=organisation_admins(organisation_id=question.organisation_id),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Your question on %(policy)s was answered"),
        body=literal(text[:500]),
        params={"policy": question.policy.title},
        link=f"/tax/policies/{question.policy_id}/#questions",
        source=question,
    )
    return question


@transaction.atomic
def question_publish(*, actor: User, question: Question, publish: bool) -> Question:
    access.require_administrator(actor)
    if publish and not question.answer:
        raise Conflict(_("Answer the question before publishing it."), code="not_answered")
    question.is_faq = publish
    question.save(update_fields=["is_faq", "updated_at"])
    _audit(actor, AuditAction.UPDATE, question, faq=publish)
    return question
