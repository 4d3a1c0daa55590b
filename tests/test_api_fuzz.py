"""Hostile input: schemathesis generates requests from /api/v1/openapi.json, as the commander,
and fails on any 5xx or any response that breaks the documented schema. Every API added later is
covered without changes here."""

import pytest

from zoneguard.accounts.services import token_create

from .fuzzing import on_postgresql, run_schemathesis

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

# Two halves of about 120 operations each, so that the suite's two workers share the longest test
# instead of one of them running it alone at the end. The second half takes every path added later.
LARGEST = r"^/api/v1/(dispatch|tax|volunteers)/"
HALVES = {
    "dispatch-tax-volunteers": ("--include-path-regex", LARGEST),
    "every-other-path": ("--exclude-path-regex", LARGEST),
}


@on_postgresql
@pytest.mark.parametrize("half", HALVES.values(), ids=HALVES.keys())
def test_the_api_survives_schemathesis(zone, live_server, tmp_path, half):
    _token, raw = token_create(actor=zone.commander, user=zone.commander, name="fuzz")
    run_schemathesis(base_url=live_server.url, token=raw, workdir=tmp_path, seed=20200221, extra=half)
