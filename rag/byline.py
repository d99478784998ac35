"""Who wrote an article, when, and how long it takes to read, answered from its byline (or refused when it
has none).

Blog platforms print the byline as loose lines ("- David Hajdu", "- Jun 5", "- 3 min read") or an avatar
caption ("Ảnh đại diện Huy Nguyen"); the cleaner takes them out of the text, which no sentence should
quote them from, and keeps them as the chunk's metadata, as written. The answer cites those lines as a
passage of their own. A page that writes its byline as fields ("**Tác giả:** …") is answered from the
text instead, with the fields around it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from rag.generators.base import Source
from rag.grounding import GroundedSentence
from rag.sentences import AUTHOR_FIELD, DATE_FIELD
from rag.types import Chunk, RetrievedChunk

# Who the author is, not what the author thinks ("Tác giả bài blog thay đổi cách chọn AI ra sao?").
_AUTHOR_ASKED = re.compile(
    r"(?:^|\s)(?-i:Ai|ai)\s+(?:là\s+)?(?:tác giả|người viết|viết|đã viết)\b|"
    r"\b(?:tác giả|người viết)\b[^?]{0,80}?\blà\s+(?-i:ai)\b|"
    r"\bwho\s+(?:wrote|authored)\b|\bwho\s+(?:is|was)\s+(?:the\s+)?(?:author|writer)\b|\bwritten by whom\b|"
    r"\b(?:what|which) is the (?:author|writer)'?s? name\b|\bname of the (?:author|writer)\b",
    re.I,
)
# When the article was published, not when something in it happened.
_PUBLISHED_ASKED = re.compile(
    r"\b(?:được\s+)?(?:đăng|xuất bản|viết)\s+(?:vào\s+)?(?:ngày|hôm|lúc|khi|năm|tháng)\s+nào\b|\bngày đăng\b|"
    # ("When was the post…", "When was David Hajdu's post…")
    r"\bwhen\s+(?:was|is)\s+(?:the|this|that|[\w.-]+(?:\s+[\w.-]+)?['’]s)\s+"
    r"[\w -]{0,40}?(?:published|posted|written)\b|"
    r"\bpublication date\b|\b(?:what|which) (?:date|day|year) was\b[^?]{0,60}\b(?:published|posted|written)\b",
    re.I,
)
# How long the article takes to read ("3 min read"), not how long something in it takes.
_READING_ASKED = re.compile(
    r"\bđọc\s+(?:hết|mất|xong|trong)?\s*(?:khoảng\s+|trong\s+)?(?:mấy|bao nhiêu)\s+phút\b|"
    r"\bmất\s+(?:khoảng\s+)?(?:mấy|bao nhiêu)\s+phút\s+(?:để\s+)?đọc\b|\bmất bao lâu\s+(?:để\s+)?đọc\b|"
    r"\bđọc\b[^?]{0,40}\bmất bao lâu\b|\bthời gian đọc\b|"
    r"\b(?:how long|how many minutes)\b[^?]{0,80}\bto read\b|\breading time\b|\b(?:min|minute)s?\s+read\b",
    re.I,
)
_FIELDS_ASKED = (("author", _AUTHOR_ASKED), ("date", _PUBLISHED_ASKED), ("reading_time", _READING_ASKED))
# A byline written as fields in the text ("**Tác giả:** …", "**Ngày:** …") is quoted from the text.
_FIELDS_IN_TEXT = {"author": AUTHOR_FIELD, "date": DATE_FIELD}
_MINUTES = re.compile(r"\d+")
# "…đăng vào năm nào?" is not answered by "Jun 5"
_YEAR_ASKED = re.compile(r"\bnăm\s+(?:nào|bao nhiêu|mấy)\b|\b(?:what|which)\s+year\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


class Byline(NamedTuple):
    """The answer's sentence and the passage it cites: the byline's own lines, when the index kept them."""

    sentence: GroundedSentence
    passage: Source


def byline_answer(question: str, sources: Sequence[Source], lang: str) -> Byline | None:
    """The byline of the article the question is about (the best retrieved), when it asks who wrote it, when
    it was published or how long it takes to read, and the article's metadata holds what its text does not;
    None otherwise."""
    wanted, top, in_text = _asked(question, sources)
    if not wanted or top is None or in_text:
        return None
    meta = top.hit.chunk.metadata
    values = {field: _known(question, field, meta) for field in wanted}
    if not all(values.values()):
        return None
    author, date, reading = values.get("author"), values.get("date"), values.get("reading_time")
    minutes = found.group(0) if reading and (found := _MINUTES.search(reading)) else reading
    parts: list[str] = []
    if lang == "en":
        said = [f"written by {author}" if author else "", f"published on {date}" if date else ""]
        parts += ["The article was " + " and ".join(p for p in said if p) + "."] if author or date else []
        parts += [f"{'It' if parts else 'The article'} is a {minutes} min read."] if reading else []
    else:
        said = [f"do {author} viết" if author else "", f"được đăng ngày {date}" if date else ""]
        parts += ["Bài viết " + " và ".join(p for p in said if p) + "."] if author or date else []
        parts += [f"Bài viết đọc hết khoảng {minutes} phút."] if reading else []
    text = " ".join(parts)
    lines = _lines(meta)
    if lines:  # the byline's lines, as the page writes them
        passage = _byline_chunk(top.hit.chunk, lines)
        cited = dataclasses.replace(top, hit=dataclasses.replace(top.hit, chunk=passage), sentences=[])
        quote = " · ".join(line.lstrip("-•* ").strip() for line in lines)
    else:  # an author or date from the file's own metadata (front matter, PDF properties)
        cited = top
        title = str(meta.get("title") or top.hit.chunk.source)
        quote = " · ".join(v for v in (title, author, date) if v)
    return Byline(GroundedSentence(text, [top.number], {top.number: quote}), cited)


def byline_passage(question: str, hits: Sequence[RetrievedChunk]) -> RetrievedChunk | None:
    """The byline's own lines as a retrieved passage, when the question asks who wrote the article it is
    about (its author named, else the best hit's), when, or how long a read, and they say all it asks.

    The cleaner took those lines out of the text, so no chunk says who wrote the article: without this,
    `hoidap retrieve` would return passages that never answer, while the answer cites the byline.
    """
    top = byline_article(question, hits)
    if top is None:
        return None
    lines = _lines(top.chunk.metadata)
    return dataclasses.replace(top, chunk=_byline_chunk(top.chunk, lines), dense_rank=None, bm25_rank=None)


def byline_article(question: str, hits: Sequence[RetrievedChunk]) -> RetrievedChunk | None:
    """The hit whose article's byline `byline_passage` would give (its author's article when the question
    names one, however far down), or None."""
    wanted = _fields_asked(question)
    if not wanted or not hits:
        return None
    top = hits[_article_asked(question, [h.chunk.metadata for h in hits])]
    meta = top.chunk.metadata
    if not _lines(meta) or not all(_known(question, field, meta) for field in wanted):
        return None
    return top


def _lines(meta: Mapping[str, object]) -> list[str]:
    """The byline's lines the cleaner kept, as written ("- David Hajdu", "- 3 min read")."""
    return [line.strip() for line in str(meta.get("byline") or "").splitlines() if line.strip()]


