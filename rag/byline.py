"""Who wrote an article and when, answered from its byline (or refused when it has none).

Blog platforms print the byline as loose lines ("- David Hajdu", "- Jun 5") or an avatar caption
("Ảnh đại diện Huy Nguyen"); the cleaner keeps them as the chunk's metadata, not as text, so no
sentence can quote them. A page that writes its byline as fields ("**Tác giả:** …") is answered
from the text instead, with the fields around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.generators.base import Source
from rag.grounding import GroundedSentence
from rag.sentences import AUTHOR_FIELD, DATE_FIELD

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
    r"\bwhen\s+(?:was|is)\s+(?:the|this|that)\s+[\w -]{0,40}?(?:published|posted|written)\b|"
    r"\bpublication date\b|\b(?:what|which) date was\b[^?]{0,60}\b(?:published|posted|written)\b",
    re.I,
)
_FIELDS_ASKED = (("author", _AUTHOR_ASKED), ("date", _PUBLISHED_ASKED))
# A byline written as fields in the text ("**Tác giả:** …", "**Ngày:** …") is quoted from the text.
_FIELDS_IN_TEXT = {"author": AUTHOR_FIELD, "date": DATE_FIELD}


def byline_answer(question: str, sources: Sequence[Source], lang: str) -> GroundedSentence | None:
    """The byline of the article the question is about (the best retrieved), when it asks who wrote it or
    when it was published and the article's metadata holds what its text does not; None otherwise."""
    wanted, top, in_text = _asked(question, sources)
    if not wanted or top is None or in_text:
        return None
    meta = top.hit.chunk.metadata
    values = {field: str(meta.get(field) or "").strip() for field in wanted}
    if not all(values.values()):
        return None
    author, date = values.get("author"), values.get("date")
    if lang == "en":
        said = [f"written by {author}" if author else "", f"published on {date}" if date else ""]
        text = "The article was " + " and ".join(p for p in said if p) + "."
    else:
        said = [f"do {author} viết" if author else "", f"được đăng ngày {date}" if date else ""]
        text = "Bài viết " + " và ".join(p for p in said if p) + "."
    title = str(meta.get("title") or top.hit.chunk.source)
    quote = " · ".join(v for v in (title, author, date) if v)
    return GroundedSentence(text, [top.number], {top.number: quote})


def byline_unknown(question: str, sources: Sequence[Source]) -> bool:
    """Who wrote the article, or when, is asked and it has no byline: the sources do not say.

    Another article's author is not this one's, and a person it quotes did not write it.
    """
    wanted, top, in_text = _asked(question, sources)
    if not wanted or top is None or in_text:
        return False
    return not all(str(top.hit.chunk.metadata.get(field) or "").strip() for field in wanted)


def _asked(question: str, sources: Sequence[Source]) -> tuple[list[str], Source | None, bool]:
    """(the byline fields asked for, the article asked about, whether its retrieved text writes them)."""
    wanted = [field for field, asked in _FIELDS_ASKED if asked.search(question)]
    if not wanted or not sources:
        return wanted, None, False
    top = sources[0]
    article = [s for s in sources if s.hit.chunk.source == top.hit.chunk.source]
    in_text = any(
        _FIELDS_IN_TEXT[field].match(x.sentence.text) for field in wanted for s in article for x in s.sentences
    )
    return wanted, top, in_text
