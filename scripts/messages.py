"""Regenerate every app's Chinese catalogue (zoneguard/<app>/locale/zh_Hans) and compile it.

Each app owns its catalogue, so that apps can be worked on side by side without touching one
shared file. Existing translations are kept; new strings appear untranslated, and the i18n test
fails until they are translated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DJANGO_ADMIN = Path(sys.executable).parent / "django-admin"


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "zoneguard").glob("*/apps.py"))


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zoneguard.settings", "PYTHONPATH": str(ROOT)}
    for app in app_dirs():
        (app / "locale").mkdir(exist_ok=True)
        subprocess.run(
            [
                str(DJANGO_ADMIN),
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-obsolete",
                "--add-location",
                "file",
                "-i",
                "tests/*",
                "-i",
                "migrations/*",
            ],
            cwd=app,
            env=env,
            check=True,
        )
        subprocess.run([str(DJANGO_ADMIN), "compilemessages", "-l", "zh_Hans"], cwd=app, env=env, check=True)


if __name__ == "__main__":
    main()
