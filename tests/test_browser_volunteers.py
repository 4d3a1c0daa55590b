"""A volunteer on a phone (390 px wide) opens 我的任务, signs up for the shift running at the
market gate, and checks in; the page fits the screen and the sign-up is recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.volunteers.models import Shift, SignUp, Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_volunteer_signs_up_and_checks_in_on_a_phone(zone, live_server, page, sign_in, screenshot):
    volunteer = Volunteer.objects.create(
        person=zone.staff_a[0], community=zone.community, user=zone.volunteer, name="张青葵", status="approved"
    )
    now = timezone.now()
    shift = Shift.objects.create(
        community=zone.community,
        site=zone.market_site,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=4),
        needed=2,
        note="测温、查验健康码",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "volunteer")
    page.get_by_role("link", name="我的任务").first.click()
    expect(page.get_by_role("heading", name="我的任务", level=1)).to_be_visible()
    card = page.get_by_test_id(f"open-{shift.pk}")
    expect(card).to_contain_text("市场丁 · 入口")
    expect(card).to_contain_text("已报名 0 / 2 人")
    card.get_by_role("button", name="报名").click()
    expect(page.locator(".messages")).to_contain_text("报名成功")
    signup = SignUp.objects.get(shift=shift, volunteer=volunteer)
    today = page.get_by_test_id(f"today-{signup.pk}")
    today.get_by_role("button", name="签到").click()
    expect(page.locator(".messages")).to_contain_text("签到成功")
    expect(page.get_by_test_id(f"today-{signup.pk}")).to_contain_text("已签到")
    expect(page.get_by_test_id(f"today-{signup.pk}").get_by_role("button", name="签退")).to_be_visible()
    # Phone-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "volunteers-my-tasks-phone")
    signup.refresh_from_db()
    assert signup.checked_in_at is not None and signup.checked_out_at is None
