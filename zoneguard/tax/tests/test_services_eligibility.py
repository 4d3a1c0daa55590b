"""Eligibility conditions are data over organisation facts: every kind of fact and operator, with
the reason each condition holds or not."""

from datetime import date

import pytest

from zoneguard.core.errors import InvalidInput
from zoneguard.tax import selectors, services
from zoneguard.tax.eligibility import Evaluation, holds, normalize_condition, split_values
from zoneguard.tax.models import Policy, TaxProfile


def make_policy(tax, *conditions, title="政策", publish=False):
    policy = services.policy_create(
        actor=tax.officer,
        data={
            "title": title,
            "category": tax.category,
            "issuer": "国家税务总局湖南省税务局",
            "valid_from": date(2020, 2, 10),
            "text": "全文",
        },
    )
    for fact, operator, value in conditions:
        kwargs = {"values": value} if isinstance(value, list) else {"value": value or ""}
        services.condition_add(actor=tax.officer, policy=policy, fact=fact, operator=operator, **kwargs)
    if publish:
        services.policy_publish(actor=tax.officer, policy=policy)
    return Policy.objects.prefetch_related("conditions").get(pk=policy.pk)


def result(policy, organisation):
    return Evaluation([policy], [organisation.pk]).result(policy, organisation.pk)


def test_it_evaluates_choice_facts_of_the_registry(tax):
    zone = tax.zone
    zone.enterprise_b.size = "large"
    zone.enterprise_b.save()
    policy = make_policy(
        tax,
        ("kind", "eq", "enterprise"),
        ("sector", "in", ["manufacturing", "construction"]),
        ("size", "ne", "large"),
    )
    assert result(policy, zone.enterprise_a).eligible
    outcome = result(policy, zone.enterprise_b)
    assert not outcome.eligible
    assert [r.holds for r in outcome.conditions] == [True, True, False]
    assert not result(policy, zone.project).eligible  # a building project, in construction


def test_it_shows_why_each_condition_holds_in_the_reader_s_words(tax):
    zone = tax.zone
    policy = make_policy(tax, ("sector", "in", ["manufacturing"]), ("total_staff", "gte", "10"))
    reasons = [r.reason for r in result(policy, zone.enterprise_a).conditions]
    assert reasons == ["行业 属于 制造业（实际：制造业）", "职工总数 至少为 10（实际：10）"]


def test_it_evaluates_number_facts(tax):
    zone = tax.zone  # enterprise A has 10 staff, B 5
    assert result(make_policy(tax, ("total_staff", "gt", "5")), zone.enterprise_a).eligible
    assert not result(make_policy(tax, ("total_staff", "gt", "5")), zone.enterprise_b).eligible
    assert result(make_policy(tax, ("total_staff", "lte", "5")), zone.enterprise_b).eligible
    assert result(make_policy(tax, ("total_staff", "lt", "10.5")), zone.enterprise_a).eligible
    assert result(make_policy(tax, ("total_staff", "eq", "10")), zone.enterprise_a).eligible
    assert not result(make_policy(tax, ("total_staff", "ne", "10")), zone.enterprise_a).eligible


def test_it_evaluates_the_tax_profile_s_facts(tax):
    zone = tax.zone
    TaxProfile.objects.create(
        organisation=zone.enterprise_a, taxpayer_type="small_scale", revenue_band="1m_5m", hardship_reported=True
    )
    policy = make_policy(
        tax,
        ("taxpayer_type", "eq", "small_scale"),
        ("revenue_band", "not_in", ["20m_100m", "over_100m"]),
        ("hardship_reported", "is_true", None),
    )
    assert result(policy, zone.enterprise_a).eligible
    # No profile: the choices are unknown and no hardship has been reported.
    outcome = result(policy, zone.enterprise_b)
    assert [(r.holds, r.actual) for r in outcome.conditions] == [(False, "未知"), (False, "未知"), (False, "否")]
    assert result(make_policy(tax, ("hardship_reported", "is_false", None)), zone.enterprise_b).eligible


