"""Sentence spans of Vietnamese or English text (documents at ingest, answers at query time).

A line is always a boundary (list items, headings); inside a line a sentence ends
at . ! ? … followed by a space and a capital, a digit (also "~1.000", "$4"), a quote or markup. Numbers
such as "1.000" or "2.5" never split because no space follows the dot.
"""

from __future__ import annotations

import re

_END = re.compile(r"(?<=[.!?…])[\"”’)*]*\s+(?=[\"“‘(*\[]*[~≈$+]?[A-ZÀ-ỸĐ0-9])")
_NUMBERING = re.compile(r"^\s*(?:#+\s*|[-*]\s*)?(?:\d+\.)+\d*$|^\s*(?:#+\s*)?[IVX]+\.$")
_MIN_CHARS = 3
# A list item's marker at the start of a sentence: "- ", "* ", "• ", "1. ", "2) ", also quoted ("> - ").
LIST_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*•]|\d+[.)])\s+")
# "Cấp độ 2: …", "Bước 3. …", "Level 4: …": a title numbered within a series (a list with prose between).
NUMBERED_TITLE = re.compile(r"^(?P<prefix>[^\W\d][\w ]{1,24}?)\s+(?P<n>\d{1,2})\s*[:.)–-]\s+\S")
_EMPHASIS = re.compile(r"\*\*|__|`")
# A page's byline written as fields, one per line: "**Tác giả:** …", "**Ngày:** …" (a sentence never spans lines).
AUTHOR_FIELD = re.compile(r"^\W*(?:tác giả|người viết|author|written by)\W*:", re.I)
DATE_FIELD = re.compile(r"^\W*(?:ngày(?: đăng| xuất bản)?|date|published|posted)\W*:", re.I)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, stripped of surrounding white space."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        pos = 0
        for match in _END.finditer(line):
            if _NUMBERING.match(line[pos : match.start()]):
                continue  # "2. Phạm vi", "4.1 Chi phí": a numbered heading or item, not a sentence
            _add(spans, line, offset, pos, match.start() + len(match.group(0).rstrip()))
            pos = match.end()
        _add(spans, line, offset, pos, len(line))
        offset += len(line) + 1
    return spans


def _add(spans: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if len(stripped) < _MIN_CHARS or not any(ch.isalnum() for ch in stripped):
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((offset + start + lead, offset + start + lead + len(stripped)))


def split_sentences(text: str) -> list[str]:
    """The sentences themselves."""
    return [text[a:b] for a, b in sentence_spans(text)]


def without_emphasis(text: str) -> str:
    """The text without Markdown bold and code marks ("**10 quốc gia**" -> "10 quốc gia")."""
    return _EMPHASIS.sub("", text)
