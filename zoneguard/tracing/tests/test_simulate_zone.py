"""manage.py simulate_zone: a small city, checked for what the tracing benchmark relies on."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from zoneguard.core.masking import mask_id_number
from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import Membership, Organisation, Person, Site
from zoneguard.registry.validators import birth_date_from_id_number, validate_id_number
from zoneguard.tracing.models import Presence

pytestmark = pytest.mark.django_db

# One end for every run of a test: entries after "now" are left out, so two runs a second apart
# could otherwise differ by the entry in between.
UNTIL = timezone.now().replace(minute=0, second=0, microsecond=0).isoformat()


def simulate(*, people: int = 200, sites: int = 20, days: int = 3, seed: int = 1) -> str:
    out = StringIO()
    call_command(
        "simulate_zone",
        f"--people={people}",
        f"--sites={sites}",
        f"--days={days}",
        f"--seed={seed}",
        f"--until={UNTIL}",
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "organisations": Organisation.objects.count(),
        "sites": Site.objects.count(),
        "in": CheckIn.objects.filter(direction="in").count(),
        "out": CheckIn.objects.filter(direction="out").count(),
        "denied": CheckIn.objects.filter(decision="deny").count(),
        "presences": Presence.objects.count(),
    }


def test_it_simulates_a_small_city() -> None:
    output = simulate()

    found = counts()
    assert found["people"] == 200
    assert found["sites"] == 20
    assert 0 < found["memberships"] < 200
    assert found["in"] > 0 and found["out"] > 0
    assert found["denied"] > 0
    assert found["presences"] > 0
    assert f"{found['in'] + found['out']:,} check-ins" in output
    for person in Person.objects.all():
        validate_id_number(person.id_number)
        assert person.birth_date == birth_date_from_id_number(person.id_number)
    # Unique names, kinds the registry knows, the usual stays.
    names = list(Organisation.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) and all(name.startswith("模拟") for name in names)
    assert set(Site.objects.values_list("default_dwell_minutes", flat=True)) <= {480, 60, 120}
    assert Site.objects.filter(default_dwell_minutes=480).count() > Site.objects.count() / 2


def test_it_fills_every_column_as_the_gate_would() -> None:
    simulate()

    sites = {site.pk: site for site in Site.objects.all()}
    people = {person.pk: person for person in Person.objects.all()}
    start = datetime.fromisoformat(UNTIL) - timedelta(days=3)
    for entry in CheckIn.objects.all():
        assert entry.organisation_id == sites[entry.site_id].organisation_id
        assert entry.masked_id_number == mask_id_number(people[entry.person_id].id_number)
        assert entry.status == "green" and entry.face == "" and entry.token_id is None and entry.recorded_by_id is None
        assert entry.received_at == entry.checked_at
        assert start <= entry.checked_at <= datetime.fromisoformat(UNTIL)
        if entry.decision == "deny":
            assert entry.direction == "in" and entry.temperature >= Decimal("37.3")
            assert entry.reasons == [{"code": "fever", "temperature": str(entry.temperature)}]
        else:
            assert entry.decision == "allow" and Decimal("36.0") <= entry.temperature <= Decimal("37.2")
            assert entry.reasons == []
    assert len(set(CheckIn.objects.values_list("client_id", flat=True))) == CheckIn.objects.count()
    # Employees pass their own workplace's gate.
    employers = dict(Membership.objects.values_list("person_id", "organisation_id"))
    at_work = CheckIn.objects.filter(site__default_dwell_minutes=480).values_list("person_id", "organisation_id")
    assert all(employers.get(person) == organisation for person, organisation in at_work)


def test_it_makes_the_same_city_from_the_same_seed() -> None:
    simulate()
    first = counts()
    first_numbers = set(Person.objects.values_list("id_number", flat=True))

    simulate()  # beside the first: other ID numbers and names, the same behaviour
    second = counts()

    assert {key: second[key] - first[key] for key in first if key != "presences"} == {
        key: value for key, value in first.items() if key != "presences"
    }
    assert second["presences"] == 2 * first["presences"]
    assert not first_numbers & set(
        Person.objects.exclude(id_number__in=first_numbers).values_list("id_number", flat=True)
    )
    assert not Organisation.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_another_seed_makes_another_city() -> None:
    simulate(seed=1)
    first = counts()
    simulate(seed=2)
    assert counts()["in"] - first["in"] != first["in"]


@pytest.mark.parametrize(
    "sizes", [{"people": 9}, {"people": 10_000_001}, {"sites": 0}, {"sites": 100_001}, {"days": 0}, {"days": 31}]
)
def test_it_refuses_sizes_out_of_range(sizes: dict[str, int]) -> None:
    with pytest.raises(CommandError, match="must be between"):
        simulate(**sizes)
    assert not Person.objects.exists()
