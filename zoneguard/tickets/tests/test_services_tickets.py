"""The request's life through the services: routing, passing on, reopening, rating, the timed
events and audit rows; escalation sends each notice once however often it runs; attachments
refused by type and size."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.notifications.models import Notification
from zoneguard.registry.models import Department
from zoneguard.testing import make_user
from zoneguard.tickets import selectors, services
from zoneguard.tickets.models import Escalation, Ticket, TimeLimit

from .conftest import file, pdf, png

pytestmark = pytest.mark.django_db


def test_it_routes_by_category_and_by_sector_where_a_rule_says_so(zone, tickets):
    assert file(zone).department == zone.department_a
    assert file(zone, "admin_c").department == zone.department_b  # a construction enterprise
    assert file(zone, category="permits").department == zone.department_b
    unrouted = file(zone, category="funds")
    assert unrouted.department is None  # the commander routes it by passing it on
    assert Notification.objects.filter(recipient=zone.users["officer_a"]).count() == 1
    assert Notification.objects.filter(recipient=zone.users["commander"]).count() == 1


def test_the_life_of_a_request(zone, tickets):
    officer, admin = zone.users["officer_a"], zone.users["admin_a"]
    ticket = file(zone, attachments=[pdf()])
    assert ticket.attachments.count() == 1
    with pytest.raises(Conflict):
        services.ticket_resolve(actor=officer, ticket=ticket, answer="已协调")
    with pytest.raises(Forbidden):
        services.ticket_accept(actor=zone.users["officer_b"], ticket=ticket)
    services.ticket_accept(actor=officer, ticket=ticket)
    services.ticket_message(actor=admin, ticket=ticket, body="供应商名单见附件")
    services.ticket_resolve(actor=officer, ticket=ticket, answer="已协调园区内供应商供货")
    with pytest.raises(Forbidden):
        services.ticket_confirm(actor=zone.users["admin_b"], ticket=ticket)
    services.ticket_reopen(actor=admin, ticket=ticket, comment="只到了一半")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == ("reopened", 1)
    services.ticket_resolve(actor=officer, ticket=ticket, answer="余下一半已送达")
    with pytest.raises(Conflict):
        services.ticket_rate(actor=admin, ticket=ticket, rating=5)  # before confirming
    services.ticket_confirm(actor=admin, ticket=ticket)
    services.ticket_rate(actor=admin, ticket=ticket, rating=4, comment="及时")
    with pytest.raises(Conflict):
        services.ticket_rate(actor=admin, ticket=ticket, rating=5)  # once
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.answer) == ("confirmed", 4, "余下一半已送达")
    actions = list(ticket.events.values_list("action", flat=True))
    assert actions == ["file", "accept", "message", "resolve", "reopen", "resolve", "confirm", "rate"]
    assert AuditEvent.objects.filter(object_type="tickets.ticket", object_id=str(ticket.pk)).count() == 8
    with pytest.raises(Conflict):
        services.ticket_message(actor=admin, ticket=ticket, body="再问一下")


def test_a_rating_is_one_to_five(zone, tickets):
    admin, officer = zone.users["admin_a"], zone.users["officer_a"]
    ticket = file(zone)
    services.ticket_accept(actor=officer, ticket=ticket)
    services.ticket_resolve(actor=officer, ticket=ticket, answer="好")
    services.ticket_confirm(actor=admin, ticket=ticket)
    with pytest.raises(InvalidInput):
        services.ticket_rate(actor=admin, ticket=ticket, rating=6)


def test_passing_on_needs_a_reason_and_another_department(zone, tickets):
    officer_a, officer_b = zone.users["officer_a"], zone.users["officer_b"]
    ticket = file(zone)
    services.ticket_accept(actor=officer_a, ticket=ticket)
    with pytest.raises(InvalidInput):
        services.ticket_pass_on(actor=officer_a, ticket=ticket, department=zone.department_b, reason=" ")
    with pytest.raises(InvalidInput):
        services.ticket_pass_on(actor=officer_a, ticket=ticket, department=zone.department_a, reason="x")
    services.ticket_pass_on(actor=officer_a, ticket=ticket, department=zone.department_b, reason="属建设局职能")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.department, ticket.passed_count) == ("submitted", zone.department_b, 1)
    assert ticket.first_accepted_at is not None and ticket.accepted_at is None
    with pytest.raises(Forbidden):
        services.ticket_accept(actor=officer_a, ticket=ticket)  # no longer theirs
    services.ticket_accept(actor=officer_b, ticket=ticket)
    assert Notification.objects.filter(recipient=officer_b).count() == 1  # told it was passed on
    # The log credits the passing on to the department that did it, the acceptance to the new one.
    events = {e.action: e.department_id for e in ticket.events.all()}
    assert (events["pass_on"], events["accept"]) == (zone.department_a.pk, zone.department_b.pk)
    # Department A still reads what became of it, but no longer acts on it; others see nothing.
    assert selectors.ticket_access(actor=officer_a, pk=ticket.pk) == ticket
    assert ticket in selectors.ticket_list(actor=officer_a)
    with pytest.raises(Forbidden):
        services.ticket_message(actor=officer_a, ticket=ticket, body="还在吗")
    outsider = make_user("officer_c", "department_officer", department=Department.objects.create(code="c", name="丙局"))
    with pytest.raises(NotFound):
        selectors.ticket_access(actor=outsider, pk=ticket.pk)


def test_escalation_sends_each_notice_once_however_often_it_runs(zone, tickets):
    head = zone.users["officer_a"]
    Department.objects.filter(pk=zone.department_a.pk).update(head=head)
    TimeLimit.objects.create(category="raw_materials", urgency="critical", accept_hours=2, resolve_hours=48)
    filed = timezone.now() - timedelta(hours=3)
    ticket = file(zone, now=filed)
    Notification.objects.all().delete()
    assert services.escalate_due(now=filed + timedelta(hours=1)) == 0
    assert services.escalate_due() == 1  # past 2 hours: the head
    assert services.escalate_due() == 0
    call_command("escalate_tickets")
    assert Notification.objects.filter(recipient=head).count() == 1
    assert Notification.objects.filter(recipient=zone.users["commander"]).count() == 0
    assert services.escalate_due(now=filed + timedelta(hours=4)) == 1  # twice the limit: the commander
    for _ in range(3):
        services.escalate_due(now=filed + timedelta(hours=5))
    assert Notification.objects.filter(recipient=zone.users["commander"]).count() == 1
    assert list(Escalation.objects.values_list("stage", "level")) == [("accept", "head"), ("accept", "commander")]
    # Accepted late, then past the resolve limit and twice it: two more, once each.
    services.ticket_accept(actor=head, ticket=ticket)
    assert services.escalate_due(now=filed + timedelta(hours=97)) == 2
    assert services.escalate_due(now=filed + timedelta(hours=98)) == 0
    assert Notification.objects.filter(recipient=head).count() == 2


def test_the_enterprise_withdraws_with_a_reason_and_nothing_escalates_afterwards(zone, tickets):
    officer, admin = zone.users["officer_a"], zone.users["admin_a"]
    TimeLimit.objects.create(category="raw_materials", urgency="critical", accept_hours=2, resolve_hours=48)
    ticket = file(zone, now=timezone.now() - timedelta(hours=1))
    with pytest.raises(InvalidInput):
        services.ticket_withdraw(actor=admin, ticket=ticket, reason="  ")
    with pytest.raises(Forbidden):
        services.ticket_withdraw(actor=officer, ticket=ticket, reason="不需要了")
    Notification.objects.all().delete()
    services.ticket_withdraw(actor=admin, ticket=ticket, reason="已自行联系到供应商")
    ticket.refresh_from_db()
    assert ticket.status == "withdrawn" and ticket.withdrawn_at is not None
    assert ticket.events.last().body == "已自行联系到供应商"
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert AuditEvent.objects.filter(detail__action="withdraw").count() == 1
    assert services.escalate_due(now=timezone.now() + timedelta(days=30)) == 0
    with pytest.raises(Conflict):
        services.ticket_accept(actor=officer, ticket=ticket)
    with pytest.raises(Conflict):
        services.ticket_withdraw(actor=admin, ticket=ticket, reason="再撤一次")


def test_an_answered_request_is_confirmed_or_reopened_not_withdrawn(zone, tickets):
    officer, admin = zone.users["officer_a"], zone.users["admin_a"]
    ticket = file(zone)
    services.ticket_accept(actor=officer, ticket=ticket)
    services.ticket_resolve(actor=officer, ticket=ticket, answer="已协调")
    with pytest.raises(Conflict):
        services.ticket_withdraw(actor=admin, ticket=ticket, reason="不需要了")
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_the_same_filing_key_files_one_request(zone, tickets):
    key = uuid.uuid4()
    first = file(zone, client_id=key)
    assert file(zone, client_id=key) == first
    assert Notification.objects.filter(recipient=zone.users["officer_a"]).count() == 1
    with pytest.raises(Conflict):
        file(zone, client_id=key, title="另一件事")
    with pytest.raises(Conflict):
        file(zone, "admin_c", client_id=key)
    assert list(Ticket.objects.all()) == [first]


def test_without_a_head_the_departments_officers_are_told(zone, tickets):
    ticket = file(zone, now=timezone.now() - timedelta(hours=3))
    Notification.objects.all().delete()
    assert services.escalate_due() == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["officer_a"]
    assert ticket.escalations.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        lambda: pdf("run.exe"),
        lambda: pdf("notes.txt"),
        lambda: png("renamed.pdf"),  # the bytes are not a PDF
    ],
)
def test_it_refuses_attachments_by_type(zone, tickets, upload):
    with pytest.raises(InvalidInput) as refused:
        file(zone, attachments=[upload()])
    assert refused.value.code == "file_type"


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_it_refuses_attachments_by_size(zone, tickets):
    with pytest.raises(InvalidInput) as refused:
        file(zone, attachments=[pdf(size=2048)])
    assert refused.value.code == "file_size"
    assert file(zone, attachments=[pdf(size=100), png()]).attachments.count() == 2


def test_the_commander_keeps_the_tables(zone, tickets):
    commander = zone.users["commander"]
    with pytest.raises(Forbidden):
        services.routing_rule_set(
            actor=zone.users["officer_a"], category="funds", sector=None, department=zone.department_a
        )
    services.routing_rule_set(actor=commander, category="funds", sector=None, department=zone.department_a)
    services.routing_rule_set(actor=commander, category="funds", sector=None, department=zone.department_b)
    assert file(zone, category="funds").department == zone.department_b
    services.time_limit_set(actor=commander, category="funds", urgency="normal", accept_hours=4, resolve_hours=24)
    ticket = file(zone, category="funds", urgency="normal")
    assert ticket.accept_due - ticket.filed_at == timedelta(hours=4)
