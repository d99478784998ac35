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


@dataclass
class Source:
    """A retrieved chunk as numbered for the generator: [number]."""

    number: int
    hit: RetrievedChunk
    sentences: list[ScoredSentence]
    words: set[str] | None = field(default=None, repr=False, compare=False)  # cache for grounding

    @property
    def best(self) -> float:
        return max((s.score for s in self.sentences), default=self.hit.dense_score or 0.0)


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


def format_sources(sources: Sequence[Source], max_chars: int, per_source: int) -> str:
    """Sources for a prompt: the best sentences of each, in document order, within a character budget."""
    blocks: list[str] = []
    budget = max_chars
    for src in sources:
        meta = src.hit.chunk.metadata
        head = f"[{src.number}] {meta.get('title', src.hit.chunk.source)}"
        if meta.get("section") and meta.get("section") != meta.get("title"):
            head += f" — {meta['section']}"
        best = sorted(src.sentences, key=lambda s: -s.score)[:per_source]
        chosen = sorted(best, key=lambda s: s.sentence.start)
        body = "\n".join(s.sentence.text for s in chosen) if chosen else src.hit.chunk.text
        block = f"{head}\n{body}"
        if len(block) > budget:
            block = block[:budget]
        blocks.append(block)
        budget -= len(block)
        if budget <= 0:
            break
    return "\n\n".join(blocks)


def build_messages(
    question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str, max_chars: int, per_source: int
) -> dict[str, Any]:
    """A Bedrock Converse request: system blocks, messages with content blocks, inferenceConfig."""
    language, language_en = ("tiếng Việt", "Vietnamese") if lang == "vi" else ("tiếng Anh", "English")
    system = load_prompt("system").format(language=language, language_en=language_en, refusal_token=REFUSAL_TOKEN)
    user = load_prompt("user").format(sources=format_sources(sources, max_chars, per_source), question=question)
    messages: list[dict[str, Any]] = []
    for turn in list(history)[-4:]:
        if turn.get("role") in ("user", "assistant") and turn.get("content"):
            messages.append({"role": turn["role"], "content": [{"text": str(turn["content"])[:600]}]})
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
