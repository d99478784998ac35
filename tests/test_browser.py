"""End to end in headless Chromium (Debian's package, driven by Playwright): ask, stream, cite, follow up, copy."""

import re
from pathlib import Path

import pytest
from conftest import REPO

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


@pytest.fixture
def page(ui_server):
    from playwright.sync_api import sync_playwright

    url, _ = ui_server
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium package")
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


def test_ask_follow_up_copy_and_escape(page, ui_server):
    from playwright.sync_api import expect

    _, tmp = ui_server
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
