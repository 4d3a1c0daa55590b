import pytest
from django.utils import timezone

from zoneguard.registry.models import CompetenceRule, Department
from zoneguard.resumption.models import FilingReviewRule


@pytest.fixture
def review_rules(zone):
    """Department A reviews enterprises and markets, department B building projects; the tax
    bureau is competent for everybody but reviews nothing."""
    for rule in CompetenceRule.objects.filter(department__in=[zone.department_a, zone.department_b]):
        FilingReviewRule.objects.create(competence_rule=rule)
    tax = Department.objects.create(code="tax", name="税务局")
    CompetenceRule.objects.create(department=tax)
    return tax


def filing_data(**overrides):
    data = {
        "planned_date": timezone.localdate(),
        "staff_expected": 10,
        "staff_local": 7,
        "staff_other_provinces": 3,
        "staff_from_risk_areas": 1,
        "disinfection": True,
        "temperature_points": 2,
        "isolation_room": True,
        "masks_in_stock": 5000,
        "canteen_rules": True,
        "plan_notes": "每日两次消毒，大门测温。",
        "responsible_name": "彭琪",
        "responsible_phone": "13800138000",
    }
    data.update(overrides)
    return data


def backdate(filing, day):
    """Moves a filing made today to the story's February 2020, as if filed and decided then: the
    services take no resumption day before today."""
    from zoneguard.resumption.models import ResumptionFiling

    resumed = day if filing.resumed_on else None
    ResumptionFiling.objects.filter(pk=filing.pk).update(planned_date=day, resumed_on=resumed)
