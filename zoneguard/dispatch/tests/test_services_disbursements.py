"""Contracts and payments to contractors: the cap of the contract, exact totals per project, per
month, per status and sector, and the monthly dispatch table."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.dispatch import selectors, services
from zoneguard.dispatch.models import Disbursement

from .conftest import PROJECT_OUTSIDERS, project_data

pytestmark = pytest.mark.django_db


def pay(zone: Any, contract: Any, amount: str, on: date = date(2020, 2, 25), actor: str = "officer_b") -> Any:
    return services.disbursement_record(
        actor=zone.users[actor], contract=contract, amount=Decimal(amount), paid_on=on, funding_source="special_bond"
    )


def test_payments_never_pass_the_contract_amount(zone: Any, dispatch: Any) -> None:
    contract = dispatch.contract  # 1000.00
    pay(zone, contract, "333.33")
    pay(zone, contract, "333.33")
    with pytest.raises(Conflict) as error:
        pay(zone, contract, "333.35")
    assert error.value.code == "contract_exceeded"
    assert "333.34" in error.value.message
    last = pay(zone, contract, "333.34")
    assert last.amount == Decimal("333.34")
    assert services.contract_paid(contract) == Decimal("1000.00")
    with pytest.raises(Conflict) as error:
        pay(zone, contract, "0.01")
    assert "0.00" in error.value.message


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_a_payment_is_above_zero(zone: Any, dispatch: Any, amount: str) -> None:
    with pytest.raises(InvalidInput):
        pay(zone, dispatch.contract, amount)


@pytest.mark.parametrize("username", ["officer_a", "admin_a", *PROJECT_OUTSIDERS])
def test_only_the_keepers_record_payments(zone: Any, dispatch: Any, username: str) -> None:
    with pytest.raises(Forbidden):
        pay(zone, dispatch.contract, "1", actor=username)
    assert not Disbursement.objects.exists()


def test_totals_per_project_and_per_month_are_exact_decimals(zone: Any, dispatch: Any) -> None:
    second = services.contract_add(
        actor=zone.commander,
        project=dispatch.project,
        data={"contractor": "湖南建工", "number": "GT-2020-002", "amount": Decimal("500.00")},
    )
    for amount, on in (("0.10", date(2020, 1, 20)), ("0.20", date(2020, 2, 1)), ("100.07", date(2020, 2, 29))):
        pay(zone, dispatch.contract, amount, on)
    pay(zone, second, "0.03", date(2020, 2, 14))
    months = selectors.disbursement_months(disbursements=selectors.disbursement_list(project=dispatch.project))
    assert [(m.month, m.amount, m.count) for m in months] == [
        (date(2020, 1, 1), Decimal("0.10"), 1),
        (date(2020, 2, 1), Decimal("100.30"), 3),
    ]
    assert all(isinstance(m.amount, Decimal) for m in months)
    project = selectors.project_access(actor=zone.commander, pk=dispatch.project.pk)
    assert project.paid_total == Decimal("100.40")
    assert project.contracted_total == Decimal("1500.00")
    contracts = {c.number: c for c in selectors.contract_list(project=dispatch.project)}
    assert contracts["GT-2020-001"].paid == Decimal("100.37")
    assert contracts["GT-2020-001"].remaining == Decimal("899.63")
    assert contracts["GT-2020-002"].remaining == Decimal("499.97")


def _more_projects(zone: Any) -> None:
    services.project_create(
        actor=zone.commander,
        data=project_data(
            zone, name="园区道路改造", kind="infrastructure", total_investment=Decimal("0.20"),
            year_planned_investment=Decimal("0.10"), sector=None,
        ),
    )  # fmt: skip
    services.project_create(
        actor=zone.commander,
        data=project_data(
            zone, name="人才公寓", kind="housing", total_investment=Decimal("12345.57"),
            year_planned_investment=Decimal("0.11"), sector=zone.sector_manufacturing,
        ),
    )  # fmt: skip


def test_lists_by_status_and_sector_add_up_exactly(zone: Any, dispatch: Any) -> None:
    _more_projects(zone)
    projects = selectors.project_list(actor=zone.commander)
    totals = selectors.project_totals(projects)
    assert totals.count == 3
    assert totals.total_investment == Decimal("64345.77")
    assert totals.year_planned_investment == Decimal("18000.21")
    assert isinstance(totals.total_investment, Decimal)
    by_status = {row.key: row for row in selectors.project_totals_by(projects, "status")}
    assert by_status["planned"].count == 2
    assert by_status["planned"].total_investment == Decimal("12345.77")
    assert by_status["resumed"].total_investment == Decimal("52000.00")
    assert sum(row.total_investment for row in by_status.values()) == totals.total_investment
    by_sector = selectors.project_totals_by(projects, "sector")
    assert sum(row.year_planned_investment for row in by_sector) == Decimal("18000.21")
    assert {row.key: row.count for row in by_sector} == {"": 1, "制造业": 1, "建筑业": 1}
    resumed = selectors.project_totals(selectors.project_list(actor=zone.commander, status="resumed"))
    assert (resumed.count, resumed.total_investment) == (1, Decimal("52000.00"))


def test_the_dispatch_table_has_month_year_and_cumulative_columns_and_a_totals_row(zone: Any, dispatch: Any) -> None:
    _more_projects(zone)
    road = selectors.project_list(actor=zone.commander).get(name="园区道路改造")
    services.project_change_status(actor=zone.commander, project=road, status="under_construction", on=date(2020, 2, 3))
    for project, month, invested, workers in (
        (dispatch.project, date(2019, 12, 1), "100.01", 50),
        (dispatch.project, date(2020, 1, 1), "0.02", 10),
        (dispatch.project, date(2020, 2, 1), "1199.99", 412),
        (dispatch.project, date(2020, 3, 1), "7.00", 420),  # after the month: not counted
        (road, date(2020, 2, 1), "0.05", 6),
    ):
        services.progress_report(
            actor=zone.commander, project=project, month=month, invested=Decimal(invested), workers_on_site=workers
        )
    pay(zone, dispatch.contract, "10.10", date(2020, 1, 31))
    pay(zone, dispatch.contract, "20.20", date(2020, 2, 29))
    pay(zone, dispatch.contract, "40.40", date(2020, 3, 1))
    table = selectors.dispatch_table(actor=zone.commander, month=date(2020, 2, 17))
    rows = {row.project.name: row for row in table.rows}
    main = rows["高新区标准厂房三期"]
    assert (main.invested_month, main.invested_year, main.invested_total) == (
        Decimal("1199.99"),
        Decimal("1200.01"),
        Decimal("1300.02"),
    )
    assert main.share_of_year_plan == Decimal("6.67")
    assert (main.workers_on_site, main.paid_month, main.paid_total) == (412, Decimal("20.20"), Decimal("30.30"))
    assert rows["人才公寓"].invested_total == Decimal("0")
    assert rows["人才公寓"].workers_on_site is None
    totals = table.totals
    assert totals["invested_month"] == Decimal("1200.04") == sum(r.invested_month for r in table.rows)
    assert totals["invested_year"] == Decimal("1200.06") == sum(r.invested_year for r in table.rows)
    assert totals["invested_total"] == Decimal("1300.07") == sum(r.invested_total for r in table.rows)
    assert totals["paid_total"] == Decimal("30.30")
    assert totals["workers_on_site"] == 418
    assert totals["total_investment"] == Decimal("64345.77")
    # 1200.06 of 18000.21
    assert totals["share_of_year_plan"] == Decimal("6.67")
    for row in table.rows:
        assert isinstance(row.invested_total, Decimal) and isinstance(row.paid_total, Decimal)
    outsider = selectors.dispatch_table(actor=zone.admin_b, month=date(2020, 2, 1))
    assert outsider.rows == [] and outsider.totals["invested_total"] == Decimal("0")
