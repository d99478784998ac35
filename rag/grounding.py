"""Check a generated answer against its sources, sentence by sentence.

Models write `[n]` markers only some of the time and sometimes add a sentence
the sources do not hold. So no marker is trusted: each sentence is compared
with the sentences of every source (embedding similarity, and word overlap for
same-language quotes); markers that do not support it are dropped, a missing
one is attached from the best-supporting source, and a sentence no source
supports is removed, and so is one naming what no source names (a place,
a person the model made up). A small model also writes new claims in its sources'
vocabulary ("Amazon đã sử dụng dữ liệu từ nhiều nguồn để đào tạo Claude"): a
Vietnamese sentence must also reuse the source's phrasing (its word pairs), not
only its words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import NamedTuple

import numpy as np

from rag.embeddings import Embedder
from rag.generators.base import REFUSAL_TOKEN, Source
from rag.segment import language, normalize, tokenize, tokens_among
from rag.sentences import sentence_spans
from rag.types import KEYWORD_TERMS

# "Có 3 diễn giả:", "There are 4 lessons:": a count that the list after it makes true.
_COUNT_LEAD = re.compile(r"^(?:Có|There (?:are|were))\s+(\d+)\s+[^:\d]{1,40}:$")
_MARKER = re.compile(r"\s*\[(\d+)\]")
_ATTRIBUTION = re.compile(
    r"^\s*(?:theo|according to)\s+[^,?]{1,60},|,\s*(?:theo|according to|per)\s+[^,?]{1,60}(?=\?\s*$)|"
    # "What does the AWS report say partners can…", "How does Filum.ai say an agent…"
    # (not "What did she say…": she is who the question is about; nor "What do the sources say…", a frame)
    r"(?:(?<=\bwhat\s)|(?<=\bhow\s)|(?<=\bwhy\s))(?:does|do|did)\s+"
    r"(?!(?:he|she|they|it|you|we|the (?:sources|documents|articles|posts|texts))\b)(?:[^,?\s]+\s+){1,4}?"
    r"(?:say|claim|suggest|write|argue)\b(?=\s+\w)|"
    # "Does the blogger think the winners…?", "Does Filum.ai believe…" (not "Does it…", "Do you…")
    r"^\s*(?:does|do|did)\s+(?!(?:he|she|they|it|you|we|i|this|that)\b)(?:[^,?\s]+\s+){1,5}?"
    r"(?:think|believe|say|claim|suggest|argue|consider|expect)(?:\s+that)?\b(?=\s+\w)|"
    # "Filum.ai có cho rằng làm thủ công…?", "Blogger tin rằng…": who holds the view, then the view
    r"^\s*(?!(?:nó|họ|anh ấy|chị ấy|ông ấy|bà ấy|cô ấy)\s)(?:[^,?\s]+\s+){1,5}?(?:có\s+)?"
    r"(?:cho rằng|tin rằng|nghĩ rằng|nói rằng|nhận định rằng|khẳng định rằng)\s+(?=\w)|"
    # "Filum.ai nói gì về vai trò của con người…?", "Bài thu hoạch nhận xét gì về…": who says it, before what
    # about (not "Các tài liệu nói gì về…", the frame of a question across the sources, nor "Họ nói gì về…")
    r"^\s*(?!(?:nó|họ|anh ấy|chị ấy|ông ấy|bà ấy|cô ấy|các|những|cả hai)\s)(?:[^,?\s]+\s+){1,4}?(?:có\s+)?"
    r"(?:nói|viết|đề cập|chia sẻ|nhận định|nhận xét|đánh giá|kể)\s+(?:gì|những gì)(?=\s+về\s+\w)|"
    # "Filum.ai có nói AI có thể đoán trước … không?": whose view a yes/no question asks about, then the view
    r"^\s*(?!(?:nó|họ|anh ấy|chị ấy|ông ấy|bà ấy|cô ấy|các|những|cả hai)\s)(?:[^,?\s]+\s+){1,5}?có\s+"
    r"(?:nói|đề cập|nhắc|viết)(?:\s+(?:rõ|đến|tới|rằng|là))?\s+(?!(?:gì|những gì)\b)(?=\w)|"
    # "Bà Laura Nguyễn cam kết…", "Ông Thịnh nói gì về…": the speaker, by title and name, before what they said
    r"^\s*(?:ông|bà|anh|chị|tiến sĩ|TS\.?)\s+(?:(?-i:[A-ZĐ][\w.-]*)\s+){1,4}"
    r"(?=(?:cam kết|nói|cho biết|nhận xét|chia sẻ|nhấn mạnh|khẳng định|kêu gọi|kỳ vọng|hy vọng)\b(?:\s+[^\s?]+){3})",
    re.I,
)
_REFUSAL = re.compile(
    r"KHÔNG[_ ]CÓ[_ ]THÔNG[_ ]TIN|không có thông tin|không chứa thông tin|do not contain|does not contain|"
    r"not (?:mentioned|provided|stated) in the sources|no information",
    re.I,
)
# A sentence about the prompt itself ("Trong phần NGUỒN, chúng tôi có…", "The SOURCES say…") is no answer.
_PROMPT_WORDS = ("NGUỒN", "SOURCES", "CÂU HỎI", "QUESTION")
SIMILARITY_SUPPORT = 0.55
OVERLAP_SUPPORT = 0.6
# Share of a Vietnamese answer sentence's word pairs (syllable bigrams) found in the source or the question.
PHRASE_SUPPORT = 0.4
# A number in an answer sentence must occur in one of the (at most 3) source sentences closest to it,
# within 0.1 similarity of the closest.
_NUMBER_CONTEXT = 3
_NUMBER_MARGIN = 0.1


@dataclass
class GroundedSentence:
    """An answer sentence with the sources that support it and the supporting sentence of each."""

    text: str
    sources: list[int]  # source numbers
    quotes: dict[int, str]
    list_item: bool = False
    depth: int = 0  # a list item's nesting level (0: top level)


class AnswerPart(NamedTuple):
    """One sentence of a raw answer: its text without markers, its markers, and its place in a list."""

    text: str
    markers: list[int]
    list_item: bool
    depth: int = 0


def is_refusal(text: str) -> bool:
    """The generator said the sources do not answer (our token, or words to that effect)."""
    stripped = text.strip()
    if not stripped:
        return False
    return REFUSAL_TOKEN in stripped or bool(_REFUSAL.search(stripped[:200]))


def split_answer(text: str) -> list[AnswerPart]:
    """Each sentence of a raw answer, markers apart; nested list items keep their depth."""
    # "… ngành. [1] Loại trừ …": keep a marker with the sentence it follows.
    text = re.sub(r"([.!?…])((?:\s*\[\d+\])+)", r"\2\1", text)
    out: list[AnswerPart] = []
    levels: list[int] = []  # indents of the open list's levels, outermost first
    for a, b in sentence_spans(text):
        piece = text[a:b]
        markers = [int(n) for n in _MARKER.findall(piece)]
        clean = _MARKER.sub("", piece).strip()
        list_item = bool(re.match(r"^\s*[-*•]\s+", clean))
        clean = re.sub(r"^\s*[-*•]\s+", "", clean)
        clean = re.sub(r"\*\*", "", clean).strip()
        if len(clean) < 2 or not any(ch.isalnum() for ch in clean):
            # a marker standing alone belongs to the sentence before it
            if markers and out:
                out[-1].markers.extend(m for m in markers if m not in out[-1].markers)
            continue
        depth = 0
        if list_item:
            lead = text[text.rfind("\n", 0, a) + 1 : a]
            indent = len(lead) if not lead.strip() else 0
            while levels and indent < levels[-1]:
                levels.pop()
            if not levels or indent > levels[-1]:
                levels.append(indent)
            depth = len(levels) - 1
        else:
            levels = []
        out.append(AnswerPart(clean, markers, list_item, depth))
    return out


_WORD = re.compile(r"\w[\w.-]*\w|\w")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_within(text: str, other: str) -> bool:
    """Every number written in `text` also occurs in `other` (a changed figure is not support)."""
    return set(_DIGITS.findall(text)) <= set(_DIGITS.findall(other))


def names_in(text: str) -> set[str]:
    """Proper names and acronyms ("Bedrock", "AWS", "Renova Cloud"'s words), lower-cased.

    A word counts when it has a capital letter past its first character, or starts with one
    without starting a sentence; a sentence's first word is capitalised anyway.
    """
    names: set[str] = set()
    for sentence in re.split(r"(?<=[.!?…:])\s+|\n", text):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            if any(ch.isupper() for ch in word[1:]) or (i > 0 and word[0].isupper()):
                names.add(word.lower())
    return names


def without_names(text: str) -> str:
    """The text with its proper names left out ("the Filum.ai article" -> "the article")."""
    names = names_in(text)
    kept = [w for w in text.split() if _bare(w) not in names]
    return " ".join(kept)


def what_is_asked(question: str) -> str:
    """The question without who says it, and in English (over Vietnamese text) without its names.

    "According to Filum.ai, what…?": the attribution and the names say which article; what is left
    says which passage, and the whole question's vector leans towards any sentence repeating them.
    The question itself when nothing is left out (the result's whitespace is folded, the question's may not be).
    """
    asked = without_attribution(question)
    asked = without_names(asked) if language(question) == "en" else asked
    return question if asked == " ".join(question.split()) else asked


def without_attribution(text: str) -> str:
    """The question without who says it ("Theo bà Laura Nguyễn, …", "…, according to the blogger?").

    The text itself when no one is named as saying it: callers compare the two to learn whether one was.
    """
    removed = _ATTRIBUTION.sub(" ", text)
    return text if removed == text else " ".join(removed.split())


def _bare(word: str) -> str:
    """A word as `names_in` lists it: no surrounding punctuation, no possessive ("Filum.ai's" -> "filum.ai")."""
    word = re.sub(r"['’]s$", "", word.strip("?!,;:()\"“”'‘’"))
    return word.rstrip(".").lower()


def names_within(text: str, other: str, known: str = "") -> bool:
    """Every name in `text`, other than those already in `known` (the question), also occurs in `other`."""
    # (every name of `known` is one of its words, so its words are all that need leaving out)
    return names_in(text) - _words(known) <= _words(other)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


# A Markdown link and a bare web address: a small model makes up addresses ("…/partners/ai/generative-ai/")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]]+", re.I)


def without_made_up_links(raw: str, said: str) -> str:
    """`raw` with each Markdown link whose address the sources (`said`) do not give reduced to its text."""
    return _LINK.sub(lambda m: m.group(0) if m.group(2) in said else m.group(1), raw)


def ground(raw: str, sources: Sequence[Source], embedder: Embedder, question: str = "") -> list[GroundedSentence]:
    """The supported sentences of `raw`, each with validated source numbers."""
    sources_text = " ".join(s.hit.chunk.text for s in sources)
    raw = without_made_up_links(raw, sources_text)
    asked = set(tokenize(question))
    heads = tuple({f"{normalize(s.hit.chunk.title)} —" for s in sources})
    prompt_words = {w for w in _PROMPT_WORDS if not any(w in s.hit.chunk.text for s in sources)}
    parts = [
        p
        for p in split_answer(raw)
        # A question, or the question said back, adds nothing: small models do both; and a small
        # model sometimes copies a source's heading line from its prompt ("Tiêu đề — Mục…") or talks
        # about the prompt's parts (its upper-case headings).
        if not p[0].rstrip().endswith("?")
        and (not asked or len(set(tokenize(p[0])) - asked) >= 2)
        and not normalize(p[0]).startswith(heads)
        and not any(re.search(rf"\b{w}\b", p[0]) for w in prompt_words)
        # (a web address no source gives is the model's own)
        and all(url.rstrip(".,;:!?") in sources_text for url in _URL.findall(p[0]))
    ]
    if not parts or not sources:
        return []
    vectors = embedder.embed_queries([p[0] for p in parts])
    by_number = {s.number: s for s in sources}
    asked_pairs = _pairs(question)
    # A name no source and not the question says is the model's own ("…đặt ở thành phố Los Angeles").
    said = " ".join(
        f"{s.hit.chunk.title} {s.hit.chunk.metadata.get('author') or ''} {s.hit.chunk.text}" for s in sources
    )
    kept: list[GroundedSentence] = []
    counts: dict[int, tuple[int, AnswerPart]] = {}  # "Có 3 diễn giả:" by its place in `kept`
    for (text, markers, list_item, depth), vec in zip(parts, vectors):
        count = _COUNT_LEAD.match(text)
        if count and not list_item:
            counts[len(kept)] = (int(count.group(1)), AnswerPart(text, markers, list_item, depth))
            continue  # the items that follow it support it, or nothing does
        if not names_within(text, said, question):
            continue
        tokens = set(tokenize(text))
        pairs = _pairs(text) if question and language(text) == "vi" else set()
        support: dict[int, tuple[float, str]] = {}
        for src in sources:
            closest = _closest(vec, src)
            sim, quote = closest[0]
            overlap = _overlap(tokens, src)
            strength = max(sim, overlap * SIMILARITY_SUPPORT / OVERLAP_SUPPORT)
            # its numbers must be in the sentences nearly as close as the closest, not anywhere in the chunk:
            # "$10 million" found support in "10 chương trình"
            near = " ".join(t for s, t in closest[:_NUMBER_CONTEXT] if s >= sim - _NUMBER_MARGIN)
            numbers_ok = numbers_within(text, near)
            phrased = not pairs or len(pairs & (_source_pairs(src) | asked_pairs)) >= PHRASE_SUPPORT * len(pairs)
            if numbers_ok and phrased and (sim >= SIMILARITY_SUPPORT or overlap >= OVERLAP_SUPPORT):
                support[src.number] = (strength, quote)
        valid = [m for m in dict.fromkeys(markers) if m in support and m in by_number]
        if not valid and support:
            valid = [max(support, key=lambda n: support[n][0])]
        if not valid:
            continue  # no source holds this sentence: it does not go into the answer
        kept.append(GroundedSentence(text, valid, {n: support[n][1] for n in valid}, list_item, depth))
    for at in sorted(counts, reverse=True):
        n, part = counts[at]
        if lead := _counted_by(part, n, kept[at:], by_number):
            kept.insert(at, lead)
    return drop_dangling_lead_ins(kept)


def _counted_by(
    part: AnswerPart, n: int, after: list[GroundedSentence], by_number: dict[int, Source]
) -> GroundedSentence | None:
    """A count lead-in ("There are 3 speakers:") holds when exactly `n` grounded items follow it, all
    from one article (a list may run on into the article's next chunk): their number is what it says."""
    items = list(takewhile(lambda g: g.list_item, after))
    if not items:
        return None
    depth = min(g.depth for g in items)
    top = [g for g in items if g.depth == depth]

    def articles(g: GroundedSentence) -> set[str]:
        return {by_number[m].hit.chunk.source for m in g.sources}

    common = set.intersection(*(articles(g) for g in top))
    if len(top) != n or not common:
        return None
    first = [m for m in top[0].sources if by_number[m].hit.chunk.source in common]
    number = next((m for m in part.markers if m in first), first[0])
    return GroundedSentence(part.text, [number], {number: top[0].quotes[number]})


def drop_dangling_lead_ins(sentences: list[GroundedSentence]) -> list[GroundedSentence]:
    """A lead-in ("The criteria are:") whose list was dropped says nothing; it must not stand alone."""
    out = []
    for i, sentence in enumerate(sentences):
        follows = sentences[i + 1] if i + 1 < len(sentences) else None
        # A list item ending in ":" is a topic heading inside a list, and stays.
        dangling = follows is None or not follows.list_item
        if sentence.text.rstrip().endswith(":") and not sentence.list_item and dangling:
            continue
        out.append(sentence)
    return out


def _closest(vec: np.ndarray, src: Source) -> list[tuple[float, str]]:
    """(similarity, text) of the source's sentences to an answer sentence, closest first (the chunk if none)."""
    if not src.sentences:
        return [(float(src.hit.dense_score or 0.0), src.hit.chunk.text)]
    sims = [float(np.dot(vec, s.vector)) for s in src.sentences]
    order = sorted(range(len(sims)), key=lambda i: -sims[i])  # stable: the first of equals, as argmax
    return [(sims[i], src.sentences[i].sentence.text) for i in order]


def _overlap(tokens: set[str], src: Source) -> float:
    """Share of the sentence's content words that occur in the source chunk."""
    if not tokens:
        return 0.0
    return len(tokens & _source_words(src)) / len(tokens)


def _pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent word pairs (Vietnamese syllables), lower-cased: what a paraphrase shares with its source."""
    words = [w.lower() for w in _WORD.findall(text)]
    return set(zip(words, words[1:]))


def _source_pairs(src: Source) -> set[tuple[str, str]]:
    if src.pairs is None:
        text = " ".join(s.sentence.text for s in src.sentences) if src.sentences else src.hit.chunk.text
        src.pairs = _pairs(text)
    return src.pairs


def _source_words(src: Source) -> set[str]:
    """The words a source can vouch for: those of its kept sentences (injected instructions are dropped)."""
    if src.words is None:
        if src.sentences:
            src.words = set(tokenize(" ".join(s.sentence.text for s in src.sentences)))
        elif src.hit.chunk.metadata.get(KEYWORD_TERMS):
            src.words = tokens_among(str(src.hit.chunk.metadata[KEYWORD_TERMS]).split())
        else:
            src.words = set(tokenize(src.hit.chunk.text))
    return src.words
