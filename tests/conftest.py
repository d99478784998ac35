"""Shared fixtures: real models and a real Chroma on tiny data; the environment is cleaned per test."""

from __future__ import annotations

import os
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
    from ingest.pipeline import run_ingest
    from rag.chain import AnswerChain
    from rag.retrieval import HybridRetriever

    tmp = tmp_path_factory.mktemp("answers")
    settings = make_settings(tmp)
    for name, text in DOCS.items():
        (settings.ingest.corpus_dir / name).write_text(text, encoding="utf-8")
    assert run_ingest(settings, embedder=embedder, show_progress=False).ok
    retriever = HybridRetriever(settings, embedder)
    retriever.warm_up()
    return AnswerChain(settings, retriever)
