"""The tax API fuzzed as a tax officer, who may write where the commander of the general fuzz run
may only read: slots, policies, conditions, decisions. Same checks as test_api_fuzz.py: no 5xx,
only documented statuses and shapes, on PostgreSQL."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from zoneguard.accounts.services import token_create
from zoneguard.tax import services
from zoneguard.tax.tests.builders import build_tax

from .test_api_fuzz import CHECKS, EXAMPLES

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the API is fuzzed on PostgreSQL (make test runs the suite there)",
)
def test_the_tax_api_survives_schemathesis_as_a_tax_officer(zone, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tax = build_tax(zone)
    tax.slot(days=2, capacity=3)
    services.deferral_apply(
        actor=zone.admin_a, organisation=zone.enterprise_a, months=3, reason="困难", items=[("vat", "100.00")]
    )
    _token, raw = token_create(actor=tax.officer, user=tax.officer, name="fuzz")
    schemathesis = Path(sys.executable).parent / "schemathesis"
    command = [
        str(schemathesis if schemathesis.exists() else shutil.which("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {raw}",
        "--include-tag",
        "tax",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "20",
        "--seed",
        "20200224",
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
