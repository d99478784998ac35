"""Vietnamese questions typed without their marks: retrieval and answers, read as typed and with marks restored.

Every Vietnamese question of the eval files (and its conversation's user turns) is folded ("Bộ khảo sát có
bao nhiêu câu hỏi?" -> "Bo khao sat co bao nhieu cau hoi?") and asked twice: with `retrieval.restore_marks`
off (what hoidap did before) and on; the figures of the questions as written are the ceiling.

Run after `hoidap ingest`:
    .venv/bin/python benchmarks/unmarked.py [--provider extractive] [--out benchmarks/results/unmarked.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
from pathlib import Path
from typing import Any

DEFAULT_FILES = [Path("../shared/eval/dev.jsonl"), *sorted(Path("eval").glob("heldout*.jsonl"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provider", default="extractive")
    parser.add_argument("--files", type=Path, nargs="*", default=DEFAULT_FILES)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from rag.chain import AnswerChain
    from rag.config import Settings
    from rag.diacritics import fold
    from rag.embeddings import load_embedder
    from rag.evaluation import EvalQuestion, answer_scores, evaluate_retrieval, load_questions
    from rag.retrieval import HybridRetriever

    def folded(q: EvalQuestion) -> EvalQuestion:
        history = [{**t, "content": fold(t["content"])} if t["role"] == "user" else t for t in q.history]
        return dataclasses.replace(q, question=fold(q.question), history=history)

    questions = {f.stem: [q for q in load_questions(f) if q.lang == "vi"] for f in args.files}
    embedder = load_embedder(Settings())
    report: dict[str, Any] = {"provider": args.provider, "files": [str(f) for f in args.files], "runs": {}}
    restored: dict[str, str] = {}
    for run, restore in (("as_written", True), ("typed_unmarked", False), ("unmarked_restored", True)):
        settings = Settings()
        settings.retrieval.restore_marks = restore
        retriever = HybridRetriever(settings, embedder)
        retriever.warm_up()
        chain = AnswerChain(settings, retriever)
        rows: dict[str, list[dict[str, Any]]] = {"dev": [], "heldout": []}
        for name, qs in questions.items():
            asked = qs if run == "as_written" else [folded(q) for q in qs]
            retrieval = evaluate_retrieval(
                lambda t, n, mode, r=retriever: r.retrieve(t, k=n, mode=mode), asked, 5, ["hybrid"]
            )
            for q in asked:
                answer = chain.answer(q.question, q.history, provider=args.provider)
                if run == "unmarked_restored":
                    restored[q.id] = answer.question
                row = {"id": q.id, **answer_scores(q, answer)}
                row.update(retrieval["questions"].get(q.id, {}).get("hybrid", {}))
                rows["dev" if name == "dev" else "heldout"].append(row)
        report["runs"][run] = {part: _means(r) for part, r in rows.items()}
        print(run, json.dumps(report["runs"][run]))
    # How many syllables the restored questions spell as written (one_spelling: "hoá" and "hóa" are one)
    from rag.segment import one_spelling

    right = total = 0
    for q in (q for qs in questions.values() for q in qs):
        if q.id in restored:
            written, read = one_spelling(q.question).lower().split(), one_spelling(restored[q.id]).lower().split()
            right += sum(a == b for a, b in zip(written, read))
            total += len(written)
    report["restored_syllables_as_written"] = round(right / max(total, 1), 4)
    print("syllables restored as written:", report["restored_syllables_as_written"])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _means(rows: list[dict[str, Any]]) -> dict[str, float | int]:
    out: dict[str, float | int] = {"questions": len(rows)}
    for metric in ("evidence_recall", "mrr", "key_facts", "cited_evidence", "refused_correctly", "false_refusal"):
        values = [r[metric] for r in rows if r.get(metric) is not None]
        if values:
            out[metric] = round(statistics.fmean(values), 4)
    return out


if __name__ == "__main__":
    main()
