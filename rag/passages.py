"""A retrieved sentence in its passage: how it reads when quoted, what kind of line it is, what stands next to it.

Shared by the extractive answer's sentence ranking and its list blocks, which both read sources line by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.generators.base import ScoredSentence, Source
from rag.sentences import without_emphasis

_MD_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:#+\s*|[-*•]\s+|\d+[.)]\s+)?")
# A sentence opening with one of these leans on its neighbour: "Đây là nơi…" needs the line before,
# and a following "Nhưng…" / "Đây là…" finishes the thought of the line before it.
LEANS_BACK = re.compile(
    r"^(?:đây|điều này|việc này|nó|họ|từ đó|vì vậy|do đó|nhưng|tuy nhiên|ngoài ra|this|these|that|it|but|however)\b",
    re.I,
)
BOUNDARY_CHARS = 4
SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
# "**Tác giả:** …", "**Danh mục:** …": a page's field line, not a heading.
# a field has its value on its line ("**Danh mục:** A • B"); "**Tính năng chính:**" alone opens a list
FIELD = re.compile(r"^\s*\*\*[^*\n]{1,40}(?::\s*\*\*|\*\*\s*:)\s*\S")
# Ends as a sentence: ".", "!", "?", "…" or ":" (a lead-in), or a quotation closed after one of the first four.
_SENTENCE_END = re.compile(r'(?:[.!?…:]|[.!?…][”"])$')


def indent_of(src: Source, cand: ScoredSentence) -> int:
    """How far the sentence's line is indented in its chunk (a nested list item's depth)."""
    chunk = src.hit.chunk
    at = cand.sentence.start - chunk.start
    if not 0 <= at <= len(chunk.text):
        return 0
    line = chunk.text[chunk.text.rfind("\n", 0, at) + 1 : at]
    return len(line) if not line.strip() else 0


def follows(earlier: tuple[Source, ScoredSentence] | None, later: tuple[Source, ScoredSentence]) -> bool:
    """`later` comes after `earlier` in the same article."""
    return (
        earlier is not None
        and earlier[0].hit.chunk.source == later[0].hit.chunk.source
        and later[1].sentence.start > earlier[1].sentence.start
    )


def by_score(sources: Sequence[Source]) -> list[tuple[Source, ScoredSentence]]:
    """Every retrieved sentence with its source, by similarity alone (no word bonus), best first."""
    return sorted(((s, x) for s in sources for x in s.sentences), key=lambda p: -p[1].score)


def article_sentences(src: Source, sources: Sequence[Source]) -> list[tuple[Source, ScoredSentence]]:
    """Every retrieved sentence of `src`'s article, in document order."""
    same_doc = ((s, x) for s in sources if s.hit.chunk.source == src.hit.chunk.source for x in s.sentences)
    return sorted(same_doc, key=lambda p: p[1].sentence.start)


def gap_between(earlier: Source, later: Source) -> bool:
    """Two chunks of an article with text between them that was not retrieved (more than the blank lines
    a chunk boundary drops)."""
    return later is not earlier and later.hit.chunk.start - earlier.hit.chunk.end > BOUNDARY_CHARS


def neighbour(src: Source, current: ScoredSentence, step: int) -> ScoredSentence | None:
    """The sentence just after (step=+1) or before (-1) `current` in the same chunk."""
    if step > 0:
        later = [s for s in src.sentences if s.sentence.start > current.sentence.start]
        following = min(later, key=lambda s: s.sentence.start) if later else None
        # a heading after the passage starts another topic
        return None if following is None or is_heading(following) else following
    earlier = [s for s in src.sentences if s.sentence.start < current.sentence.start]
    return max(earlier, key=lambda s: s.sentence.start) if earlier else None


def is_lead_in(sentence: ScoredSentence) -> bool:
    """A sentence that opens a list ("…còn nhiều giới hạn:", "**Tận Dụng Amazon Bedrock:**")."""
    return clean(sentence.sentence.text).endswith(":")


def is_heading(sentence: ScoredSentence) -> bool:
    """A Markdown heading line ("## 3. Bảy lĩnh vực…"): it says what follows, it answers nothing alone."""
    return sentence.sentence.text.lstrip().startswith("#")


def title_like(text: str) -> bool:
    """A short capitalised line with no closing punctuation: a plain-text article's section title or list item."""
    return len(text) <= 110 and not text.startswith("#") and text[-1:] not in ".:;,…" and text[:1].isupper()


def normalized(text: str) -> str:
    """A sentence's text for telling repeats apart: cleaned, lower-cased, without its full stop."""
    return " ".join(clean(text).rstrip(".").split()).lower() if text.strip() else ""


def clean(text: str) -> str:
    """A source sentence as it reads in an answer: no Markdown emphasis or list marks."""
    text = _MD_PREFIX.sub("", text)
    text = without_emphasis(text).strip()
    text = " ".join(text.split())
    if text and not _SENTENCE_END.search(text):
        text += "."  # a title ending in a quotation ("…đến “thấu hiểu tâm can”") is still no sentence
    return text
