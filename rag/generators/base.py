"""The generator Protocol, the numbered sources it receives, and the registry by name.

Every generator gets the same input, the question, the numbered sources (each
retrieved chunk with its sentences scored against the question) and the
conversation, and streams text with `[n]` markers. The chain, not the
generator, checks those markers against the sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol, runtime_checkable

import numpy as np

from rag.condense import Turn
from rag.config import Settings
from rag.errors import UnknownProviderError
from rag.types import RetrievedChunk, Sentence

REFUSAL_TOKEN = "KHÔNG_CÓ_THÔNG_TIN"  # noqa: S105 - a marker, not a secret


@dataclass
class ScoredSentence:
    """A source sentence with its vector and its similarity to the question."""

    sentence: Sentence
    vector: np.ndarray
    score: float
    # Similarity to the whole question, names included, when `score` leaves them partly out (English
    # questions): names say whether the sources speak of the thing at all, so refusals are decided on it.
    relevance: float | None = None


@dataclass
class Source:
    """A retrieved chunk as numbered for the generator: [number]."""

    number: int
    hit: RetrievedChunk
    sentences: list[ScoredSentence]
    words: set[str] | None = field(default=None, repr=False, compare=False)  # caches for grounding
    pairs: set[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    @property
    def relevance(self) -> float:
        """How close the chunk's best sentence comes to the whole question."""
        scores = [s.score if s.relevance is None else s.relevance for s in self.sentences]
        return max(scores, default=self.hit.dense_score or 0.0)


@runtime_checkable
class Generator(Protocol):
    """Writes an answer from numbered sources.

    `stream` yields pieces of text whose sentences end in `[n]` markers naming the
    sources they rest on, or exactly `REFUSAL_TOKEN` when the sources do not
    answer. It raises `ProviderUnavailableError` when it cannot run at all (no
    model, no credentials, service down): only that error triggers the fallback.
    """

    name: str
    can_stream: bool

    def describe(self) -> str:
        """The active model, as shown to users."""
        ...

    def stream(self, question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str) -> Iterator[str]:
        """Yield the answer text in pieces."""
        ...


def load_prompt(name: str) -> str:
    """A prompt template shipped in rag/prompts/."""
    return resources.files("rag").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")


@dataclass(frozen=True)
class PromptBudget:
    """How much of the sources and the conversation a generator's prompt carries.

    A local model reads its prompt at ~95 tokens/s on 2 cores, so its budget
    decides the first token's latency; a hosted model can take far more.
    """

    source_chars: int
    sentences_per_source: int
    history_turns: int = 4
    history_chars: int = 600
    title_chars: int = 160  # of each source's "title — section" line


def _source_head(src: Source, title_chars: int) -> str:
    meta = src.hit.chunk.metadata
    head = str(meta.get("title") or src.hit.chunk.source)
    if meta.get("section") and meta.get("section") != meta.get("title"):
        head += f" — {meta['section']}"
    if len(head) > title_chars:
        head = head[:title_chars].rsplit(" ", 1)[0] + "…"
    return f"[{src.number}] {head}"


def format_sources(sources: Sequence[Source], budget: PromptBudget, first: Sequence[str] = ()) -> str:
    """The best sentences across all sources that fit the budget, grouped by source in document order.

    Sentences are taken best first over every source, so a tight budget holds the
    strongest evidence instead of the first sources' openings; the sentences named in
    `first` (the quotes an extractive answer would give, a list block whole) come before
    all others, past the per-source cap.
    """
    max_chars, per_source, title_chars = budget.source_chars, budget.sentences_per_source, budget.title_chars
    chosen: dict[int, list[ScoredSentence]] = {}
    used = 0
    leading = {sid: i for i, sid in enumerate(first)}
    ranked = sorted(
        ((s, src) for src in sources for s in src.sentences),
        key=lambda pair: (leading.get(pair[0].sentence.id, len(leading)), -pair[0].score),
    )
    for sentence, src in ranked:
        picked = chosen.get(src.number, [])
        if len(picked) >= per_source and sentence.sentence.id not in leading:
            continue
        cost = len(sentence.sentence.text) + 1 + (0 if picked else len(_source_head(src, title_chars)) + 2)
        if used + cost > max_chars and chosen:
            continue
        chosen.setdefault(src.number, []).append(sentence)
        used += cost
    blocks: list[str] = []
    for src in sources:
        if src.number in chosen:
            body = "\n".join(s.sentence.text for s in sorted(chosen[src.number], key=lambda s: s.sentence.start))
        elif not src.sentences and used < max_chars:  # an index without sentence records: the chunk itself
            body = src.hit.chunk.text[: max_chars - used]
            used += len(body)
        else:
            continue
        blocks.append(f"{_source_head(src, title_chars)}\n{body}")
    return "\n\n".join(blocks)


def build_messages(
    question: str,
    sources: Sequence[Source],
    history: Sequence[Turn],
    lang: str,
    budget: PromptBudget,
    first: Sequence[str] = (),
) -> dict[str, Any]:
    """A Bedrock Converse request: system blocks, messages with content blocks, inferenceConfig."""
    # The system prompt is the same for every request, so a local model keeps it in its KV cache;
    # everything that varies comes after it.
    system = load_prompt("system").format(refusal_token=REFUSAL_TOKEN)
    answer_in = "Trả lời bằng tiếng Việt." if lang == "vi" else "Answer in English."
    user = load_prompt("user").format(
        sources=format_sources(sources, budget, first),
        question=question,
        answer_in=answer_in,
    )
    messages: list[dict[str, Any]] = []
    turns = list(history)[-budget.history_turns :] if budget.history_turns else []
    for turn in turns:
        if turn.get("role") in ("user", "assistant") and turn.get("content"):
            messages.append({"role": turn["role"], "content": [{"text": str(turn["content"])[: budget.history_chars]}]})
    messages.append({"role": "user", "content": [{"text": user}]})
    return {"system": [{"text": system}], "messages": messages}


_REGISTRY: dict[str, str] = {
    "extractive": "rag.generators.extractive:ExtractiveGenerator",
    "local": "rag.generators.local:LocalGenerator",
    "bedrock": "rag.generators.bedrock:BedrockGenerator",
}


def provider_names() -> list[str]:
    """Registered generator names, for settings and the UI."""
    return list(_REGISTRY)


def get_generator(name: str, settings: Settings, **kwargs: Any) -> Generator:
    """Build the generator registered under `name` (imports its backend only then)."""
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise UnknownProviderError(f"unknown provider {name!r}; choose one of {', '.join(_REGISTRY)}") from None
    module_name, cls_name = target.split(":")
    module = __import__(module_name, fromlist=[cls_name])
    generator: Generator = getattr(module, cls_name)(settings, **kwargs)
    return generator
