"""Impossible project data is refused beside the field, and nothing is saved: progress before the
start or before the project started, starts long past or in the future, contracts above the total
investment, risks due before they were raised, plans whose start lies after their year."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.dispatch import services
from zoneguard.dispatch.models import Contract, Milestone, MonthlyProgress, Project, ProjectStatus, Risk

from .conftest import project_data

pytestmark = pytest.mark.django_db


def planned(zone: Any, **fields: Any) -> Project:
    return services.project_create(actor=zone.commander, data=project_data(zone, name="未开工项目", **fields))


def test_progress_is_refused_while_the_project_is_planned_and_before_its_start(zone: Any, dispatch: Any) -> None:
    project = planned(zone)
    with pytest.raises(Conflict) as not_started:
        services.progress_report(
            actor=zone.commander, project=project, month=date(2020, 2, 1), invested=Decimal("1"), workers_on_site=1
        )
    assert not_started.value.code == "not_started"
    services.project_change_status(
        actor=zone.commander, project=project, status="under_construction", on=date(2020, 3, 2)
    )
    with pytest.raises(InvalidInput) as before:
        services.progress_report(
            actor=zone.commander, project=project, month=date(2001, 1, 1), invested=Decimal("1"), workers_on_site=1
        )
    assert list(before.value.errors) == ["month"] and "2020-03" in before.value.message
    with pytest.raises(InvalidInput):
        services.progress_report(
            actor=zone.commander, project=project, month=date(2020, 2, 1), invested=Decimal("1"), workers_on_site=1
        )
    assert not MonthlyProgress.objects.filter(project=project).exists()
    services.progress_report(
        actor=zone.commander, project=project, month=date(2020, 3, 1), invested=Decimal("1"), workers_on_site=1
    )
    assert MonthlyProgress.objects.filter(project=project).count() == 1


@pytest.mark.parametrize(("on", "code"), [(date(2000, 1, 1), "too_early"), (None, "future")])
def test_a_start_long_past_or_in_the_future_is_refused(zone: Any, dispatch: Any, on: date | None, code: str) -> None:
    project = planned(zone)
    day = on or timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        services.project_change_status(actor=zone.commander, project=project, status="under_construction", on=day)
    assert (list(error.value.errors), error.value.code) == (["on"], code)
    project.refresh_from_db()
    assert (project.status, project.actual_start) == (ProjectStatus.PLANNED, None)


def test_a_change_of_status_cannot_come_before_the_last_one(zone: Any, dispatch: Any) -> None:
    # The fixture's project resumed on 2020-02-20.
    with pytest.raises(InvalidInput) as error:
        services.project_change_status(
            actor=zone.commander, project=dispatch.project, status="completed", on=date(2020, 2, 19)
        )
    assert error.value.code == "before_last_change"
    assert Project.objects.get(pk=dispatch.project.pk).status == ProjectStatus.RESUMED


def test_an_actual_start_written_directly_is_checked_too(zone: Any, dispatch: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        services.project_update(actor=zone.commander, project=dispatch.project, data={"actual_start": date(2000, 1, 1)})
    assert list(error.value.errors) == ["actual_start"]
    assert Project.objects.get(pk=dispatch.project.pk).actual_start == date(2019, 11, 1)
    # What was accepted once is not checked again when something else changes.
    services.project_update(actor=zone.commander, project=dispatch.project, data={"description": "二期"})


def test_contracts_cannot_pass_the_total_investment(zone: Any, dispatch: Any) -> None:
    project = planned(zone, total_investment=Decimal("12000.50"), year_planned_investment=Decimal("100.00"))
    with pytest.raises(InvalidInput) as error:
        services.contract_add(
            actor=zone.commander,
            project=project,
            data={"contractor": "中建五局", "number": "GT-1", "amount": Decimal("999999.00")},
        )
    assert list(error.value.errors) == ["amount"]
    services.contract_add(
        actor=zone.commander,
        project=project,
        data={"contractor": "中建五局", "number": "GT-1", "amount": Decimal("12000")},
    )
    with pytest.raises(InvalidInput):  # together with the first, 0.51 above the total
        services.contract_add(
            actor=zone.commander,
            project=project,
            data={"contractor": "湖南建工", "number": "GT-2", "amount": Decimal("1.01")},
        )
    assert Contract.objects.filter(project=project).count() == 1
    with pytest.raises(InvalidInput) as lowered:
        services.project_update(actor=zone.commander, project=project, data={"total_investment": Decimal("11999.99")})
    assert list(lowered.value.errors) == ["total_investment"]
    assert Project.objects.get(pk=project.pk).total_investment == Decimal("12000.50")


def test_a_risk_cannot_be_due_before_it_was_raised(zone: Any, dispatch: Any) -> None:
    today = timezone.localdate()
    data = {"description": "征地未完成", "department": zone.department_a}
    with pytest.raises(InvalidInput) as error:
        services.risk_add(actor=zone.commander, project=dispatch.project, data={**data, "due_on": date(2001, 1, 1)})
    assert list(error.value.errors) == ["due_on"]
    with pytest.raises(InvalidInput) as ahead:
        services.risk_add(
            actor=zone.commander,
            project=dispatch.project,
            data={**data, "raised_on": today + timedelta(days=1), "due_on": today + timedelta(days=5)},
        )
    assert list(ahead.value.errors) == ["raised_on"]
    assert not Risk.objects.exists()
    risk = services.risk_add(actor=zone.commander, project=dispatch.project, data={**data, "due_on": today})
    assert risk.raised_on == today


def test_a_plan_cannot_start_after_its_year_nor_far_ahead(zone: Any, dispatch: Any) -> None:
    year = timezone.localdate().year
    with pytest.raises(InvalidInput) as far:
        planned(zone, plan_year=year, planned_start=date(2099, 1, 1), planned_completion=date(2099, 12, 31))
    assert list(far.value.errors) == ["planned_start"]
    with pytest.raises(InvalidInput) as later:  # within a year from today, but after the plan's year
        planned(zone, plan_year=year, planned_start=date(year + 1, 1, 15), planned_completion=None)
    assert (list(later.value.errors), later.value.code) == (["planned_start"], "start_after_plan_year")
    with pytest.raises(InvalidInput) as plan_ahead:
        planned(zone, plan_year=year + 2, planned_start=None, planned_completion=None)
    assert list(plan_ahead.value.errors) == ["plan_year"]
    assert not Project.objects.filter(name="未开工项目").exists()
    with pytest.raises(InvalidInput):
        services.project_update(
            actor=zone.commander, project=dispatch.project, data={"planned_start": date(2021, 3, 1)}
        )


def test_a_risk_cannot_be_resolved_in_the_future_nor_before_it_was_raised(zone: Any, dispatch: Any) -> None:
    today = timezone.localdate()
    risk = services.risk_add(
        actor=zone.commander,
        project=dispatch.project,
        data={
            "description": "征地未完成",
            "department": zone.department_a,
            "raised_on": date(2020, 3, 1),
            "due_on": date(2020, 3, 15),
        },
    )
    for day, code in ((today + timedelta(days=1), "future"), (date(2020, 2, 29), "resolved_before_raised")):
        with pytest.raises(InvalidInput) as error:
            services.risk_set_state(actor=zone.commander, risk=risk, state="resolved", on=day)
        assert (list(error.value.errors), error.value.code) == (["on"], code)
        assert (Risk.objects.get(pk=risk.pk).state, Risk.objects.get(pk=risk.pk).resolved_on) == ("open", None)
    services.risk_set_state(actor=zone.commander, risk=risk, state="resolved", on=date(2020, 3, 1))
    assert Risk.objects.get(pk=risk.pk).resolved_on == date(2020, 3, 1)


def test_a_milestone_changed_is_checked_as_one_added(zone: Any, dispatch: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput) as added:
        services.milestone_add(
            actor=zone.commander,
            project=dispatch.project,
            data={"name": "主体封顶", "planned_on": date(2020, 6, 30), "achieved_on": tomorrow},
        )
    assert list(added.value.errors) == ["achieved_on"]
    assert not Milestone.objects.exists()
    milestone = services.milestone_add(
        actor=zone.commander, project=dispatch.project, data={"name": "主体封顶", "planned_on": date(2020, 6, 30)}
    )
    refusals = [
        ({"achieved_on": tomorrow}, "achieved_on", "future"),
        ({"achieved_on": date(2001, 1, 1)}, "achieved_on", "too_early"),
        ({"planned_on": date(2099, 6, 30)}, "planned_on", "too_far_ahead"),
        ({"planned_on": date(2001, 6, 30)}, "planned_on", "too_early"),
    ]
    for data, field, code in refusals:
        with pytest.raises(InvalidInput) as error:
            services.milestone_update(actor=zone.commander, milestone=Milestone.objects.get(), data=data)
        assert (list(error.value.errors), error.value.code) == ([field], code)
    stored = Milestone.objects.get()
    assert (stored.planned_on, stored.achieved_on) == (date(2020, 6, 30), None)
    services.milestone_update(actor=zone.commander, milestone=milestone, data={"achieved_on": date(2020, 7, 3)})
    assert Milestone.objects.get().achieved_on == date(2020, 7, 3)
