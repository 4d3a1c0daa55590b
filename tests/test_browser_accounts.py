"""Accounts for a district, on the demo zone: the commander invites an officer of 经发局, who takes
up the account, sets a password and an authenticator (the test computes its code from the key the
page shows) and signs in again; a new enterprise applies on the public page, the officer approves
it, and the enterprise's contact takes up the admin account and files for resumption."""

import base64
import re
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from zoneguard.accounts.models import Invitation, OrganisationApplication, User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.registry.models import Organisation
from zoneguard.resumption.models import ResumptionFiling
from zoneguard.testing import valid_credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"
CODE = valid_credit_code(4242)


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_zone(password=PASSWORD)


def take_up(page: Any, link: str, username: str, password: str) -> None:
    page.goto(link)
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.locator("main form button[type=submit]").click()


def test_an_officer_is_invited_and_a_new_enterprise_is_approved_and_files(demo, live_server, page, sign_in, screenshot):
    # The commander invites an officer of 经发局 and copies the link.
    sign_in(page, "commander", PASSWORD)
    page.goto(f"{live_server.url}/accounts/invitations/")
    form = page.get_by_test_id("invite-form")
    form.locator("select[name=role]").select_option("department_officer")
    form.locator("select[name=department]").select_option(label="经发局")
    form.locator("input[name=full_name]").fill("王经发")
    form.locator("input[name=email]").fill("wang@jingfa.invalid")
    form.get_by_role("button", name="邀请").click()
    link = page.get_by_test_id("invitation-link").inner_text().strip()
    screenshot(page, "accounts-invitation-link")
    assert link.startswith(f"{live_server.url}/accounts/invitations/accept/inv_")

    # The officer takes up the account, then sets up the authenticator before any page opens.
    page.context.clear_cookies()
    take_up(page, link, "wangjingfa", "Jingfa-pass-2020")
    page.wait_for_url("**/accounts/two-factor/**")
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    screenshot(page, "accounts-two-factor-setup")
    page.fill("input[name=code]", f"{totp(base64.b32decode(secret)):06d}")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="继续").click()
    page.wait_for_url(f"{live_server.url}/")
    officer = User.objects.get(username="wangjingfa")
    assert (officer.role, officer.department.name) == ("department_officer", "经发局")
    # Signed out, the officer signs in again with the password and the app's code.
    page.context.clear_cookies()
    sign_in(page, "wangjingfa", "Jingfa-pass-2020")

    # A new enterprise applies on the public page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/apply/")
    form = page.get_by_test_id("apply-form")
    form.locator("input[name=name]").fill("湖南雁城新材料有限公司")
    form.locator("input[name=credit_code]").fill(CODE)
    form.locator("input[name=address]").fill("衡阳高新区长丰大道8号")
    form.locator("input[name=total_staff]").fill("36")
    form.locator("input[name=contact_name]").fill("周雁城")
    form.locator("input[name=contact_phone]").fill("13973401234")
    form.locator("input[name=contact_email]").fill("zhou@yancheng.invalid")
    screenshot(page, "accounts-apply")
    form.get_by_role("button", name="申请").click()
    expect(page.get_by_test_id("apply-done")).to_be_visible()
    application = OrganisationApplication.objects.get(credit_code=CODE)

    # The officer approves it: the organisation is registered and its contact invited.
    sign_in(page, "wangjingfa", "Jingfa-pass-2020")
    page.goto(f"{live_server.url}/accounts/applications/")
    page.get_by_role("link", name="湖南雁城新材料有限公司").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("已通过")
    screenshot(page, "accounts-application-approved")
    admin_link = re.search(r"https?://\S+/accounts/invitations/accept/inv_[\w-]+/", page.content()).group(0)
    organisation = Organisation.objects.get(credit_code=CODE)
    assert Invitation.objects.get(organisation=organisation).role == "organisation_admin"
    application.refresh_from_db()
    assert application.organisation == organisation

    # The enterprise's contact takes up the admin account and files for resumption.
    page.context.clear_cookies()
    take_up(page, admin_link, "zhouyancheng", "Yancheng-pass-2020")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/resumption/filings/new/")
    page.locator("select[name=organisation]").select_option(label="湖南雁城新材料有限公司")
    page.fill("input[name=planned_date]", timezone.localdate().isoformat())
    page.fill("input[name=staff_expected]", "30")
    page.fill("input[name=staff_local]", "25")
    page.fill("input[name=staff_other_provinces]", "5")
    page.check("input[name=disinfection]")
    page.fill("input[name=temperature_points]", "2")
    page.fill("input[name=masks_in_stock]", "600")
    page.fill("textarea[name=plan_notes]", "每日两次消毒，门岗测温。")
    page.fill("input[name=responsible_name]", "周雁城")
    page.fill("input[name=responsible_phone]", "13973401234")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/resumption/filings/\d+/$"))
    screenshot(page, "accounts-new-enterprise-filed")
    filing = ResumptionFiling.objects.get(organisation=organisation)
    assert filing.status == "submitted"
