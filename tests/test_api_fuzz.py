"""Hostile input: schemathesis generates requests from /api/v1/openapi.json, as the commander,
and fails on any 5xx or any response that breaks the documented schema. Every API added later is
covered without changes here."""

import pytest

from zoneguard.accounts.services import token_create

from .fuzzing import on_postgresql, run_schemathesis

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@on_postgresql
def test_the_api_survives_schemathesis(zone, live_server, tmp_path):
    _token, raw = token_create(actor=zone.commander, user=zone.commander, name="fuzz")
    run_schemathesis(base_url=live_server.url, token=raw, workdir=tmp_path, seed=20200221)
