"""What the 经发局 officer's walkthrough found on the pages: impossible data refused beside its
field in Chinese with nothing saved, the dispatch table's total agreeing with its rows, the overdue
risk filter showing the officer's projects, and the column wording of the list."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zoneguard.dispatch import selectors, services
from zoneguard.dispatch.models import Contract, MonthlyProgress, Project, Risk

from .conftest import project_data

pytestmark = pytest.mark.django_db


def _economic_project(zone: Any, **fields: Any) -> Project:
    """A project 经发局 (department A, officer_a's) is responsible for, not started."""
    return services.project_create(
        actor=zone.commander,
        data=project_data(
            zone, name="经发局项目", department=zone.department_a, total_investment=Decimal("12000.50"),
            year_planned_investment=Decimal("100.00"), **fields,
        ),
    )  # fmt: skip


def test_progress_of_a_planned_project_is_refused_on_its_form(zone: Any, dispatch: Any, client_for: Any) -> None:
    project = _economic_project(zone)
    client = client_for("officer_a")
    page = client.get(f"/dispatch/{project.pk}/")
    assert 'data-testid="progress-not-started"' in page.content.decode()
    assert f'action="/dispatch/{project.pk}/progress/"' not in page.content.decode()
    refused = client.post(
        f"/dispatch/{project.pk}/progress/", {"month": "2001-01", "invested": "5", "workers_on_site": "1"}
    )
    assert refused.status_code == 422
    assert refused.context["progress_form"].non_field_errors() == [
        "项目尚未开工：开工（状态为在建）后才能填报进度。请先变更项目状态，并填写开工日期。"
    ]
    assert "项目尚未开工" in refused.content.decode()  # shown on the form posted, not only kept
    assert not MonthlyProgress.objects.filter(project=project).exists()


def test_a_month_before_the_start_is_refused_beside_the_month(zone: Any, dispatch: Any, client_for: Any) -> None:
    refused = client_for("officer_b").post(
        f"/dispatch/{dispatch.project.pk}/progress/", {"month": "2001-01", "invested": "5", "workers_on_site": "1"}
    )
    assert refused.status_code == 422
    assert refused.context["progress_form"].errors["month"] == ["项目于 2019-11 开工：请填报开工当月及以后的月份。"]
    assert refused.context["progress_form"]["invested"].value() == "5"  # what was typed stays
    assert not MonthlyProgress.objects.exists()


def test_a_start_in_2000_is_refused_beside_the_date(zone: Any, dispatch: Any, client_for: Any) -> None:
    project = _economic_project(zone)
    refused = client_for("officer_a").post(
        f"/dispatch/{project.pk}/status/", {"status": "under_construction", "on": "2000-01-01"}
    )
    assert refused.status_code == 422
    assert refused.context["status_form"].errors["on"] == [
        "列入 2020 年度计划的项目不可能早于 2010-01-01 开工：请核对年份。"
    ]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    ahead = client_for("officer_a").post(
        f"/dispatch/{project.pk}/status/", {"status": "under_construction", "on": future}
    )
    assert ahead.context["status_form"].errors["on"] == ["该日期在今天之后：请填写实际发生的日期。"]
    project.refresh_from_db()
    assert (project.status, project.actual_start) == ("planned", None)


def test_a_contract_above_the_total_investment_is_refused_beside_the_amount(
    zone: Any, dispatch: Any, client_for: Any
) -> None:
    project = _economic_project(zone)
    refused = client_for("officer_a").post(
        f"/dispatch/{project.pk}/contracts/", {"contractor": "中建五局", "number": "GT-1", "amount": "999999"}
    )
    assert refused.status_code == 422
    assert refused.context["contract_form"].errors["amount"] == [
        "加上本合同，项目合同总额将达 999999.00 万元，超过项目总投资 12000.50 万元。"
    ]
    assert not Contract.objects.filter(project=project).exists()


def test_a_risk_due_before_it_was_raised_is_refused_beside_the_due_date(
    zone: Any, dispatch: Any, client_for: Any
) -> None:
    project = _economic_project(zone)
    today = timezone.localdate().isoformat()
    refused = client_for("officer_a").post(
        f"/dispatch/{project.pk}/risks/",
        {"description": "征地未完成", "department": zone.department_b.pk, "due_on": "2001-01-01"},
    )
    assert refused.status_code == 422
    assert refused.context["risk_form"].errors["due_on"] == [f"限期不能早于风险的发现日期（{today}）。"]
    assert not Risk.objects.exists()


def test_a_start_planned_far_after_the_plan_year_is_refused_beside_the_field(
    zone: Any, dispatch: Any, client_for: Any
) -> None:
    year = timezone.localdate().year
    data = {
        "name": "远期项目", "owner": zone.enterprise_a.pk, "kind": "industrial", "department": zone.department_a.pk,
        "total_investment": "100", "plan_year": str(year), "year_planned_investment": "10",
        "planned_start": "2099-03-01",
    }  # fmt: skip
    refused = client_for("officer_a").post("/dispatch/new/", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["planned_start"] == ["最多只能安排一年以内的日期：请核对年份。"]
    later = client_for("officer_a").post("/dispatch/new/", {**data, "planned_start": f"{year + 1}-01-15"})
    assert later.context["form"].errors["planned_start"] == [
        f"项目列入 {year} 年度计划，计划开工日期不能晚于该年度。请核对年份，或将项目列入开工当年的计划。"
    ]
    assert not Project.objects.filter(name="远期项目").exists()


def test_the_table_total_of_the_year_plan_agrees_with_its_rows(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("commander")
    for month, shown in (("2020-02", Decimal("18000.00")), ("2030-01", Decimal("0.00"))):
        page = client.get(f"/dispatch/table/?month={month}")
        table = page.context["table"]
        planned = [row.year_planned_investment for row in table.rows]
        assert table.totals["year_planned_investment"] == shown == sum(p for p in planned if p is not None)
    # A plan of 2020 is not the plan of 2030: its row shows none, as the total.
    assert planned == [None]
    assert "18000.00" not in page.content.decode()


def test_the_overdue_filter_shows_the_officer_s_projects_whoever_owns_the_risk(
    zone: Any, dispatch: Any, client_for: Any
) -> None:
    today = timezone.localdate()
    ours = _economic_project(zone)
    overdue = {"raised_on": today - timedelta(days=20), "due_on": today - timedelta(days=1)}
    # 经发局's project, its risk for 建设局 to solve: 经发局 keeps the project and chases it.
    services.risk_add(
        actor=zone.commander,
        project=ours,
        data={"description": "用地未交付", "department": zone.department_b, **overdue},
    )
    # 建设局's project, which 经发局 sees as competent for its owner, with 建设局's own overdue risk: not 经发局's.
    services.risk_add(
        actor=zone.commander,
        project=dispatch.project,
        data={"description": "钢材短缺", "department": zone.department_b, **overdue},
    )
    page = client_for("officer_a").get("/dispatch/?risks_overdue=on")
    assert list(page.context["page"]) == [ours]
    assert page.context["form"].fields["risks_overdue"].label == (
        "仅看有逾期风险的项目（本部门负责的项目，或由本部门负责解决的风险）"
    )
    assert selectors.overdue_risks(actor=zone.officer_a).count() == 1  # the home tile counts the same
    # 建设局 sees both: its own project, and the risk it owns on 经发局's.
    listed = set(client_for("officer_b").get("/dispatch/?risks_overdue=on").context["page"])
    assert listed == {ours, dispatch.project}


def test_the_list_and_the_table_say_the_same_since_the_start(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("commander")
    for url in ("/dispatch/", "/dispatch/table/", f"/dispatch/{dispatch.project.pk}/"):
        html = client.get(url).content.decode()
        assert "开工以来累计完成" in html and "开工累计完成" not in html
