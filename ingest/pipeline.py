"""run_ingest: corpus folder -> chunks in Chroma, incrementally.

A file is re-embedded only when its bytes or the chunking/embedding
configuration changed. Per file: upsert the new chunks (ids are stable, so a
re-run after a crash never duplicates), then drop the old version's chunks,
then record the file's hash. A file that fails keeps whatever it had in the
index; a file that disappeared from the corpus leaves the index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.chunking import chunk_document, chunk_sentences, sentence_title
from ingest.cleaning import clean_text
from ingest.loaders import load_document
from rag.config import Settings
from rag.embeddings import Embedder, LazyEmbedder
from rag.errors import IngestError
from rag.segment import keyword_terms
from rag.store import ChunkStore, writer_lock
from rag.types import KEYWORD_TERMS, Chunk, MetadataValue, Sentence

# Bump when cleaning or chunking changes what a file turns into.
PIPELINE_VERSION = "11"


@dataclass
class IngestReport:
    """What one ingest run did; `failed` maps a file to the reason it was refused."""

    files: int = 0
    indexed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Prepared:
    source: str
    doc_hash: str
    chunks: list[Chunk]
    headings: list[tuple[int, str]] = field(default_factory=list)


def discover(corpus_dir: Path) -> tuple[list[tuple[str, Path]], dict[str, str]]:
    """Corpus files as (source name, path); links that leave the corpus are refused by name."""
    if not corpus_dir.is_dir():
        raise IngestError(corpus_dir, "the corpus folder does not exist")
    root = corpus_dir.resolve()
    found: list[tuple[str, Path]] = []
    refused: dict[str, str] = {}
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        source = rel.as_posix()
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                refused[source] = "a symbolic link to a file outside the corpus folder; refused"
                continue
        if path.is_file():
            found.append((source, path))
    return found, refused


def fingerprint(settings: Settings, embedder: Embedder) -> str:
    """What, besides a file's bytes, decides its chunks and vectors."""
    ing = settings.ingest
    return f"{PIPELINE_VERSION}|{ing.chunk_size}|{ing.chunk_overlap}|{embedder.name}"


def check_size(path: Path, source: str, settings: Settings) -> None:
    """Refuse files over the size limit, naming the file and its size."""
    max_bytes = int(settings.ingest.max_file_mb * 1024 * 1024)
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            source, f"the file is {size / 1048576:.1f} MB, over the {settings.ingest.max_file_mb:g} MB limit"
        )


def prepare(path: Path, source: str, doc_hash: str, settings: Settings) -> _Prepared:
    """Load, clean and chunk one file (no embedding yet)."""
    check_size(path, source, settings)
    doc = load_document(path, source)
    cleaned = clean_text(doc.page_content)
    if not cleaned.text.strip():
        raise IngestError(source, "nothing is left after removing markup and boilerplate")
    fm = doc.metadata
    metadata: dict[str, MetadataValue] = {
        "title": cleaned.title or str(fm.get("fm_title") or "") or _first_words(cleaned.text),
        "date": cleaned.date or str(fm.get("fm_date") or ""),
        "author": cleaned.author or str(fm.get("fm_author") or ""),
        "reading_time": cleaned.reading_time or "",
        "byline": "\n".join(cleaned.byline),
        "format": str(fm.get("format", "")),
        # where in the article a passage stands: "at the end of the post" asks for its last lines
        "doc_chars": len(cleaned.text),
    }
    metadata = {k: v for k, v in metadata.items() if v}
    chunks = chunk_document(
        cleaned.text,
        source,
        doc_hash,
        cleaned.headings,
        metadata,
        settings.ingest.chunk_size,
        settings.ingest.chunk_overlap,
    )
    if not chunks:
        raise IngestError(source, "the file produced no chunks")
    # Keyword terms are computed once here, so the query side never segments the corpus.
    for chunk in chunks:
        chunk.metadata[KEYWORD_TERMS] = " ".join(keyword_terms(chunk.searched_text()))
    return _Prepared(source, doc_hash, chunks, cleaned.headings)


