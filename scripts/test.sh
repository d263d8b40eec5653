#!/usr/bin/env bash
# Set up everything the tests need, then run lint, the data-build check and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m geo build --check
.venv/bin/python -m geo audit
# the PostgreSQL curation tests must run in CI, never be skipped silently
ATLAS_REQUIRE_PG=1 ATLAS_REQUIRE_BROWSER=1 .venv/bin/python -m pytest "$@"
