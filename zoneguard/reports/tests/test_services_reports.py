"""One report per organisation and day: filing again amends it and keeps the history; reminders
go out once a day after the deadline, however often the command runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from zoneguard.core.attendance import register_attendance_source, unregister_attendance_source
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.notifications.models import Notification
from zoneguard.reports import services
from zoneguard.reports.models import DailyReport, DailyReportRevision, ReportReminder
from zoneguard.reports.schedule import deadline_for
from zoneguard.reports.selectors import day_overview
from zoneguard.reports.tests.conftest import report_data
from zoneguard.resumption.selectors import resumption_rates
from zoneguard.resumption.tests.conftest import review_rules  # noqa: F401 (fixture)
from zoneguard.testing import make_user


def test_filing_again_the_same_day_amends_and_keeps_the_history(zone, resumed):
    report, created = services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data())
    assert created and report.revision == 1
    again, created = services.report_file(
        actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data(staff_on_duty=10, problems="缺酒精")
    )
    assert (again.pk, created, again.revision, again.staff_on_duty) == (report.pk, False, 2, 10)
    assert DailyReport.objects.count() == 1
    history = list(DailyReportRevision.objects.filter(report=report).values_list("revision", "data"))
    assert [(r, d["staff_on_duty"], d["problems"]) for r, d in history] == [(1, 3, ""), (2, 10, "缺酒精")]
    assert again.disinfectant_litres == Decimal("20.5")
    assert again.amended_at is not None


def test_only_today_s_report_can_be_filed(zone, resumed):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(InvalidInput):
        services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data(), day=yesterday)


def test_only_resumed_organisations_and_their_administrators_file(zone, resumed):
    market_admin = make_user("admin_m", "organisation_admin", organisation=zone.market)
    with pytest.raises(Conflict):
        services.report_file(actor=market_admin, organisation=zone.market, data=report_data())
    for actor in (zone.admin_b, zone.officer_a, zone.commander, zone.gate_a):
        with pytest.raises(Forbidden):
            services.report_file(actor=actor, organisation=zone.enterprise_a, data=report_data())
    # The group's administrator files for its building project.
    _report, created = services.report_file(actor=zone.admin_a, organisation=zone.project, data=report_data())
    assert created


def test_it_refuses_impossible_figures(zone, resumed):
    with pytest.raises(InvalidInput) as error:
        services.report_file(
            actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data(disinfectant_litres="-1")
        )
    assert "disinfectant_litres" in error.value.errors
    assert not DailyReport.objects.exists()


def test_it_refuses_more_people_at_work_or_isolating_than_the_organisation_employs(zone, resumed):
    total = zone.enterprise_a.total_staff
    with pytest.raises(InvalidInput) as error:
        services.report_file(
            actor=zone.admin_a,
            organisation=zone.enterprise_a,
            data=report_data(staff_on_duty=999_999, staff_isolating=total + 1),
        )
    assert set(error.value.errors) == {"staff_on_duty", "staff_isolating"}
    assert f"{total}" in error.value.errors["staff_on_duty"][0]
    assert not DailyReport.objects.exists()
    report, _created = services.report_file(
        actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data(staff_on_duty=total)
    )
    assert report.staff_on_duty == total


def test_the_overview_shows_filed_due_and_late(zone, resumed):
    services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data())
    today = timezone.localdate()
    before = day_overview(actor=zone.commander, now=deadline_for(today) - timedelta(minutes=1))
    assert {r.organisation.name: r.state for r in before.rows} == {"企业甲": "filed", "企业乙": "due", "项目丙": "due"}
    after = day_overview(actor=zone.commander, now=deadline_for(today))
    assert [r.organisation.name for r in after.late] == ["项目丙", "企业乙"]  # by kind, then name
    # Officer A sees the enterprises only; the market has not resumed and owes nothing.
    assert {r.organisation.name for r in day_overview(actor=zone.officer_a).rows} == {"企业甲", "企业乙"}


def test_reminders_go_out_once_a_day_after_the_deadline(zone, resumed):
    services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data())
    deadline = deadline_for(timezone.localdate())
    assert services.reminders_send(now=deadline - timedelta(seconds=1)) == 0
    assert services.reminders_send(now=deadline) == 2  # 企业乙 and 项目丙
    assert services.reminders_send(now=deadline + timedelta(minutes=5)) == 0
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ReportReminder.objects.count() == 2
    reminders = Notification.objects.filter(kind="reminder")
    # 企业乙's administrator, and admin_a for project 丙 (its parent's administrator); once each.
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["admin_a", "admin_b"]
    assert "企业乙" in reminders.get(recipient=zone.admin_b).title


def test_reminders_survive_a_concurrent_run(zone, resumed):
    deadline = deadline_for(timezone.localdate())
    # Another run reminded 企业乙 between this run's reading and writing.
    ReportReminder.objects.create(organisation=zone.enterprise_b, day=timezone.localdate())
    assert services.reminders_send(now=deadline) == 2  # 企业甲 and 项目丙 only
    assert not Notification.objects.filter(recipient=zone.admin_b, kind="reminder").exists()


def test_reported_staff_feed_the_return_rate_and_a_gate_count_wins_when_larger(zone, resumed):
    services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data(staff_on_duty=6))
    services.report_file(actor=zone.admin_b, organisation=zone.enterprise_b, data=report_data(staff_on_duty=5))
    rates = resumption_rates(actor=zone.commander)
    assert {r.organisation.name: r.on_duty for r in rates.organisations}["企业甲"] == 6
    assert rates.overall.on_duty == 11
    register_attendance_source("test-gate", lambda ids, day: {zone.enterprise_a.pk: 8})
    try:
        assert resumption_rates(actor=zone.commander).overall.on_duty == 13
    finally:
        unregister_attendance_source("test-gate")


def test_the_commander_moves_the_deadline(zone, resumed, client_for):
    from datetime import time

    from zoneguard.reports.schedule import deadline_time

    assert deadline_time() == time(10, 0)  # ZONEGUARD_REPORT_DEADLINE's default
    assert client_for("officer_a").post("/reports/deadline/", {"deadline": "09:00"}).status_code == 404
    assert client_for("commander").post("/reports/deadline/", {"deadline": "09:30"}).status_code == 302
    assert deadline_time() == time(9, 30)
    deadline = deadline_for(timezone.localdate())
    assert timezone.localtime(deadline).strftime("%H:%M") == "09:30"
    assert services.reminders_send(now=deadline) == 3
