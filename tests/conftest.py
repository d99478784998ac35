"""Shared fixtures: real models and a real Chroma on tiny data; the environment is cleaned per test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODELS = Path(os.environ.get("HOIDAP_TEST_MODELS_DIR", REPO / "models"))


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOIDAP_ or AWS_ variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith(("HOIDAP_", "AWS_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def article_source(number: int, name: str, text: str, score: float = 0.5, meta: dict | None = None):
    """A retrieved one-sentence chunk of the article `name`.txt, its sentence scored `score`."""
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.types import Chunk, RetrievedChunk, Sentence

    chunk = Chunk(id=name, text=text, source=f"{name}.txt", start=0, end=len(text), metadata=meta or {})
    sentence = Sentence(f"{name}:0", name, text, chunk.source, 0, len(text))
    return Source(number, RetrievedChunk(chunk, 1.0), [ScoredSentence(sentence, np.zeros(2), score)])


def make_settings(tmp: Path, **overrides):
    from rag.config import IngestSettings, Settings, StoreSettings

    corpus = tmp / "corpus"
    corpus.mkdir(exist_ok=True)
    values = dict(
        models_dir=MODELS,
        store=StoreSettings(path=tmp / "index", collection="test"),
        ingest=IngestSettings(corpus_dir=corpus, chunk_size=400, chunk_overlap=60),
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


def write_corpus(settings, docs: dict[str, str]) -> None:
    """Write `docs` (file name -> text) into the settings' corpus folder."""
    for name, text in docs.items():
        (settings.ingest.corpus_dir / name).write_text(text, encoding="utf-8")


def indexed_settings(tmp: Path, docs: dict[str, str], embedder):
    """Settings over a fresh corpus of `docs` in `tmp`, ingested into a real Chroma with the real embedder."""
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp)
    write_corpus(settings, docs)
    assert run_ingest(settings, embedder=embedder, show_progress=False).ok
    return settings


def indexed_chain(tmp: Path, docs: dict[str, str], embedder):
    """The answer chain over a fresh real index of `docs`, its retriever warmed up."""
    from rag.chain import AnswerChain
    from rag.retrieval import HybridRetriever

    settings = indexed_settings(tmp, docs, embedder)
    retriever = HybridRetriever(settings, embedder)
    retriever.warm_up()
    return AnswerChain(settings, retriever)


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def embedder():
    """The real EmbeddingGemma, loaded once for the whole run."""
    from rag.config import Settings
    from rag.embeddings import load_embedder

    if not (MODELS / "embeddinggemma-300m").is_dir():
        pytest.fail(f"EmbeddingGemma is not in {MODELS}: run `hoidap models fetch` (scripts/setup.sh does)")
    return load_embedder(Settings(_env_file=None, models_dir=MODELS))


DOCS = {
    "khao_sat.md": "# Nghiên cứu khách hàng\n\n## Phạm vi\n\n"
    "Bộ khảo sát gồm **hơn 60 câu hỏi**, xoay quanh **7 lĩnh vực trọng tâm**.\n\n"
    "## Bảo mật\n\nKhả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. "
    "Đây là yếu tố đứng đầu 2 năm liên tiếp.\n",
    "claude.txt": "Amazon đầu tư 4 tỷ đô la vào Anthropic.\n"
    "Claude giờ có lợi thế không thể thay thế trong ba lĩnh vực quan trọng: lập trình, viết lách và "
    "thương mại điện tử.\n",
    "yeu_to.txt": "Những yếu tố quyết định\n\nĐộ sâu cá nhân hóa phụ thuộc vào nhiều yếu tố quan trọng:\n\n"
    "- Chất lượng dữ liệu khách hàng\n- Khả năng của mô hình\n- Mức độ tích hợp hệ thống\n",
}


@pytest.fixture(scope="module")
def chain(tmp_path_factory, embedder):
    """A real index of DOCS and the answer chain over it, built once per test module."""
    return indexed_chain(tmp_path_factory.mktemp("answers"), DOCS, embedder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


UI_DOCS = {
    "khao_sat.md": "# Nghiên cứu khách hàng về Generative AI\n\n## Bảo mật\n\n"
    "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. "
    "Đây là yếu tố đứng đầu 2 năm liên tiếp.\n\n## Phạm vi\n\n"
    "Bộ khảo sát gồm **hơn 60 câu hỏi**, xoay quanh **7 lĩnh vực trọng tâm**.\n",
    "trang_la.html": "<html><head><title>Trang lạ</title></head><body><h1>Ghi chú về Bedrock</h1>"
    "<p>Amazon Bedrock hỗ trợ &lt;script&gt;alert('xss')&lt;/script&gt; nhiều foundation models qua một API.</p>"
    "</body></html>",
}


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory, embedder):
    """The chat UI (extractive provider) in its own process on a free loopback port, over UI_DOCS."""
    tmp = tmp_path_factory.mktemp("browser")
    settings = indexed_settings(tmp, UI_DOCS, embedder)
    port = free_port()
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


@pytest.fixture(scope="module")
def retriever_over_articles(tmp_path_factory, embedder):
    """The hybrid retriever over a real index of DOCS, warmed up."""
    from rag.retrieval import HybridRetriever

    r = HybridRetriever(indexed_settings(tmp_path_factory.mktemp("articles"), DOCS, embedder), embedder)
    r.warm_up()
    return r
