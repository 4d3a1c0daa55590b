import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_answers_without_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


def test_pages_need_a_sign_in(client, db):
    response = client.get("/registry/organisations/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_home_page_greets_by_role_and_links_the_menu(zone, client_for):
    page = client_for("admin_a").get("/").content.decode()
    assert "单位管理员" in page
    assert "/registry/organisations/" in page
    assert "/audit/" not in page
    assert "/audit/" in client_for("commander").get("/").content.decode()


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    # Production has neither the browser tests' async override nor the test settings.
    inherited = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env = {
        **inherited,
        "ZONEGUARD_DEBUG": "0",
        "ZONEGUARD_HTTPS": "1",
        "ZONEGUARD_VAR_DIR": str(tmp_path),
        "ZONEGUARD_SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dev_secret_key_is_generated_once_and_kept_out_of_git(tmp_path):
    env = {**os.environ, "ZONEGUARD_VAR_DIR": str(tmp_path)}
    env.pop("ZONEGUARD_SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "zoneguard.settings"},
        capture_output=True,
        text=True,
    )
    second = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "zoneguard.settings"},
        capture_output=True,
        text=True,
    )
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    ignored = subprocess.run(["git", "check-ignore", "var/secret_key"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0
