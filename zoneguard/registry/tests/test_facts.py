from zoneguard.core.events import organisation_changed
from zoneguard.core.facts import all_facts, facts_for
from zoneguard.registry import services


def test_it_registers_the_registry_s_facts(zone):
    assert {"kind", "sector", "size", "community", "total_staff"} <= {f.name for f in all_facts()}
    values = facts_for([zone.enterprise_a.pk, zone.project.pk], ["kind", "sector", "community", "total_staff"])
    assert values[zone.enterprise_a.pk] == {
        "kind": "enterprise",
        "sector": "manufacturing",
        "community": zone.community.pk,
        "total_staff": 10,
    }
    assert values[zone.project.pk]["sector"] == "construction"


def test_it_announces_changed_facts_only(zone):
    received = []

    def receiver(sender, organisation_id, facts, **kwargs):
        received.append((organisation_id, facts))

    organisation_changed.connect(receiver)
    try:
        services.organisation_update(actor=zone.commander, organisation=zone.enterprise_a, data={"address": "新址"})
        services.organisation_update(actor=zone.commander, organisation=zone.enterprise_a, data={"total_staff": 12})
    finally:
        organisation_changed.disconnect(receiver)
    assert received == [(zone.enterprise_a.pk, frozenset({"total_staff"}))]
