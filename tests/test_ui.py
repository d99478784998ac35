"""The Gradio app served on a free loopback port and driven through its API with gradio_client."""

import json
import socket

import pytest
from conftest import make_settings
from gradio_client import Client

from ingest.pipeline import run_ingest
from rag.chain import AnswerChain
from rag.retrieval import HybridRetriever
from ui import build_demo, render_sources


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory, embedder):
    tmp = tmp_path_factory.mktemp("ui")
    settings = make_settings(tmp)
    settings.llm.provider = "extractive"
    settings.ui.feedback_log = tmp / "feedback.jsonl"
    corpus = settings.ingest.corpus_dir
    (corpus / "khao_sat.md").write_text(
        "# Nghiên cứu\n\nBộ khảo sát gồm **hơn 60 câu hỏi**, xoay quanh 7 lĩnh vực.\n", encoding="utf-8"
    )
    (corpus / "doc.html").write_text(
        "<html><body><h1>Trang lạ</h1><p>Bảo mật &lt;script&gt;alert('x')&lt;/script&gt; là tiêu chí số 1 "
        "khi chọn nền tảng.</p></body></html>",
        encoding="utf-8",
    )
    assert run_ingest(settings, embedder=embedder, show_progress=False).ok
    retriever = HybridRetriever(settings, embedder)
    retriever.warm_up()
    demo = build_demo(AnswerChain(settings, retriever), settings)
    port = _free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield settings, Client(f"http://127.0.0.1:{port}/", verbose=False)
    demo.close()


def test_ask_through_the_api(app):
    _, client = app
    chat, sources, proposal, question, _ = client.predict(
        "Bảng hỏi gồm bao nhiêu câu hỏi?", [], "extractive", 3, api_name="/ask"
    )
    answer = chat[-1]["content"][0]["text"] if isinstance(chat[-1]["content"], list) else chat[-1]["content"]
    assert "hơn 60 câu hỏi" in answer and "[1]" in answer
    assert "khao_sat.md" in sources and "<mark>" in sources
    assert proposal.startswith(answer) and "**Nguồn**" in proposal and "<" not in proposal.split("**Nguồn**")[1]
    assert question in ("", {"__type__": "update"})  # cleared on the first yield, then left to the user


def test_document_markup_is_shown_as_text(app):
    _, client = app
    _, sources, *_ = client.predict("Tiêu chí số 1 khi chọn nền tảng là gì?", [], "extractive", 3, api_name="/ask")
    assert "<script>" not in sources and "&lt;script&gt;" in sources


def test_empty_question_is_a_plain_message(app):
    _, client = app
    chat, *_ = client.predict("   ", [], "extractive", 3, api_name="/ask")
    text = chat[-1]["content"][0]["text"] if isinstance(chat[-1]["content"], list) else chat[-1]["content"]
    assert "empty" in text and "Traceback" not in text


def test_new_conversation_clears(app):
    _, client = app
    chat, sources, proposal, *_ = client.predict(api_name="/new_conversation")
    assert chat == [] and proposal == ""


def test_render_sources_escapes_and_marks():
    from rag.answer import Answer, CitedSentence
    from rag.types import Chunk, RetrievedChunk

    chunk = Chunk(
        id="c",
        text="<b>x</b> Câu được trích. Khác.",
        source="a<.md",
        start=0,
        end=30,
        metadata={"title": "T", "author": "Huy <Nguyen>", "date": "2025-06-05"},
    )
    answer = Answer(
        question="q",
        text="Câu được trích. [1]",
        sentences=[CitedSentence("Câu được trích.", 0, 15, [0], {0: "Câu được trích."})],
        references=[RetrievedChunk(chunk=chunk, score=1.0)],
    )
    out = render_sources(answer)
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<mark>Câu được trích.</mark>" in out and "a&lt;.md" in out
    assert "T · Huy &lt;Nguyen&gt; · 2025-06-05" in out  # the byline's author and date with the title


def test_a_byline_quote_marks_each_of_its_lines():
    from ui import _highlight

    # (the passage is the byline's lines as the page writes them; the quote joins them without their bullets)
    out = _highlight("- David Hajdu\n- Jun 5\n- 3 min read", ["David Hajdu · Jun 5 · 3 min read"])
    assert out == "- <mark>David Hajdu</mark>\n- <mark>Jun 5</mark>\n- <mark>3 min read</mark>", out
    assert _highlight("A · B. Khác.", ["A · B."]) == "<mark>A · B.</mark> Khác."  # a quote found whole stays whole


def test_feedback_is_logged(app, tmp_path):
    from ui import log_feedback

    path = tmp_path / "f.jsonl"
    log_feedback(path, {"question": "q", "answer": "a", "liked": True, "comment": "tốt"})
    record = json.loads(path.read_text().splitlines()[0])
    assert record["liked"] is True and record["comment"] == "tốt" and "time" in record
