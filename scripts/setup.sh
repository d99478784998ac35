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
    # llama-cpp-python builds from source (about 4 minutes on 2 cores) for this CPU's vector extensions but
    # never AMX: llama.cpp's -march=native build segfaults in decode on CPUs with AMX (Xeon Sapphire Rapids,
    # seen here), where the same CPU's AVX-512 alone works and reads prompts faster than AVX2 alone (first
    # token p50 1.32 s against 1.91 s). pip's cache could hand back a native build, hence --no-cache-dir.
    cpu=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2 || true) "
    cmake="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
    has() { for flag in "$@"; do case "$cpu" in *" $flag "*) ;; *) return 1 ;; esac; done; }
    if has avx512f avx512cd avx512vl avx512dq avx512bw; then
        cmake="$cmake -DGGML_AVX512=ON"
        has avx512vbmi && cmake="$cmake -DGGML_AVX512_VBMI=ON"
        has avx512_vnni && cmake="$cmake -DGGML_AVX512_VNNI=ON"
        has avx512_bf16 && cmake="$cmake -DGGML_AVX512_BF16=ON"
    fi
    has avx_vnni && cmake="$cmake -DGGML_AVX_VNNI=ON"
    echo "building llama-cpp-python with: ${CMAKE_ARGS:-$cmake}"
    CMAKE_ARGS="${CMAKE_ARGS:-$cmake}" \
        .venv/bin/pip install -q --no-cache-dir --force-reinstall --no-deps "llama-cpp-python==0.3.36"
    .venv/bin/pip install -q -e ".[all,test]"
    echo "$want" > "$stamp"
fi

.venv/bin/hoidap models fetch
