"""The tax API fuzzed as a tax officer, who may write where the commander of the general fuzz run
may only read: slots, policies, conditions, decisions. Same checks as test_api_fuzz.py: no 5xx,
only documented statuses and shapes, on PostgreSQL."""

import pytest

from zoneguard.accounts.services import token_create
from zoneguard.tax import services
from zoneguard.tax.tests.builders import build_tax

from .fuzzing import on_postgresql, run_schemathesis

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@on_postgresql
def test_the_tax_api_survives_schemathesis_as_a_tax_officer(zone, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tax = build_tax(zone)
    tax.slot(days=2, capacity=3)
    services.deferral_apply(
        actor=zone.admin_a, organisation=zone.enterprise_a, months=3, reason="困难", items=[("vat", "100.00")]
    )
    _token, raw = token_create(actor=tax.officer, user=tax.officer, name="fuzz")
    run_schemathesis(
        base_url=live_server.url, token=raw, workdir=tmp_path, seed=20200224, extra=("--include-tag", "tax")
    )
