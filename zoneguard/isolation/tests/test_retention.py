"""The readings of a home isolation are purged once the case has been closed longer than the
keeping time (core.retention); the case itself stays, and so do the readings of open cases."""

from datetime import timedelta
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_personal_data
from zoneguard.isolation import services
from zoneguard.isolation.models import CaseStatus, FollowUp, IsolationCase
from zoneguard.testing import make_person

KEPT = 40


def case_with_readings(zone, name, *, started_days_ago):
    person = make_person(name=name, phone="13912345678", organisation=zone.community)
    start = timezone.localdate() - timedelta(days=started_days_ago)
    case = services.case_open(
        actor=zone.community_worker, person=person, community=zone.community, reason="close_contact", start_date=start
    )
    for offset in range(3):
        services.follow_up_record(
            actor=zone.community_worker, case=case, temperature=Decimal("36.5"), day=start + timedelta(days=offset)
        )
    return case


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_readings_of_a_case_closed_long_ago_go_and_the_case_stays(zone):
    closed_long_ago = case_with_readings(zone, "王芳", started_days_ago=10)
    closed_lately = case_with_readings(zone, "李娜", started_days_ago=8)
    # As if released once their periods ended (the service refuses a release before the end).
    for case, days_ago in ((closed_long_ago, KEPT + 2), (closed_lately, 3)):
        IsolationCase.objects.filter(pk=case.pk).update(
            status=CaseStatus.RELEASED, closed_at=timezone.now() - timedelta(days=days_ago)
        )
    still_open = case_with_readings(zone, "赵强", started_days_ago=5)

    assert purge_personal_data(dry_run=True)["isolation.followup"] == 3
    assert purge_personal_data()["isolation.followup"] == 3
    assert not FollowUp.objects.filter(case=closed_long_ago).exists()
    assert FollowUp.objects.filter(case=closed_lately).count() == 3
    assert FollowUp.objects.filter(case=still_open).count() == 3
    assert IsolationCase.objects.filter(pk=closed_long_ago.pk).exists()
    assert AuditEvent.objects.get(action="delete", object_type="isolation.followup").detail["records"] == 3
