"""ZoneGuard settings: one file, every deployment choice read from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZONEGUARD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _dev_secret_key() -> str:
    """A key generated once per checkout into var/, so development never needs a committed secret."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("ZONEGUARD_SECRET_KEY") or _dev_secret_key()
DEBUG = envbool("ZONEGUARD_DEBUG", False)
# Plain-HTTP serving (the demo on 127.0.0.1) must switch the HTTPS-only protections off explicitly.
HTTPS = envbool("ZONEGUARD_HTTPS", not DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("ZONEGUARD_CSRF_TRUSTED_ORIGINS", [])
# The address people reach ZoneGuard at, for absolute links; unset: the address each request came in
# on (core/context.py site_url).
SITE_URL = os.environ.get("ZONEGUARD_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zoneguard.core",
    "zoneguard.registry",
    "zoneguard.accounts",
    "zoneguard.audit",
    "zoneguard.notifications",
    "zoneguard.health",
    "zoneguard.gates",
    "zoneguard.resumption",
    "zoneguard.reports",
    "zoneguard.incidents",
    "zoneguard.notices",
    "zoneguard.tax",
    "zoneguard.tracing",
    "zoneguard.isolation",
    "zoneguard.volunteers",
    "zoneguard.errands",
    "zoneguard.supplies",
    "zoneguard.tickets",
    "zoneguard.dispatch",
    "zoneguard.supervision",
    "zoneguard.dashboard",
    # Last: it loads the demo data of every app above.
    "zoneguard.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zoneguard.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zoneguard.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zoneguard.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "zoneguard.accounts.middleware.AccountGuardMiddleware",
    "zoneguard.core.context.RequestContextMiddleware",
    "zoneguard.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "zoneguard.urls"
WSGI_APPLICATION = "zoneguard.wsgi.application"
ASGI_APPLICATION = "zoneguard.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zoneguard.core.context_processors.shell",
                "zoneguard.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL is selected with DATABASE_URL.
# IMMEDIATE transactions make concurrent SQLite writers wait for the lock instead of failing.
# synchronous=FULL: a commit that was answered is on disk, as on PostgreSQL (NORMAL in WAL mode can
# lose the last commits on a power cut). The write-ahead log is copied back into the database every
# 64,000 pages instead of 1,000: a gate's 1,000-entry upload dirties a few thousand pages, mostly
# index pages at random places, which the default copied back after every upload; the log keeps
# its largest size while the server runs (a few hundred MB under sustained uploads).
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA busy_timeout=20000;"
        "PRAGMA cache_size=-20000;PRAGMA foreign_keys=ON;PRAGMA wal_autocheckpoint=64000;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zoneguard.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=envint("ZONEGUARD_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {**_SQLITE_OPTIONS, **_db.get("OPTIONS", {})}
    _db["TEST"] = {"NAME": os.environ.get("ZONEGUARD_TEST_SQLITE_NAME") or None}
else:
    # Off by default, as in Django: a health check is a round trip before every request's first
    # query. A connection broken by a database restart fails one request, then is replaced.
    _db["CONN_HEALTH_CHECKS"] = envbool("ZONEGUARD_DB_HEALTH_CHECKS", False)
    # Server-side binding with prepared statements: PostgreSQL receives the parameters apart from
    # the statement, and psycopg prepares a statement once a connection has run it five times, so
    # the gate's lookup and insert are planned once per connection rather than at every check-in
    # (planning was half of PostgreSQL's work for a check-in). Django leaves both off because a
    # transaction-mode pooler cannot keep prepared statements: turn them off behind one.
    if envbool("ZONEGUARD_PG_SERVER_SIDE_BINDING", True):
        _db["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5, **_db.get("OPTIONS", {})}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Five wrong passwords for one user name from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = envint("ZONEGUARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("ZONEGUARD_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zoneguard.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# The lockout counts the client's address, behind trusted proxies the one they forward.
# django-ipware is not used: it matches its trusted list against the forwarded header's own
# entries, not against the address the request actually came from.
AXES_CLIENT_IP_CALLABLE = "zoneguard.core.network.client_address"

SESSION_COOKIE_AGE = envint("ZONEGUARD_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
# Personal API tokens expire after this many days (device tokens last until revoked).
API_TOKEN_DAYS = envint("ZONEGUARD_API_TOKEN_DAYS", 90)
# An invitation's link works this many hours, once.
INVITATION_HOURS = envint("ZONEGUARD_INVITATION_HOURS", 72)
# Password reset links (Django's tokens) work this long.
PASSWORD_RESET_TIMEOUT = envint("ZONEGUARD_PASSWORD_RESET_HOURS", 24) * 3600
# Two-factor sign-in (django-otp): the name authenticator apps show beside the account, and how
# many one-time recovery codes a user is given.
OTP_TOTP_ISSUER = os.environ.get("ZONEGUARD_OTP_ISSUER", "ZoneGuard")
RECOVERY_CODES = 10

# --- Security -------------------------------------------------------------------------------
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed. Empty: every
# request's address is REMOTE_ADDR, and a forwarded address is ignored.
TRUSTED_PROXIES = envlist("ZONEGUARD_TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"ZONEGUARD_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from _error

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, zoneguard.core.middleware): every script and style comes
# from ZoneGuard's own static files, so neither inline code nor eval runs anywhere; an injected
# <script>, style="..." or onclick="..." is blocked. Scripts take their data from data-* attributes
# or json_script blocks; htmx is configured from its meta tag in base.html (no <style> for its
# indicators, no eval). Charts draw on a canvas and a script may set element.style, but HTML a
# script inserts may not carry style="...": an ECharts tooltip in its default HTML mode does, so
# chart pages give the tooltip renderMode "richText" (drawn on the canvas).
# Django's admin on 5.2 needs no exception: its scripts are files that read data-* attributes (a
# ModelAdmin with both actions_on_top and actions_on_bottom off would add an inline <style>; the
# page walk in tests/test_csp_pages.py would say so). The API docs page adds data: images for
# Swagger UI's icons (zoneguard/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if HTTPS:
    SECURE_SSL_REDIRECT = envbool("ZONEGUARD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("ZONEGUARD_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Rate limits of the endpoints open without sign-in (core/ratelimit.py) -------------------
# Requests counted in fixed windows, per client address (behind TRUSTED_PROXIES, the forwarded
# one) or per site code; 0 turns a limit off. A shift change sends a few hundred declarations
# from one factory's Wi-Fi within minutes; a flood sends thousands.
RATE_LIMIT_WINDOW_SECONDS = envint("ZONEGUARD_RATE_LIMIT_WINDOW_MINUTES", 10) * 60
RATE_LIMIT_DECLARATIONS_PER_ADDRESS = envint("ZONEGUARD_RATE_LIMIT_DECLARATIONS_PER_ADDRESS", 600)
# Per site code (QR poster), whatever the addresses: the largest site's staff in one window.
RATE_LIMIT_DECLARATIONS_PER_SITE = envint("ZONEGUARD_RATE_LIMIT_DECLARATIONS_PER_SITE", 3000)
# POST /api/v1/auth/token per address, whatever the user names tried (the lockout counts one name).
RATE_LIMIT_TOKENS_PER_ADDRESS = envint("ZONEGUARD_RATE_LIMIT_TOKENS_PER_ADDRESS", 30)
# A resident's personal home-isolation link (pages and readings) per address: a family shares one
# phone; a guesser of links is stopped long before a signature could be found.
RATE_LIMIT_RESIDENT_LINK_PER_ADDRESS = envint("ZONEGUARD_RATE_LIMIT_RESIDENT_LINK_PER_ADDRESS", 120)
# Enterprise applications (the public registration page and its API) per address: a few a window
# from one office; a flood of made-up enterprises is stopped.
RATE_LIMIT_APPLICATIONS_PER_ADDRESS = envint("ZONEGUARD_RATE_LIMIT_APPLICATIONS_PER_ADDRESS", 10)
# Invitation links, sign-in codes and password reset requests per address.
RATE_LIMIT_ACCOUNT_LINKS_PER_ADDRESS = envint("ZONEGUARD_RATE_LIMIT_ACCOUNT_LINKS_PER_ADDRESS", 60)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language named in itself, as language switches do.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # each app carries its own catalogue in <app>/locale
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates and times read the same on every page and in every language (zoneguard/formats).
FORMAT_MODULE_PATH = ["zoneguard.formats"]
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

MEDIA_ROOT = Path(os.environ.get("ZONEGUARD_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Served at the site's root: /favicon.ico and /apple-touch-icon.png, which browsers and phones ask
# for whatever a page links, and robots.txt; each would otherwise be a 404 in the log.
WHITENOISE_ROOT = Path(__file__).resolve().parent / "core" / "root"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail and notifications -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("ZONEGUARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ZONEGUARD_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("ZONEGUARD_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("ZONEGUARD_FROM_EMAIL", "zoneguard@localhost")
NOTIFICATION_WEBHOOK_TIMEOUT = envint("ZONEGUARD_WEBHOOK_TIMEOUT", 5)
NOTIFICATION_MAX_ATTEMPTS = envint("ZONEGUARD_NOTIFICATION_MAX_ATTEMPTS", 5)

# --- Resumption, daily reports and incidents ------------------------------------------------
# Daily prevention reports are due by this local time (HH:MM); late filers are reminded after it.
REPORT_DEADLINE = os.environ.get("ZONEGUARD_REPORT_DEADLINE", "10:00")
# An incident nobody has acknowledged after this many minutes is escalated to the commanders.
INCIDENT_ESCALATION_MINUTES = envint("ZONEGUARD_INCIDENT_ESCALATION_MINUTES", 30)
# Uploaded prevention plans and notice attachments.
UPLOAD_MAX_BYTES = envint("ZONEGUARD_UPLOAD_MAX_MB", 10) * 1024 * 1024
# Spreadsheets uploaded for import (core/excel.py): the file, what its zip unpacks to in all, and its
# largest part. A list of a few thousand rows stays far below each; a zip bomb does not.
SPREADSHEET_MAX_BYTES = envint("ZONEGUARD_SPREADSHEET_MAX_MB", 5) * 1024 * 1024
SPREADSHEET_MAX_UNPACKED_BYTES = envint("ZONEGUARD_SPREADSHEET_MAX_UNPACKED_MB", 50) * 1024 * 1024
SPREADSHEET_MAX_PART_BYTES = envint("ZONEGUARD_SPREADSHEET_MAX_PART_MB", 25) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_invalid_input": {"()": "zoneguard.core.logfilters.SkipInvalidInput"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["skip_invalid_input"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZONEGUARD_LOG_LEVEL", "WARNING")},
}

# --- Health declarations and gates ----------------------------------------------------------
# A green declaration is valid this long; then the person declares again (每日申报).
HEALTH_GREEN_VALID_HOURS = envint("ZONEGUARD_HEALTH_GREEN_VALID_HOURS", 24)
# After a fever at a gate, a normal re-test taken at least this long after it releases the person
# by itself; earlier, an officer closing the alert releases them (gates/services/alerts.py).
FEVER_OBSERVATION_MINUTES = envint("ZONEGUARD_FEVER_OBSERVATION_MINUTES", 30)
# Face matching: "auto" uses face_recognition when installed (pip install '.[face]'), "" disables it,
# or a dotted path to a class implementing zoneguard.gates.face.FaceBackend.
GATES_FACE_BACKEND = os.environ.get("ZONEGUARD_FACE_BACKEND", "auto")
# Largest distance between two face encodings that still counts as the same person (dlib: 0.6).
GATES_FACE_TOLERANCE = float(os.environ.get("ZONEGUARD_FACE_TOLERANCE", "0.5"))
# Enrolled face photos: kept outside MEDIA_ROOT, served only through an access-checked view.
GATES_FACE_ROOT = Path(os.environ.get("ZONEGUARD_FACE_ROOT", VAR_DIR / "faces"))
# A TrueType/TrueCollection font with Chinese glyphs for the PNG poster (the PDF needs none).
GATES_POSTER_FONT = os.environ.get("ZONEGUARD_POSTER_FONT", "")

# --- Tax services ---------------------------------------------------------------------------
# The department whose officers run the tax services (policies, the hall, deferrals).
TAX_DEPARTMENT_CODE = os.environ.get("ZONEGUARD_TAX_DEPARTMENT", "shuiwu")
# Taxpayers cancel or move a booking until this many minutes before the slot starts.
TAX_CHANGE_CUTOFF_MINUTES = envint("ZONEGUARD_TAX_CHANGE_CUTOFF_MINUTES", 120)
# Largest policy attachment or hardship evidence file accepted.
TAX_UPLOAD_MAX_BYTES = envint("ZONEGUARD_TAX_UPLOAD_MAX_MB", 10) * 1024 * 1024

# --- Hot paths ------------------------------------------------------------------------------
# Seconds a worker keeps an API token or a gate's site between lookups (core/hotcache.py); a
# revoked token or a closed site stops working within this time. 0 looks them up every time.
HOT_CACHE_SECONDS = envint("ZONEGUARD_HOT_CACHE_SECONDS", 2)

# --- Pagination -----------------------------------------------------------------------------
PAGE_SIZE = 25
# An export of more rows than this is written by `run_exports` in the background, not by the worker
# that serves the page; the user downloads it from /exports/ when it is ready.
EXPORT_BACKGROUND_ROWS = envint("ZONEGUARD_EXPORT_BACKGROUND_ROWS", 200_000)
EXPORT_DIR = VAR_DIR / "exports"
# Days gate entries, health declarations and isolation readings are kept (core.retention): at least
# the 30 days a trace reads back.
PERSONAL_DATA_DAYS = envint("ZONEGUARD_PERSONAL_DATA_DAYS", 60)
# Days a written export is kept for its user to download.
EXPORT_KEEP_DAYS = envint("ZONEGUARD_EXPORT_KEEP_DAYS", 7)
API_MAX_PAGE_SIZE = 500
# An API list counts what its filters select up to this many items, and no further (`count_exact`
# false): the entry log of a busy organisation would otherwise cost every page a count that grows
# with its history. Past 10,000 a client pages on until a page comes back short.
API_EXACT_COUNT_LIMIT = 10_000
