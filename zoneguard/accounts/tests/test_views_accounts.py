from __future__ import annotations

import io
import re

from django.core import mail
from django.test import Client
from openpyxl import Workbook

from zoneguard.accounts.models import Invitation, OrganisationApplication, User
from zoneguard.accounts.services import applications
from zoneguard.registry.models import Organisation
from zoneguard.testing import valid_credit_code

from .conftest import invite


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位", "姓名", "手机号", "邮箱"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "admins.xlsx"
    return buffer


def test_an_invitation_is_made_on_the_page_with_a_link_to_copy_and_taken_up(zone, client_for):
    client = client_for("admin_a")
    page = client.post(
        "/accounts/invitations/",
        {"role": "gate_officer", "organisation": zone.enterprise_a.pk, "full_name": "新门岗", "language": "zh-hans"},
    )
    link = re.search(r'data-testid="invitation-link">([^<]+)<', page.content.decode()).group(1)
    path = link.split("testserver", 1)[1]
    invitee = Client()
    assert "新门岗" in invitee.get(path).content.decode()
    response = invitee.post(path, {"username": "newgate", "password1": "Gate-pass-2020", "password2": "Gate-pass-2020"})
    assert response.url == "/"
    assert invitee.get("/").status_code == 200
    user = User.objects.get(username="newgate")
    assert (user.role, user.organisation) == ("gate_officer", zone.enterprise_a)
    assert invitee.get(path).status_code == 404  # used


def test_the_contacts_of_selected_organisations_are_invited_from_a_page(zone, client_for):
    Organisation.objects.filter(pk=zone.enterprise_b.pk).update(contact_name="乙联系人")
    client = client_for("officer_a")
    assert "企业乙" in client.get("/accounts/invitations/organisations/").content.decode()
    done = client.post(
        "/accounts/invitations/organisations/", {"organisation": [zone.enterprise_a.pk, zone.enterprise_b.pk]}
    )
    assert done.status_code == 200 and "invitation-link" in done.content.decode()
    assert list(Invitation.objects.values_list("organisation__name", "full_name")) == [("企业乙", "乙联系人")]


def test_an_excel_list_invites_every_admin_or_none(zone, client_for):
    client = client_for("officer_a")
    assert client.get("/accounts/invitations/import/template.xlsx").status_code == 200
    refused = client.post(
        "/accounts/invitations/import/",
        {"file": xlsx([["企业甲", "甲管理员", "13800000001", "a@example.com"], ["项目丙", "丙管理员", "", ""]])},
    )
    assert 'data-testid="import-report"' in refused.content.decode()
    assert not Invitation.objects.exists()
    done = client.post(
        "/accounts/invitations/import/",
        {
            "file": xlsx(
                [
                    ["企业甲", "甲管理员", "13800000001", "a@example.com"],
                    [zone.enterprise_b.credit_code, "乙管理员", "", ""],
                ]
            )
        },
    )
    assert done.status_code == 200
    assert set(Invitation.objects.values_list("organisation__name", "full_name")) == {
        ("企业甲", "甲管理员"),
        ("企业乙", "乙管理员"),
    }


def test_user_pages_show_the_scope_and_change_within_the_grant(zone, client_for):
    client = client_for("admin_a")
    listed = client.get("/accounts/users/").content.decode()
    assert "gate_a" in listed and "admin_b" not in listed
    assert client.get(f"/accounts/users/{zone.admin_b.pk}/").status_code == 404
    assert client.get(f"/accounts/users/{zone.gate_a.pk}/").status_code == 200
    client.post(f"/accounts/users/{zone.gate_a.pk}/active/", {"active": "0"})
    zone.gate_a.refresh_from_db()
    assert not zone.gate_a.is_active
    client.post(f"/accounts/users/{zone.gate_a.pk}/role/", {"role": "organisation_admin"})
    zone.gate_a.refresh_from_db()
    assert zone.gate_a.role == "organisation_admin"
    assert client_for("gate_a").get("/accounts/users/").status_code in (302, 403)


def test_the_public_application_page_and_the_departments_decision(zone, client_for, django_capture_on_commit_callbacks):
    anonymous = Client()
    assert anonymous.get("/accounts/apply/").status_code == 200
    response = anonymous.post(
        "/accounts/apply/",
        {
            "name": "湖南页面申请有限公司",
            "kind": "enterprise",
            "credit_code": valid_credit_code(66),
            "address": "衡阳高新区",
            "total_staff": 8,
            "contact_name": "赵联系",
            "contact_phone": "13900002222",
            "contact_email": "zhao@example.com",
        },
    )
    assert response.url == "/accounts/apply/received/"
    application = OrganisationApplication.objects.get()
    assert client_for("officer_b").get(f"/accounts/applications/{application.pk}/").status_code == 404
    officer = client_for("officer_a")
    assert "湖南页面申请有限公司" in officer.get("/accounts/applications/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/accounts/applications/{application.pk}/approve/")
        officer.post(f"/accounts/applications/{application.pk}/approve/")  # a double click
    assert Organisation.objects.filter(name="湖南页面申请有限公司").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhao@example.com"]


def test_the_application_page_names_every_mistake_at_once(db):
    response = Client().post(
        "/accounts/apply/",
        {
            "name": "",
            "kind": "enterprise",
            "credit_code": "91430400MA4L000000",  # a wrong check character
            "address": "衡阳高新区",
            "total_staff": 8,
            "contact_name": "赵联系",
            "contact_phone": "12345",
            "contact_email": "zhao@example.com",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "credit_code", "contact_phone"}
    assert not OrganisationApplication.objects.exists()


def test_outsiders_get_nothing_from_the_pages(zone, client_for):
    invitation, _raw = invite(zone, "admin_a", "gate_officer", organisation=zone.enterprise_a)
    application = applications.application_submit(
        request=None,
        data={
            "name": "某公司",
            "credit_code": valid_credit_code(67),
            "address": "某地",
            "total_staff": 1,
            "contact_name": "某人",
            "contact_phone": "13900003333",
            "contact_email": "x@example.com",
        },
    )
    anonymous = Client()
    for path in ("/accounts/users/", "/accounts/invitations/", "/accounts/applications/", "/accounts/security/"):
        assert anonymous.get(path).status_code == 302
    gate = client_for("gate_a")
    for path in ("/accounts/users/", "/accounts/invitations/", "/accounts/applications/"):
        assert gate.get(path).status_code == 403
    assert gate.get(f"/accounts/applications/{application.pk}/").status_code == 404
    other = client_for("admin_b")
    assert other.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 404
    assert other.get(f"/accounts/users/{zone.gate_a.pk}/").status_code == 404
    assert other.post(f"/accounts/users/{zone.gate_a.pk}/active/", {"active": "0"}).status_code == 404
    assert client_for("officer_b").post(f"/accounts/applications/{application.pk}/approve/").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).state == "open"


def test_the_home_page_shows_the_applications_waiting_to_the_competent_department(zone, client_for):
    from zoneguard.accounts.home import home_items

    applications.application_submit(
        request=None,
        data={
            "name": "待审公司",
            "credit_code": valid_credit_code(68),
            "address": "某地",
            "total_staff": 1,
            "contact_name": "某人",
            "contact_phone": "13900004444",
            "contact_email": "y@example.com",
        },
    )
    assert [item.value for item in home_items(zone.officer_a)] == ["1"]
    assert home_items(zone.officer_b) == home_items(zone.admin_a) == []
    assert "待审核的企业入驻申请" in client_for("commander").get("/").content.decode()
