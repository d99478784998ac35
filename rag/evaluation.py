"""Evaluation on a question file in the format of shared/eval/dev.jsonl.

Retrieval: doc recall@k, evidence recall@k (an evidence string is found when one
retrieved chunk contains it, compared after NFC, lower-casing and white-space
folding), MRR@10 on the first chunk holding evidence and on the first chunk of a
gold document. Questions without gold documents (unanswerable) are left out of
the retrieval figures. Every figure is also broken down by type and language.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.condense import Turn, retrieval_texts
from rag.errors import HoidapError
from rag.segment import normalize
from rag.types import RetrievedChunk


@dataclass
class EvalQuestion:
    """One line of an eval file."""

    id: str
    question: str
    lang: str = "vi"
    type: str = "fact"
    gold_docs: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    key_facts: list[list[str]] = field(default_factory=list)
    answer: str = ""
    history: list[Turn] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return bool(self.gold_docs)


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read an eval file; a broken line is named by its number."""
    questions: list[EvalQuestion] = []
    known = set(EvalQuestion.__dataclass_fields__)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(EvalQuestion(**{k: v for k, v in raw.items() if k in known}))
        except (ValueError, TypeError) as exc:
            raise HoidapError(f"{path}:{number}: not a valid eval question ({exc})") from exc
    return questions


def retrieval_query(q: EvalQuestion) -> list[str]:
    """What the product would retrieve with, history included (see `rag.condense.retrieval_texts`)."""
    return retrieval_texts(q.question, q.history)


def retrieval_scores(q: EvalQuestion, hits: Sequence[RetrievedChunk], k: int) -> dict[str, float]:
    """Per-question retrieval figures (answerable questions only)."""
    evidence = [normalize(e) for e in q.evidence]
    texts = [normalize(h.chunk.text) for h in hits]
    top = texts[:k]
    ev_found = sum(any(e in t for t in top) for e in evidence)
    docs = {h.chunk.source for h in hits[:k]}
    mrr = next((1.0 / (i + 1) for i, t in enumerate(texts[:10]) if any(e in t for e in evidence)), 0.0)
    doc_mrr = next((1.0 / (i + 1) for i, h in enumerate(hits[:10]) if h.chunk.source in q.gold_docs), 0.0)
    return {
        "doc_recall": len(docs & set(q.gold_docs)) / len(q.gold_docs),
        "evidence_recall": ev_found / len(evidence) if evidence else 1.0,
        "mrr": mrr,
        "doc_mrr": doc_mrr,
    }


def key_fact_coverage(answer: str, key_facts: Sequence[Sequence[str]]) -> float:
    """Share of key-fact groups matched: a group matches when one alternative occurs in the answer."""
    if not key_facts:
        return 1.0
    text = normalize(answer)
    return sum(any(normalize(alt) in text for alt in group) for group in key_facts) / len(key_facts)


def summarize(rows: Iterable[dict[str, Any]], metrics: Sequence[str]) -> dict[str, Any]:
    """Means overall, by type and by language, with counts."""
    rows = list(rows)

    def mean(group: list[dict[str, Any]]) -> dict[str, float]:
        out: dict[str, float] = {"n": float(len(group))}
        for m in metrics:
            vals = [r[m] for r in group if r.get(m) is not None]
            out[m] = round(sum(vals) / len(vals), 4) if vals else float("nan")
        return out

    by: dict[str, dict[str, list[dict[str, Any]]]] = {"type": defaultdict(list), "lang": defaultdict(list)}
    for r in rows:
        by["type"][r["type"]].append(r)
        by["lang"][r["lang"]].append(r)
    return {
        "overall": mean(rows),
        "by_type": {t: mean(g) for t, g in sorted(by["type"].items())},
        "by_lang": {lang: mean(g) for lang, g in sorted(by["lang"].items())},
    }


RETRIEVAL_METRICS = ("doc_recall", "evidence_recall", "mrr", "doc_mrr")


def evaluate_retrieval(
    retrieve: Callable[[list[str], int, str], list[RetrievedChunk]],
    questions: Sequence[EvalQuestion],
    k: int,
    modes: Sequence[str] = ("dense", "bm25", "hybrid"),
) -> dict[str, Any]:
    """Run every mode over the same questions; `retrieve(query, n, mode)` returns ranked chunks."""
    report: dict[str, Any] = {"k": k, "modes": {}, "questions": {}}
    for mode in modes:
        rows = []
        for q in questions:
            if not q.answerable:
                continue
            hits = retrieve(retrieval_query(q), max(k, 10), mode)
            scores = retrieval_scores(q, hits, k)
            rows.append({"id": q.id, "type": q.type, "lang": q.lang, **scores})
            report["questions"].setdefault(q.id, {})[mode] = {
                **scores,
                "retrieved": [h.chunk.source for h in hits[:k]],
            }
        report["modes"][mode] = summarize(rows, RETRIEVAL_METRICS)
    return report


ANSWER_METRICS = ("key_facts", "cited_evidence", "refused_correctly", "false_refusal", "latency_s")


def answer_scores(q: EvalQuestion, answer: Any) -> dict[str, float | None]:
    """Per-question answer figures; None where a figure does not apply to the question."""
    if not q.answerable:
        return {
            "key_facts": None,
            "cited_evidence": None,
            "refused_correctly": 1.0 if answer.refused else 0.0,
            "false_refusal": None,
            "latency_s": answer.timings.get("total_s"),
        }
    evidence = [normalize(e) for e in q.evidence]
    cited_ok = any(
        ref.chunk.source in q.gold_docs and any(e in normalize(ref.chunk.text) for e in evidence)
        for ref in answer.references
    )
    return {
        "key_facts": 0.0 if answer.refused else key_fact_coverage(answer.text, q.key_facts),
        "cited_evidence": 1.0 if cited_ok else 0.0,
        "refused_correctly": None,
        "false_refusal": 1.0 if answer.refused else 0.0,
        "latency_s": answer.timings.get("total_s"),
    }


def evaluate_answers(
    ask: Callable[[EvalQuestion, str], Any], questions: Sequence[EvalQuestion], providers: Sequence[str]
) -> dict[str, Any]:
    """Answer every question with every provider; `ask(question, provider)` returns an Answer."""
    report: dict[str, Any] = {"providers": {}, "questions": {}}
    for provider in providers:
        rows = []
        for q in questions:
            answer = ask(q, provider)
            scores = answer_scores(q, answer)
            rows.append({"id": q.id, "type": q.type, "lang": q.lang, **scores})
            report["questions"].setdefault(q.id, {})[provider] = {
                **scores,
                "answer": answer.text,
                "cited": [r.chunk.source for r in answer.references],
                "notice": answer.notice,
            }
        report["providers"][provider] = summarize(rows, ANSWER_METRICS)
    return report