def test_it_evaluates_a_fact_another_module_registers(tax, resumption_fact):
    zone = tax.zone
    resumption_fact[zone.enterprise_a.pk] = "resumed"
    resumption_fact[zone.enterprise_b.pk] = "filed"
    policy = make_policy(tax, ("resumption_state", "eq", "已复工"))  # given by its label
    assert policy.conditions.get().value == "resumed"
    assert result(policy, zone.enterprise_a).eligible
    outcome = result(policy, zone.enterprise_b)
    assert not outcome.eligible
    assert outcome.conditions[0].reason == "复工状态 等于 已复工（实际：已备案）"


def test_a_condition_on_a_fact_no_longer_registered_holds_for_nobody(tax, resumption_fact):
    zone = tax.zone
    resumption_fact[zone.enterprise_a.pk] = "resumed"
    policy = make_policy(tax, ("resumption_state", "eq", "resumed"))
    from zoneguard.core.facts import unregister_fact

    unregister_fact("resumption_state")
    outcome = result(policy, zone.enterprise_a)
    assert not outcome.eligible
    assert outcome.conditions[0].actual == "未知"


def test_a_policy_without_conditions_applies_to_every_taxpayer(tax):
    policy = make_policy(tax)
    assert result(policy, tax.zone.enterprise_a).eligible
    assert result(policy, tax.zone.market).eligible


@pytest.mark.parametrize(
    ("fact", "operator", "value", "field"),
    [
        ("nonsense", "eq", "x", "fact"),
        ("total_staff", "in", "1,2", "operator"),  # lists are for choices and text
        ("hardship_reported", "eq", "yes", "operator"),
        ("sector", "eq", "aviation", "value"),
        ("total_staff", "gt", "many", "value"),
        ("total_staff", "gt", "1e20", "value"),
        ("size", "eq", "", "value"),
        ("size", "in", " , ", "value"),
    ],
)
def test_it_refuses_conditions_that_cannot_be_evaluated(tax, fact, operator, value, field):
    with pytest.raises(InvalidInput) as error:
        normalize_condition(fact_name=fact, operator=operator, value=value)
    assert field in error.value.errors


def test_it_stores_values_in_canonical_form(tax):
    assert normalize_condition(fact_name="size", operator="in", value="小型、微型，small") == ["small", "micro"]
    assert normalize_condition(fact_name="total_staff", operator="gte", value="1,000") == "1000"
    assert normalize_condition(fact_name="hardship_reported", operator="is_true", value="ignored") is None
    assert split_values("a, b、c；d") == ["a", "b", "c", "d"]


def test_holds_never_guesses_an_unknown_value():
    assert not holds("choice", "ne", "retail", None)
    assert not holds("number", "lt", "10", None)
    assert not holds("number", "lt", "10", "not a number")
    assert holds("text", "contains", "科技", "衡阳铺目科技")


def test_it_lists_the_policies_an_enterprise_is_eligible_for_with_reasons(tax):
    zone = tax.zone
    make_policy(tax, ("sector", "eq", "manufacturing"), title="制造业政策", publish=True)
    make_policy(tax, ("total_staff", "gt", "100"), title="大企业政策", publish=True)
    make_policy(tax, title="草稿政策")
    results = selectors.eligible_policies(actor=zone.admin_a, organisation=zone.enterprise_a)
    assert [r.policy.title for r in results] == ["制造业政策"]
    assert results[0].conditions[0].holds


def test_it_lists_the_enterprises_a_policy_applies_to(tax):
    zone = tax.zone
    policy = make_policy(tax, ("total_staff", "gte", "8"), publish=True)
    eligible = selectors.eligible_organisations(actor=tax.officer, policy=policy)
    assert [e.organisation.name for e in eligible] == ["企业甲", "项目丙"]
    assert all(e.notified for e in eligible)
    assert eligible[0].result.conditions[0].actual == "10"
    with pytest.raises(Exception) as error:
        selectors.eligible_organisations(actor=zone.admin_a, policy=policy)
    assert error.value.__class__.__name__ == "Forbidden"
