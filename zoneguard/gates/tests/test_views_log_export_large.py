"""An entry-log export of a busy day, read in chunks whose people and sites are fetched by their
ids: more than a thousand people in a day must export whole on both databases."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import Person
from zoneguard.testing import valid_id_number

pytestmark = pytest.mark.django_db

PEOPLE = 1_200


def test_a_day_of_more_than_a_thousand_people_exports_every_entry(zone, client_for):
    people = Person.objects.bulk_create(
        [
            Person(name=f"员工{i}", id_number=valid_id_number(born=f"1980{1 + i // 1000:02d}01", seq=i))
            for i in range(PEOPLE)
        ],
        batch_size=500,
    )
    morning = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                client_id=uuid.uuid4(),
                site=zone.site_a,
                organisation=zone.enterprise_a,
                person=person,
                masked_id_number=person.masked_id_number,
                direction="in",
                decision="allow",
                status="green",
                checked_at=morning + timedelta(seconds=i),
                received_at=morning + timedelta(seconds=i),
            )
            for i, person in enumerate(people)
        ],
        batch_size=500,
    )
    response = client_for("commander").get(f"/gates/log/?day={morning.date().isoformat()}&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[2:]
    assert len(rows) == PEOPLE
    assert {row[4] for row in rows} == {p.masked_id_number for p in people}
    assert {row[2] for row in rows} == {zone.site_a.name}
