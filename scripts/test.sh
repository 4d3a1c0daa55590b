#!/usr/bin/env bash
# The whole suite: static checks, then every test on SQLite, then every test on PostgreSQL
# (including the schemathesis run against the live API).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export ZONEGUARD_VAR_DIR="${ZONEGUARD_VAR_DIR:-$PWD/var/test}"
mkdir -p "$ZONEGUARD_VAR_DIR" test-results

echo "== static checks"
$BIN/ruff check .
$BIN/mypy zoneguard
$BIN/lint-imports
$BIN/python manage.py makemigrations --check --dry-run
ZONEGUARD_DEBUG=0 ZONEGUARD_SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')x" \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== tests on SQLite"
DATABASE_URL= $BIN/pytest -n 2 -p no:randomly "$@"

echo "== tests on PostgreSQL"
DATABASE_URL="$(scripts/postgres.sh)"
export DATABASE_URL
$BIN/pytest -n 2 "$@"
