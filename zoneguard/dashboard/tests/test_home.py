"""Each role's home page: what that person has to do today and what needs their attention, each
item a link; nothing from outside their scope."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.dashboard.home import home_items
from zoneguard.gates.models import FeverAlert
from zoneguard.reports.models import DailyReport
from zoneguard.resumption.models import FilingReviewRule, FilingStatus, ResumptionFiling
from zoneguard.resumption.tests.conftest import filing_data
from zoneguard.testing import Zone


def _filing(zone: Zone, organisation, status=FilingStatus.APPROVED) -> ResumptionFiling:
    return ResumptionFiling.objects.create(
        **filing_data(),
        organisation=organisation,
        status=status,
        resumed_on=date(2020, 2, 20) if status == FilingStatus.APPROVED else None,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def day(zone: Zone) -> Zone:
    """Enterprise A back at work and reporting; enterprise B waiting for department A's decision;
    an open fever alert at enterprise A's gate."""
    from zoneguard.registry.models import CompetenceRule

    for rule in CompetenceRule.objects.filter(department=zone.department_a):
        FilingReviewRule.objects.create(competence_rule=rule)
    _filing(zone, zone.enterprise_a)
    _filing(zone, zone.enterprise_b, FilingStatus.SUBMITTED)
    from zoneguard.gates.models import CheckIn

    checkin = CheckIn.objects.create(
        client_id="00000000-0000-0000-0000-000000000001",
        site=zone.site_a,
        organisation=zone.enterprise_a,
        person=zone.staff_a[0],
        direction="in",
        temperature="38.0",
        decision="deny",
        reasons=[{"code": "fever", "temperature": "38.0"}],
        checked_at=timezone.now(),
        received_at=timezone.now(),
    )
    FeverAlert.objects.create(
        checkin=checkin,
        site=zone.site_a,
        organisation=zone.enterprise_a,
        person=zone.staff_a[0],
        temperature="38.0",
        checked_at=checkin.checked_at,
    )
    return zone


def _labels(items) -> list[str]:
    return [str(item.label) for item in items]


def test_every_role_has_a_home_page_with_something_to_act_on(day, client_for):
    for username in day.users:
        response = client_for(username).get("/")
        assert response.status_code == 200, username
        assert response.context["todo"], username
        for item in response.context["todo"] + response.context["figures"]:
            assert item.url.startswith("/"), (username, item)
            # Every item leads somewhere the user may go.
            assert client_for(username).get(item.url).status_code == 200, (username, item.url)


def test_the_commander_sees_the_day_of_the_zone(day):
    labels = _labels(home_items(day.commander))
    for expected in ("待处置发热预警", "复工率", "今日防控日报报送", "今日出入"):
        assert expected in labels, labels
    rate = next(i for i in home_items(day.commander) if str(i.label) == "复工率")
    assert rate.value == "25.0%"  # enterprise A, of A, B, the building project and the market


def test_a_department_officer_sees_the_filings_waiting_for_their_decision(day):
    waiting = [i for i in home_items(day.officer_a) if str(i.label) == "待您审核的复工备案"]
    assert [i.value for i in waiting] == ["1"] and waiting[0].needs_attention
    assert "待您审核的复工备案" not in _labels(home_items(day.officer_b))


def test_an_enterprise_sees_its_own_report_filing_and_alerts_only(day, client_for):
    labels = _labels(home_items(day.admin_a))
    assert "填报 企业甲 今日日报" in labels
    assert "提交 项目丙 复工备案" in labels  # its group's building project has not filed yet
    assert "企业甲 复工备案" in labels
    assert "待处置发热预警" in labels
    others = _labels(home_items(day.admin_b))
    assert not any("企业甲" in label for label in others)
    assert "待处置发热预警" not in others
    DailyReport.objects.create(
        organisation=day.enterprise_a,
        day=timezone.localdate(),
        staff_on_duty=5,
        filed_at=timezone.now(),
        filed_by=day.admin_a,
    )
    filed = next(i for i in home_items(day.admin_a) if str(i.label) == "企业甲 今日日报")
    assert str(filed.value) == "已填报" and not filed.action


def test_a_gate_officer_goes_straight_to_the_gate(day):
    items = home_items(day.gate_a)
    assert str(items[0].label) == "进入卡口核验" and items[0].url == "/gates/gate/"
    assert "今日出入" in _labels(items)


def test_community_workers_and_volunteers_see_what_their_modules_offer(day):
    community = _labels(home_items(day.community_worker))
    assert "已登记居民" in community and "上报紧急情况" in community
    # A volunteer of no community yet is asked to join one (volunteers/home.py).
    assert _labels(home_items(day.volunteer)) == ["到社区当志愿者", "上报紧急情况"]


def test_anonymous_callers_are_sent_to_sign_in():
    response = Client().get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_only_roles_that_create_tokens_see_the_tokens_page(zone, client_for):
    for username in ("volunteer", "gate_a", "community_worker"):
        client = client_for(username)
        assert "/accounts/tokens/" not in client.get("/").content.decode()
        assert client.get("/accounts/tokens/").status_code == 404
    for username in ("commander", "officer_a", "admin_a"):
        client = client_for(username)
        assert "/accounts/tokens/" in client.get("/").content.decode()
        assert client.get("/accounts/tokens/").status_code == 200
