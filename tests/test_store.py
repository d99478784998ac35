"""One contract, two stores: the same tests run on embedded Chroma and on a real `chroma run` server."""

import itertools

import numpy as np
import pytest
from chroma_server import ChromaServer
from conftest import DOCS, make_settings, write_corpus

from ingest.pipeline import run_ingest
from rag.config import StoreSettings
from rag.errors import ConfigError, StoreUnavailableError
from rag.retrieval import HybridRetriever
from rag.store import ChunkStore, make_client, writer_lock
from rag.types import Chunk

_names = itertools.count()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "data").start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store_settings(request, tmp_path):
    settings = make_settings(tmp_path)
    write_corpus(settings, DOCS)
    collection = f"contract{next(_names)}"
    if request.param == "server":
        server = request.getfixturevalue("chroma_server")
        settings.store = StoreSettings(mode="server", host="127.0.0.1", port=server.port, collection=collection)
    else:
        settings.store = StoreSettings(path=tmp_path / "index", collection=collection)
    return settings


def test_ingest_is_incremental(store_settings, embedder):
    first = run_ingest(store_settings, embedder=embedder, show_progress=False)
    assert first.ok and sorted(first.indexed) == sorted(DOCS) and first.chunks_embedded == first.chunks_total > 0
    again = run_ingest(store_settings, embedder=embedder, show_progress=False)
    assert again.chunks_embedded == 0 and sorted(again.skipped) == sorted(DOCS)

    corpus = store_settings.ingest.corpus_dir
    (corpus / "claude.txt").write_text("Amazon đầu tư thêm 4 tỷ đô la vào Anthropic vào năm 2024.\n", encoding="utf-8")
    (corpus / "yeu_to.txt").unlink()
    changed = run_ingest(store_settings, embedder=embedder, show_progress=False)
    assert changed.indexed == ["claude.txt"] and changed.removed == ["yeu_to.txt"]
    store = ChunkStore(store_settings, embedder)
    sources = sorted({chunk.source for chunk, _ in store.iter_chunks()})
    assert sources == ["claude.txt", "khao_sat.md"]
    texts = [chunk.text for chunk, _ in store.iter_chunks() if chunk.source == "claude.txt"]
    assert texts == ["Amazon đầu tư thêm 4 tỷ đô la vào Anthropic vào năm 2024."]
    assert set(store.file_records()) == {"claude.txt", "khao_sat.md"}


def test_store_round_trip(store_settings, embedder):
    store = ChunkStore(store_settings, embedder)
    texts = ["Bedrock là dịch vụ được quản lý.", "Claude giỏi lập trình.", "Khảo sát có 60 câu hỏi."]
    chunks = [
        Chunk(id=f"c{i}", text=t, source=f"f{i % 2}.md", start=0, end=len(t), metadata={"title": f"T{i}"})
        for i, t in enumerate(texts)
    ]
    vectors = embedder.embed_documents(texts)
    store.upsert(chunks, vectors)
    store.upsert(chunks, vectors)  # idempotent by id
    assert store.count() == 3
    hits = store.query(embedder.embed_queries(["dịch vụ Bedrock"])[0], k=2)
    assert hits[0][0].id == "c0" and hits[0][0].title == "T0" and 0 < hits[0][1] <= 1.0001
    filtered = store.query(embedder.embed_queries(["dịch vụ Bedrock"])[0], k=3, where={"source": "f1.md"})
    assert [c.id for c, _ in filtered] == ["c1"]
    stored = store.embeddings_for(["c2"])
    assert np.allclose(stored["c2"], vectors[2], atol=1e-5)
    store.set_file_record("f0.md", {"doc_hash": "abc", "chunks": 2})
    assert store.file_records()["f0.md"]["doc_hash"] == "abc"
    store.delete_source("f0.md")
    assert sorted(c.id for c, _ in store.iter_chunks()) == ["c1"]


def test_a_small_index_is_searched_exactly_and_sees_what_is_stored_after(store_settings, embedder):
    """Exact search (vectors held in memory) returns every record by true cosine, ties to the first stored,
    honours a source filter, and reads anew after an upsert or a delete."""
    store = ChunkStore(store_settings, embedder)
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(150, 8)).astype(np.float32)  # 150 records: Chroma would build an HNSW graph
    chunks = [Chunk(id=f"c{i:03d}", text=f"t{i}", source=f"f{i % 3}.md", start=0, end=2) for i in range(150)]
    store.upsert(chunks, vectors)
    query = rng.normal(size=8).astype(np.float32)
    cosines = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))
    truth = [f"c{i:03d}" for i in np.argsort(-cosines, kind="stable")]
    found = store.nearest_chunk_ids(query, 150)
    assert [cid for cid, _ in found] == truth
    assert np.allclose([sim for _, sim in found], np.sort(cosines)[::-1], atol=1e-5)
    only = store.nearest_chunk_ids(query, 5, where={"source": {"$in": ["f1.md"]}})
    assert [cid for cid, _ in only] == [cid for cid in truth if int(cid[1:]) % 3 == 1][:5]
    # a record stored after the first search is found, and one deleted is not
    store.upsert([Chunk(id="new", text="n", source="f9.md", start=0, end=1)], query[None, :])
    assert store.nearest_chunk_ids(query, 1) == [("new", pytest.approx(1.0, abs=1e-5))]
    store.delete_source("f9.md")
    assert store.nearest_chunk_ids(query, 1)[0][0] == truth[0]
    # past the size limit, Chroma's HNSW search answers (approximately: the best record, at least)
    store_settings.store.exact_search_max = 10
    approximate = ChunkStore(store_settings, embedder)
    assert approximate.nearest_chunk_ids(query, 1)[0][0] == truth[0] and not approximate._vectors


def test_retrieval_reads_the_same_from_both(store_settings, embedder):
    assert run_ingest(store_settings, embedder=embedder, show_progress=False).ok
    retriever = HybridRetriever(store_settings, embedder)
    hits = retriever.retrieve("Tiêu chí số 1 khi chọn nền tảng là gì?", k=2)
    assert hits[0].chunk.source == "khao_sat.md" and "tiêu chí số 1" in hits[0].chunk.text


def test_server_mode_needs_a_host(monkeypatch, tmp_path):
    monkeypatch.setenv("HOIDAP_STORE__MODE", "server")
    from rag.config import Settings

    with pytest.raises(Exception, match="needs store.host"):
        Settings(_env_file=None)
    settings = make_settings(tmp_path)
    settings.store = StoreSettings.model_construct(mode="server", host=None, port=8000, collection="x")
    with pytest.raises(ConfigError, match="store.host"):
        make_client(settings)


@pytest.mark.server
def test_an_unreachable_server_is_a_plain_message(tmp_path, embedder):
    settings = make_settings(tmp_path)
    settings.store = StoreSettings(mode="server", host="127.0.0.1", port=9, collection="x")
    with pytest.raises(StoreUnavailableError, match="127.0.0.1:9"):
        ChunkStore(settings, embedder)


def test_the_server_needs_no_writer_lock_but_the_embedded_store_does(tmp_path):
    settings = make_settings(tmp_path)
    with writer_lock(settings), pytest.raises(Exception, match="another process is already writing"):  # noqa: PT012
        with writer_lock(settings):
            pass
    settings.store = StoreSettings(mode="server", host="127.0.0.1", collection="x")
    with writer_lock(settings), writer_lock(settings):
        pass
