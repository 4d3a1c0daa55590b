"""Benchmark data: one organisation with a gate site, a device token, registered people with a
green declaration, and a list of not-yet-registered people for the declaration run.

Run by bench/run.py with the benchmark's DATABASE_URL; writes token.txt, site.txt, ids.txt and
people.txt into the directory given as the first argument."""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneguard.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from zoneguard.accounts.models import ApiTokenKind, User  # noqa: E402
from zoneguard.accounts.services import token_create  # noqa: E402
from zoneguard.core.roles import Role  # noqa: E402
from zoneguard.gates.models import CheckIn, FeverAlert  # noqa: E402
from zoneguard.health.models import Declaration, DeclaredContact, HealthRule  # noqa: E402
from zoneguard.registry.models import Membership, Organisation, Person, Site  # noqa: E402
from zoneguard.registry.validators import id_number_check_char  # noqa: E402

PEOPLE = 5000
NEWCOMERS = 100_000


def id_number(rng: random.Random) -> str:
    first17 = f"430408{rng.randrange(1960, 2000)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    first17 += f"{rng.randrange(0, 1000):03d}"
    return first17 + id_number_check_char(first17)


def main(out: Path) -> None:
    rng = random.Random(20200221)
    # A fresh start on every run, so that runs are comparable.
    FeverAlert.objects.all().delete()
    CheckIn.objects.all().delete()
    DeclaredContact.objects.all().delete()
    Declaration.objects.all().delete()
    organisation, _ = Organisation.objects.get_or_create(name="压测企业", kind="enterprise")
    site, _ = Site.objects.get_or_create(organisation=organisation, name="压测大门")
    HealthRule.objects.get_or_create(
        name="湖北旅居", condition="travel", defaults={"places": "湖北", "status": "yellow", "reason": "湖北旅居史"}
    )
    user, _ = User.objects.get_or_create(
        username="bench-gate", defaults={"role": Role.DEVICE, "organisation": organisation}
    )
    commander, _ = User.objects.get_or_create(username="bench-commander", defaults={"role": Role.COMMANDER})
    _token, raw = token_create(actor=commander, user=user, name="bench", kind=ApiTokenKind.DEVICE, site=site)
    numbers: set[str] = set()
    while len(numbers) < PEOPLE + NEWCOMERS:
        numbers.add(id_number(rng))
    ordered = sorted(numbers)
    rng.shuffle(ordered)
    registered, newcomers = ordered[:PEOPLE], ordered[PEOPLE:]
    # In slices: with server-side binding PostgreSQL takes at most 65,535 parameters a statement.
    for start in range(0, len(newcomers), 10_000):
        Person.objects.filter(id_number__in=newcomers[start : start + 10_000]).delete()
    existing = set(Person.objects.filter(id_number__in=registered).values_list("id_number", flat=True))
    Person.objects.bulk_create(
        [
            Person(name=f"员工{i}", id_number=n, phone="13800000000")
            for i, n in enumerate(registered)
            if n not in existing
        ],
        batch_size=1000,
    )
    people = list(Person.objects.filter(id_number__in=registered))
    Membership.objects.bulk_create(
        [Membership(person=p, organisation=organisation, name=p.name, phone=p.phone) for p in people],
        ignore_conflicts=True,
        batch_size=1000,
    )
    now = timezone.now()
    Declaration.objects.bulk_create(
        [
            Declaration(
                person=p,
                site=site,
                name=p.name,
                phone=p.phone,
                status="green",
                reasons=[],
                valid_until=now + timedelta(days=2),
                declared_at=now,
            )
            for p in people
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    (out / "token.txt").write_text(raw)
    (out / "site.txt").write_text(f"{site.pk}\n{site.code}\n")
    (out / "ids.txt").write_text("\n".join(registered) + "\n")
    (out / "people.txt").write_text("".join(f"新人{i}\t{n}\t139{i % 10**8:08d}\n" for i, n in enumerate(newcomers)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
