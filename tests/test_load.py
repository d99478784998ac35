"""20 concurrent chat sessions against the running UI (extractive provider), on loopback: no errors."""

import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from load import run_load  # noqa: E402

pytestmark = pytest.mark.slow


def test_twenty_concurrent_sessions_get_answers_without_errors(ui_server):
    url, _ = ui_server
    result = run_load(url, sessions=20, provider="extractive", deadline_s=300)
    print(f"\nload: {result['requests']} requests, p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s")
    assert result["errors"] == []
    assert result["requests"] == 40  # every session asked both of its questions
