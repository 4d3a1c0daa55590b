"""Economic dispatch on the demo zone, in Chinese: 建设局's officer opens the project list with its
totals, goes to 高新现代城 and records a payment to its contractor; a payment past the contract's
amount is refused with what remains; 招商局 opens the lead board and its funnel."""

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.dispatch.models import Contract, Disbursement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def test_an_officer_goes_from_the_list_to_a_project_and_records_a_payment(demo, live_server, page, sign_in, screenshot):
    contract = Contract.objects.get(number="GT-XDC-2019-07", project__name="高新现代城")
    before = Disbursement.objects.filter(contract=contract).count()
    sign_in(page, "jianshe", PASSWORD)
    page.goto(f"{live_server.url}/dispatch/")
    projects = page.get_by_test_id("projects")
    expect(projects).to_contain_text("高新现代城")
    expect(projects).to_contain_text("已复工")
    screenshot(page, "dispatch-project-list")
    projects.get_by_role("link", name="高新现代城").click()
    expect(page.locator("h1")).to_contain_text("高新现代城")

    form = page.get_by_test_id("disbursement-form")
    form.locator("select[name=contract]").select_option(str(contract.pk))
    form.locator("input[name=amount]").fill("1200.50")
    form.locator("select[name=funding_source]").select_option("special_bond")
    form.locator("input[name=note]").fill("二期主体工程款")
    screenshot(page, "dispatch-record-payment")
    form.get_by_role("button", name="登记拨付").click()
    expect(page.get_by_test_id("disbursements")).to_contain_text("1200.50")
    assert Disbursement.objects.filter(contract=contract).count() == before + 1
    assert Disbursement.objects.filter(contract=contract, amount=Decimal("1200.50")).exists()

    # More than the contract has left: refused, with the remaining amount on the form.
    paid = sum(Disbursement.objects.filter(contract=contract).values_list("amount", flat=True))
    remaining = contract.amount - paid
    form = page.get_by_test_id("disbursement-form")
    form.locator("select[name=contract]").select_option(str(contract.pk))
    form.locator("input[name=amount]").fill(str(remaining + Decimal("0.01")))
    form.get_by_role("button", name="登记拨付").click()
    expect(page.locator("main")).to_contain_text(f"尚可拨付 {remaining} 万元")
    screenshot(page, "dispatch-payment-refused")
    assert Disbursement.objects.filter(contract=contract).count() == before + 1


def test_the_investment_attraction_department_opens_its_lead_board(demo, live_server, page, sign_in, screenshot):
    sign_in(page, "zhaoshang", PASSWORD)
    page.goto(f"{live_server.url}/dispatch/leads/")
    expect(page.get_by_test_id("lead-board")).to_contain_text("湘南5G智能终端产业园")
    expect(page.get_by_test_id("funnel")).to_contain_text("已开工")
    screenshot(page, "dispatch-lead-board")
