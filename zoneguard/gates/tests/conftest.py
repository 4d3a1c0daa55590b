import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.accounts.models import ApiTokenKind
from zoneguard.accounts.services import token_create
from zoneguard.core.roles import Role
from zoneguard.health.models import Declaration
from zoneguard.testing import make_user


@pytest.fixture
def declare(db):
    """declare(person, "green"|"yellow"|"red", valid_hours=24, reasons=[...]) → a verified declaration."""

    def make(person, status="green", *, valid_hours=24, reasons=None, declared_at=None):
        # Declared two days ago unless told (a gate judges each passage by the declaration in force
        # at its time, and tests record passages of the past hours), valid `valid_hours` from now.
        now = timezone.now()
        return Declaration.objects.create(
            person=person,
            name=person.name,
            phone=person.phone or "13800000000",
            status=status,
            reasons=reasons if reasons is not None else ([] if status == "green" else ["与确诊或疑似病例有接触"]),
            valid_until=(declared_at or now) + timedelta(hours=valid_hours),
            declared_at=declared_at or now - timedelta(days=2),
        )

    return make


@pytest.fixture
def device_for(zone):
    """device_for(site) → a client sending a device token restricted to that site."""

    def make(site, language="zh-hans"):
        user = make_user(f"device-{site.pk}-{uuid.uuid4().hex[:6]}", Role.DEVICE, organisation=site.organisation)
        _token, raw = token_create(actor=zone.commander, user=user, name="闸机", kind=ApiTokenKind.DEVICE, site=site)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)

    return make


@pytest.fixture
def item():
    """item(site, person, 36.5, **overrides) → one check-in as a gate sends it."""

    def make(site, person=None, temperature=36.5, **overrides):
        data = {
            "client_id": str(uuid.uuid4()),
            "site_id": site.pk,
            "id_number": person.id_number if person is not None else None,
            "temperature": temperature,
            "checked_at": timezone.now().isoformat(),
            "direction": "in",
        }
        data.update(overrides)
        return data

    return make


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


@pytest.fixture
def fake_faces(settings, tmp_path):
    from zoneguard.gates import face

    settings.GATES_FACE_BACKEND = "zoneguard.gates.face.fake.FakeBackend"
    settings.GATES_FACE_ROOT = tmp_path / "faces"
    face._configured.cache_clear()
    yield
    face._configured.cache_clear()
