from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneguard.health.models import HealthRule, RuleCondition


@pytest.fixture
def rules(db):
    """The story's rules: travel from Hubei → yellow for 14 days after return; contact with a
    case → red; a fever symptom → red; a declared 37.3 °C → red."""
    return [
        HealthRule.objects.create(
            name="湖北旅居",
            condition=RuleCondition.TRAVEL,
            places="湖北\n武汉",
            status="yellow",
            valid_days=14,
            reason="14天内有湖北旅居史",
        ),
        HealthRule.objects.create(
            name="接触病例",
            condition=RuleCondition.CONTACT_WITH_CASE,
            status="red",
            valid_days=14,
            reason="与确诊或疑似病例有接触",
        ),
        HealthRule.objects.create(
            name="发热",
            condition=RuleCondition.SYMPTOM,
            symptom="fever",
            status="red",
            valid_days=14,
            reason="有发热症状",
        ),
        HealthRule.objects.create(
            name="体温",
            condition=RuleCondition.TEMPERATURE,
            threshold=Decimal("37.3"),
            status="red",
            valid_days=14,
            reason="体温异常",
        ),
    ]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days_ago(today):
    return lambda n: today - timedelta(days=n)
