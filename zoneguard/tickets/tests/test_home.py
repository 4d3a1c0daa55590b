from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.tickets import services
from zoneguard.tickets.home import home_items

from .conftest import file

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_each_side_what_waits_for_it(zone, tickets):
    late = file(zone, now=timezone.now() - timedelta(hours=3))
    file(zone, "admin_b")
    [department] = home_items(zone.users["officer_a"])
    assert (department.value, "1" in str(department.detail)) == ("2", True)
    assert home_items(zone.users["officer_b"]) == []
    assert home_items(zone.users["admin_a"]) == []
    services.ticket_accept(actor=zone.users["officer_a"], ticket=late)
    services.ticket_resolve(actor=zone.users["officer_a"], ticket=late, answer="已解决")
    [enterprise] = home_items(zone.users["admin_a"])
    assert enterprise.value == "1"
    assert home_items(zone.users["volunteer"]) == []
    file(zone, category="funds")  # no rule: the commander's to route
    [commander] = home_items(zone.users["commander"])
    assert commander.value == "1"
