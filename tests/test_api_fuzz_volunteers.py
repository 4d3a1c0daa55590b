"""The volunteers API fuzzed as a community worker, who registers, plans, signs up and closes where
the commander of the general run reads: same checks as test_api_fuzz.py (no 5xx, only documented
statuses and shapes), on PostgreSQL."""

import pytest

from zoneguard.accounts.services import token_create
from zoneguard.volunteers.tests.conftest import volunteer

from .fuzzing import on_postgresql, run_schemathesis

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@on_postgresql
def test_the_volunteers_api_survives_schemathesis_as_a_community_worker(zone, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    volunteer(name="张青葵", community=zone.community, user=zone.volunteer)
    worker = zone.community_worker
    _token, raw = token_create(actor=worker, user=worker, name="fuzz")
    run_schemathesis(
        base_url=live_server.url, token=raw, workdir=tmp_path, seed=20200225, extra=("--include-tag", "volunteers")
    )
