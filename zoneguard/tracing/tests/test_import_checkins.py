import io
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from zoneguard.audit.models import AuditAction, AuditEvent
from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import Person
from zoneguard.testing import valid_id_number
from zoneguard.tracing.imports import (
    CLIENT_ID_NAMESPACE,
    CheckinImportRefused,
    checkins_import,
    client_id_int,
    utc_text,
)
from zoneguard.tracing.models import Presence

HEADER = "site_id,id_number,name,direction,checked_at,temperature\n"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gate_log.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run(path: Path) -> str:
    out = io.StringIO()
    call_command("import_checkins", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_entries_and_makes_presences_of_admitted_entries(zone, tmp_path):
    person = zone.staff_a[0]
    other = zone.staff_b[0]
    path = write(
        tmp_path,
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T08:01:00+08:00,36.5",
        f"{zone.site_a.pk},{person.id_number},{person.name},out,2020-02-10T17:30:00+08:00,",
        f"{zone.site_b.pk},{other.id_number},{other.name},in,2020-02-10T09:00:00+08:00,36.8",
    )

    output = run(path)

    assert "rows read 3, entries added 3, repeats skipped 0, people created 0" in output
    entries = {e.direction + str(e.person_id): e for e in CheckIn.objects.all()}
    entry = entries[f"in{person.pk}"]
    assert entry.site_id == zone.site_a.pk
    assert entry.organisation_id == zone.enterprise_a.pk
    assert entry.decision == "allow" and entry.reasons == [] and entry.status == "" and entry.face == ""
    assert entry.temperature == Decimal("36.5")
    assert entry.masked_id_number == person.masked_id_number
    assert entry.checked_at.isoformat() == "2020-02-10T00:01:00+00:00"
    assert entry.token_id is None and entry.recorded_by_id is None
    assert entries[f"out{person.pk}"].temperature is None
    presences = {p.checkin_id: p for p in Presence.objects.all()}
    assert set(presences) == {entry.pk, entries[f"in{other.pk}"].pk}
    stay = presences[entry.pk]
    assert (stay.person_id, stay.site_id, stay.end - stay.start, stay.ended_by) == (
        person.pk,
        zone.site_a.pk,
        (9 * 60 + 29) * 60,
        "out",
    )
    audit = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (audit.actor_id, audit.actor_name, audit.object_type) == (None, "import_checkins", "gates.checkin")
    assert audit.detail == {"file": "gate_log.csv", "rows": 3, "added": 3, "repeats": 0, "people_created": 0}


def test_it_registers_the_people_the_registry_does_not_know_under_the_files_names(zone, tmp_path):
    new = valid_id_number(born="19850315")
    path = write(
        tmp_path,
        f"{zone.site_a.pk},{new},王新,in,2020-02-10T08:00:00+08:00,36.4",
        f"{zone.site_a.pk},{new},,out,2020-02-10T12:00:00+08:00,",
        f"{zone.site_a.pk},{zone.staff_a[1].id_number},另一个名字,in,2020-02-10T08:05:00+08:00,36.6",
    )

    output = run(path)

    assert "people created 1" in output
    person = Person.objects.get(id_number=new)
    assert person.name == "王新"
    assert str(person.birth_date) == "1985-03-15"
    assert person.registered_by is None
    assert CheckIn.objects.filter(person=person).count() == 2
    # Someone registered already keeps the registry's name.
    zone.staff_a[1].refresh_from_db()
    assert zone.staff_a[1].name == "甲员工1"


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(zone, tmp_path):
    person = zone.staff_a[0]
    good = f"{zone.site_a.pk},{person.id_number},{person.name}"
    zone.site_b.is_active = False
    zone.site_b.save()
    wrong_check_digit = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    nameless = valid_id_number(born="19700101")
    path = write(
        tmp_path,
        f"{good},in,2020-02-10T08:00:00+08:00,36.5",  # line 2: good
        f"{zone.site_a.pk},{wrong_check_digit},{person.name},in,2020-02-10T08:00:00+08:00,36.5",  # 3
        f"999999,{person.id_number},{person.name},in,2020-02-10T08:00:00+08:00,36.5",  # 4: unknown site
        f"{zone.site_b.pk},{person.id_number},{person.name},in,2020-02-10T08:00:00+08:00,36.5",  # 5: inactive
        f"{good},in,2020-02-10T08:00:00+08:00,45.0",  # 6: implausible temperature
        f"{good},in,2020-02-10T08:00:00,36.5",  # 7: no offset
        f"{good},in,10 Feb 2020 08:00,36.5",  # 8: not ISO 8601
        f"{good},in,1999-12-31T08:00:00+08:00,36.5",  # 9: before the calendar
        f"{good},sideways,2020-02-10T08:00:00+08:00,36.5",  # 10: direction
        f"{good},in,2020-02-10T08:00:00+08:00,",  # 11: in without temperature
        f"{good},in,2020-02-10T08:00:00+08:00",  # 12: a column short
        f"{good},out,2020-02-10T09:00:00+08:00,",  # 13: good
        f"{zone.site_a.pk},{nameless},,in,2020-02-10T08:00:00+08:00,36.5",  # 14: no name
        f"999999,{wrong_check_digit},{person.name},in,2020-02-10T08:00:00,",  # 15: four reasons
    )

    with pytest.raises(CheckinImportRefused) as refused, translation.override("en"):
        checkins_import(path)

    assert refused.value.total == 12
    assert [row.line for row in refused.value.rows] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15]
    reasons = {row.line: " ".join(row.reasons) for row in refused.value.rows}
    assert "ID number" in reasons[3]
    assert "999999" in reasons[4] and str(zone.site_b.pk) in reasons[5]
    assert "45.0" in reasons[6]
    assert "offset" in reasons[7] and "ISO 8601" in reasons[8] and "2000" in reasons[9]
    assert "sideways" in reasons[10] and "temperature" in reasons[11] and "columns" in reasons[12]
    assert "no name" in reasons[14]
    assert len(refused.value.rows[-1].reasons) == 4
    assert not CheckIn.objects.exists()
    assert not Person.objects.filter(id_number=nameless).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_the_command_prints_the_bad_rows_and_fails(zone, tmp_path):
    person = zone.staff_a[0]
    path = write(
        tmp_path,
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T08:00:00,36.5",
        f"{zone.site_a.pk},{person.id_number},{person.name},up,2020-02-10T08:00:00+08:00,36.5",
    )
    errors = io.StringIO()

    with pytest.raises(CommandError, match="2 rows"), translation.override("en"):
        call_command("import_checkins", str(path), "--show-errors", "1", stdout=io.StringIO(), stderr=errors)

    lines = errors.getvalue().splitlines()
    assert lines[0].startswith("line 2:") and lines[1:] == ["..."]
    assert not CheckIn.objects.exists()


