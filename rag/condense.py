"""Follow-up questions -> a standalone retrieval query.

"Năm trước nó cũng đứng đầu à?" means nothing alone: "nó" (it) points back into
the conversation. When a question refers back (a pronoun, a demonstrative, a
"what about…" opener) or is too short to stand alone, the previous turn is
prepended so retrieval sees what the question is about. A question that stands
on its own is left alone, so a change of topic is not dragged back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypedDict


class Turn(TypedDict):
    """One chat message, as in the eval file's `history` and the UI."""

    role: str
    content: str


_REFERS_BACK = re.compile(
    r"\b(nó|họ|anh ấy|chị ấy|cô ấy|ông ấy|bà ấy|em ấy|người đó|người này|cái đó|điều đó|việc đó|"
    r"vấn đề đó|bên đó|chỗ đó|ở đó|như vậy|như thế|vậy thì|thế thì|còn|năm trước|năm ngoái|trước đó|"
    r"ấy|đó|này|kia|"
    r"it|its|they|them|their|he|him|his|she|her|that|those|this|these|the same|what about|how about|"
    r"and the|previous|last year|earlier)\b",
    re.I,
)
# Shorter questions usually leave their subject to the conversation ("Trong khoảng thời gian bao lâu?");
# one that changed the topic is still found by its own words (see `retrieval_texts`).
_MIN_WORDS = 8
_ANSWER_CHARS = 160


def refers_back(question: str) -> bool:
    """Does the question lean on the conversation before it?"""
    return points_back(question) or len(question.split()) < _MIN_WORDS


def points_back(question: str) -> bool:
    """Does it say so itself ("nó", "anh ấy", "that")? A short question without such a word may be a new topic."""
    return bool(_REFERS_BACK.search(question))


def last_content(history: Sequence[Turn], role: str) -> str:
    """The text of the latest turn by `role` ("user" or "assistant"), or ""."""
    return next((t["content"] for t in reversed(history) if t.get("role") == role), "")


def standalone_query(question: str, history: Sequence[Turn] | None, always: bool = False) -> str:
    """The text to retrieve with: the question, plus the last exchange when it refers back (or `always`)."""
    if not history or not (always or refers_back(question)):
        return question
    last_user = last_content(history, "user")
    last_answer = last_content(history, "assistant")
    # Drop citation markers and reference lists the assistant may have produced.
    last_answer = re.sub(r"\[\d+\]", "", last_answer.split("\n\n**Nguồn")[0].split("\n\n**Sources")[0])
    context = " ".join(part for part in (last_user, last_answer[:_ANSWER_CHARS]) if part)
    return f"{context}\n{question}" if context else question


_ORDINALS = {
    "đầu tiên": 0, "thứ nhất": 0, "thứ hai": 1, "thứ ba": 2, "thứ tư": 3, "thứ năm": 4, "cuối cùng": -1,
    "sau cùng": -1, "cuối": -1,
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "final": -1,
}  # fmt: skip
# "Yếu tố đầu tiên…", "the second one…": an item of the list the previous answer gave, by its place.
_ORDINAL_VI = re.compile(
    r"(?P<noun>\b[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+"
    r"(?P<place>đầu tiên|thứ nhất|thứ hai|thứ ba|thứ tư|thứ năm|cuối cùng|sau cùng|cuối)\b",
    re.I,
)
_ORDINAL_EN = re.compile(r"\bthe\s+(?P<place>first|second|third|fourth|fifth|last|final)\s+(?P<noun>[a-z]+)\b", re.I)
_ANY_NOUN_EN = {"one", "item", "point", "thing"}
# ("Người cuối cùng làm ở đâu?" after "Lâm Tuấn Kiệt, Đặng Hoàng Hiếu Nghĩa và Đinh Lê Hoàng Anh.")
_ANY_NOUN_VI = {"người", "ý", "mục", "điểm", "cái"}
_MIN_ITEMS = 3


def resolve_ordinal(question: str, history: Sequence[Turn] | None) -> str:
    """The question with "the first X" replaced by the first item of the list the previous answer gave.

    Only when the previous exchange was about X ("Filum.ai nêu những yếu tố nào…?" for "Yếu tố đầu tiên…")
    and listed at least three of them: "lần đầu tiên" (the first time) is no item.
    """
    if not history:
        return question
    items = _listed(last_content(history, "assistant"))
    asked_before = f"{last_content(history, 'user')} {last_content(history, 'assistant')}".lower()
    if len(items) < _MIN_ITEMS:
        return question
    for pattern in (_ORDINAL_VI, _ORDINAL_EN):
        for match in pattern.finditer(question):
            noun = match.group("noun").lower()
            head = noun.split()[-1] if pattern is _ORDINAL_VI else noun.rstrip("s")
            generic = _ANY_NOUN_EN if pattern is _ORDINAL_EN else _ANY_NOUN_VI
            named = noun in asked_before or head in generic or (pattern is _ORDINAL_EN and head in asked_before)
            if named:
                item = items[_ORDINALS[match.group("place").lower()]]
                return question[: match.start()] + item + question[match.end() :]
    return question


def ordinal_asked(question: str) -> tuple[str, int] | None:
    """("trọng tâm", 0) for "Lĩnh vực trọng tâm đầu tiên…?", ("area", -1) for "the last area": the noun
    (its last two words at most) a question asks an item of, and the item's index."""
    for pattern in (_ORDINAL_VI, _ORDINAL_EN):
        match = pattern.search(question)
        if match:
            return match.group("noun").lower(), _ORDINALS[match.group("place").lower()]
    return None


def _listed(answer: str) -> list[str]:
    """The items of a list answer: its bullet or numbered lines, or the comma-separated parts of its first
    sentence ("A, B, C và D"), without citation markers."""
    text = re.sub(r"\s*\[\d+\]", "", answer.split("\n\n**Nguồn")[0].split("\n\n**Sources")[0])
    lines = [m.group(1).strip() for m in re.finditer(r"^(?:[-*•]|\d+[.)])\s+(.+)$", text, re.M)]
    if len(lines) >= _MIN_ITEMS:
        return [line.rstrip(".;") for line in lines]
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].rstrip(".!?")
    sentence = sentence.split(":", 1)[-1]  # "5 cấp độ: A, B, …"
    raw = [p.strip() for p in sentence.split(",")]
    parts = [re.sub(r"^(?:và|hoặc|and|or)\s+", "", p, flags=re.I) for p in raw]
    # "A, B và C" ends in two items; "A, B, and C và D" ends in one ("emotional and psychological")
    opened = re.match(r"(?:và|hoặc|and|or)\s", raw[-1], re.I) is not None
    if len(parts) >= 2 and not opened and len(last := re.split(r"\s+(?:và|and)\s+", parts[-1])) == 2:
        parts[-1:] = last
    return [p for p in parts if p]


def retrieval_texts(question: str, history: Sequence[Turn] | None) -> list[str]:
    """What to retrieve with: the standalone query, and for a follow-up its own words too.

    The conversation finds the topic; the follow-up's words find the passage within it
    ("Ngoài tiền ra…" asks away from the investment the previous turn was about), or
    another topic when the question only looked like a follow-up.
    """
    question = resolve_ordinal(question, history)
    query = standalone_query(question, history)
    return [query] if query == question else [query, question]
