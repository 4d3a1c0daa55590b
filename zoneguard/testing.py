"""Builders for tests: a small known zone with one user per role (see conftest.py)."""

from __future__ import annotations

import contextlib
import io
import itertools
import sqlite3
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import django_otp
from django.db import connection, connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.accounts.models import User
from zoneguard.accounts.second_factor import requires_second_factor
from zoneguard.core.roles import Role
from zoneguard.registry.models import (
    CompetenceRule,
    Department,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Sector,
    Site,
    SiteKind,
)
from zoneguard.registry.validators import credit_code_check_char, id_number_check_char

_sequence = itertools.count(1)


def valid_id_number(*, area: str = "430408", born: str | None = None, seq: int | None = None) -> str:
    """A valid ID number; born on 1 January 1990 with sequence `seq` when given. Numbers drawn
    without `seq` are born on other days (one day per thousand drawn), so that a test's fixed
    number never meets one that a fixture drew, however many a worker has drawn before."""
    if seq is None:
        drawn = next(_sequence)
        born = born or (date(1975, 1, 1) + timedelta(days=drawn // 1000)).strftime("%Y%m%d")
        seq = drawn
    first17 = f"{area}{born or '19900101'}{seq % 1000:03d}"
    return first17 + id_number_check_char(first17)


def valid_credit_code(seq: int | None = None) -> str:
    first17 = f"9143040{(seq if seq is not None else next(_sequence)) % 10**10:010d}"
    return first17 + credit_code_check_char(first17)


def make_person(
    *, name: str = "测试", phone: str = "", organisation: Organisation | None = None, **kwargs: Any
) -> Person:
    person = Person.objects.create(
        name=name,
        id_number=kwargs.pop("id_number", None) or valid_id_number(),
        phone=phone,
        registered_by=organisation,
    )
    if organisation is not None:
        Membership.objects.create(person=person, organisation=organisation, name=name, phone=phone, **kwargs)
    return person


# The authenticator key of every test user who needs a second factor (hex, as django-otp stores it).
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def second_factor_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made with the test key when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", key=TEST_TOTP_KEY, confirmed=True)
    return device


def second_factor_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now. The device forgets which codes were used, so
    that a test may sign in twice within one 30-second step (django-otp refuses a code used before)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def pass_second_factor_on_force_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Client.force_login() as a sign-in that passed the second factor: its request is a bare
    HttpRequest with no path (a sign-in through the login page has one, and passes the factor on
    its page)."""
    if not getattr(request, "path", "") and requires_second_factor(user):
        request.user = user
        django_otp.login(request, second_factor_device(user))


def make_user(username: str, role: str, **kwargs: Any) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, role=role, **kwargs)
    return user


@dataclass
class Zone:
    """A small zone whose numbers are known by hand.

    Department A (经发) is competent for enterprises; department B (建设) for building projects.
    Enterprise A and B are in community X; the building project belongs to enterprise A's group."""

    department_a: Department
    department_b: Department
    sector_manufacturing: Sector
    sector_construction: Sector
    community: Organisation
    enterprise_a: Organisation
    enterprise_b: Organisation
    project: Organisation
    market: Organisation
    site_a: Site
    site_b: Site
    market_site: Site
    users: dict[str, User] = field(default_factory=dict)
    staff_a: list[Person] = field(default_factory=list)
    staff_b: list[Person] = field(default_factory=list)

    def __getattr__(self, name: str) -> User:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_zone() -> Zone:
    department_a = Department.objects.create(code="dept-a", name="经发局")
    department_b = Department.objects.create(code="dept-b", name="建设局")
    manufacturing = Sector.objects.create(code="manufacturing", name="制造业")
    construction = Sector.objects.create(code="construction", name="建筑业")
    CompetenceRule.objects.create(department=department_a, organisation_kind=OrganisationKind.ENTERPRISE)
    CompetenceRule.objects.create(department=department_a, organisation_kind=OrganisationKind.MARKET)
    CompetenceRule.objects.create(department=department_b, organisation_kind=OrganisationKind.BUILDING_PROJECT)
    community = Organisation.objects.create(name="祥光社区", kind=OrganisationKind.COMMUNITY)
    enterprise_a = Organisation.objects.create(
        name="企业甲",
        kind=OrganisationKind.ENTERPRISE,
        sector=manufacturing,
        credit_code=valid_credit_code(1),
        total_staff=10,
        community=community,
        contact_phone="13800138000",
    )
    enterprise_b = Organisation.objects.create(
        name="企业乙",
        kind=OrganisationKind.ENTERPRISE,
        sector=manufacturing,
        credit_code=valid_credit_code(2),
        total_staff=5,
        community=community,
    )
    project = Organisation.objects.create(
        name="项目丙",
        kind=OrganisationKind.BUILDING_PROJECT,
        sector=construction,
        parent=enterprise_a,
        total_staff=8,
    )
    market = Organisation.objects.create(
        name="市场丁", kind=OrganisationKind.MARKET, total_staff=3, community=community
    )
    zone = Zone(
        department_a=department_a,
        department_b=department_b,
        sector_manufacturing=manufacturing,
        sector_construction=construction,
        community=community,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        project=project,
        market=market,
        site_a=Site.objects.create(organisation=enterprise_a, name="大门", kind=SiteKind.GATE),
        site_b=Site.objects.create(organisation=enterprise_b, name="大门", kind=SiteKind.GATE),
        market_site=Site.objects.create(
            organisation=market, name="入口", kind=SiteKind.MARKET_ENTRANCE, default_dwell_minutes=60
        ),
    )
    zone.users = {
        "commander": make_user("commander", Role.COMMANDER, is_duty_officer=True),
        "officer_a": make_user("officer_a", Role.DEPARTMENT_OFFICER, department=department_a),
        "officer_b": make_user("officer_b", Role.DEPARTMENT_OFFICER, department=department_b),
        "admin_a": make_user("admin_a", Role.ORGANISATION_ADMIN, organisation=enterprise_a),
        "admin_b": make_user("admin_b", Role.ORGANISATION_ADMIN, organisation=enterprise_b),
        "gate_a": make_user("gate_a", Role.GATE_OFFICER, organisation=enterprise_a),
        "community_worker": make_user("community_worker", Role.COMMUNITY_WORKER, organisation=community),
        "volunteer": make_user("volunteer", Role.VOLUNTEER),
    }
    zone.staff_a = [make_person(name=f"甲员工{i}", phone=f"1380000000{i}", organisation=enterprise_a) for i in range(3)]
    zone.staff_b = [make_person(name=f"乙员工{i}", phone=f"1390000000{i}", organisation=enterprise_b) for i in range(2)]
    return zone


_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = b"http://schemas.openxmlformats.org/package/2006/relationships"
_XLSX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>",
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PACKAGE + b'">'
    b'<Relationship Id="rId1" Target="xl/workbook.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    b"</Relationships>",
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="'
    + _MAIN
    + b'" xmlns:r="'
    + _OFFICE
    + b'"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PACKAGE + b'">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    b"</Relationships>",
}


def xlsx_row(*values: str | int) -> bytes:
    """One <row> of a sheet's XML: text as inline strings, numbers as numbers."""
    cells = [
        f"<c><v>{v}</v></c>" if isinstance(v, int) else f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for v in values
    ]
    return ("<row>" + "".join(cells) + "</row>").encode()


def raw_xlsx(
    rows: Iterable[bytes] = (), *, dimension: str | None = None, parts: Mapping[str, bytes | None] | None = None
) -> bytes:
    """A minimal .xlsx written part by part, for files openpyxl would not write: one sheet holding
    `rows` (<row> elements, streamed into the zip, so a million of them cost little), an optional
    dimension, and `parts` added to or replacing (None: removing) the package's parts."""
    files: dict[str, bytes | None] = {**_XLSX_PARTS, **(parts or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            if content is not None:
                archive.writestr(name, content)
        if "xl/worksheets/sheet1.xml" not in files:
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + _MAIN + b'">')
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                iterator = iter(rows)
                while batch := list(itertools.islice(iterator, 10_000)):
                    sheet.write(b"".join(batch))
                sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def data_queries(captured: Any) -> list[str]:
    """The SQL a request ran for its page (a CaptureQueriesContext's), without the reads of its
    session and signed-in user, which caches make come and go between requests."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"django_session"' not in q["sql"] and '"accounts_user"' not in q["sql"]
    ]


# --- Concurrency ------------------------------------------------------------------------------


@contextlib.contextmanager
def database_shared_by_threads(tmp_path: Path) -> Iterator[None]:
    """The test database as production runs it, shared by threads (inside a test marked
    `django_db(transaction=True)`).

    PostgreSQL is used as it is. SQLite's test database lives in memory with a shared cache, whose
    table locks fail at once instead of waiting; production runs SQLite on a file in WAL mode with
    BEGIN IMMEDIATE and a busy timeout. So on SQLite the test's data is copied to a file and every
    thread connects to that file, with the project's connection options."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    # In WAL mode already, as a production file is after its first connection: otherwise the
    # threads' first connections switch it at the same moment, and a rollback-journal file's lock
    # escalation can fail at once ("database is locked") instead of waiting.
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    memory_name, memory_connection = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory_connection


def at_once(*works: Callable[[], Any]) -> list[Any]:
    """Run each work in its own thread, released at the same moment; their results or exceptions."""
    barrier = threading.Barrier(len(works))
    results: list[Any] = [None] * len(works)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = works[i]()
        except Exception as error:  # collected and asserted on by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def response_bytes(response: Any) -> bytes:
    """The body of a response, streamed (a file download) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)
