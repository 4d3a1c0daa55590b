"""Dates outside ZoneGuard's calendar (2000-01-01 to 2100-12-31, times in the years 2000 to 2100)
are refused wherever a user can send one, before they reach a selector or the database: far dates
overflowed Python's date arithmetic and time-zone conversions into server errors.

The API operations come from the OpenAPI document, so an operation added later is covered without
changes here; the pages come from PAGES below."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zoneguard.accounts.models import ApiToken
from zoneguard.api import api
from zoneguard.audit.models import AuditAction, AuditEvent
from zoneguard.core.dates import day_range_message, moment_range_message
from zoneguard.core.models import RateCounter
from zoneguard.dispatch import services as dispatch_services
from zoneguard.gates.models import CheckIn, Decision, Direction, FeverAlert
from zoneguard.registry.models import CompetenceRule, Membership
from zoneguard.resumption.models import FilingReviewRule
from zoneguard.resumption.services import filing_submit
from zoneguard.resumption.tests.conftest import filing_data
from zoneguard.supplies.models import Item, ItemCategory
from zoneguard.tax import services as tax_services
from zoneguard.tax.models import Policy, PolicyStatus
from zoneguard.tax.tests.builders import Tax, build_tax
from zoneguard.testing import valid_id_number

BAD_DAYS = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
# Naive times are Beijing time: far ones overflowed when made aware, as well as those with an offset.
BAD_TIMES = [f"{day}T12:00:00{offset}" for day in BAD_DAYS for offset in ("", "+08:00")]
BAD_MONTHS = [day[:7] for day in BAD_DAYS]
BAD_LOCAL_TIMES = [f"{day}T12:00" for day in BAD_DAYS]  # datetime-local inputs


# --- The API: every date and date-time the OpenAPI document declares ------------------------------


@dataclass(frozen=True)
class DateInput:
    method: str
    path: str
    where: str  # "query" or "body"
    name: list[str]  # the property's path; "*" for an item of a list
    format: str  # "date" or "date-time"

    @property
    def error_key(self) -> str:
        """The key of `errors` that names the field: list items by their index."""
        return ".".join("0" if part == "*" else part for part in self.name)

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}:{'.'.join(self.name)}"


def _date_properties(schema: dict[str, Any], components: dict[str, Any], name: list[str]) -> list[tuple]:
    """(property path, format) of every date or date-time inside `schema`."""
    if "$ref" in schema:
        return _date_properties(components[schema["$ref"].rsplit("/", 1)[1]], components, name)
    found = [(name, schema["format"])] if schema.get("format") in ("date", "date-time") else []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _date_properties(option, components, name)
    for prop, sub in schema.get("properties", {}).items():
        found += _date_properties(sub, components, [*name, prop])
    if "items" in schema:
        found += _date_properties(schema["items"], components, [*name, "*"])
    return found


def date_inputs(document: dict[str, Any]) -> list[DateInput]:
    components = document.get("components", {}).get("schemas", {})
    inputs = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for name, fmt in _date_properties(parameter["schema"], components, [parameter["name"]]):
                    inputs.append(DateInput(method.upper(), path, parameter["in"], name, fmt))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for name, fmt in _date_properties(content["schema"], components, []):
                    inputs.append(DateInput(method.upper(), path, "body", name, fmt))
    return inputs


# Read when the tests are collected, from the document /api/v1/openapi.json serves (checked below).
API_DATE_INPUTS = date_inputs(api.get_openapi_schema())


def test_the_dates_are_those_of_the_served_openapi_document(db, client):
    assert date_inputs(client.get("/api/v1/openapi.json").json()) == API_DATE_INPUTS


def test_the_openapi_document_declares_the_dates_the_issue_named():
    names = {str(i) for i in API_DATE_INPUTS}
    assert "GET /api/v1/resumption/rates query:day" in names
    assert "GET /api/v1/tax/deferrals/summary query:from" in names
    assert "POST /api/v1/checkins/batch body:items.*.checked_at" in names
    assert "POST /api/v1/declarations body:travel.*.from" in names


def _nest(name: list[str], value: Any) -> Any:
    """The smallest body that carries `value` at `name`; the other fields may be missing."""
    if not name:
        return value
    if name[0] == "*":
        return [_nest(name[1:], value)]
    return {name[0]: _nest(name[1:], value)}


def send(client: Client, date_input: DateInput, value: str) -> Any:
    path = re.sub(r"\{[^}]+\}", "1", date_input.path)  # any id: the input is checked first
    if date_input.where == "query":
        return client.generic(date_input.method, path, QUERY_STRING=urlencode({date_input.name[0]: value}))
    body = json.dumps(_nest(date_input.name, value))
    return client.generic(date_input.method, path, body, content_type="application/json")


def snapshot() -> dict[str, list[tuple]]:
    """Every row ZoneGuard keeps, but the bookkeeping of requests: tokens' last use, rate counters,
    sessions and the audit rows of exports (an export is recorded even when its filter was refused)."""
    rows = {}
    for model in apps.get_models():
        if model in (ApiToken, RateCounter) or model._meta.app_label in {"sessions", "axes", "admin", "contenttypes"}:
            continue
        queryset = model._default_manager.order_by("pk")
        if model is AuditEvent:
            queryset = queryset.exclude(action=AuditAction.EXPORT)
        rows[model._meta.label] = list(queryset.values_list())
    return rows


ANSWERED_PER_ITEM = {"/api/v1/checkins/batch"}


@pytest.mark.parametrize("date_input", API_DATE_INPUTS, ids=str)
def test_the_api_refuses_dates_out_of_range_with_a_422_naming_the_field(zone, api_for, date_input):
    client = api_for("commander")
    before = snapshot()
    values = BAD_DAYS if date_input.format == "date" else BAD_TIMES
    message = day_range_message() if date_input.format == "date" else moment_range_message()
    for value in values:
        response = send(client, date_input, value)
        if date_input.path in ANSWERED_PER_ITEM and date_input.name[:2] == ["items", "*"]:
            # An offline gate's upload: each item is answered in its place, the upload accepted.
            assert response.status_code == 200, (value, response.status_code, response.content[:500])
            body = response.json()["items"][0]["error"]
            error_key = ".".join(date_input.name[2:])
        else:
            assert response.status_code == 422, (value, response.status_code, response.content[:500])
            body, error_key = response.json(), date_input.error_key
        assert body["code"] == "invalid"
        assert message in body["errors"].get(error_key, []), (value, body)
    assert snapshot() == before


def test_the_api_says_so_in_english_when_asked(zone, api_for):
    response = api_for("commander", language="en").get("/api/v1/resumption/rates", {"day": "9999-12-31"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"day": ["Enter a date between 2000-01-01 and 2100-12-31."]}
    response = api_for("commander").get("/api/v1/resumption/rates", {"day": "9999-12-31"})
    assert response.json()["errors"]["day"] == ["请输入 2000-01-01 至 2100-12-31 之间的日期。"]


# --- Pages: every filter and form that takes a date -------------------------------------------------


@dataclass
class World:
    """The test zone with the tax bureau and a record of each kind the pages below edit."""

    tax: Tax
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> Any:
        return self.tax.zone


@dataclass
class PageCase:
    """A page that takes dates: `fields` are sent out of range, one at a time, the others with
    `good`, an acceptable value, which the control request sends for all of them.

    To cover a new page, add a PageCase below: GET for filters, POST for forms with `data`, the
    rest of an acceptable form; `url` may name the zone and the World's objects ("{filing.pk}");
    `kind="month"` for month inputs (YYYY-MM), `kind="datetime"` for date and time inputs;
    `form_error=False` only for pages that fall back to
    a default day without a form to show the error on (the booking page, exports)."""

    name: str
    user: str | None  # None: anonymous
    method: str
    url: str
    fields: list[str]
    good: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    form_error: bool = True
    kind: str = "date"


def _today(world: World) -> str:
    return timezone.localdate().isoformat()


def _later(days: int) -> Callable[[World], str]:
    return lambda world: (timezone.localdate() + timedelta(days=days)).isoformat()


def _minutes_ago(minutes: int) -> Callable[[World], str]:
    return lambda world: f"{timezone.localtime() - timedelta(minutes=minutes):%Y-%m-%dT%H:%M}"


def _month(world: World) -> str:
    return f"{tax_services.default_period(timezone.localdate()):%Y-%m}"


def _filing(world: World) -> dict[str, Any]:
    data = {k: v for k, v in filing_data().items() if v is not False}
    return {**data, "organisation": world.zone.enterprise_a.pk}


def _policy(world: World) -> dict[str, Any]:
    return {
        "title": "困难企业延期缴纳",
        "category": world.tax.category.pk,
        "issuer": "国家税务总局湖南省税务局",
        "valid_from": "2020-02-10",
        "text": "全文",
    }


def _deferral(world: World) -> dict[str, Any]:
    return {
        "organisation": world.zone.enterprise_a.pk,
        "months": "3",
        "reason": "资金困难",
        "amount_vat": "420000.00",
        "evidence": SimpleUploadedFile("对账单.pdf", b"%PDF-1.4", "application/pdf"),
    }


def _declaration(world: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": "李明",
        "id_number": valid_id_number(area="110101", seq=601),
        "phone": "13912345678",
        "contact_with_case": "no",
        "travel_0_place": "武汉市",
        "travel_0_from": (today - timedelta(days=5)).isoformat(),
        "travel_0_to": (today - timedelta(days=2)).isoformat(),
    }


def _payment(world: World) -> dict[str, Any]:
    contract = world.objects["dispatch_contract"]
    return {"contract": contract.pk, "amount": "1.00", "funding_source": "fiscal"}


def _lead(world: World) -> dict[str, Any]:
    return {"company_name": "湘南5G产业园", "sector": "5g", "estimated_investment": "100", "stage": "contact"}


def _supplies_request(world: World) -> dict[str, Any]:
    item = world.objects["supplies_item"]
    return {"organisation": world.zone.enterprise_a.pk, "reason": "复工", "item_0": item.pk, "quantity_0": "100"}


FROM_TO = ["date_from", "date_to"]

PAGES = [
    # Filters (GET): the refused date is shown on the filter form, the page answers.
    PageCase("audit log", "commander", "GET", "/audit/", FROM_TO, _today),
    PageCase("audit export", "commander", "GET", "/audit/?export=xlsx", FROM_TO, _today, form_error=False),
    PageCase("entry log", "commander", "GET", "/gates/log/", ["day"], _today),
    PageCase("entry log export", "commander", "GET", "/gates/log/?export=xlsx", ["day"], _today, form_error=False),
    PageCase("declarations", "commander", "GET", "/health/declarations/", ["day"], _today),
    PageCase("daily reports", "commander", "GET", "/reports/", ["day"], _today),
    PageCase("daily reports export", "commander", "GET", "/reports/export/", ["day"], _today, form_error=False),
    PageCase("resumption rates", "commander", "GET", "/resumption/rates/", ["day"], _today),
    PageCase("hall day view", "taxofficer", "GET", "/tax/appointments/", ["date"], _today),
    PageCase("own bookings", "admin_a", "GET", "/tax/appointments/", ["date"], _today),
    PageCase("booking", "admin_a", "GET", "/tax/appointments/book/", ["date"], _later(1), form_error=False),
    PageCase(
        "rebooking", "admin_a", "GET", "/tax/appointments/{appointment.pk}/reschedule/", ["date"], _later(1),
        form_error=False,
    ),
    PageCase("deferral summary", "taxofficer", "GET", "/tax/deferrals/summary/", FROM_TO, _today),
    PageCase("request figures", "commander", "GET", "/tickets/figures/", ["start", "end"], _today),
    PageCase(
        "request figures export", "commander", "GET", "/tickets/figures/?export=xlsx", ["start", "end"], _today,
        form_error=False,
    ),
    PageCase(
        "deferral summary export", "taxofficer", "GET", "/tax/deferrals/summary/?export=xlsx", FROM_TO, _today,
        form_error=False,
    ),
    # Forms (POST): the form comes back with the error beside the field, and nothing is saved.
    PageCase(
        "declaration", None, "POST", "/health/d/{zone.site_a.code}/", ["travel_0_from", "travel_0_to"], _later(-3),
        _declaration,
    ),
    PageCase("new filing", "admin_a", "POST", "/resumption/filings/new/", ["planned_date"], _later(3), _filing),
    PageCase(
        "filing amendment", "admin_b", "POST", "/resumption/filings/{filing.pk}/edit/", ["planned_date"], _later(3),
        _filing,
    ),
    PageCase(
        "membership", "admin_a", "POST", "/registry/memberships/{membership.pk}/edit/", ["started_on", "ended_on"],
        _today, lambda w: {"position": "员工", "is_active": "on"},
    ),
    PageCase("new policy", "taxofficer", "POST", "/tax/policies/new/", ["valid_from", "valid_until"], _today, _policy),
    PageCase(
        "policy", "taxofficer", "POST", "/tax/policies/{policy.pk}/edit/", ["valid_from", "valid_until"], _today,
        _policy,
    ),
    PageCase(
        "hall closure", "taxofficer", "POST", "/tax/hall/closures/", ["date"], _later(5), lambda w: {"reason": "消毒"}
    ),
    PageCase(
        "slot generation", "taxofficer", "POST", "/tax/hall/generate/", FROM_TO, _later(6), lambda w: {"minutes": "60"}
    ),
    PageCase(
        "deferral application", "admin_a", "POST", "/tax/deferrals/new/", ["period"], _month, _deferral, kind="month"
    ),
    PageCase(
        "supplies request", "admin_a", "POST", "/supplies/requests/new/", ["needed_by"], _later(2), _supplies_request
    ),
    PageCase("dispatch table", "commander", "GET", "/dispatch/table/", ["month"], _month, kind="month"),
    PageCase(
        "project progress", "commander", "POST", "/dispatch/{dispatch_project.pk}/progress/", ["month"], _month,
        lambda w: {"invested": "1.00", "workers_on_site": "3"}, kind="month",
    ),
    PageCase(
        "project payment", "commander", "POST", "/dispatch/{dispatch_project.pk}/disbursements/", ["paid_on"], _today,
        _payment,
    ),
    PageCase("new lead", "commander", "POST", "/dispatch/leads/new/", ["on", "next_step_on"], _today, _lead),
    PageCase(
        "fever re-test", "gate_a", "POST", "/gates/alerts/{alert.pk}/retest/", ["measured_at"], _minutes_ago(10),
        lambda w: {"temperature": "36.6", "method": "axillary"}, kind="datetime",
    ),
    PageCase("monthly scores", "commander", "GET", "/supervision/scores/", ["month"], _month, kind="month"),
    PageCase(
        "dispatch meeting", "commander", "POST", "/supervision/meetings/", ["held_at"], _minutes_ago(60),
        lambda w: {"title": "经济运行调度会", "place": "管委会三楼会议室"}, kind="datetime",
    ),
]  # fmt: skip


@pytest.fixture
def world(zone: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    tax = build_tax(zone)
    for rule in CompetenceRule.objects.filter(department__in=[zone.department_a, zone.department_b]):
        FilingReviewRule.objects.create(competence_rule=rule)
    world = World(tax=tax)
    world.objects["filing"] = filing_submit(actor=zone.admin_b, organisation=zone.enterprise_b, data=filing_data())
    world.objects["membership"] = Membership.objects.filter(organisation=zone.enterprise_a).first()
    world.objects["supplies_item"] = Item.objects.create(name="KN95口罩", category=ItemCategory.MASK_N95, unit="只")
    world.objects["policy"] = Policy.objects.create(
        title="延期缴纳",
        category=tax.category,
        issuer="税务局",
        valid_from=date(2020, 2, 10),
        text="全文",
        status=PolicyStatus.DRAFT,
        created_by=zone.users["taxofficer"],
    )
    fever = timezone.now() - timedelta(hours=1)
    checkin = CheckIn.objects.create(
        client_id=uuid4(), site=zone.site_a, organisation=zone.enterprise_a, person=zone.staff_a[0],
        direction=Direction.IN, temperature=Decimal("38.2"), decision=Decision.DENY, checked_at=fever,
        received_at=fever,
    )  # fmt: skip
    world.objects["alert"] = FeverAlert.objects.create(
        checkin=checkin, site=zone.site_a, organisation=zone.enterprise_a, person=zone.staff_a[0],
        temperature=Decimal("38.2"), checked_at=fever,
    )  # fmt: skip
    world.objects["dispatch_project"] = dispatch_services.project_create(
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
    # Started, so that it reports its months (a planned project reports none).
    dispatch_services.project_change_status(
        actor=zone.commander,
        project=world.objects["dispatch_project"],
        status="under_construction",
        on=date(2020, 1, 1),
    )
    world.objects["dispatch_contract"] = dispatch_services.contract_add(
        actor=zone.commander,
        project=world.objects["dispatch_project"],
        data={"contractor": "湖南建工", "number": "GT-1", "amount": Decimal("100.00")},
    )
    world.objects["appointment"] = tax_services.appointment_book(
        actor=zone.admin_a, slot=tax.slot(days=2), organisation=zone.enterprise_a, purpose="other"
    )
    return world


def form_errors(response: Any) -> dict[str, list[str]]:
    """The errors of every bound form the page was rendered with."""
    bound = {
        id(value): value
        for context in response.context or []
        for value in context.flatten().values()
        if isinstance(value, forms.BaseForm) and value.is_bound
    }
    errors: dict[str, list[str]] = {}
    for form in bound.values():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def request(client: Client, world: World, case: PageCase, values: dict[str, str]) -> Any:
    url = case.url.format(zone=world.zone, **world.objects)
    if case.method == "GET":
        return client.get(url, values)
    return client.post(url, {**case.data(world), **values})


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_pages_refuse_dates_out_of_range_without_a_server_error(world, case):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if case.user is not None:
        client.force_login(world.zone.users[case.user])  # before the snapshot: signing in is recorded
    bad_values = {"month": BAD_MONTHS, "datetime": BAD_LOCAL_TIMES}.get(case.kind, BAD_DAYS)
    message = moment_range_message() if case.kind == "datetime" else day_range_message()
    good = case.good(world)
    before = snapshot()
    for name in case.fields:
        for value in bad_values:
            values = {other: good for other in case.fields if other != name} | {name: value}
            response = request(client, world, case, values)
            assert response.status_code in (200, 422), (name, value, response.status_code)
            if case.form_error:
                assert message in form_errors(response).get(name, []), (name, value, form_errors(response))
                assert message in response.content.decode()  # shown, not only kept
    assert snapshot() == before
    # The control: the same request with acceptable dates is taken.
    response = request(client, world, case, dict.fromkeys(case.fields, good))
    assert response.status_code in (200, 302), response.status_code
    assert not form_errors(response), form_errors(response)


def test_a_page_says_so_in_english_when_asked(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.zone.commander)
    response = client.get("/resumption/rates/", {"day": "0001-01-01"})
    assert form_errors(response) == {"day": ["Enter a date between 2000-01-01 and 2100-12-31."]}
    assert "Enter a date between 2000-01-01 and 2100-12-31." in response.content.decode()
