"""The status rules: data in the database, applied to a declaration's answers."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zoneguard.health import rules as engine
from zoneguard.health.models import HealthRule, RuleCondition


def answers(**kwargs):
    return engine.Answers(**kwargs)


def test_it_gives_green_for_a_working_day_without_a_matching_rule(rules):
    now = timezone.now()
    outcome = engine.evaluate(rules, answers(temperature=Decimal("36.6")), now=now)
    assert outcome.status == "green"
    assert outcome.reasons == []
    assert outcome.valid_until == now + timedelta(hours=24)


def test_it_gives_yellow_for_14_days_after_return_from_a_listed_place(rules, days_ago):
    now = timezone.now()
    trip = engine.Travel(place="湖北省武汉市", start=days_ago(6), end=days_ago(3))
    outcome = engine.evaluate(rules, answers(travel=[trip]), now=now)
    assert outcome.status == "yellow"
    assert outcome.reasons == ["14天内有湖北旅居史"]
    # Through the 14th day after the return day.
    assert outcome.valid_until == timezone.make_aware(datetime.combine(days_ago(3) + timedelta(days=15), time.min))


def test_it_ignores_travel_to_places_not_listed(rules, days_ago):
    trip = engine.Travel(place="长沙", start=days_ago(5), end=days_ago(2))
    assert engine.evaluate(rules, answers(travel=[trip])).status == "green"


def test_it_gives_red_for_contact_with_a_case_and_the_worst_status_wins(rules, days_ago):
    now = timezone.now()
    trip = engine.Travel(place="武汉", start=days_ago(5), end=days_ago(2))
    outcome = engine.evaluate(rules, answers(travel=[trip], contact_with_case=True), now=now)
    assert outcome.status == "red"
    assert outcome.reasons == ["与确诊或疑似病例有接触", "14天内有湖北旅居史"]
    assert outcome.valid_until == now + timedelta(days=14)


def test_it_gives_red_for_a_fever_symptom_but_not_for_a_cough(rules):
    assert engine.evaluate(rules, answers(symptoms=["fever"])).status == "red"
    assert engine.evaluate(rules, answers(symptoms=["cough"])).status == "green"


def test_its_temperature_rule_starts_at_the_threshold(rules):
    assert engine.evaluate(rules, answers(temperature=Decimal("37.2"))).status == "green"
    assert engine.evaluate(rules, answers(temperature=Decimal("37.3"))).status == "red"


def test_it_follows_rules_edited_as_data(rules):
    HealthRule.objects.filter(condition=RuleCondition.CONTACT_WITH_CASE).update(is_active=False)
    HealthRule.objects.create(
        name="咳嗽", condition=RuleCondition.SYMPTOM, symptom="cough", status="yellow", valid_days=7, reason="咳嗽"
    )
    active = list(HealthRule.objects.filter(is_active=True))
    assert engine.evaluate(active, answers(contact_with_case=True)).status == "green"
    assert engine.evaluate(active, answers(symptoms=["cough"])).status == "yellow"


def test_a_status_in_force_is_not_lowered_by_declaring_again():
    now = timezone.now()
    red = engine.Outcome("red", ["发热"], now + timedelta(days=14))
    green = engine.Outcome("green", [], now + timedelta(hours=24))
    yellow = engine.Outcome("yellow", ["湖北旅居史"], now + timedelta(days=3))
    assert engine.kept_in_force(green, red, now=now) == engine.Outcome("red", ["发热"], red.valid_until)
    assert engine.kept_in_force(yellow, red, now=now) == engine.Outcome("red", ["发热", "湖北旅居史"], red.valid_until)
    # A worse new status stands; the same one lasts the longer of the two, with both reasons.
    assert engine.kept_in_force(red, yellow, now=now) == red
    later = engine.Outcome("yellow", ["同住人旅居史"], now + timedelta(days=10))
    assert engine.kept_in_force(later, yellow, now=now) == engine.Outcome(
        "yellow", ["同住人旅居史", "湖北旅居史"], later.valid_until
    )
    # Once the earlier status ran out, or when it was green, only the new answers count.
    assert engine.kept_in_force(green, red, now=now + timedelta(days=15)) == green
    assert engine.kept_in_force(green, engine.Outcome("green", [], now + timedelta(hours=2)), now=now) == green
    assert engine.kept_in_force(green, None, now=now) == green
