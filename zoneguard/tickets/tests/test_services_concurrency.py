"""At the same moment: two escalation runs send each notice once; a request accepted twice (two
tabs, a double click) is accepted once and the other answered 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.core.errors import Conflict
from zoneguard.notifications.models import Notification
from zoneguard.testing import at_once, database_shared_by_threads
from zoneguard.tickets import services
from zoneguard.tickets.models import Escalation, Ticket

from .conftest import file

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_escalation_runs_at_once_send_each_notice_once(zone, tickets, tmp_path):
    ticket = file(zone, now=timezone.now() - timedelta(hours=5))  # past twice the 2 hours to accept
    Notification.objects.all().delete()
    with database_shared_by_threads(tmp_path):
        results = at_once(services.escalate_due, services.escalate_due)
        assert sorted(results) == [0, 2], results
        assert Escalation.objects.filter(ticket_id=ticket.pk).count() == 2
        assert Notification.objects.filter(recipient__username="officer_a").count() == 1
        assert Notification.objects.filter(recipient__username="commander").count() == 1


def test_two_officers_accepting_at_once_accept_once(zone, tickets, tmp_path):
    ticket = file(zone)
    with database_shared_by_threads(tmp_path):
        officer = zone.users["officer_a"]
        results = at_once(
            lambda: services.ticket_accept(actor=officer, ticket=Ticket(pk=ticket.pk)),
            lambda: services.ticket_accept(actor=officer, ticket=Ticket(pk=ticket.pk)),
        )
        assert sum(isinstance(r, Conflict) for r in results) == 1, results
        assert Ticket.objects.get(pk=ticket.pk).events.filter(action="accept").count() == 1
