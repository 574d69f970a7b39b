#!/usr/bin/env bash
# Set up and run the whole test suite against the real PostgreSQL (DATABASE_URL, default the
# local server) and Redis (REDIS_URL, default the local server): lint, migrations check, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qms}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=tests.settings
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run -v1
# Independent tests run on every core; those sharing the Redis broker run in one group
# (tests/conftest.py). PYTEST_WORKERS=0 runs everything in one process.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadgroup "$@"