def test_a_file_without_the_header_is_refused(zone, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(f"{zone.site_a.pk},{zone.staff_a[0].id_number},x,in,2020-02-10T08:00:00+08:00,36.5\n")

    with pytest.raises(CheckinImportRefused) as refused:
        checkins_import(path)

    assert refused.value.rows[0].line == 1


def test_importing_the_same_file_again_adds_nothing(zone, tmp_path):
    person = zone.staff_a[0]
    path = write(
        tmp_path,
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T08:00:00+08:00,36.5",
        f"{zone.site_a.pk},{person.id_number},{person.name},out,2020-02-10T17:00:00+08:00,",
        # The same passage written in another offset is the same instant: a repeat.
        f"{zone.site_a.pk},{person.id_number},{person.name},out,2020-02-10T09:00:00Z,",
    )
    first = checkins_import(path)
    presences = list(Presence.objects.values_list("checkin_id", "start", "end"))

    second = checkins_import(path)

    assert (first.rows, first.added, first.repeats) == (3, 2, 1)
    assert (second.rows, second.added, second.repeats) == (3, 0, 3)
    assert CheckIn.objects.count() == 2
    assert list(Presence.objects.values_list("checkin_id", "start", "end")) == presences
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 2


def test_a_fever_is_refused_and_makes_no_presence(zone, tmp_path):
    person = zone.staff_a[0]
    path = write(
        tmp_path,
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T08:00:00+08:00,38.1",
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T08:30:00+08:00,37.25",
        f"{zone.site_a.pk},{person.id_number},{person.name},in,2020-02-10T09:00:00+08:00,37.2",
    )

    checkins_import(path)

    entries = list(CheckIn.objects.order_by("checked_at"))
    assert [(e.decision, e.reasons) for e in entries] == [
        ("deny", [{"code": "fever", "temperature": "38.1"}]),
        ("deny", [{"code": "fever", "temperature": "37.3"}]),  # read half up, as at the gates
        ("allow", []),
    ]
    assert list(Presence.objects.values_list("checkin_id", flat=True)) == [entries[2].pk]


def test_a_header_alone_is_refused(zone, tmp_path):
    with pytest.raises(CheckinImportRefused):
        checkins_import(write(tmp_path))


def test_id_numbers_are_read_as_people_type_them(zone, tmp_path):
    typed = valid_id_number(born="19880808", seq=12)
    assert typed.endswith("X")
    path = write(
        tmp_path,
        # A lower-case x and spaces, as in the other system: the canonical number is registered.
        f"{zone.site_a.pk}, {typed[:6]} {typed[6:-1]}{typed[-1].lower()} ,新人,in,2020-02-10T08:00:00+08:00,36.5",
    )

    checkins_import(path)

    assert Person.objects.filter(id_number=typed).exists()


def test_the_client_id_is_the_uuid5_of_the_passage():
    at = datetime(2020, 2, 10, 8, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    instant = utc_text(at)

    assert instant == "2020-02-10 00:01:00"
    assert uuid.UUID(int=client_id_int(7, "430408199001010011", "in", instant)) == uuid.uuid5(
        CLIENT_ID_NAMESPACE, f"7|430408199001010011|in|{instant}"
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the text SQLite stores")
def test_times_are_written_as_the_sqlite_backend_writes_them():
    for at in (
        datetime(2020, 2, 10, 8, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2020, 2, 10, 8, 1, 2, 345678, tzinfo=ZoneInfo("Asia/Shanghai")),
    ):
        assert utc_text(at) == connection.ops.adapt_datetimefield_value(at)
