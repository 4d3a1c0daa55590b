"""What residents asked for is kept only for a time after the errand ends (core.retention): the
lines, notes and receipt of an errand paid back or cancelled long ago go, the errand stays, and
nothing of an errand still under way goes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_personal_data
from zoneguard.errands import services
from zoneguard.errands.models import Errand, ErrandLine, ErrandStatus
from zoneguard.isolation.services import resident_token

from .conftest import receipt_photo

KEPT = 40
LONG_AGO = timedelta(days=KEPT + 2)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _delivered(errands, item, note=""):
    errand = services.errand_request(actor=None, case=errands.case, lines=[{"item": item, "quantity": "1"}], note=note)
    services.errand_accept(actor=errands.first.user, errand=errand)
    return services.errand_deliver(actor=errands.first.user, errand=errand, amount="20.00", receipt=receipt_photo())


def _settled(errands, item, *, ago, note=""):
    errand = services.errand_confirm(actor=None, errand=_delivered(errands, item, note))
    errand = services.errand_settle(actor=errands.first.user, errand=errand)
    Errand.objects.filter(pk=errand.pk).update(settled_at=timezone.now() - ago)
    return Errand.objects.get(pk=errand.pk)


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_an_errand_finished_long_ago_loses_its_list_notes_and_receipt_and_stays(
    zone, errands, django_capture_on_commit_callbacks
):
    settled = _settled(errands, "胰岛素", ago=LONG_AGO, note="放门口,别按门铃")
    receipt_file = Path(settled.receipt.path)
    assert receipt_file.exists()
    cancelled = services.errand_request(actor=None, case=errands.case, lines=[{"item": "退烧药", "quantity": "1"}])
    services.errand_cancel(actor=zone.community_worker, errand=cancelled, reason="已送医")
    Errand.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now() - LONG_AGO)
    lately = _settled(errands, "大米", ago=timedelta(days=3))
    unpaid = _delivered(errands, "口罩")  # delivered long ago and never paid back: still under way
    Errand.objects.filter(pk=unpaid.pk).update(delivered_at=timezone.now() - LONG_AGO)

    assert purge_personal_data(dry_run=True)["errands.contents"] == 2
    assert ErrandLine.objects.count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_personal_data()["errands.contents"] == 2

    settled.refresh_from_db()
    cancelled.refresh_from_db()
    assert settled.contents_purged_at is not None and cancelled.contents_purged_at is not None
    assert not ErrandLine.objects.filter(errand__in=[settled, cancelled]).exists()
    assert (settled.note, settled.receipt.name, cancelled.cancel_reason) == ("", "", "")
    assert not receipt_file.exists()
    # The errand itself stays: who ran it, when, and the money paid back.
    assert (settled.status, settled.volunteer_id) == (ErrandStatus.SETTLED, errands.first.pk)
    assert str(settled.amount) == "20.00"
    assert [line.item for line in lately.lines.all()] == ["大米"] and lately.receipt
    assert [line.item for line in unpaid.lines.all()] == ["口罩"]
    event = AuditEvent.objects.get(action="delete", object_type="errands.errand")
    assert event.detail["records"] == 2 and "胰岛素" not in str(event.detail)
    assert purge_personal_data()["errands.contents"] == 0


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_pages_and_the_api_say_the_list_was_deleted(zone, errands, client_for, api_for):
    errand = _settled(errands, "胰岛素", ago=LONG_AGO)
    purge_personal_data()
    page = client_for("community_worker").get(f"/errands/{errand.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "胰岛素" not in text and "2020" not in text
    assert "清单、备注和收据已于" in text
    assert client_for("community_worker").get(f"/errands/{errand.pk}/receipt/").status_code == 404
    resident = Client().get(f"/errands/r/{resident_token(errands.case)}/").content.decode()
    assert "胰岛素" not in resident
    found = api_for("community_worker").get(f"/api/v1/errands/{errand.pk}").json()
    assert found["lines"] == [] and found["contents_purged_at"] is not None and not found["has_receipt"]
