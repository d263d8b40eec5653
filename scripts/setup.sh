#!/usr/bin/env bash
# Set up the Python environment (.venv) and, for tests, the system packages the browser and database tests need.
# Usage: bash scripts/setup.sh          # runtime only (app + python -m geo)
#        bash scripts/setup.sh dev      # everything the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi

if [ "${1:-}" = "dev" ]; then
  # Debian packages: headless Chromium + driver for the real-browser tests, a CJK font for screenshots and
  # PNG export, PostgreSQL + PostGIS for the curation backend tests.
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
  fc-list 2>/dev/null | grep -qi -E "wqy|noto sans cjk" || need+=(fonts-wqy-microhei)
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need+=(postgresql); fi
  if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then need+=(postgresql-postgis); fi
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing Debian packages: ${need[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
      echo "missing system packages (install them, then re-run): ${need[*]}" >&2
      exit 1
    fi
  fi
fi
