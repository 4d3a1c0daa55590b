"""Running schemathesis against the live server's OpenAPI document (see test_api_fuzz*.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# No 5xx; only documented status codes, content types, bodies and headers.
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# Per operation and phase: 50 keeps the two fuzz runs at about two and a half minutes on two cores.
EXAMPLES = int(os.environ.get("ZONEGUARD_FUZZ_EXAMPLES", "50"))

# PostgreSQL refuses what SQLite silently stores (NUL characters, numeric overflow).
on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the API is fuzzed on PostgreSQL (make test runs the suite there)",
)


def run_schemathesis(*, base_url: str, token: str, workdir: Path, seed: int, extra: tuple[str, ...] = ()) -> None:
    """Fuzz every operation of the API (or those `extra` selects) with the given bearer token."""
    installed = Path(sys.executable).parent / "schemathesis"
    command = [
        str(installed if installed.exists() else shutil.which("schemathesis")),
        "run", f"{base_url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS,
        "--max-examples", str(EXAMPLES),
        "--phases", "examples,coverage,fuzzing",
        "--request-timeout", "20",
        "--seed", str(seed),
        "--workers", "1",
        "--suppress-health-check", "all",
        "--report-dir", str(workdir),
        *extra,
    ]  # fmt: skip
    # In a temporary folder: schemathesis keeps a cache of its findings in the working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=1500, cwd=workdir)
    assert result.returncode == 0, (result.stdout + result.stderr)[-20000:]
