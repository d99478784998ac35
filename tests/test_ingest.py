"""Incremental ingestion with the real EmbeddingGemma and a real embedded Chroma on a tiny corpus."""

import os
import threading

import pytest
from conftest import make_settings, write_corpus

from ingest.pipeline import run_ingest
from rag.errors import ConfigError, IndexLockedError
from rag.store import ChunkStore, writer_lock

DOCS = {
    "bao_mat.md": "---\ntitle: Bảo mật\ndate: 2025-01-02\n---\n# Bảo mật là tiêu chí số 1\n\n"
    "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. "
    "Đây là yếu tố đứng đầu 2 năm liên tiếp.\n",
    "bedrock.txt": "Amazon Bedrock là một dịch vụ được quản lý hoàn toàn.\n"
    "Nó giúp truy cập các foundation models từ các công ty AI hàng đầu thông qua API.\n",
    "su_kien.html": "<html><head><title>Sự kiện</title></head><body><h1>GenAI Open Innovation</h1>"
    "<p>Sự kiện ra mắt đã thu hút 200 khách mời được chọn lọc kỹ lưỡng.</p></body></html>",
}


@pytest.fixture
def corpus(settings):
    write_corpus(settings, DOCS)
    return settings.ingest.corpus_dir


def _sources(store):
    return sorted({c.source for c, _ in store.iter_chunks()})


def test_first_run_indexes_second_run_embeds_nothing(settings, corpus, embedder):
    first = run_ingest(settings, embedder=embedder, show_progress=False)
    assert first.ok and sorted(first.indexed) == sorted(DOCS)
    assert first.chunks_embedded == first.chunks_total >= 3
    second = run_ingest(settings, embedder=embedder, show_progress=False)
    assert second.chunks_embedded == 0 and sorted(second.skipped) == sorted(DOCS)
    assert second.chunks_total == first.chunks_total


def test_metadata_reaches_the_store(settings, corpus, embedder):
    run_ingest(settings, embedder=embedder, show_progress=False)
    store = ChunkStore(settings, embedder)
    by_source = {c.source: c for c, _ in store.iter_chunks()}
    md = by_source["bao_mat.md"]
    assert md.metadata["title"] == "Bảo mật là tiêu chí số 1"
    assert md.metadata["date"] == "2025-01-02"
    assert md.metadata["section"] == "Bảo mật là tiêu chí số 1"
    assert by_source["su_kien.html"].metadata["format"] == "html"
    assert by_source["bedrock.txt"].start == 0
    # the article's length, so a passage's place in it is known ("at the end of the post")
    chunks = [c for c, _ in store.iter_chunks() if c.source == "bao_mat.md"]
    last = max(x.end for x in chunks)  # (the cleaned text may end in a line break no chunk holds)
    assert all(last <= c.metadata["doc_chars"] <= last + 2 for c in chunks), [c.metadata["doc_chars"] for c in chunks]


def test_changed_file_replaces_only_its_chunks(settings, corpus, embedder):
    run_ingest(settings, embedder=embedder, show_progress=False)
    (corpus / "bedrock.txt").write_text("Amazon Bedrock có mô hình pay-as-you-go.\n", encoding="utf-8")
    report = run_ingest(settings, embedder=embedder, show_progress=False)
    assert report.indexed == ["bedrock.txt"] and report.chunks_embedded == 1
    store = ChunkStore(settings, embedder)
    texts = [c.text for c, _ in store.iter_chunks() if c.source == "bedrock.txt"]
    assert texts == ["Amazon Bedrock có mô hình pay-as-you-go."]


def test_removed_file_leaves_the_index(settings, corpus, embedder):
    run_ingest(settings, embedder=embedder, show_progress=False)
    (corpus / "su_kien.html").unlink()
    report = run_ingest(settings, embedder=embedder, show_progress=False)
    assert report.removed == ["su_kien.html"] and report.chunks_embedded == 0
    assert _sources(ChunkStore(settings, embedder)) == ["bao_mat.md", "bedrock.txt"]


def test_bad_files_are_reported_and_the_rest_is_indexed(settings, corpus, embedder, tmp_path):
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "bad.md").write_bytes(b"---\ntitle: [x\n---\nbody\n")
    (corpus / "sheet.xlsx").write_bytes(b"PK")
    outside = tmp_path / "secret.txt"
    outside.write_text("ngoài corpus", encoding="utf-8")
    os.symlink(outside, corpus / "link.txt")
    report = run_ingest(settings, embedder=embedder, show_progress=False)
    assert not report.ok
    assert set(report.failed) == {"empty.md", "image.txt", "bad.md", "sheet.xlsx", "link.txt"}
    assert "outside the corpus" in report.failed["link.txt"]
    assert sorted(report.indexed) == sorted(DOCS)


def test_a_file_that_turns_bad_keeps_its_indexed_chunks(settings, corpus, embedder):
    run_ingest(settings, embedder=embedder, show_progress=False)
    before = [c.text for c, _ in ChunkStore(settings, embedder).iter_chunks() if c.source == "bedrock.txt"]
    (corpus / "bedrock.txt").write_bytes(b"\xff\xfe broken \xc3")
    report = run_ingest(settings, embedder=embedder, show_progress=False)
    assert "UTF-8" in report.failed["bedrock.txt"]
    after = [c.text for c, _ in ChunkStore(settings, embedder).iter_chunks() if c.source == "bedrock.txt"]
    assert after == before


def test_oversized_file_is_refused(tmp_path, embedder):
    from rag.config import IngestSettings

    settings = make_settings(tmp_path, ingest=IngestSettings(corpus_dir=tmp_path / "corpus", max_file_mb=0.001))
    (tmp_path / "corpus" / "big.txt").write_text("Bảo mật. " * 500, encoding="utf-8")
    report = run_ingest(settings, embedder=embedder, show_progress=False)
    assert "over the 0.001 MB limit" in report.failed["big.txt"]


def test_index_built_with_another_embedder_is_refused(settings, corpus, embedder):
    run_ingest(settings, embedder=embedder, show_progress=False)

    class Other:
        name = "st:other-model"
        dimension = 3

    with pytest.raises(ConfigError, match="--rebuild"):
        ChunkStore(settings, Other())


def test_rebuild_embeds_everything_again(settings, corpus, embedder):
    first = run_ingest(settings, embedder=embedder, show_progress=False)
    again = run_ingest(settings, embedder=embedder, show_progress=False, rebuild=True)
    assert again.chunks_embedded == first.chunks_embedded and again.chunks_total == first.chunks_total


def test_a_second_writer_is_refused(settings):
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with writer_lock(settings):
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    entered.wait(5)
    try:
        with pytest.raises(IndexLockedError, match="another process"), writer_lock(settings):
            pass
    finally:
        release.set()
        worker.join()
