"""An enterprise request on the demo zone, in Chinese: 泓坤医疗 reports a difficulty with a file
attached; 经发局 accepts and answers it; the enterprise confirms it is solved and rates the answer."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def _pdf(tmp_path: Path) -> Path:
    path = tmp_path / "供应商清单.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


def test_an_enterprise_files_the_department_answers_the_enterprise_confirms_and_rates(
    demo, live_server, page, sign_in, screenshot, tmp_path
):
    sign_in(page, "hongkun", PASSWORD)
    page.goto(f"{live_server.url}/tickets/new/")
    page.locator("select[name=category]").select_option("raw_materials")
    page.locator("select[name=urgency]").select_option("critical")
    page.locator("input[name=title]").fill("环氧乙烷灭菌剂采购困难")
    page.locator("textarea[name=description]").fill("灭菌剂供应商停产，医用口罩无法出厂，请求协调供货。")
    page.locator("input[name=attachment]").set_input_files(str(_pdf(tmp_path)))
    screenshot(page, "tickets-enterprise-files")
    page.get_by_role("button", name="提交诉求").click()
    expect(page.locator("h1")).to_contain_text("环氧乙烷灭菌剂采购困难")
    expect(page.locator("main")).to_contain_text("供应商清单.pdf")
    ticket = Ticket.objects.get(title="环氧乙烷灭菌剂采购困难")
    assert ticket.department is not None and ticket.department.name == "经发局"

    page.context.clear_cookies()
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    page.get_by_role("button", name="受理").click()
    expect(page.locator("h1")).to_contain_text("办理中")
    page.locator("textarea[name=answer]").fill("已协调园区内灭菌剂生产企业，明日上午送货上门。")
    screenshot(page, "tickets-department-answers")
    page.get_by_role("button", name="提交答复，请企业确认").click()
    expect(page.locator("h1")).to_contain_text("已答复，待确认")

    page.context.clear_cookies()
    sign_in(page, "hongkun", PASSWORD)
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.locator("main")).to_contain_text("明日上午送货上门")
    page.get_by_role("button", name="确认已解决").click()
    expect(page.locator("h1")).to_contain_text("已确认办结")
    page.locator("select[name=rating]").select_option("5")
    page.locator("input[name=comment]").fill("响应迅速，感谢！")
    page.get_by_role("button", name="评价", exact=True).click()
    expect(page.locator("main")).to_contain_text("5 / 5")
    screenshot(page, "tickets-enterprise-rates")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == ("confirmed", 5)
