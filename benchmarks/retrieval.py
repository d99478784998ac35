"""Retrieval latency (cold start, p50/p95 warm) and peak memory on the ingested corpus.

Run after `hoidap ingest`:  .venv/bin/python benchmarks/retrieval.py [--questions ../shared/eval/dev.jsonl] [--out F]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, default=Path("../shared/eval/dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the figures here (JSON)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from rag.config import Settings
    from rag.embeddings import load_embedder
    from rag.evaluation import load_questions, retrieval_query
    from rag.retrieval import HybridRetriever

    settings = Settings()
    retriever = HybridRetriever(settings, load_embedder(settings))
    retriever.warm_up()
    cold = time.perf_counter() - t0
    questions = [retrieval_query(q) for q in load_questions(args.questions)]
    t1 = time.perf_counter()
    retriever.retrieve(questions[0])
    first = time.perf_counter() - t1

    timings: dict[str, list[float]] = {"embed": [], "total": [], "search": []}
    for _ in range(args.rounds):
        for q in questions:
            a = time.perf_counter()
            retriever.embedder.embed_queries(q[:1])
            b = time.perf_counter()
            retriever.retrieve(q)
            c = time.perf_counter()
            timings["embed"].append((b - a) * 1000)
            timings["total"].append((c - b) * 1000)
            timings["search"].append((c - b - (b - a)) * 1000)

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100)[int(p) - 1]

    result = {
        "query_encoder": settings.embedding.query_encoder,
        "chunks": retriever.store.count(),
        "queries": len(timings["total"]),
        "cold_start_s": round(cold, 2),
        "first_query_ms": round(first * 1000, 1),
        "retrieve_p50_ms": round(pct(timings["total"], 50), 1),
        "retrieve_p95_ms": round(pct(timings["total"], 95), 1),
        "query_embedding_p50_ms": round(pct(timings["embed"], 50), 1),
        "search_without_embedding_p50_ms": round(pct(timings["search"], 50), 1),
        "search_without_embedding_p95_ms": round(pct(timings["search"], 95), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
