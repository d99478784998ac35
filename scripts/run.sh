#!/usr/bin/env bash
# Fresh machine -> chat UI on http://127.0.0.1:7860: install, fetch models, index corpus/, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/hoidap ingest
exec .venv/bin/hoidap ui
