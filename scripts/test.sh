#!/usr/bin/env bash
# Install what is missing, then run the whole test suite (slow and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Browser tests drive Debian's Chromium (a Playwright browser download fails on these machines).
if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

set +e
.venv/bin/python -m pytest -m "slow or not slow" "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: the suite is missing, which counts as a failure" >&2
    exit 1
fi
exit "$rc"
