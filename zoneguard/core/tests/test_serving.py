import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

LOAD_AS_THE_MASTER_DOES = """
import runpy
config = runpy.run_path("gunicorn.conf.py")
assert config["preload_app"] is True
from zoneguard.wsgi import application
from django.db import connections
print(sorted(alias for alias in connections if connections[alias].connection is not None))
"""


def test_loading_the_application_opens_no_database_connection(tmp_path):
    # gunicorn loads the application once in its master (preload_app) and forks the workers from
    # it: a connection opened while loading would be shared by every worker.
    inherited = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AS_THE_MASTER_DOES],
        cwd=ROOT,
        env={**inherited, "ZONEGUARD_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
