"""Cheap checks that the evidence can answer the kind of question asked.

Similarity cannot tell "how much capital does the fund manage?" from "how many
guests came?": both find sentences about the right thing. A quantity question
needs a number, and in Vietnamese the number should come with the unit asked
for ("bao nhiêu vốn" wants an amount of "vốn"). Generators that cannot reason
about this themselves (extractive, the small local model) are held to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_QUANTITY_VI = re.compile(r"(?P<before>(?:\S+\s+){0,2})(?:là\s+)?(?:bao nhiêu|mấy)\s*(?P<after>[^\s?.,!]*)", re.I)
_QUANTITY_EN = re.compile(r"\bhow (?:many|much)\b|\bwhat (?:is|was) the (?:price|cost|amount|number)\b", re.I)
_NUMBER = re.compile(
    r"\d|\b(?:hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|hundred|thousand|million|billion)\b", re.I
)
_SKIP = {"là", "có", "được", "thì", "tổng", "cộng", "hiện", "đang", "the", "a"}


def quantity_unit(question: str) -> tuple[bool, str | None]:
    """Is this a quantity question, and which word should stand with the number (Vietnamese only)?"""
    match = _QUANTITY_VI.search(question)
    if match:
        after = match.group("after").lower()
        if after and after not in _SKIP:
            return True, after
        before = [w for w in re.findall(r"[\wÀ-ỹ]+", match.group("before").lower()) if w not in _SKIP]
        return True, before[-1] if before else None
    return bool(_QUANTITY_EN.search(question)), None


def quantity_supported(question: str, sentences: Iterable[str]) -> bool:
    """False when a quantity is asked for and no sentence gives one (with its unit, when known)."""
    asked, unit = quantity_unit(question)
    if not asked:
        return True
    for text in sentences:
        lowered = text.lower()
        if _NUMBER.search(lowered) and (unit is None or re.search(rf"\b{re.escape(unit)}\b", lowered)):
            return True
    return False
