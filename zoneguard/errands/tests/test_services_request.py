"""Asking for an errand: where to deliver is known, and every quantity is above zero."""

from __future__ import annotations

import pytest

from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.errands import services
from zoneguard.errands.models import Errand
from zoneguard.isolation import services as isolation
from zoneguard.testing import make_person


def test_an_errand_needs_the_address_where_the_person_isolates(zone, errands):
    handed_over = isolation.case_open(
        actor=zone.community_worker,
        person=make_person(name="付欣鹏", organisation=zone.community),
        community=zone.community,
        reason="close_contact",
    )
    with pytest.raises(Conflict) as refused:
        services.errand_request(
            actor=zone.community_worker, case=handed_over, lines=[{"item": "大米", "quantity": "5斤"}]
        )
    assert refused.value.code == "no_address"
    assert not Errand.objects.exists()


@pytest.mark.parametrize("quantity", ["-3", "0", "0个", " -1斤", "0.0"])
def test_a_quantity_of_zero_or_less_is_refused(zone, errands, quantity):
    with pytest.raises(InvalidInput) as refused:
        services.errand_request(
            actor=zone.community_worker,
            case=errands.case,
            lines=[{"item": "口罩", "quantity": "10个"}, {"item": "大米", "quantity": quantity}],
        )
    assert "大米" in refused.value.message and list(refused.value.errors) == ["lines"]
    assert not Errand.objects.exists()


@pytest.mark.parametrize("quantity", ["0.5斤", "5斤", "两盒", "10", ""])
def test_quantities_as_people_write_them_are_taken(zone, errands, quantity):
    errand = services.errand_request(
        actor=zone.community_worker, case=errands.case, lines=[{"item": "青菜", "quantity": quantity}]
    )
    assert errand.lines.get().quantity == (quantity or "1")
