"""Data shared by ingest and rag: chunks, retrieved chunks, and Bedrock-shaped views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MetadataValue = str | int | float | bool

# A chunk's (and a sentence's) keyword terms (`rag.segment.keyword_terms`), stored at ingest; an older ingest
# stored a chunk's words without syllable pairs under the old name, which retrieval no longer reads.
KEYWORD_TERMS = "bm25_terms"
_OLD_KEYWORD_TERMS = "bm25"


@dataclass(frozen=True)
class Chunk:
    """A span of one cleaned document; `start`/`end` index into that cleaned text."""

    id: str
    text: str
    source: str
    start: int
    end: int
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", self.source))

    def searched_text(self) -> str:
        """What the embedder and the keyword index see: the section heading gives a short chunk its context."""
        section = str(self.metadata.get("section") or "")
        if section and section not in self.text[: len(section) + 10]:
            return f"{section}\n{self.text}"
        return self.text

    def store_metadata(self) -> dict[str, MetadataValue]:
        """Flat metadata as Chroma stores it (no None values)."""
        meta: dict[str, MetadataValue] = {k: v for k, v in self.metadata.items() if v is not None}
        meta.update(source=self.source, start=self.start, end=self.end, chunk_id=self.id)
        return meta

    def public_metadata(self) -> dict[str, MetadataValue]:
        """Metadata worth showing to a user or a client (no internal keyword tokens)."""
        meta = self.store_metadata()
        meta.pop(KEYWORD_TERMS, None)
        meta.pop(_OLD_KEYWORD_TERMS, None)
        return meta

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        meta = dict(meta)
        source = str(meta.pop("source", ""))
        start = int(meta.pop("start", 0))
        end = int(meta.pop("end", start + len(text)))
        meta.pop("chunk_id", None)
        return cls(id=chunk_id, text=text, source=source, start=start, end=end, metadata=meta)


def sentence_id(chunk_id: str, index: int) -> str:
    """A sentence's id names its chunk, so a search can return ids alone."""
    return f"{chunk_id}-{index}"


def parent_id(sentence_id: str) -> str:
    """The chunk id inside a sentence id (chunk ids are hex, without '-')."""
    return sentence_id.rsplit("-", 1)[0]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a chunk, embedded on its own for extractive answers and citation checks."""

    id: str
    parent: str  # the chunk id
    text: str
    source: str
    start: int  # offsets into the cleaned document, like Chunk's
    end: int
    doc_hash: str = ""
    section: str = ""  # the heading the sentence stands under (not always the chunk's first one)
    terms: str = ""  # its keyword terms, space-separated, when ingest computed them (KEYWORD_TERMS)

    def store_metadata(self) -> dict[str, MetadataValue]:
        meta: dict[str, MetadataValue] = {
            "parent": self.parent,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "doc_hash": self.doc_hash,
            "section": self.section,
        }
        if self.terms:
            meta[KEYWORD_TERMS] = self.terms
        return meta


@dataclass
class RetrievedChunk:
    """A chunk with the fused score and the per-retriever ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None

    def to_bedrock(self) -> dict[str, Any]:
        """One entry of Bedrock Knowledge Bases' Retrieve `retrievalResults`."""
        return {
            "content": {"type": "TEXT", "text": self.chunk.text},
            "location": location(self.chunk.source),
            "metadata": self.chunk.public_metadata(),
            "score": round(self.score, 6),
        }


def location(source: str) -> dict[str, Any]:
    """Bedrock's CUSTOM document location, keyed by corpus file name."""
    return {"type": "CUSTOM", "customDocumentLocation": {"id": source}}
