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


def standalone_query(question: str, history: Sequence[Turn] | None) -> str:
    """The text to retrieve with: the question, plus the last exchange when it refers back."""
    if not history or not refers_back(question):
        return question
    last_user = last_content(history, "user")
    last_answer = last_content(history, "assistant")
    # Drop citation markers and reference lists the assistant may have produced.
    last_answer = re.sub(r"\[\d+\]", "", last_answer.split("\n\n**Nguồn")[0].split("\n\n**Sources")[0])
    context = " ".join(part for part in (last_user, last_answer[:_ANSWER_CHARS]) if part)
    return f"{context}\n{question}" if context else question


def retrieval_texts(question: str, history: Sequence[Turn] | None) -> list[str]:
    """What to retrieve with: the standalone query, and for a follow-up its own words too.

    The conversation finds the topic; the follow-up's words find the passage within it
    ("Ngoài tiền ra…" asks away from the investment the previous turn was about), or
    another topic when the question only looked like a follow-up.
    """
    query = standalone_query(question, history)
    return [query] if query == question else [query, question]
