"""Routing rules over the shared zone: raw materials to department A (经发局), raw materials from
construction enterprises to department B (建设局), permits to department B; an enterprise of the
construction sector with its admin."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches no request)
from zoneguard.registry.models import Organisation, OrganisationKind
from zoneguard.testing import make_user
from zoneguard.tickets import services
from zoneguard.tickets.models import RoutingRule, Ticket


@dataclass
class Tickets:
    builder: Organisation


@pytest.fixture
def tickets(zone: Any) -> Tickets:
    RoutingRule.objects.create(category="raw_materials", department=zone.department_a)
    RoutingRule.objects.create(category="raw_materials", sector=zone.sector_construction, department=zone.department_b)
    RoutingRule.objects.create(category="permits", department=zone.department_b)
    builder = Organisation.objects.create(
        name="建工戊", kind=OrganisationKind.ENTERPRISE, sector=zone.sector_construction, total_staff=4
    )
    zone.users["admin_c"] = make_user("admin_c", Role.ORGANISATION_ADMIN, organisation=builder)
    return Tickets(builder=builder)


def file(zone: Any, username: str = "admin_a", **fields: Any) -> Ticket:
    data = {
        "category": "raw_materials",
        "urgency": "critical",
        "title": "原材料购入难",
        "description": "熔喷布供应商停产，库存只够三天。",
        **fields,
    }
    return services.ticket_file(actor=zone.users[username], **data)


def pdf(name: str = "清单.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
