"""Projects, milestones, risks and monthly progress: rights, status rules, exact sums."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.dispatch import selectors, services
from zoneguard.dispatch.models import MonthlyProgress, Project, ProjectStatus

from .conftest import PROJECT_OUTSIDERS, project_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_project_with_its_sites_and_audits_it(zone: Any, dispatch: Any) -> None:
    project = dispatch.project
    assert list(project.building_sites.all()) == [zone.project]
    assert project.actual_start == date(2019, 11, 1)
    assert project.status_changed_on == date(2020, 2, 20)
    events = AuditEvent.objects.filter(object_type="dispatch.project", object_id=str(project.pk))
    assert events.count() == 5  # created, its sites, three changes of status
    assert all(event.organisation_id == zone.enterprise_a.pk for event in events)


def test_an_officer_creates_projects_of_their_own_department_only(zone: Any, dispatch: Any) -> None:
    project = services.project_create(
        actor=zone.officer_b, data=project_data(zone, name="智能制造产业园", owner=zone.project)
    )
    assert project.department == zone.department_b
    with pytest.raises(Forbidden):
        services.project_create(actor=zone.officer_a, data=project_data(zone, name="孵化器"))


def test_the_owner_must_be_an_organisation_the_officer_sees(zone: Any, dispatch: Any) -> None:
    # Officer B is competent for building projects only: enterprise B is not theirs to name.
    with pytest.raises(InvalidInput) as error:
        services.project_create(actor=zone.officer_b, data=project_data(zone, name="孵化器", owner=zone.enterprise_b))
    assert "owner" in error.value.errors


def test_building_sites_must_be_building_projects(zone: Any, dispatch: Any) -> None:
    with pytest.raises(InvalidInput):
        services.project_update(actor=zone.commander, project=dispatch.project, data={}, building_sites=[zone.market])


def test_status_changes_follow_the_rules(zone: Any, dispatch: Any) -> None:
    with pytest.raises(Conflict) as error:
        services.project_change_status(actor=zone.officer_b, project=dispatch.project, status="under_construction")
    assert error.value.code == "status_order"
    done = services.project_change_status(
        actor=zone.officer_b, project=dispatch.project, status="completed", on=date(2021, 5, 1)
    )
    assert done.status == ProjectStatus.COMPLETED
    assert done.actual_completion == date(2021, 5, 1)
    with pytest.raises(Conflict):
        services.project_change_status(actor=zone.commander, project=done, status="resumed")


@pytest.mark.parametrize("username", ["officer_a", "admin_a", *PROJECT_OUTSIDERS])
def test_only_the_responsible_department_and_the_commander_keep_a_project(
    zone: Any, dispatch: Any, username: str
) -> None:
    actor = zone.users[username]
    project = dispatch.project
    with pytest.raises(Forbidden):
        services.project_change_status(actor=actor, project=project, status="suspended")
    with pytest.raises(Forbidden):
        services.project_update(actor=actor, project=project, data={"name": "改名"})
    with pytest.raises(Forbidden):
        services.milestone_add(actor=actor, project=project, data={"name": "封顶", "planned_on": date(2020, 6, 1)})
    with pytest.raises(Forbidden):
        services.risk_add(
            actor=actor,
            project=project,
            data={"description": "钢材短缺", "department": zone.department_b, "due_on": date(2020, 3, 1)},
        )
    with pytest.raises(Forbidden):
        services.contract_add(
            actor=actor, project=project, data={"contractor": "某公司", "number": "X-1", "amount": Decimal("1")}
        )


def test_an_officer_cannot_hand_the_project_to_another_department(zone: Any, dispatch: Any) -> None:
    with pytest.raises(InvalidInput):
        services.project_update(actor=zone.officer_b, project=dispatch.project, data={"department": zone.department_a})


def test_milestones_and_risks(zone: Any, dispatch: Any) -> None:
    milestone = services.milestone_add(
        actor=zone.officer_b, project=dispatch.project, data={"name": "主体封顶", "planned_on": date(2020, 6, 30)}
    )
    services.milestone_update(actor=zone.officer_b, milestone=milestone, data={"achieved_on": date(2020, 7, 3)})
    assert milestone.achieved_on == date(2020, 7, 3)
    risk = services.risk_add(
        actor=zone.officer_b,
        project=dispatch.project,
        data={
            "description": "征地拆迁未完成",
            "department": zone.department_a,
            "raised_on": date(2020, 3, 1),
            "due_on": date(2020, 3, 15),
        },
    )
    services.risk_set_state(actor=zone.officer_b, risk=risk, state="resolved", on=date(2020, 3, 10))
    assert (risk.state, risk.resolved_on) == ("resolved", date(2020, 3, 10))
    services.risk_set_state(actor=zone.officer_b, risk=risk, state="open")
    assert (risk.state, risk.resolved_on) == ("open", None)
    assert AuditEvent.objects.filter(object_type="dispatch.risk").count() == 3


def report(zone: Any, project: Any, month: date, invested: str, workers: int = 100, actor: str = "admin_a") -> Any:
    return services.progress_report(
        actor=zone.users[actor], project=project, month=month, invested=Decimal(invested), workers_on_site=workers
    )


def test_progress_is_one_row_a_month_and_cumulative_sums_are_exact(zone: Any, dispatch: Any) -> None:
    project = dispatch.project
    report(zone, project, date(2019, 12, 1), "0.10")
    report(zone, project, date(2020, 1, 15), "0.20")  # any day of the month is that month
    report(zone, project, date(2020, 2, 1), "999.99", workers=380)
    report(zone, project, date(2020, 2, 1), "1200.70", workers=412)  # reported again: corrected
    assert MonthlyProgress.objects.filter(project=project).count() == 3
    rows = selectors.progress_rows(project=project)
    assert [row.month for row in rows] == [date(2019, 12, 1), date(2020, 1, 1), date(2020, 2, 1)]
    assert [row.cumulative for row in rows] == [Decimal("0.10"), Decimal("0.30"), Decimal("1201.00")]
    assert [row.year_to_date for row in rows] == [Decimal("0.10"), Decimal("0.20"), Decimal("1200.90")]
    assert all(isinstance(row.cumulative, Decimal) for row in rows)
    # 1200.90 of the year's 18000.00: 6.6716...%
    assert [row.share_of_year_plan for row in rows] == [None, Decimal("0.00"), Decimal("6.67")]
    assert rows[2].workers_on_site == 412
    listed = selectors.project_list(actor=zone.commander).get(pk=project.pk)
    assert (listed.invested_total, listed.invested_year) == (Decimal("1201.00"), Decimal("1200.90"))


def test_progress_of_a_future_month_is_refused(zone: Any, dispatch: Any) -> None:
    today = timezone.localdate()
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    with pytest.raises(InvalidInput):
        report(zone, dispatch.project, next_month, "1")


@pytest.mark.parametrize("username", ["officer_a", *PROJECT_OUTSIDERS])
def test_only_the_owner_and_the_keepers_report_progress(zone: Any, dispatch: Any, username: str) -> None:
    with pytest.raises(Forbidden):
        report(zone, dispatch.project, date(2020, 2, 1), "1", actor=username)
    report(zone, dispatch.project, date(2020, 2, 1), "1", actor="officer_b")
    report(zone, dispatch.project, date(2020, 2, 1), "2", actor="commander")


def test_scoping_of_projects(zone: Any, dispatch: Any) -> None:
    for username in ("commander", "officer_a", "officer_b", "admin_a"):
        assert selectors.project_access(actor=zone.users[username], pk=dispatch.project.pk) == dispatch.project
    for username in PROJECT_OUTSIDERS:
        assert not selectors.project_list(actor=zone.users[username]).exists()
        with pytest.raises(NotFound):
            selectors.project_access(actor=zone.users[username], pk=dispatch.project.pk)


def test_a_risk_tells_its_department_which_then_sees_the_project(zone: Any, dispatch: Any) -> None:
    from zoneguard.core.roles import Role
    from zoneguard.notifications.models import Notification
    from zoneguard.registry.models import Department
    from zoneguard.testing import make_user

    department = Department.objects.create(code="dept-d", name="征收办")
    officer = make_user("officer_d", Role.DEPARTMENT_OFFICER, department=department)
    with pytest.raises(NotFound):
        selectors.project_access(actor=officer, pk=dispatch.project.pk)
    services.risk_add(
        actor=zone.officer_b,
        project=dispatch.project,
        data={
            "description": "尚有3户未签约。",
            "department": department,
            "raised_on": date(2020, 3, 1),
            "due_on": date(2020, 3, 15),
        },
    )
    note = Notification.objects.get(recipient=officer)
    assert note.link == f"/dispatch/{dispatch.project.pk}/"
    fresh = type(officer).objects.get(pk=officer.pk)
    assert selectors.project_access(actor=fresh, pk=dispatch.project.pk) == dispatch.project
    with pytest.raises(Forbidden):  # it sees the project, the responsible department keeps it
        services.milestone_add(
            actor=fresh, project=dispatch.project, data={"name": "x", "planned_on": date(2020, 5, 1)}
        )


def test_a_project_s_figures_and_dates_hold_together(zone: Any, dispatch: Any) -> None:
    with pytest.raises(InvalidInput) as year_over_total:
        services.project_create(
            actor=zone.commander,
            data=project_data(
                zone, name="超额", total_investment=Decimal("100"), year_planned_investment=Decimal("5000")
            ),
        )
    assert list(year_over_total.value.errors) == ["year_planned_investment"]
    with pytest.raises(InvalidInput) as backwards:
        services.project_create(
            actor=zone.commander,
            data=project_data(zone, name="倒序", planned_start=date(2020, 6, 1), planned_completion=date(2020, 1, 1)),
        )
    assert backwards.value.message == "计划竣工日期不能早于计划开工日期。"
    assert not Project.objects.filter(name__in=["超额", "倒序"]).exists()
