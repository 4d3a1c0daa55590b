"""The dispatch pages: lists with totals, the detail's forms through the services, the dispatch
table and its export, the import, the lead board and detail; outsiders see nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.dispatch import services
from zoneguard.dispatch.models import Disbursement, Lead, Milestone, MonthlyProgress, Project, Risk
from zoneguard.registry import forms as registry_forms
from zoneguard.registry.models import Organisation, OrganisationKind
from zoneguard.testing import response_bytes

from .conftest import LEAD_OUTSIDERS, PROJECT_OUTSIDERS

pytestmark = pytest.mark.django_db


def test_the_list_shows_projects_and_totals(zone: Any, dispatch: Any, client_for: Any) -> None:
    services.progress_report(
        actor=zone.commander,
        project=dispatch.project,
        month=date(2020, 2, 1),
        invested=Decimal("10.05"),
        workers_on_site=3,
    )
    page = client_for("officer_b").get("/dispatch/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "高新区标准厂房三期" in text and "52000.00" in text and "10.05" in text
    assert client_for("officer_b").get("/dispatch/?status=planned").context["totals"].count == 0
    assert client_for("officer_b").get("/dispatch/?status=nonsense").status_code == 200


def test_the_keepers_use_the_forms_of_the_detail(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("officer_b")
    url = f"/dispatch/{dispatch.project.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(f"{url}milestones/", {"name": "主体封顶", "planned_on": "2020-06-30"}).status_code == 302
    milestone = Milestone.objects.get()
    assert client.post(f"{url}milestones/{milestone.pk}/achieved/", {"achieved_on": "2020-07-01"}).status_code == 302
    response = client.post(
        f"{url}risks/",
        {
            "description": "钢材短缺",
            "department": zone.department_a.pk,
            "raised_on": "2020-02-20",
            "due_on": "2020-03-01",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert client.post(f"{url}risks/{risk.pk}/state/", {"state": "resolved"}).status_code == 302
    assert (
        client.post(f"{url}contracts/", {"contractor": "湖南建工", "number": "GT-9", "amount": "10"}).status_code == 302
    )
    ok = client.post(
        f"{url}disbursements/",
        {"contract": dispatch.contract.pk, "amount": "999.99", "paid_on": "2020-02-25", "funding_source": "fiscal"},
    )
    assert ok.status_code == 302
    refused = client.post(
        f"{url}disbursements/",
        {"contract": dispatch.contract.pk, "amount": "0.02", "paid_on": "2020-02-25", "funding_source": "fiscal"},
    )
    assert refused.status_code == 422
    assert "0.01" in refused.content.decode()
    assert Disbursement.objects.count() == 1
    assert client.post(f"{url}status/", {"status": "completed", "on": "2020-12-30"}).status_code == 302
    wrong = client.post(f"{url}status/", {"status": "resumed", "on": "2020-12-31"})
    assert wrong.status_code == 422


def test_the_owner_reports_progress_and_sees_no_other_form(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("admin_a")
    url = f"/dispatch/{dispatch.project.pk}/"
    page = client.get(url).content.decode()
    assert f'action="/dispatch/{dispatch.project.pk}/progress/"' in page
    assert "disbursement-form" not in page and 'milestones/"' not in page
    assert (
        client.post(f"{url}progress/", {"month": "2020-02", "invested": "12.30", "workers_on_site": "40"}).status_code
        == 302
    )
    assert MonthlyProgress.objects.get().invested == Decimal("12.30")
    refused = client.post(f"{url}milestones/", {"name": "x", "planned_on": "2020-06-30"})
    assert refused.status_code == 422
    assert not Milestone.objects.exists()


def _edit_data(zone: Any, dispatch: Any, **changes: Any) -> dict[str, Any]:
    project = dispatch.project
    return {
        "name": project.name,
        "owner": project.owner_id,
        "building_sites": [zone.project.pk],
        "sector": project.sector_id,
        "kind": project.kind,
        "department": project.department_id,
        "total_investment": "52000.00",
        "plan_year": "2020",
        "year_planned_investment": "18000.00",
        "planned_start": "2019-10-01",
        "planned_completion": "2021-06-30",
        "description": "",
        **changes,
    }


def test_a_keeper_edits_the_project(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("officer_b")
    url = f"/dispatch/{dispatch.project.pk}/edit/"
    assert f'href="{url}"' in client.get(f"/dispatch/{dispatch.project.pk}/").content.decode()
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["name"] == "高新区标准厂房三期"
    assert 'value="2019-10-01"' in form.content.decode()  # ISO, so the date picker shows it
    for name in ("owner", "department"):  # in the order the add page offers them
        offered = list(client.get("/dispatch/new/").context["form"].fields[name].queryset)
        shown = list(form.context["form"].fields[name].queryset)
        assert [o for o in shown if o in offered] == offered, name
    saved = client.post(url, _edit_data(zone, dispatch, total_investment="53000.50", planned_completion="2021-09-30"))
    assert saved.status_code == 302 and saved["Location"] == f"/dispatch/{dispatch.project.pk}/"
    project = Project.objects.get(pk=dispatch.project.pk)
    assert project.total_investment == Decimal("53000.50") and project.planned_completion == date(2021, 9, 30)
    assert project.actual_start == date(2019, 11, 1)  # set by the status, not by this form
    change = AuditEvent.objects.filter(object_type="dispatch.project", action="update").latest("pk")
    assert change.detail["changes"]["total_investment"] == ["52000.00", "53000.50"]


def test_an_edit_refused_changes_nothing(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("officer_b")
    url = f"/dispatch/{dispatch.project.pk}/edit/"
    bad_money = client.post(url, _edit_data(zone, dispatch, name="改名", total_investment="-1"))
    assert bad_money.status_code == 200 and bad_money.context["form"].errors.keys() == {"total_investment"}
    handed_over = client.post(url, _edit_data(zone, dispatch, name="改名", department=zone.department_a.pk))
    assert handed_over.status_code == 200 and "department" in handed_over.context["form"].errors
    assert Project.objects.get(pk=dispatch.project.pk).name == "高新区标准厂房三期"


def test_the_owner_is_typed_by_its_name_or_credit_code(
    zone: Any, dispatch: Any, client_for: Any, monkeypatch: Any
) -> None:
    """A district has thousands of organisations: past a dropdown's size, the owner is a text field
    with suggestions, looked up among the organisations the user may choose."""
    monkeypatch.setattr(registry_forms, "DROPDOWN_LIMIT", 0)
    url = f"/dispatch/{dispatch.project.pk}/edit/"

    def refused(client: Client, owner: str) -> list[str]:
        answer = client.post(url, _edit_data(zone, dispatch, owner=owner, name="改名"))
        assert answer.status_code == 200
        return answer.context["form"].errors["owner"]

    officer = client_for("officer_b")  # keeps the project; building projects are their competence
    html = officer.get(url).content.decode()
    assert f'name="owner" value="{zone.enterprise_a.name}"' in html  # the current owner, held
    assert 'data-suggest-url="/registry/organisations/suggest/"' in html and "zoneguard/suggest.js" in html
    assert refused(officer, "不存在的公司") == ["没有名为“不存在的公司”的可选单位。"]
    # Outside their competence reads the same as unknown.
    assert refused(officer, zone.enterprise_b.name) == [f"没有名为“{zone.enterprise_b.name}”的可选单位。"]
    commander = client_for("commander")
    assert refused(commander, zone.community.name) == [f"没有名为“{zone.community.name}”的可选单位。"]
    namesake = Organisation.objects.create(name=zone.enterprise_b.name, kind=OrganisationKind.ENTERPRISE)
    assert refused(commander, zone.enterprise_b.name) == [
        f"有多个单位名为“{zone.enterprise_b.name}”，请填写其统一社会信用代码。"
    ]
    assert Project.objects.get(pk=dispatch.project.pk).name == "高新区标准厂房三期"
    by_code = commander.post(url, _edit_data(zone, dispatch, owner=f" {zone.enterprise_b.credit_code.lower()} "))
    assert by_code.status_code == 302
    assert Project.objects.get(pk=dispatch.project.pk).owner == zone.enterprise_b
    namesake.delete()
    by_name = commander.post(url, _edit_data(zone, dispatch, owner=zone.enterprise_a.name))
    assert by_name.status_code == 302
    assert Project.objects.get(pk=dispatch.project.pk).owner == zone.enterprise_a


@pytest.mark.parametrize("username", ["admin_a", "officer_a"])
def test_who_sees_a_project_but_does_not_keep_it_cannot_edit_it(
    zone: Any, dispatch: Any, client_for: Any, username: str
) -> None:
    client = client_for(username)
    url = f"/dispatch/{dispatch.project.pk}/edit/"
    assert "/edit/" not in client.get(f"/dispatch/{dispatch.project.pk}/").content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_data(zone, dispatch, name="改名")).status_code == 403
    assert Project.objects.get(pk=dispatch.project.pk).name == "高新区标准厂房三期"


def test_the_dispatch_table_and_its_export(zone: Any, dispatch: Any, client_for: Any) -> None:
    services.progress_report(
        actor=zone.commander,
        project=dispatch.project,
        month=date(2020, 2, 1),
        invested=Decimal("10.05"),
        workers_on_site=3,
    )
    client = client_for("commander")
    page = client.get("/dispatch/table/?month=2020-02")
    assert page.status_code == 200
    assert page.context["table"].totals["invested_month"] == Decimal("10.05")
    export = client.get("/dispatch/table/?month=2020-02&export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(response_bytes(export))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][1] == "高新区标准厂房三期"
    assert rows[2][7] == pytest.approx(10.05)
    assert rows[-1][0] == "合计"
    assert rows[-1][5] == pytest.approx(52000)


def test_the_progress_import_page(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("admin_a")
    assert client.get("/dispatch/import/").status_code == 200
    assert client.get("/dispatch/import/template/").status_code == 200
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["项目名称", "月份", "本月完成投资", "在岗人数"])
    sheet.append(["高新区标准厂房三期", "2020-02", "3.30", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    response = client.post("/dispatch/import/", {"file": buffer})
    assert response.status_code == 302, (
        response.context["report"].__dict__ if response.context["report"] else response.context["form"].errors
    )
    assert MonthlyProgress.objects.get().invested == Decimal("3.30")


def test_the_lead_pages(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("officer_c")
    response = client.post(
        "/dispatch/leads/new/",
        {
            "company_name": "湘江5G产业园",
            "sector": "5g",
            "estimated_investment": "5000",
            "stage": "contact",
            "on": "2020-02-03",
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert client.get("/dispatch/leads/").status_code == 200
    assert client.get("/dispatch/leads/?sector=ai").status_code == 200
    url = f"/dispatch/leads/{lead.pk}/"
    assert client.get(url).status_code == 200
    back = client.post(f"{url}stage/", {"stage": "contact", "on": "2020-02-10"})
    assert back.status_code == 422
    assert client.post(f"{url}stage/", {"stage": "registered", "on": "2020-02-10"}).status_code == 302
    assert client.post(f"{url}organisation/", {"sector": dispatch.sector_it.pk}).status_code == 302
    assert client.post(f"{url}stage/", {"stage": "started", "on": "2020-02-20"}).status_code == 302
    made = client.post(
        f"{url}project/",
        {
            "department": dispatch.department_c.pk,
            "kind": "industrial",
            "plan_year": "2020",
            "year_planned_investment": "100",
        },
    )
    assert made.status_code == 302
    lead.refresh_from_db()
    assert lead.project is not None and made["Location"] == f"/dispatch/{lead.project.pk}/"


def _project_pages(dispatch: Any) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/dispatch/{dispatch.project.pk}/"
    return [
        ("get", base, {}),
        ("get", f"{base}edit/", {}),
        ("post", f"{base}edit/", {"name": "x"}),
        ("post", f"{base}status/", {"status": "suspended", "on": "2020-03-01"}),
        ("post", f"{base}milestones/", {"name": "x", "planned_on": "2020-03-01"}),
        ("post", f"{base}risks/", {"description": "x", "department": dispatch.department_c.pk, "due_on": "2020-03-01"}),
        ("post", f"{base}progress/", {"month": "2020-02", "invested": "1"}),
        ("post", f"{base}contracts/", {"contractor": "x", "number": "n", "amount": "1"}),
        (
            "post",
            f"{base}disbursements/",
            {"contract": dispatch.contract.pk, "amount": "1", "paid_on": "2020-02-01", "funding_source": "fiscal"},
        ),
    ]


@pytest.mark.parametrize("username", [*PROJECT_OUTSIDERS, "anonymous"])
def test_outsiders_see_no_project_page(zone: Any, dispatch: Any, client_for: Any, username: str) -> None:
    client = Client() if username == "anonymous" else client_for(username)
    for method, url, data in _project_pages(dispatch):
        response = getattr(client, method)(url, data)
        if username == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == 404, (url, response.status_code)
    for url in ("/dispatch/", "/dispatch/table/", "/dispatch/import/"):
        response = client.get(url)
        if username == "anonymous":
            assert response.status_code == 302
        elif response.status_code == 200:
            assert "高新区标准厂房三期" not in response.content.decode()
        else:
            assert response.status_code == 403
    export = client.get("/dispatch/table/?export=xlsx")
    assert export.status_code in {302, 403} or "高新区标准厂房三期" not in str(list(_cells(response_bytes(export))))
    assert not MonthlyProgress.objects.exists() and not Disbursement.objects.exists()


def _cells(content: bytes) -> list[Any]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [value for row in sheet.iter_rows(values_only=True) for value in row]


@pytest.mark.parametrize("username", [*LEAD_OUTSIDERS, "anonymous"])
def test_outsiders_see_no_lead_page(zone: Any, dispatch: Any, client_for: Any, username: str) -> None:
    lead = services.lead_create(actor=zone.officer_c, data={"company_name": "甲", "sector": "ai"})
    client = Client() if username == "anonymous" else client_for(username)
    expected = 302 if username == "anonymous" else 403
    assert client.get("/dispatch/leads/").status_code == expected
    assert client.get("/dispatch/leads/new/").status_code == expected
    detail = 302 if username == "anonymous" else 404
    assert client.get(f"/dispatch/leads/{lead.pk}/").status_code == detail
    assert (
        client.post(f"/dispatch/leads/{lead.pk}/stage/", {"stage": "visit", "on": "2020-03-01"}).status_code == detail
    )
    assert client.post(f"/dispatch/leads/{lead.pk}/organisation/", {}).status_code == detail
    assert client.post(f"/dispatch/leads/{lead.pk}/project/", {}).status_code == detail
    lead.refresh_from_db()
    assert lead.stage == "contact"


def test_the_status_form_starts_with_no_status_chosen(zone: Any, dispatch: Any, client_for: Any) -> None:
    client = client_for("officer_b")
    url = f"/dispatch/{dispatch.project.pk}/"
    page = client.get(url)
    field = page.context["status_form"]["status"]
    assert field.field.choices[0] == ("", "---------") and field.value() is None
    before = type(dispatch.project).objects.get(pk=dispatch.project.pk).status
    refused = client.post(f"{url}status/", {"status": "", "on": "2020-12-30"})
    assert refused.status_code == 422
    assert type(dispatch.project).objects.get(pk=dispatch.project.pk).status == before
