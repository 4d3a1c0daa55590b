"""What dispatch puts on home pages: the commander's investment tiles, the owner's months to
report, a department's overdue risks, the leads whose next step is due; nothing for outsiders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zoneguard.dispatch import services
from zoneguard.dispatch.home import home_items

from .conftest import project_data

pytestmark = pytest.mark.django_db


def labels(user: Any) -> dict[str, Any]:
    return {str(item.label): item for item in home_items(user)}


def test_the_commander_sees_this_year_s_investment_and_the_projects_building(zone: Any, dispatch: Any) -> None:
    today = timezone.localdate()
    project = services.project_create(
        actor=zone.commander,
        data=project_data(zone, name="今年项目", plan_year=today.year, year_planned_investment=Decimal("300.00")),
    )
    services.project_change_status(actor=zone.commander, project=project, status="under_construction", on=today)
    services.progress_report(
        actor=zone.commander, project=project, month=today, invested=Decimal("100.00"), workers_on_site=1
    )
    items = labels(zone.commander)
    tile = items["本年完成投资（万元）"]
    assert tile.value == "100.00"
    assert "33.33%" in str(tile.detail)
    assert items["在建项目"].value == "2 / 2"  # the fixture's resumed project and this one


def test_the_owner_is_asked_for_this_month_s_progress(zone: Any, dispatch: Any) -> None:
    assert "待填报本月进度的项目" in labels(zone.admin_a)
    services.progress_report(
        actor=zone.admin_a,
        project=dispatch.project,
        month=timezone.localdate(),
        invested=Decimal("1"),
        workers_on_site=1,
    )
    assert "待填报本月进度的项目" not in labels(zone.admin_a)


def test_a_department_sees_its_overdue_risks(zone: Any, dispatch: Any, client_for: Any) -> None:
    other = services.project_create(actor=zone.commander, data=project_data(zone, name="无风险项目"))
    services.risk_add(
        actor=zone.commander,
        project=dispatch.project,
        data={
            "description": "征地未完成",
            "department": zone.department_b,
            "raised_on": timezone.localdate() - timedelta(days=10),
            "due_on": timezone.localdate() - timedelta(days=1),
        },
    )
    tile = labels(zone.officer_b)["逾期未解决的项目风险"]
    assert tile.value == "1"
    assert "逾期未解决的项目风险" not in labels(zone.officer_a)
    # The tile opens the projects that have such a risk, not the whole list.
    listed = list(client_for("officer_b").get(tile.url).context["page"])
    assert listed == [dispatch.project] and other not in listed


def test_leads_whose_next_step_is_due(zone: Any, dispatch: Any) -> None:
    services.lead_create(
        actor=zone.officer_c,
        data={"company_name": "甲", "sector": "ai", "next_step_on": timezone.localdate()},
    )
    assert labels(zone.officer_c)["下一步已到期的招商线索"].value == "1"


@pytest.mark.parametrize("username", ["admin_b", "gate_a", "community_worker", "volunteer"])
def test_outsiders_get_nothing(zone: Any, dispatch: Any, username: str) -> None:
    assert home_items(zone.users[username]) == []
