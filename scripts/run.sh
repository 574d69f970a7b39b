#!/usr/bin/env bash
# Set up and run qms on the embedded default: SQLite in var/, tasks in-process, e-mail to the
# console, the demo municipality loaded. Open http://127.0.0.1:8000 and log in as printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
export DJANGO_SETTINGS_MODULE=qms.settings
unset DATABASE_URL REDIS_URL
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo
echo
echo "Kvalitetssystem kjører på http://127.0.0.1:8000 (Ctrl+C stopper)."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
