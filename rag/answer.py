"""The answer: text, the sentences it is made of and the chunks each one cites.

`to_bedrock()` gives Bedrock Knowledge Bases' RetrieveAndGenerate shape, so code
written against the managed service reads hoidap's answers unchanged;
`to_markdown()` gives the proposal-ready text with a references list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rag.sentences import without_emphasis
from rag.types import RetrievedChunk, location

REFUSAL_VI = "Các tài liệu nguồn không chứa thông tin này."
REFUSAL_EN = "The sources do not contain this information."


@dataclass
class CitedSentence:
    """One sentence of the answer; `start`/`end` index `Answer.text` (end exclusive)."""

    text: str
    start: int
    end: int
    references: list[int]  # positions in Answer.references (0-based)
    quotes: dict[int, str] = field(default_factory=dict)  # reference position -> supporting sentence


@dataclass
class Answer:
    """A grounded answer, or a plain refusal (`refused`, no citations)."""

    question: str
    text: str
    sentences: list[CitedSentence]
    references: list[RetrievedChunk]  # only the cited chunks, numbered [1], [2], … in this order
    refused: bool = False
    provider: str = ""
    model: str = ""
    notice: str = ""  # e.g. "Bedrock unavailable; answered extractively"
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_bedrock(self) -> dict[str, Any]:
        """RetrieveAndGenerate's response shape; `citations` is empty for a refusal."""
        citations = []
        for sentence in self.sentences:
            if not sentence.references:
                continue
            citations.append(
                {
                    "generatedResponsePart": {
                        "textResponsePart": {
                            "text": sentence.text,
                            "span": {"start": sentence.start, "end": sentence.end},
                        }
                    },
                    "retrievedReferences": [
                        {
                            "content": {"type": "TEXT", "text": self.references[i].chunk.text},
                            "location": location(self.references[i].chunk.source),
                            "metadata": {
                                **self.references[i].chunk.public_metadata(),
                                "citation_number": i + 1,
                                "quote": sentence.quotes.get(i, ""),
                            },
                        }
                        for i in sentence.references
                    ],
                }
            )
        return {"output": {"text": self.text}, "citations": citations}

    def to_markdown(self, lang: str = "vi") -> str:
        """The answer with [n] markers and a references list that pastes cleanly into a proposal."""
        if self.refused or not self.references:
            return self.text
        heading = "Nguồn" if lang == "vi" else "Sources"
        lines = [self.text, "", f"**{heading}**", ""]
        for i, ref in enumerate(self.references):
            meta = ref.chunk.metadata
            quotes = [s.quotes[i] for s in self.sentences if i in s.quotes]
            quote = _plain(quotes[0]) if quotes else _plain(ref.chunk.text)[:300]
            parts = [f"[{i + 1}] {meta.get('title', ref.chunk.source)}"]
            # author and date as a proposal's footnote cites them (a byline the cleaner took out of the text)
            parts += [str(meta[key]) for key in ("author", "date") if meta.get(key)]
            parts.append(f"`{ref.chunk.source}`")
            # a blank line between references: rendered as Markdown, single line breaks would run them together
            lines.extend([" — ".join(parts) + f": “{quote}”", ""])
        return "\n".join(lines).rstrip()


def _plain(text: str) -> str:
    """A passage as a one-line quotation: no Markdown emphasis, list marks or line breaks."""
    text = without_emphasis(text)
    text = re.sub(r"^\s*(?:[-*•>]|\d+\.|#+)\s*", "", text, flags=re.M)
    return " ".join(text.split())
