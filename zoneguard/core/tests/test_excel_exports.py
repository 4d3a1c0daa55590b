"""Every Excel export writes user text as text: a name that starts like a formula is downloaded, through
the real page, as a text cell holding exactly that name (OWASP, CSV and formula injection).

A new export is one more row in EXPORTS; the last test fails while a page that sends a workbook is
missing from the table."""

from __future__ import annotations

import inspect
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.accounts.services import token_create
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import CompetenceRule, Department, Membership, Organisation, Person, Site
from zoneguard.resumption.models import FilingReviewRule
from zoneguard.testing import Zone, response_bytes

# One payload per character that starts a formula; each is a name an enterprise could give itself.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/","详情")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]


def _rename_enterprise(zone: Zone, text: str) -> None:
    Organisation.objects.filter(pk=zone.enterprise_a.pk).update(name=text)


def _rename_person(zone: Zone, text: str) -> None:
    # The registry's name (the commander's lists) and enterprise A's own record (its lists).
    Person.objects.filter(pk=zone.staff_a[0].pk).update(name=text)
    Membership.objects.filter(person=zone.staff_a[0]).update(name=text)


def _rename_site(zone: Zone, text: str) -> None:
    Site.objects.filter(pk=zone.site_a.pk).update(name=text)


def _audited_rename(zone: Zone, text: str) -> None:
    _rename_enterprise(zone, text)
    audit_record(actor=zone.admin_a, action=AuditAction.UPDATE, obj=Organisation.objects.get(pk=zone.enterprise_a.pk))


def _checkin(zone: Zone) -> None:
    _token, raw = token_create(actor=zone.gate_a, user=zone.gate_a, name="test")
    item = {
        "client_id": str(uuid.uuid4()),
        "site_id": zone.site_a.pk,
        "id_number": zone.staff_a[0].id_number,
        "temperature": 36.5,
        "checked_at": timezone.now().isoformat(),
        "direction": "in",
    }
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        "/api/v1/checkins", item, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def _shift_together(zone: Zone) -> None:
    """Two of enterprise A's staff on the same shift: each is the other's contact."""
    start = timezone.now() - timedelta(days=1)
    for person in zone.staff_a[:2]:
        for direction, at in (("in", start), ("out", start + timedelta(hours=8))):
            CheckIn.objects.create(
                client_id=uuid.uuid4(),
                site=zone.site_a,
                organisation=zone.enterprise_a,
                person=person,
                direction=direction,
                temperature="36.5" if direction == "in" else None,
                decision="allow",
                checked_at=at,
                received_at=at,
            )


def _resumed(zone: Zone) -> None:
    from zoneguard.resumption import services
    from zoneguard.resumption.tests.conftest import filing_data

    for rule in CompetenceRule.objects.filter(department=zone.department_a):
        FilingReviewRule.objects.create(competence_rule=rule)
    filing = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    services.filing_decide(actor=zone.commander, filing=filing, approve=True)


def _enterprise_request(zone: Zone) -> None:
    from zoneguard.tickets import services

    services.ticket_file(
        actor=zone.admin_a, category="raw_materials", urgency="normal", title="原材料购入难", description="熔喷布断供"
    )


def _investment_project(zone: Zone) -> None:
    from decimal import Decimal

    from zoneguard.dispatch import services

    services.project_create(
        actor=zone.commander,
        data={
            "name": "标准厂房",
            "owner": zone.enterprise_a,
            "department": zone.department_b,
            "total_investment": Decimal("100.00"),
            "plan_year": 2020,
            "year_planned_investment": Decimal("50.00"),
        },
    )


def _approved_deferral(zone: Zone) -> None:
    from zoneguard.tax import services
    from zoneguard.tax.tests.builders import build_tax, hardship_evidence

    tax = build_tax(zone)
    deferral = services.deferral_apply(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        months=3,
        reason="疫情冲击，资金周转困难",
        items=[("vat", "420000.00")],
        evidence=[hardship_evidence()],
    )
    services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)


def _supplies(zone: Zone) -> None:
    """A donation to enterprise A's store, issued in part: the depot's name is in both exports."""
    from zoneguard.supplies.tests.conftest import build_supplies

    supplies = build_supplies(zone)
    supplies.receive(supplies.store_a, supplies.kn95, 100)
    supplies.issue(supplies.store_a, supplies.kn95, 10)


def _rename_depot(zone: Zone, text: str) -> None:
    from zoneguard.supplies.models import Depot

    Depot.objects.filter(organisation=zone.enterprise_a).update(name=text)


