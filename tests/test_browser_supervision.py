"""Supervision on the demo zone: an officer of 经发局 reports progress on today's items, one form
each; the commander opens the monthly ranking and the calculation behind one department's score."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.supervision.models import ItemStatus, TaskItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def test_an_officer_reports_todays_items_and_the_commander_reads_the_scores(
    demo, live_server, page, sign_in, screenshot
):
    today = timezone.localdate()
    first, second = TaskItem.objects.filter(task__department__code="jingfa", due_on=today).order_by("pk")
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    expect(page.get_by_test_id(f"item-{first.pk}")).to_contain_text(first.title)
    expect(page.get_by_test_id(f"item-{second.pk}")).to_contain_text(second.title)
    screenshot(page, "supervision-today")

    form = page.get_by_test_id(f"report-{first.pk}")
    form.get_by_label("已完成").check()
    form.get_by_label("备注").fill("已完成检查 12 家")
    form.get_by_role("button", name="报送进展").click()
    expect(page.get_by_test_id(f"item-{first.pk}")).to_contain_text("已完成")

    form = page.get_by_test_id(f"report-{second.pk}")
    form.get_by_label("部分完成").check()
    form.get_by_label("完成比例（%）").fill("50")
    form.get_by_role("button", name="报送进展").click()
    expect(page.get_by_test_id(f"item-{second.pk}")).to_contain_text("50%")
    screenshot(page, "supervision-today-reported")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.done_on) == (ItemStatus.DONE, today)
    assert (second.status, second.percent) == (ItemStatus.PARTLY, 50)

    page.context.clear_cookies()
    sign_in(page, "commander", PASSWORD)
    page.goto(f"{live_server.url}/supervision/scores/")
    ranking = page.get_by_test_id("ranking")
    for name in ["经发局", "建设局", "招商局", "规划局", "征收办", "财政局"]:
        expect(ranking).to_contain_text(name)
    screenshot(page, "supervision-ranking")
    ranking.locator("tr", has_text="经发局").get_by_role("link", name="计算明细").click()
    lines = page.get_by_test_id("lines")
    expect(lines).to_contain_text("基础分")
    expect(lines).to_contain_text("逾期")
    expect(page.get_by_test_id("total")).not_to_be_empty()
    screenshot(page, "supervision-score-calculation")
