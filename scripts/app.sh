#!/usr/bin/env bash
# Set up (runtime packages only) and start the atlas on the bundled data: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run serve.py --server.headless true --server.port "${PORT:-8501}" --browser.gatherUsageStats false
