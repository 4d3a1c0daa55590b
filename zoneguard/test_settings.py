"""Settings for the test suite: the production settings, served over plain HTTP, with a fast
password hasher (argon2 is checked on its own), static files without a collected manifest, and
e-mail kept in memory."""

import os

# Before the settings are read: the live server of browser tests speaks plain HTTP.
os.environ.setdefault("ZONEGUARD_HTTPS", "0")

from zoneguard.settings import *  # noqa: F403
from zoneguard.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# WhiteNoise warns about a missing STATIC_ROOT on every request; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# PostgreSQL: the test database is thrown away after the run, so its commits need not wait for the
# disk. The browser, fuzz and concurrency tests commit for real and empty every table after each
# test (one TRUNCATE of some 200 tables, each a new file to sync); SQLite's test database is in
# memory and never waits either. Production keeps synchronous commits (zoneguard/settings.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
