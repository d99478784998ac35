#!/usr/bin/env bash
# Install hoidap into .venv and fetch its models. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# Re-install only when the declared dependencies changed.
stamp=.venv/.hoidap-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # torch first and pinned: 2.13.0 is the CPU wheel on disk; anything else pulls gigabytes of CUDA.
    .venv/bin/pip install -q torch==2.13.0
    # llama-cpp-python builds from source the first time (about 4 minutes on 2 cores).
    .venv/bin/pip install -q -e ".[all,test]"
    echo "$want" > "$stamp"
fi

.venv/bin/hoidap models fetch
