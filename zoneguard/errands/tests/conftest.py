"""A community with a resident in home isolation, two volunteers of it with accounts, and a
volunteer of another community."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches no errand)
from zoneguard.isolation import services as isolation
from zoneguard.isolation.models import IsolationCase
from zoneguard.registry.models import Organisation, OrganisationKind
from zoneguard.testing import database_shared_by_threads, make_person, make_user
from zoneguard.volunteers.models import Volunteer, VolunteerStatus


@dataclass
class Errands:
    case: IsolationCase
    first: Volunteer
    second: Volunteer
    outsider: Volunteer
    other_community: Organisation


def _volunteer(name: str, community: Organisation, username: str, zone: Any) -> Volunteer:
    user = zone.users.get(username) or make_user(username, Role.VOLUNTEER)
    zone.users[username] = user
    return Volunteer.objects.create(
        person=make_person(name=name),
        community=community,
        user=user,
        name=name,
        phone="13912345678",
        status=VolunteerStatus.APPROVED,
    )


@pytest.fixture
def errands(zone: Any) -> Errands:
    other = Organisation.objects.create(name="青峰社区", kind=OrganisationKind.COMMUNITY)
    resident = make_person(name="王芳", phone="13812345678", organisation=zone.community)
    case = isolation.case_open(
        actor=zone.community_worker,
        person=resident,
        community=zone.community,
        reason="close_contact",
        address="祥光小区3栋201",
    )
    return Errands(
        case=case,
        first=_volunteer("张青葵", zone.community, "volunteer", zone),
        second=_volunteer("胡柏林", zone.community, "volunteer_2", zone),
        outsider=_volunteer("欧召应", other, "volunteer_other", zone),
        other_community=other,
    )


@pytest.fixture
def concurrent_db(errands: Errands, tmp_path: Any) -> Any:
    with database_shared_by_threads(tmp_path):
        yield errands


def receipt_photo(name: str = "receipt.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
