"""Clean documents -> chunks with stable ids, split on Vietnamese heading and sentence boundaries.

LangChain's recursive splitter tries the separators in order: a heading first,
then a paragraph, a line, a sentence end (Vietnamese uses the Latin . ? ! …),
a clause, a word. Pieces are merged back up to `chunk_size` with `chunk_overlap`,
so a sentence is only cut when it alone is longer than a chunk.
"""

from __future__ import annotations

import bisect
import hashlib

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.sentences import LIST_ITEM, sentence_spans, without_emphasis
from rag.types import Chunk, MetadataValue, Sentence, sentence_id

SEPARATORS = [
    r"\n(?=#{1,6} )",  # before a Markdown heading
    r"\n\n+",  # paragraph
    r"\n",  # line (list items, plain-text headings)
    r"(?<=[.!?…])[\"”’)]*\s+",  # sentence end
    r"(?<=[;:])\s+",  # clause
    r",\s+",
    r"\s+",
    "",
]


def make_splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    """The recursive splitter with Vietnamese heading/sentence separators and start offsets."""
    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        add_start_index=True,
        strip_whitespace=True,
    )


def heading_at(headings: list[tuple[int, str]], offset: int) -> str:
    """The last heading at or before `offset` ("" before the first one); `headings` is sorted by offset."""
    pos = bisect.bisect_right(headings, offset, key=lambda h: h[0]) - 1
    return headings[pos][1] if pos >= 0 else ""


def chunk_id(source: str, doc_hash: str, start: int, end: int) -> str:
    """Stable id: the same file version always yields the same ids (safe to upsert again)."""
    return hashlib.sha256(f"{source}\x00{doc_hash}\x00{start}\x00{end}".encode()).hexdigest()[:24]


def chunk_document(
    text: str,
    source: str,
    doc_hash: str,
    headings: list[tuple[int, str]],
    metadata: dict[str, MetadataValue],
    chunk_size: int,
    chunk_overlap: int,
) -> list[Chunk]:
    """Split `text`; each chunk knows its offsets, its section heading and the document's metadata."""
    splitter = make_splitter(chunk_size, chunk_overlap)
    chunks: list[Chunk] = []
    for piece in splitter.create_documents([text]):
        body = piece.page_content
        start = int(piece.metadata["start_index"])
        if start < 0 or text[start : start + len(body)] != body:
            start = text.find(body)  # the splitter lost track; find it ourselves
        end = start + len(body)
        # The section is the last heading at or before the chunk's first line.
        first_line_end = text.find("\n", start)
        limit = end if first_line_end == -1 else min(end, first_line_end)
        section = heading_at(headings, limit)
        meta = dict(metadata)
        meta.update(section=section, doc_hash=doc_hash)
        chunks.append(
            Chunk(
                id=chunk_id(source, doc_hash, start, end),
                text=body,
                source=source,
                start=start,
                end=end,
                metadata=meta,
            )
        )
    return chunks


def chunk_sentences(chunk: Chunk, headings: list[tuple[int, str]] | None = None) -> list[Sentence]:
    """The chunk's sentences with offsets into the same cleaned document, each under its own heading."""
    doc_hash = str(chunk.metadata.get("doc_hash", ""))
    default = str(chunk.metadata.get("section") or "")
    sentences = []
    for i, (a, b) in enumerate(sentence_spans(chunk.text)):
        sentences.append(
            Sentence(
                id=sentence_id(chunk.id, i),
                parent=chunk.id,
                text=chunk.text[a:b],
                source=chunk.source,
                start=chunk.start + a,
                end=chunk.start + b,
                doc_hash=doc_hash,
                section=heading_at(headings or [], chunk.start + a) or default,
            )
        )
    return sentences


def sentence_title(chunk: Chunk, sentence: Sentence) -> str:
    """What fills the embedder's title slot for a sentence: "document title — its heading".

    A sentence alone ("10 quốc gia tại châu Âu & Bắc Mỹ.") rarely says what it is
    about; its heading ("Phạm vi & Phương pháp nghiên cứu") does. Measured on the dev
    set, this lifts the gold sentence's mean reciprocal rank among the retrieved
    sentences from 0.52 to 0.62.
    """
    title = chunk.title
    parts = [title] if title else []
    if sentence.section and sentence.section != title:
        parts.append(sentence.section)
    parts.extend(list_context(chunk.text, sentence.start - chunk.start))
    return " — ".join(parts)


def list_context(text: str, at: int) -> list[str]:
    """The items a list item at offset `at` of `text` is nested under, outermost first, and the list's lead-in.

    "Loại trừ những người không tham gia vào quá trình ứng dụng." says what is excluded
    only under its parent item "Mức độ ứng dụng Generative AI"; the lead-in line ("…gồm:")
    does the same for a flat list.
    """
    if not 0 <= at <= len(text):
        return []
    line_start = text.rfind("\n", 0, at) + 1
    lines = text[:line_start].split("\n")[:-1]
    line = text[line_start:].split("\n", 1)[0]
    if not LIST_ITEM.match(line):
        return []
    indent = len(line) - len(line.lstrip())
    found: list[str] = []
    for previous in reversed(lines):
        if not previous.strip():
            continue
        if previous.lstrip().startswith("#"):
            break
        depth = len(previous) - len(previous.lstrip())
        if LIST_ITEM.match(previous):
            if depth < indent:
                found.append(_bare(previous))
                indent = depth
            continue
        if previous.rstrip().endswith(":"):
            found.append(_bare(previous))
        break
    return found[::-1]


def _bare(line: str) -> str:
    return without_emphasis(LIST_ITEM.sub("", line)).strip()
