"""Rules of the policy library's writes: a policy's validity in order, an answer sent once, and
reported difficulties described."""

from datetime import date

import pytest

from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.notifications.models import Notification
from zoneguard.tax import services
from zoneguard.tax.models import Policy, Question, TaxProfile

from .test_services_eligibility import make_policy


def policy_data(tax, **changes):
    return {
        "title": "困难企业延期缴纳",
        "category": tax.category,
        "issuer": "国家税务总局湖南省税务局",
        "valid_from": date(2020, 2, 10),
        "text": "全文",
        **changes,
    }


def test_a_policy_cannot_end_before_it_takes_effect(tax):
    with pytest.raises(InvalidInput) as error:
        services.policy_create(actor=tax.officer, data=policy_data(tax, valid_until=date(2020, 2, 9)))
    assert error.value.errors == {"valid_until": ["有效期至不能早于生效日期。"]}
    assert not Policy.objects.exists()
    policy = services.policy_create(actor=tax.officer, data=policy_data(tax, valid_until=date(2020, 2, 10)))
    with pytest.raises(InvalidInput) as error:
        services.policy_update(actor=tax.officer, policy=policy, data={"valid_from": date(2020, 3, 1)})
    assert list(error.value.errors) == ["valid_until"]
    assert Policy.objects.get().valid_from == date(2020, 2, 10)


def test_an_answer_is_sent_once(tax):
    zone = tax.zone
    policy = make_policy(tax, publish=True)
    question = services.question_ask(
        actor=zone.admin_a, policy=policy, organisation=zone.enterprise_a, question="需要哪些资料？"
    )
    services.question_answer(actor=tax.officer, question=question, answer="财务报表和说明", publish=True)
    stale = Question.objects.get(pk=question.pk)
    with pytest.raises(Conflict) as error:
        services.question_answer(actor=tax.officer, question=stale, answer="改过的答复")
    assert (error.value.code, error.value.message) == ("already_answered", "该问题已答复。")
    # A copy loaded before the answer was sent is refused too: the update is conditional.
    question.answer = ""
    with pytest.raises(Conflict):
        services.question_answer(actor=tax.officer, question=question, answer="改过的答复")
    kept = Question.objects.get(pk=question.pk)
    assert (kept.answer, kept.is_faq) == ("财务报表和说明", True)
    assert Notification.objects.filter(recipient=zone.admin_a, source_type="tax.question").count() == 1


def test_reported_difficulties_are_described(tax):
    zone = tax.zone
    with pytest.raises(InvalidInput) as error:
        services.tax_profile_update(
            actor=zone.admin_a, organisation=zone.enterprise_a, data={"hardship_reported": True, "hardship_note": " "}
        )
    assert list(error.value.errors) == ["hardship_note"]
    assert not TaxProfile.objects.exists()
    services.tax_profile_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"taxpayer_type": "general"})
    with pytest.raises(InvalidInput):
        services.tax_profile_update(
            actor=zone.admin_a, organisation=zone.enterprise_a, data={"hardship_reported": True}
        )
    assert TaxProfile.objects.get().hardship_reported is False
    profile = services.tax_profile_update(
        actor=zone.admin_a, organisation=zone.enterprise_a, data={"hardship_reported": True, "hardship_note": "停产"}
    )
    assert (profile.hardship_reported, profile.hardship_note) == (True, "停产")


def test_only_a_published_policy_is_withdrawn(tax):
    from zoneguard.audit.models import AuditEvent

    draft = make_policy(tax)
    with pytest.raises(Conflict) as error:
        services.policy_withdraw(actor=tax.officer, policy=draft)
    assert error.value.code == "not_published"
    assert Policy.objects.get(pk=draft.pk).status == "draft"
    published = make_policy(tax, publish=True)
    stale = Policy.objects.get(pk=published.pk)
    services.policy_withdraw(actor=tax.officer, policy=published)
    assert published.status == "withdrawn"
    audited = AuditEvent.objects.count()
    with pytest.raises(Conflict) as again:  # a copy loaded before the first withdrawal
        services.policy_withdraw(actor=tax.officer, policy=stale)
    assert (again.value.code, again.value.message) == ("not_published", "该政策已撤回。")
    assert Policy.objects.get(pk=published.pk).status == "withdrawn"
    assert AuditEvent.objects.count() == audited