def _key_items(zone: Zone) -> None:
    """Items of department A due in February 2020 under a scheme: the month's ranking holds it."""
    from datetime import date

    from zoneguard.supervision import services
    from zoneguard.supervision.models import AssessmentScheme

    task = services.task_create(
        actor=zone.commander,
        department=zone.department_a,
        year=2020,
        quarter=1,
        kind="project",
        title="开工",
        target="5",
    )
    services.item_create(
        actor=zone.commander,
        task=task,
        due_on=date(2020, 2, 20),
        title="对接",
        expected_result="开工报告",
        responsible=zone.officer_a,
    )
    AssessmentScheme.objects.create(name="考核办法", weights={"project": "1"})


def _rename_department(zone: Zone, text: str) -> None:
    Department.objects.filter(pk=zone.department_a.pk).update(name=text)


@dataclass(frozen=True)
class Export:
    url_name: str
    user: str
    plant: Callable[[Zone, str], None]  # puts the text into data the export shows
    setup: Callable[[Zone], None] | None = None  # makes the export show that data
    query: str | Callable[[Zone], str] = "?export=xlsx"
    kwargs: Callable[[Zone], dict[str, Any]] | None = None

    def url(self, zone: Zone) -> str:
        query = self.query(zone) if callable(self.query) else self.query
        return reverse(self.url_name, kwargs=self.kwargs(zone) if self.kwargs else None) + query


EXPORTS = [
    Export("audit:events", "commander", _audited_rename),
    Export("gates:log", "admin_a", _rename_site, setup=_checkin),
    Export("dispatch:table", "commander", _rename_enterprise, setup=_investment_project),
    Export("registry:organisations", "commander", _rename_enterprise),
    Export(
        "registry:organisation", "admin_a", _rename_person, kwargs=lambda zone: {"pk": zone.enterprise_a.pk}
    ),  # its members
    Export("registry:sites", "commander", _rename_site),
    Export("registry:people", "commander", _rename_person),
    Export("reports:export", "commander", _rename_enterprise, setup=_resumed, query=""),
    Export(
        "supervision:ranking",
        "commander",
        _rename_department,
        setup=_key_items,
        query="?month=2020-02&export=xlsx",
    ),
    Export("supplies:stock", "admin_a", _rename_depot, setup=_supplies),
    Export("supplies:ledger", "admin_a", _rename_depot, setup=_supplies),
    Export("tax:deferral-summary", "taxofficer", _rename_enterprise, setup=_approved_deferral),
    Export("tickets:figures", "commander", _rename_enterprise, setup=_enterprise_request),
    Export(
        "tracing:trace",
        "commander",
        _rename_person,
        setup=_shift_together,
        query=lambda zone: f"?person={zone.staff_a[1].pk}&export=xlsx",
    ),
]
# Workbooks that hold no user text.
WITHOUT_USER_TEXT = {
    "dispatch:import-template",
    "registry:staff-template",
    "isolation:import_template",
    "supplies:count_template",
    "accounts:invitation-import-template",
}


def _cells(content: bytes) -> Iterator[Any]:
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize("export", EXPORTS, ids=[e.url_name for e in EXPORTS])
def test_it_writes_user_text_that_looks_like_a_formula_as_that_text(zone, export):
    if export.setup:
        export.setup(zone)
    client = Client()
    client.force_login(zone.users[export.user])
    for text in PAYLOADS:
        export.plant(zone, text)
        response = client.get(export.url(zone))
        assert response.status_code == 200
        cells = list(_cells(response_bytes(response)))
        # lxml (openpyxl's writer when installed) keeps a carriage return as a character reference;
        # openpyxl's own writer leaves it bare, and XML reads a bare one as a line feed, as Excel does.
        expected = {text, text.replace("\r", "\n")}
        planted = [c for c in cells if c.value in expected]
        assert planted, f"{text!r} is not in the export"
        assert all(c.data_type == "s" for c in planted), f"{text!r} is not written as text"
        assert all(c.quotePrefix for c in planted), f"{text!r} would become a formula when edited"
        assert not [c.coordinate for c in cells if c.data_type == "f"], "an export holds a formula"


def _views(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_page_that_sends_a_workbook_is_in_the_table():
    sending = set()
    for name, callback in _views(get_resolver().url_patterns):
        view = inspect.unwrap(callback)
        if not inspect.isfunction(view) or not view.__module__.startswith("zoneguard."):
            continue
        source = inspect.getsource(view)
        if any(call in source for call in ("workbook_response(", "table_response(", "export_response(")):
            sending.add(name)
    assert "registry:people" in sending  # the walk finds them
    assert sending == {e.url_name for e in EXPORTS} | WITHOUT_USER_TEXT
