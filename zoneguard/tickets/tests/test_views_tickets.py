"""The pages: filing in Chinese with an attachment, answering, confirming and rating; outsiders get
404; the figures page and its workbook; the commander's tables."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from zoneguard.testing import response_bytes
from zoneguard.tickets.models import RoutingRule, Ticket, TimeLimit

from .conftest import file, pdf

pytestmark = pytest.mark.django_db


def test_the_story_on_the_pages(zone, tickets, client_for):
    enterprise, officer = client_for("admin_a"), client_for("officer_a")
    assert enterprise.get("/tickets/new/").status_code == 200
    filed = enterprise.post(
        "/tickets/new/",
        {
            "category": "raw_materials",
            "urgency": "critical",
            "title": "熔喷布采购困难",
            "description": "供应商停产",
            "attachment": pdf(),
        },
    )
    ticket = Ticket.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.attachments.count() == 1 and ticket.department == zone.department_a
    page = officer.get(f"/tickets/{ticket.pk}/")
    assert "熔喷布采购困难" in page.content.decode()
    officer.post(f"/tickets/{ticket.pk}/accept/")
    officer.post(f"/tickets/{ticket.pk}/resolve/", {"answer": "已协调供应商"})
    enterprise.post(f"/tickets/{ticket.pk}/confirm/", {})
    enterprise.post(f"/tickets/{ticket.pk}/rate/", {"rating": "5", "comment": "很及时"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == ("confirmed", 5)
    download = enterprise.get(f"/tickets/{ticket.pk}/attachments/{ticket.attachments.get().pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"


def test_a_form_sent_twice_files_one_request_which_the_enterprise_withdraws(zone, tickets, client_for):
    enterprise = client_for("admin_a")
    form = enterprise.get("/tickets/new/").context["form"]
    key = form["client_id"].value()
    data = {
        "category": "raw_materials",
        "urgency": "normal",
        "title": "返岗员工包车",
        "description": "需要包车",
        "client_id": key,
    }
    first, second = enterprise.post("/tickets/new/", data), enterprise.post("/tickets/new/", data)
    ticket = Ticket.objects.get()
    assert first["Location"] == second["Location"] == f"/tickets/{ticket.pk}/"
    assert "返岗员工包车" in enterprise.get(f"/tickets/{ticket.pk}/").content.decode()
    assert client_for("officer_a").post(f"/tickets/{ticket.pk}/withdraw/", {"reason": "x"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "submitted"
    enterprise.post(f"/tickets/{ticket.pk}/withdraw/", {"reason": "已自行租车"})
    ticket.refresh_from_db()
    assert ticket.status == "withdrawn"
    page = enterprise.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'action="/tickets/{ticket.pk}/withdraw/"' not in page


def test_an_out_of_order_action_changes_nothing(zone, tickets, client_for):
    ticket = file(zone)
    response = client_for("officer_a").post(f"/tickets/{ticket.pk}/resolve/", {"answer": "x"}, follow=True)
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "submitted"


@pytest.mark.parametrize("outsider", ["admin_b", "officer_b", "gate_a", "volunteer"])
def test_outsiders_get_404(zone, tickets, client_for, outsider):
    ticket = file(zone, attachments=[pdf()])
    client = client_for(outsider)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404
    assert client.get(f"/tickets/{ticket.pk}/attachments/{ticket.attachments.get().pk}/").status_code == 404
    for action in ("accept", "resolve", "confirm", "reopen", "rate", "message", "pass-on", "attach", "withdraw"):
        assert client.post(f"/tickets/{ticket.pk}/{action}/", {}).status_code == 404, action
    ticket.refresh_from_db()
    assert ticket.status == "submitted"


def test_anonymous_is_sent_to_sign_in(zone, tickets):
    ticket = file(zone, attachments=[pdf()])
    for url in ("/tickets/", f"/tickets/{ticket.pk}/", f"/tickets/{ticket.pk}/attachments/1/", "/tickets/figures/"):
        assert Client().get(url).status_code == 302


def test_the_list_shows_each_their_own(zone, tickets, client_for, django_assert_max_num_queries):
    file(zone, title="甲的诉求")
    file(zone, "admin_b", title="乙的诉求")
    client = client_for("admin_a")
    with django_assert_max_num_queries(12):
        page = client.get("/tickets/").content.decode()
    assert "甲的诉求" in page and "乙的诉求" not in page
    assert "甲的诉求" in client_for("officer_a").get("/tickets/").content.decode()
    assert client_for("officer_b").get("/tickets/").content.decode().count("的诉求") == 0
    assert client_for("volunteer").get("/tickets/").status_code == 403


def test_the_figures_page_and_workbook(zone, tickets, client_for):
    file(zone)
    commander = client_for("commander")
    assert "经发局" in commander.get("/tickets/figures/").content.decode()
    export = commander.get("/tickets/figures/?start=2000-01-01&end=2099-12-31&export=xlsx")
    assert export.status_code == 200
    sheets = load_workbook(io.BytesIO(response_bytes(export))).worksheets
    assert [row[0] for row in sheets[0].iter_rows(min_row=3, values_only=True)] == ["建设局", "经发局"]
    assert [row[1] for row in sheets[1].iter_rows(min_row=3, values_only=True)] == ["企业甲"]
    assert client_for("admin_a").get("/tickets/figures/").status_code == 403
    assert client_for("officer_a").get("/tickets/figures/?start=2020-01-01&end=2020-01-31").status_code == 200


def test_the_commander_keeps_routing_limits_and_heads(zone, tickets, client_for):
    commander = client_for("commander")
    page = commander.get("/tickets/routing/").content.decode()
    assert "一般：24 小时内受理，168 小时内办结" in page  # hours, not Python's "1 day, 0:00:00"
    commander.post(
        "/tickets/routing/",
        {"form": "rule", "rule-category": "funds", "rule-department": zone.department_a.pk},
    )
    assert RoutingRule.objects.filter(category="funds", department=zone.department_a).exists()
    commander.post(
        "/tickets/routing/",
        {
            "form": "limit",
            "limit-category": "funds",
            "limit-urgency": "critical",
            "limit-accept_hours": "1",
            "limit-resolve_hours": "24",
        },
    )
    assert TimeLimit.objects.filter(category="funds", urgency="critical", accept_hours=1).exists()
    commander.post(
        "/tickets/routing/",
        {"form": "head", "head-department": zone.department_a.pk, "head-head": zone.users["officer_a"].pk},
    )
    assert "officer_a" in commander.get("/tickets/routing/").content.decode()
    rule = RoutingRule.objects.get(category="funds")
    assert client_for("officer_a").get("/tickets/routing/").status_code == 403
    assert client_for("officer_a").post(f"/tickets/routing/{rule.pk}/delete/").status_code == 404
    commander.post(f"/tickets/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.filter(category="funds").exists()


def test_a_refused_pass_on_comes_back_with_what_was_typed_and_the_error_beside_its_field(zone, tickets, client_for):
    ticket = file(zone)
    officer = client_for("officer_a")
    officer.post(f"/tickets/{ticket.pk}/accept/")
    refused = officer.post(
        f"/tickets/{ticket.pk}/pass-on/", {"department": "", "reason": "属于建设局职责"}, follow=True
    )
    ticket.refresh_from_db()
    assert ticket.department == zone.department_a  # nothing changed
    form = refused.context["pass_on_form"]
    assert form["reason"].value() == "属于建设局职责"
    assert list(form.errors) == ["department"]
    page = refused.content.decode()
    assert "属于建设局职责" in page and 'class="field has-error"' in page
    assert "部门：此项为必填项。" in page  # the message names the field
    # Shown once: the page opened again is clean.
    assert not officer.get(f"/tickets/{ticket.pk}/").context["pass_on_form"].is_bound
