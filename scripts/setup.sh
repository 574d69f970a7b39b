#!/usr/bin/env bash
# Prepare a fresh machine for qms: system libraries, a Python >= 3.12 virtualenv with the
# dependencies, front-end packages from npm, and compiled translations. Safe to run repeatedly:
# each step is skipped when already done.
#   scripts/setup.sh          # what the app needs
#   scripts/setup.sh test     # ... plus what the test suite needs (chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- System packages (WeasyPrint needs Pango and fonts; gettext compiles translations) -------
need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v msgfmt >/dev/null || need+=(gettext)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "Installing system packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- Python ----------------------------------------------------------------------------------
find_python() {
  local candidates=(python3.13 python3.12 python3.14 python3)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  for c in "$HOME"/.pyenv/versions/3.1[234]*/bin/python3 /root/.pyenv/versions/3.1[234]*/bin/python3 /usr/local/bin/python3.1[234]; do
    if [ -x "$c" ] && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}
if [ ! -x .venv/bin/python ]; then
  py="$(find_python)" || { echo "Python 3.12 or newer is required (Django 6.0)." >&2; exit 1; }
  log "Creating virtualenv with $py"
  "$py" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-$mode"
if [ ! -f "$stamp" ]; then
  log "Installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$mode" = test ]; then extras=".[test]"; else extras="."; fi
  .venv/bin/python -m pip install -q -e "$extras"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# --- Front-end packages (Designsystemet CSS, htmx) ---------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "Installing front-end packages from npm"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- Translations ------------------------------------------------------------------------------
env -u DATABASE_URL -u REDIS_URL DEBUG=true DJANGO_SETTINGS_MODULE=qms.settings \
  .venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
