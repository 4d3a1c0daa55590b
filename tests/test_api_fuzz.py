"""Hostile input: schemathesis generates requests from /api/v1/openapi.json and fails on any 5xx
or any response that breaks the documented schema. Runs on PostgreSQL, which refuses what SQLite
silently stores (NUL characters, numeric overflow); every API added later is covered without
changes here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from zoneguard.accounts.services import token_create

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
EXAMPLES = int(os.environ.get("ZONEGUARD_FUZZ_EXAMPLES", "25"))


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the API is fuzzed on PostgreSQL (make test runs the suite there)",
)
def test_the_api_survives_schemathesis(zone, live_server, tmp_path):
    _token, raw = token_create(actor=zone.commander, user=zone.commander, name="fuzz")
    schemathesis = Path(sys.executable).parent / "schemathesis"
    command = [
        str(schemathesis if schemathesis.exists() else shutil.which("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {raw}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "20",
        "--seed",
        "20200221",
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        "--report-dir",
        str(tmp_path),
    ]
    # In a temporary folder: schemathesis keeps a cache of its findings in the working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=1500, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
