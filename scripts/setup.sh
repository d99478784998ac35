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
    # llama-cpp-python builds from source (about 4 minutes on 2 cores), for AVX2 rather than this CPU:
    # llama.cpp's -march=native build segfaults in its first decode on CPUs with AMX (Xeon Sapphire
    # Rapids, seen here), and pip's cache could hand back such a build, hence --no-cache-dir.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}" \
        .venv/bin/pip install -q --no-cache-dir --force-reinstall --no-deps "llama-cpp-python==0.3.36"
    .venv/bin/pip install -q -e ".[all,test]"
    echo "$want" > "$stamp"
fi

.venv/bin/hoidap models fetch