def _byline_chunk(chunk: Chunk, lines: Sequence[str]) -> Chunk:
    """A passage of the article whose text is its byline: what is cited and retrieved for a byline field."""
    return Chunk(f"{chunk.id}:byline", "\n".join(lines), chunk.source, 0, 0, dict(chunk.metadata))


def byline_unknown(question: str, sources: Sequence[Source]) -> bool:
    """Who wrote the article, when, or how long it takes to read is asked and its byline does not say: the
    sources do not.

    Another article's author is not this one's, and a person it quotes did not write it.
    """
    wanted, top, in_text = _asked(question, sources)
    if not wanted or top is None or in_text:
        return False
    return not all(_known(question, field, top.hit.chunk.metadata) for field in wanted)


def _known(question: str, field: str, meta: Mapping[str, object]) -> str:
    """The byline's value for `field`, or "" when it has none or not what is asked (a year, of "Jun 5")."""
    value = str(meta.get(field) or "").strip()
    if field == "date" and _YEAR_ASKED.search(question) and not _YEAR.search(value):
        return ""
    return value


def byline_of_named_author(question: str, sources: Sequence[Source]) -> bool:
    """A byline field is asked about the article of an author the question names.

    What the question says of the article counts for little then ("Bài blog của David Hajdu đọc hết
    khoảng mấy phút?" is not close in meaning to any of its sentences), so no relevance floor applies.
    """
    wanted, top, _ = _asked(question, sources)
    return bool(wanted) and top is not None and _author_in(question, top.hit.chunk.metadata)


def _fields_asked(question: str) -> list[str]:
    """The byline fields the question asks for ("author", "date", "reading_time")."""
    return [field for field, asked in _FIELDS_ASKED if asked.search(question)]


def _article_asked(question: str, metas: Sequence[Mapping[str, object]]) -> int:
    """Which of these articles (by their metadata, best first) the question is about: the one whose author
    it names ("Bài blog của David Hajdu đọc hết mấy phút?", wherever it ranks), else the best."""
    return next((i for i, meta in enumerate(metas) if _author_in(question, meta)), 0)


def _author_in(question: str, meta: Mapping[str, object]) -> bool:
    """The question names this article's author (two words at least: "Bài blog của David Hajdu …")."""
    author = " ".join(str(meta.get("author") or "").split()).lower()
    return len(author.split()) >= 2 and author in " ".join(question.split()).lower()


def _asked(question: str, sources: Sequence[Source]) -> tuple[list[str], Source | None, bool]:
    """(the byline fields asked for, the article asked about, whether its retrieved text writes them)."""
    wanted = _fields_asked(question)
    if not wanted or not sources:
        return wanted, None, False
    top = sources[_article_asked(question, [s.hit.chunk.metadata for s in sources])]
    article = [s for s in sources if s.hit.chunk.source == top.hit.chunk.source]
    in_text = any(
        field in _FIELDS_IN_TEXT and _FIELDS_IN_TEXT[field].match(x.sentence.text)
        for field in wanted
        for s in article
        for x in s.sentences
    )
    return wanted, top, in_text
