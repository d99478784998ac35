"""Answer latency per provider: first streamed token and full answer (p50/p95), and peak memory.

Run after `hoidap ingest`:
    .venv/bin/python benchmarks/answers.py [--provider local] [--questions ../shared/eval/dev.jsonl] [--limit 20]
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
    parser.add_argument("--provider", default="local")
    parser.add_argument("--questions", type=Path, default=Path("../shared/eval/dev.jsonl"))
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from rag.chain import AnswerChain
    from rag.config import Settings
    from rag.embeddings import load_embedder
    from rag.evaluation import load_questions
    from rag.retrieval import HybridRetriever

    started = time.perf_counter()
    settings = Settings()
    retriever = HybridRetriever(settings, load_embedder(settings))
    retriever.warm_up()
    chain = AnswerChain(settings, retriever)
    chain.generator(args.provider)  # built (and for local, loaded) before timing
    list(chain.stream("Amazon Bedrock là gì?", provider=args.provider))  # warm-up
    cold = time.perf_counter() - started

    first, total, refused = [], [], 0
    for q in load_questions(args.questions)[: args.limit]:
        t0 = time.perf_counter()
        first_at = None
        answer = None
        for kind, value in chain.stream(q.question, history=q.history, provider=args.provider):
            if kind == "delta" and first_at is None:
                first_at = time.perf_counter() - t0
            if kind == "answer":
                answer = value
        total.append(time.perf_counter() - t0)
        first.append(first_at if first_at is not None else total[-1])
        refused += bool(answer and answer.refused)

    def pct(values: list[float], p: int) -> float:
        return statistics.quantiles(values, n=100)[p - 1]

    result = {
        "provider": args.provider,
        "questions": len(total),
        "refused": refused,
        "cold_start_s": round(cold, 1),
        "first_token_p50_s": round(pct(first, 50), 2),
        "first_token_p95_s": round(pct(first, 95), 2),
        "answer_p50_s": round(pct(total, 50), 2),
        "answer_p95_s": round(pct(total, 95), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
