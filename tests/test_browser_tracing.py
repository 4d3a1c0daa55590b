"""The tracing officer opens the demo's fever alert at 金化's gate, traces the worker, sees the
co-workers and the market contacts (first degree) and the people a co-worker met at 君昇市场
(second degree), marks two as close contacts; the gate then refuses one of them."""

from typing import Any

import pytest
from playwright.sync_api import expect

from zoneguard.demo.builder import load_demo_zone
from zoneguard.gates.models import FeverAlert
from zoneguard.health.models import Restriction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def test_an_officer_traces_a_fever_and_the_gate_refuses_a_close_contact(demo, live_server, page, sign_in, screenshot):
    case = demo.people["traced case"]
    alert = FeverAlert.objects.get(person=case)
    sign_in(page, "tracer", PASSWORD)
    page.goto(f"{live_server.url}/gates/alerts/{alert.pk}/")
    page.get_by_test_id("trace-link").click()
    first = page.get_by_test_id("degree-1")
    second = page.get_by_test_id("degree-2")
    expect(first).to_contain_text("湖南金化科技集团有限公司 · 大门")
    expect(first).to_contain_text("高鑫农贸市场 · 市场入口")
    expect(second).to_contain_text("君昇市场 · 市场入口")
    screenshot(page, "tracing-demo-case")
    boxes = first.locator("input[type=checkbox]")
    chosen = [int(boxes.nth(i).get_attribute("value")) for i in (0, 1)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_test_id("mark").click()
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text("密切接触者")
    expect(first.locator(".pill.bad")).to_have_count(2)
    marked_now = Restriction.objects.filter(released_at=None, kind="close_contact")
    assert set(marked_now.values_list("person_id", flat=True)) == set(chosen)
    # At 金化's gate, the first of them is refused as a close contact.
    marked = marked_now.get(person_id=chosen[0]).person
    page.context.clear_cookies()
    sign_in(page, "gate", PASSWORD)
    page.goto(f"{live_server.url}/gates/gate/")
    page.get_by_label("身份证号或健康码").fill(marked.id_number)
    page.get_by_label("体温（°C）").fill("36.5")
    page.get_by_role("button", name="核验").click()
    result = page.locator("#gate-result[data-decision]")
    result.wait_for()
    expect(result).to_have_attribute("data-decision", "deny")
    expect(result).to_contain_text("密切接触者")
    screenshot(page, "tracing-gate-refuses-close-contact")
