"""End to end in headless Chromium (Debian's package, driven by Playwright): ask, stream, cite, follow up, copy."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import MODELS, REPO, make_settings

from ingest.pipeline import run_ingest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SHOTS = REPO / "docs"

DOCS = {
    "khao_sat.md": "# Nghiên cứu khách hàng về Generative AI\n\n## Bảo mật\n\n"
    "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. "
    "Đây là yếu tố đứng đầu 2 năm liên tiếp.\n\n## Phạm vi\n\n"
    "Bộ khảo sát gồm **hơn 60 câu hỏi**, xoay quanh **7 lĩnh vực trọng tâm**.\n",
    "trang_la.html": "<html><head><title>Trang lạ</title></head><body><h1>Ghi chú về Bedrock</h1>"
    "<p>Amazon Bedrock hỗ trợ &lt;script&gt;alert('xss')&lt;/script&gt; nhiều foundation models qua một API.</p>"
    "</body></html>",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium package")
    tmp = tmp_path_factory.mktemp("browser")
    settings = make_settings(tmp)
    for name, text in DOCS.items():
        (settings.ingest.corpus_dir / name).write_text(text, encoding="utf-8")
    assert run_ingest(settings, embedder=embedder, show_progress=False).ok
    port = _free_port()
    env = {
        **os.environ,
        "HOIDAP_MODELS_DIR": str(MODELS),
        "HOIDAP_STORE__PATH": str(settings.store.path),
        "HOIDAP_STORE__COLLECTION": settings.store.collection,
        "HOIDAP_LLM__PROVIDER": "extractive",
        "HOIDAP_UI__FEEDBACK_LOG": str(tmp / "feedback.jsonl"),
        "HF_HUB_OFFLINE": "1",
    }
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "ui_server.py"), str(port)], cwd=REPO, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the UI exited early: {(tmp / 'server.log').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(1)
    else:
        proc.kill()
        pytest.fail("the UI did not answer within 180 s")
    yield url, tmp
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    url, _ = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(
            permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        page.goto(url)
        yield page
        browser.close()


def _ask(page, text: str) -> None:
    from playwright.sync_api import expect

    box = page.locator("#question textarea")
    expect(box).to_have_value("")
    box.fill(text)
    page.locator("#send").click()


def test_ask_follow_up_copy_and_escape(page, server):
    from playwright.sync_api import expect

    _, tmp = server
    expect(page.locator("#model-info")).to_contain_text("extractive")
    _ask(page, "Khi chọn nền tảng GenAI, tiêu chí nào quan trọng nhất?")
    last = page.locator("#chat .message.bot").last
    expect(last).to_contain_text("tiêu chí số 1", timeout=60_000)
    expect(last).to_contain_text("[1]")
    sources = page.locator("#sources")
    expect(sources).to_contain_text("khao_sat.md", timeout=30_000)
    expect(sources.locator("mark").first).to_contain_text("tiêu chí số 1")

    _ask(page, "Năm trước nó cũng đứng đầu à?")
    expect(page.locator("#chat .message.bot").nth(1)).to_contain_text("2 năm liên tiếp", timeout=60_000)
    proposal = page.locator("#proposal textarea")
    expect(proposal).to_have_value(
        re.compile(r"^Đây là yếu tố đứng đầu 2 năm liên tiếp[\s\S]*\*\*Nguồn\*\*"), timeout=30_000
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "screenshot.png"), full_page=True)

    page.locator("#copy-proposal").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "2 năm liên tiếp" in copied and "**Nguồn**" in copied and "`khao_sat.md`" in copied
    assert copied == proposal.input_value()
    assert "<mark>" not in copied and "<div" not in copied

    _ask(page, "Amazon Bedrock hỗ trợ những gì qua một API?")
    expect(sources).to_contain_text("trang_la.html", timeout=60_000)
    expect(sources).to_contain_text("<script>alert('xss')</script>")  # shown as text
    assert page.evaluate("typeof window.xss") == "undefined"
    assert page.locator("#sources script").count() == 0


def test_empty_index_message_and_new_conversation(page):
    from playwright.sync_api import expect

    _ask(page, "   ")
    expect(page.locator("#chat .message.bot").last).to_contain_text("empty", timeout=30_000)
    page.locator("#new-chat").click()
    expect(page.locator("#chat .message")).to_have_count(0, timeout=10_000)
