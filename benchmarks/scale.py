"""Scale: a 100k-chunk index, retrieval latency and recall against exact search, ingestion throughput, memory.

    .venv/bin/python benchmarks/scale.py [--chunks 100000] [--out benchmarks/results/scale.json]

Chunks are synthetic but realistic: sentences of the real corpus recombined,
with numbers and names varied. Their vectors are precomputed the same way
(normalised mixtures of the real sentences' EmbeddingGemma vectors plus noise),
because embedding 100k chunks on 2 cores would take hours; a second index of
uniformly random vectors is the hard case for HNSW. Query vectors are held-out
mixtures. Recall@5 compares Chroma's HNSW answer with exact (brute-force)
search over the same vectors. Ingestion throughput runs the real pipeline on a
sample and compares it with the raw embedder on the same chunks.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1]


def corpus_sentences(settings: Any) -> list[str]:
    from ingest.chunking import chunk_sentences
    from ingest.pipeline import prepare

    out: list[str] = []
    for path in sorted((REPO / "corpus").iterdir()):
        for chunk in prepare(path, path.name, "h", settings).chunks:
            out += [s.text for s in chunk_sentences(chunk) if len(s.text) > 30 and not s.text.startswith("#")]
    return out


def synthetic_chunks(sentences: list[str], vectors: np.ndarray, n: int, rng: np.random.Generator) -> tuple:
    """n chunks of 3-5 recombined sentences with varied numbers; vectors are noisy mixtures of theirs."""
    from rag.segment import keyword_terms
    from rag.types import KEYWORD_TERMS, Chunk

    chunks, embs = [], np.empty((n, vectors.shape[1]), dtype=np.float32)
    for i in range(n):
        picks = rng.choice(len(sentences), size=int(rng.integers(3, 6)), replace=False)
        text = " ".join(
            re.sub(r"\d+", lambda m: str(int(m.group()) + int(rng.integers(1, 50))), sentences[j]) for j in picks
        )
        mix = vectors[picks].mean(axis=0) + rng.normal(0, 0.02, vectors.shape[1])
        embs[i] = mix / np.linalg.norm(mix)
        source = f"synthetic_{i // 50:05d}.md"
        meta = {"title": f"Bài tổng hợp {i // 50}", KEYWORD_TERMS: " ".join(keyword_terms(text))}
        chunks.append(Chunk(id=f"s{i:07d}", text=text, source=source, start=0, end=len(text), metadata=meta))
    return chunks, embs


def build(settings: Any, embedder: Any, chunks: list, embs: np.ndarray) -> tuple[Any, float]:
    from rag.store import ChunkStore

    store = ChunkStore(settings, embedder)
    batch = min(4000, store.client.get_max_batch_size())
    started = time.perf_counter()
    for i in range(0, len(chunks), batch):
        store.upsert(chunks[i : i + batch], embs[i : i + batch])
    return store, time.perf_counter() - started


def dense_recall(store: Any, embs: np.ndarray, queries: np.ndarray, k: int = 5) -> tuple[float, list[float]]:
    """Recall@k of HNSW against exact cosine search over the same vectors, and dense query latencies."""
    exact = np.argsort(-(queries @ embs.T), axis=1)[:, :k]
    found, latencies = [], []
    for q, truth in zip(queries, exact):
        started = time.perf_counter()
        hits = store.query(q, k)
        latencies.append((time.perf_counter() - started) * 1000)
        got = {int(c.id[1:]) for c, _ in hits}
        found.append(len(got & set(truth.tolist())) / k)
    return float(np.mean(found)), latencies


def ingestion_throughput(settings_factory: Any, embedder: Any, sentences: list[str], n: int = 96) -> dict:
    """The real pipeline on n chunk-sized articles vs the raw embedder on the same chunks."""
    from ingest.pipeline import run_ingest
    from rag.store import ChunkStore

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_factory(Path(tmp))
        corpus = settings.ingest.corpus_dir
        corpus.mkdir(parents=True, exist_ok=True)
        for i in range(n // 2):  # two chunks per file
            body = "\n\n".join(" ".join(rng.sample(sentences, 5)) for _ in range(2))
            (corpus / f"bai_{i:03d}.md").write_text(f"# Bài {i}\n\n{body}\n", encoding="utf-8")
        report = run_ingest(settings, embedder=embedder, show_progress=False)
        store = ChunkStore(settings, embedder)
        chunks = [c for c, _ in store.iter_chunks()]
        sentences_embedded = store.sentences.count()
        texts = [c.text for c in chunks]
        started = time.perf_counter()
        embedder.embed_documents(texts, titles=[c.title for c in chunks])
        raw_chunks_s = time.perf_counter() - started
        sentence_texts = [d for d in store.sentences.get(include=["documents"])["documents"]]
        started = time.perf_counter()
        embedder.embed_documents(sentence_texts)
        raw_sentences_s = time.perf_counter() - started
    pipeline_rate = report.chunks_embedded / report.seconds
    return {
        "chunks": report.chunks_embedded,
        "sentences": sentences_embedded,
        "pipeline_seconds": round(report.seconds, 1),
        "pipeline_chunks_per_s": round(pipeline_rate, 2),
        "raw_embedder_chunks_per_s": round(len(texts) / raw_chunks_s, 2),
        "ratio_vs_raw_chunks_only": round(pipeline_rate / (len(texts) / raw_chunks_s), 3),
        "ratio_vs_raw_same_work": round((raw_chunks_s + raw_sentences_s) / report.seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "scale.json")
    parser.add_argument("--skip-default-hnsw", action="store_true", help="do not build the Chroma-defaults index")
    parser.add_argument("--only-ingestion", action="store_true", help="measure ingestion throughput only")
    args = parser.parse_args()

    from rag.config import Settings, StoreSettings
    from rag.embeddings import load_embedder
    from rag.retrieval import HybridRetriever

    base = Settings(_env_file=None)
    embedder = load_embedder(base)
    rng = np.random.default_rng(42)
    sentences = corpus_sentences(base)
    sent_vecs = embedder.embed_documents(sentences)
    print(f"{len(sentences)} corpus sentences embedded")
    chunks, embs = synthetic_chunks(sentences, sent_vecs, args.chunks, rng)
    picks = [rng.choice(len(sentences), size=3, replace=False) for _ in range(args.queries)]
    queries = np.stack([sent_vecs[p].mean(axis=0) + rng.normal(0, 0.03, sent_vecs.shape[1]) for p in picks])
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    query_texts = [sentences[p[0]] for p in picks]
    results: dict[str, Any] = {"chunks": args.chunks, "queries": args.queries, "dimension": int(embs.shape[1])}

    if not args.only_ingestion:
        work = Path(tempfile.mkdtemp(prefix="hoidap-scale-"))
        try:

            def settings_for(name: str, **hnsw: int) -> Settings:
                s = Settings(_env_file=None)
                s.store = StoreSettings(path=work / name, collection=name, **hnsw)
                return s

            tuned = settings_for("tuned")
            store, seconds = build(tuned, embedder, chunks, embs)
            results["build_seconds"] = round(seconds, 1)
            results["hnsw"] = {k: getattr(tuned.store, k) for k in ("hnsw_search_ef", "hnsw_construction_ef", "hnsw_m")}
            recall, dense_ms = dense_recall(store, embs, queries)
            results["realistic"] = {
                "recall_at_5_vs_exact": round(recall, 4),
                "dense_p50_ms": round(_pct(dense_ms, 50), 1),
                "dense_p95_ms": round(_pct(dense_ms, 95), 1),
            }
            t0 = time.perf_counter()
            retriever = HybridRetriever(tuned, embedder, store=store)
            retriever.warm_up()
            results["keyword_index_build_s"] = round(time.perf_counter() - t0, 1)
            hybrid_ms = []
            for text, vec in zip(query_texts, queries):
                started = time.perf_counter()
                retriever.retrieve(text, k=5, embedded={text: vec})
                hybrid_ms.append((time.perf_counter() - started) * 1000)
            results["realistic"]["hybrid_retrieve_p50_ms"] = round(_pct(hybrid_ms, 50), 1)
            results["realistic"]["hybrid_retrieve_p95_ms"] = round(_pct(hybrid_ms, 95), 1)
            results["disk_mb_realistic"] = round(sum(f.stat().st_size for f in (work / "tuned").rglob("*")) / 2**20, 1)
            print(json.dumps(results, indent=2))
            del retriever, store

            rand = rng.normal(size=embs.shape).astype(np.float32)
            rand /= np.linalg.norm(rand, axis=1, keepdims=True)
            rq = rng.normal(size=(args.queries, embs.shape[1])).astype(np.float32)
            rq /= np.linalg.norm(rq, axis=1, keepdims=True)
            variants = [("random_tuned", {})]
            if not args.skip_default_hnsw:
                variants.append(
                    ("random_chroma_defaults", {"hnsw_search_ef": 100, "hnsw_construction_ef": 100, "hnsw_m": 16})
                )
            for name, hnsw in variants:
                store, seconds = build(settings_for(name, **hnsw), embedder, chunks, rand)
                recall, dense_ms = dense_recall(store, rand, rq)
                results[name] = {
                    "build_seconds": round(seconds, 1),
                    "recall_at_5_vs_exact": round(recall, 4),
                    "dense_p50_ms": round(_pct(dense_ms, 50), 1),
                    "dense_p95_ms": round(_pct(dense_ms, 95), 1),
                }
                print(name, results[name])
                del store
                shutil.rmtree(work / name, ignore_errors=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def small(root: Path) -> Settings:
        s = Settings(_env_file=None)
        s.store = StoreSettings(path=root / "index", collection="ingest")
        s.ingest.corpus_dir = root / "corpus"
        return s

    results["ingestion"] = ingestion_throughput(small, embedder, sentences)
    results["peak_rss_mb"] = round(_peak_rss_mb(), 0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