def _with_terms(sentence: Sentence) -> Sentence:
    """The sentence with its keyword terms, for the sentence-level keyword search (rag/retrieval.py)."""
    return dataclasses.replace(sentence, terms=" ".join(keyword_terms(sentence.text)))


def _first_words(text: str, limit: int = 90) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"


def _commit(store: ChunkStore, prepared: _Prepared) -> None:
    """The new version is stored: drop the old one and record the file's hash."""
    store.delete_source(prepared.source, keep_hash=prepared.doc_hash)
    store.set_file_record(
        prepared.source,
        {"doc_hash": prepared.doc_hash, "chunks": len(prepared.chunks), "ingested_at": int(time.time())},
    )


def run_ingest(
    settings: Settings,
    client: Any | None = None,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    show_progress: bool = True,
) -> IngestReport:
    """Bring the index in line with the corpus folder; see the module docstring."""
    started = time.perf_counter()
    report = IngestReport()
    files, refused = discover(settings.ingest.corpus_dir)
    report.failed.update(refused)
    report.files = len(files) + len(refused)
    embedder = embedder or LazyEmbedder(settings)
    with writer_lock(settings):
        store = ChunkStore(settings, embedder, client=client)
        if rebuild:
            store.drop_all()
            store = ChunkStore(settings, embedder, client=store.client)
        records = store.file_records()
        salt = fingerprint(settings, embedder)

        todo: list[_Prepared] = []
        for source, path in files:
            try:
                check_size(path, source, settings)  # before reading: a huge file is never loaded
                content = path.read_bytes()
            except IngestError as exc:
                report.failed[source] = exc.reason
                continue
            except OSError as exc:
                report.failed[source] = f"cannot read the file: {exc.strerror}"
                continue
            doc_hash = hashlib.sha256(salt.encode() + b"\x00" + content).hexdigest()[:32]
            if records.get(source, {}).get("doc_hash") == doc_hash:
                report.skipped.append(source)
                continue
            try:
                todo.append(prepare(path, source, doc_hash, settings))
            except IngestError as exc:
                report.failed[source] = exc.reason

        total = sum(len(p.chunks) for p in todo)
        batch = settings.ingest.batch_size
        # Batches run across file boundaries (small files would otherwise make small, slow batches);
        # a file is committed (old version deleted, record written) once all its chunks are stored.
        queue = [(prepared, chunk) for prepared in todo for chunk in prepared.chunks]
        written: dict[str, int] = {}
        with tqdm(total=total, desc="embedding", unit="chunk", disable=not show_progress or total == 0) as bar:
            for i in range(0, len(queue), batch):
                part = queue[i : i + batch]
                chunks = [chunk for _, chunk in part]
                sentences = [(c, _with_terms(s)) for p, c in part for s in chunk_sentences(c, p.headings)]
                vectors = embedder.embed_documents(
                    [c.searched_text() for c in chunks] + [s.text for _, s in sentences],
                    titles=[c.title for c in chunks] + [sentence_title(c, s) for c, s in sentences],
                )
                store.upsert(chunks, vectors[: len(chunks)])
                store.upsert_sentences([s for _, s in sentences], vectors[len(chunks) :])
                report.chunks_embedded += len(chunks)
                bar.update(len(chunks))
                for prepared, _ in part:
                    written[prepared.source] = written.get(prepared.source, 0) + 1
                    if written[prepared.source] == len(prepared.chunks):
                        _commit(store, prepared)
                        report.indexed.append(prepared.source)

        present = {source for source, _ in files} | set(refused)
        for source in sorted(set(records) - present):
            store.delete_source(source)
            store.delete_file_record(source)
            report.removed.append(source)
        report.chunks_total = store.count()
    report.seconds = time.perf_counter() - started
    return report
