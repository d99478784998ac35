"""List blocks in retrieved passages: a lead-in or title with its items, numbered titles, prose lists.

A list question is answered by the list whole and in the source's order, not by the few items that scored
best, and "how many X" with no number stated is answered by counting the list that names X.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answerability import (
    counted_forms,
    counted_noun,
    enumeration_asked,
    inline_items,
    names_a_person,
    quantity_supported,
)
from rag.condense import ordinal_asked
from rag.generators.base import ScoredSentence, Source
from rag.passages import (
    FIELD,
    LEANS_BACK,
    SECTION_NUMBER,
    article_sentences,
    by_score,
    clean,
    follows,
    gap_between,
    indent_of,
    is_heading,
    is_lead_in,
    neighbour,
    title_like,
)
from rag.segment import tokenize
from rag.sentences import LIST_ITEM, NUMBERED_TITLE, without_emphasis

_MAX_LIST_ITEMS = 8
_MAX_SCANNED_ITEMS = 40
# A list question whose top sentences are mostly items of one section is asking for that section's list.
ITEMS_LOOKED_AT = 6
_ITEMS_FOR_A_HEADING = 4
# Sentences opening with the same word that make a prose list.
MIN_PARALLEL = 3
_NAMED_LEAD_IN_WORDS = 3
_MIN_ITEMS_QUOTED = 2
# A plural noun phrase in a lead-in: what its list enumerates ("… của các tiêu chí, ví dụ:")
_OTHER_PLURAL = re.compile(r"\b(?:các|những|mọi)\s+\w", re.I)
# "Báo cáo mang lại cho đối tác AWS:" lists what partners get: a noun after "cho", "giúp"… is who receives
# them, not what the items are. ("với năng lực:" and "về vai trò:" do name the items.)
_RECIPIENT = re.compile(r"\b(?:cho|tới|đến|giúp|for|to|helps?)\s+$", re.I)
# "Đối tác có thể dùng dữ liệu này để:" lists what it is done for, not partners.
_PURPOSE_LEAD_IN = re.compile(r"\b(?:để|nhằm|in order to)\s*:$", re.I)
# An item of a list written inline is a name ("Viện Dầu khí Việt Nam (VPI) thuộc Petrovietnam"), not a clause.
_NAME_WORDS = 8
# "Có mấy người lên chia sẻ?", "How many speakers…?": counted by a list of named people.
# (the people counted are the ones who spoke: "Buổi chia sẻ có bao nhiêu người tham dự?" counts the audience)
SPEAKERS_EN = "speakers|presenters|panelists"
_SPEAKERS_COUNTED = re.compile(
    rf"\b(?:mấy|bao nhiêu|how many)\s+(?P<noun>diễn giả|{SPEAKERS_EN}|(?:người|people|persons)"
    r"(?=(?:\s+\S+){0,2}?\s+(?:chia sẻ|trình bày|phát biểu|spoke|speak|presented|gave talks?)\b))",
    re.I,
)
_INLINE_LIST = re.compile(r":\s*[^,:]+,[^,]+(?:,| và | and | or | hoặc )")


def whole_list(
    picked: list[tuple[Source, ScoredSentence]], sources: Sequence[Source], question: str
) -> list[tuple[Source, ScoredSentence]]:
    """When the best sentences are a lead-in and items of its list ("…cá nhân hóa bằng:", "• Gợi ý theo quy
    tắc…"), the answer is that list: all its items in the source's order, not the few that scored best."""
    for lead in picked:
        if not is_lead_in(lead[1]):
            continue
        items = {
            clean(x.sentence.text) for s, x in picked if LIST_ITEM.match(x.sentence.text) and follows(lead, (s, x))
        }
        if not items:
            continue
        block = list_block([lead], sources, question)
        quoted = {clean(x.sentence.text) for _, x in block}
        if block and items <= quoted:  # (a long list is cut to its top level: a sub-item quoted is not in it)
            at = min(i for i, (_, x) in enumerate(picked) if clean(x.sentence.text) in quoted)
            rest = [(s, x) for s, x in picked if clean(x.sentence.text) not in quoted]
            return rest[:at] + block + rest[at:]
    # The best sentence and another quoted are items of one nested list ("- Nâng cấp…", "- Chủ động dẫn dắt…"
    # under "- Tín hiệu cần:"): the list is the answer, under its lead-in.
    if picked and LIST_ITEM.match(picked[0][1].sentence.text):
        parent = parent_item(picked[0], sources)
        siblings = [p for p in picked[1:] if LIST_ITEM.match(p[1].sentence.text) and parent_item(p, sources) == parent]
        if parent is not None and is_lead_in(parent[1]) and siblings:
            block = list_block([parent], sources, question)
            if block and all(p in block for p in [picked[0], *siblings]):
                # (a lead-in right under another, "- Nếu mức ảnh hưởng thấp:" then "- Tín hiệu cần:", says when)
                above = parent_item(parent, sources)
                if above is not None and is_lead_in(above[1]) and neighbour(*parent, -1) is above[1]:
                    block.insert(0, above)
                return block + [p for p in picked if p not in block]
    return picked


def parent_item(item: tuple[Source, ScoredSentence], sources: Sequence[Source]) -> tuple[Source, ScoredSentence] | None:
    """The nearest line before a nested list item that is indented less: the item it is under."""
    depth = indent_of(*item)
    if depth == 0:
        return None
    before = [p for p in article_sentences(item[0], sources) if p[1].sentence.start < item[1].sentence.start]
    for p in reversed(before):
        if indent_of(*p) < depth:
            return p
    return None


def counted_list(
    question: str, sources: Sequence[Source], picked: Sequence[tuple[Source, ScoredSentence]]
) -> tuple[str, Source, list[str]] | None:
    """For "how many X" when the quoted sentences state no number: what is counted, the source of
    the list and its top-level items.

    The list is the one whose heading or lead-in names X ("mấy bài học" -> "Bài Học Rút Ra"),
    for how many people spoke, a list of named people ("1. Lâm Tuấn Kiệt - Senior DevOps Engineer"),
    or a sentence that names X and enumerates them ("Các doanh nghiệp tham gia bao gồm A, B, … và G.").
    """
    noun = counted_noun(question)
    if noun is None or quantity_supported(question, [x.sentence.text for _, x in picked]):
        return None
    ranked = by_score(sources)
    openers: list[tuple[Source, ScoredSentence]] = []
    pattern = re.compile(rf"\b{counted_forms(noun)}\b", re.I)
    for src, x in ranked:
        text = clean(x.sentence.text)
        # the heading or lead-in names what is counted, or the question names it ("mấy hướng áp dụng vào
        # công việc?" and "### Áp Dụng Vào Công Việc")
        if is_heading(x) and (pattern.search(text) or names_title(question, text)):
            openers.append((src, x))
        elif text.endswith(":") and ((named := pattern.search(text)) or names_title(question, text)):
            # "Khách hàng đánh giá … các tiêu chí, ví dụ:" lists criteria, not customers: the noun that
            # a later "các / những" introduces is what the items are
            if named is None or not (
                _OTHER_PLURAL.search(text, named.end())
                or _RECIPIENT.search(text[: named.start()])
                or _PURPOSE_LEAD_IN.search(text)
            ):
                openers.append((src, x))
    counted = noun
    speakers = _SPEAKERS_COUNTED.search(question)
    if not openers and speakers:
        counted = speakers.group("noun").lower()
        for src, x in ranked[: ITEMS_LOOKED_AT * 2]:
            if LIST_ITEM.match(x.sentence.text) and names_a_person(x.sentence.text):
                heading = section_heading(src, x, sources)
                if heading is not None:
                    openers.append(heading)
                    break
    if not openers and picked and (LIST_ITEM.match(picked[0][1].sentence.text) or is_lead_in(picked[0][1])):
        # "mấy hạn chế?" when the best sentences are items of one list ("…nhưng còn nhiều giới hạn:"), or that
        # list under its lead-in: the list counts them, whatever word its lead-in uses
        lead = picked[0] if is_lead_in(picked[0][1]) else _lead_in_of(picked[0], sources)
        block = list_block([lead], sources, question) if lead is not None else []
        if lead is not None and sum(p in block for p in picked) >= _MIN_ITEMS_QUOTED:
            openers.append(lead)
    for opener in openers:
        items = top_items(opener, sources, question)
        if items:
            return counted, opener[0], [x.sentence.text for _, x in items]
    for src, x in ranked[:ITEMS_LOOKED_AT]:
        text = without_emphasis(x.sentence.text)
        items = inline_items(text)
        named = pattern.search(text)
        if (
            named
            and len(items) >= 2
            and text.find(items[0]) > named.start()
            and all(len(item.split()) <= _NAME_WORDS for item in items)
        ):
            return counted, src, items
    return None


def _lead_in_of(item: tuple[Source, ScoredSentence], sources: Sequence[Source]) -> tuple[Source, ScoredSentence] | None:
    """The lead-in ("…còn nhiều giới hạn:") of the list this item belongs to, if it was retrieved."""
    before = [p for p in article_sentences(item[0], sources) if p[1].sentence.start < item[1].sentence.start]
    for src, x in reversed(before):
        if is_lead_in(x) and not LIST_ITEM.match(x.sentence.text):
            return src, x
        if not LIST_ITEM.match(x.sentence.text):
            return None  # prose or a title between: the item's list has no lead-in here
    return None


def section_heading(
    src: Source, item: ScoredSentence, sources: Sequence[Source]
) -> tuple[Source, ScoredSentence] | None:
    """The retrieved heading of the section `item` stands under."""
    for s in sources:
        if s.hit.chunk.source != src.hit.chunk.source:
            continue
        for x in s.sentences:
            if is_heading(x) and x.sentence.text.lstrip("# ").strip() == item.sentence.section:
                return s, x
    return None


def listed_place(question: str, sources: Sequence[Source]) -> tuple[Source, ScoredSentence] | None:
    """The item a question asks for by its place in a list a retrieved title or lead-in names: "Lĩnh vực trọng
    tâm đầu tiên…?" under "## 3. Bảy lĩnh vực trọng tâm của nghiên cứu" is "1. **Mức độ ứng dụng…**"."""
    asked = ordinal_asked(question)
    if asked is None:
        return None
    noun, index = asked
    named = re.compile(rf"\b{re.escape(noun)}\b", re.I)
    ranked = by_score(sources)
    for src, x in ranked:
        text = without_emphasis(x.sentence.text)
        if not (is_heading(x) or is_lead_in(x)) or LIST_ITEM.match(text) or not named.search(text):
            continue
        items = top_items((src, x), sources, question)
        if len(items) >= _MIN_ITEMS_QUOTED and -len(items) <= index < len(items):
            return items[index]
    return None


def top_items(
    opener: tuple[Source, ScoredSentence], sources: Sequence[Source], question: str
) -> list[tuple[Source, ScoredSentence]]:
    """The top-level items of the list `opener` heads, in order ([] when it heads none that was retrieved)."""
    block = list_block([opener], sources, question)
    if len(block) < 2 or block[0] != opener:
        return []
    top = min(indent_of(s, x) for s, x in block[1:])
    return [(s, x) for s, x in block[1:] if indent_of(s, x) == top]


def names_item(question: str, item: ScoredSentence) -> bool:
    """The question names this list item ("Về quyết định kiến trúc, …" and "4. **Quyết định kiến trúc**"):
    what is asked is under it."""
    if not LIST_ITEM.match(item.sentence.text) or item.sentence.text.rstrip("* ").endswith(":"):
        return False
    return names_title(question, item.sentence.text)


def names_lead_in(question: str, sentence: ScoredSentence) -> bool:
    """The question says every word of a lead-in of a few words ("Tận Dụng Amazon Bedrock:"); a one- or
    two-word one ("Bảo mật:", "Câu hỏi:") is named by too many questions to say which list is asked for."""
    words = re.sub(r"\([^)]*\)", " ", clean(sentence.sentence.text)).split()
    return is_lead_in(sentence) and len(words) >= _NAMED_LEAD_IN_WORDS and names_title(question, sentence.sentence.text)


def names_title(question: str, title: str) -> bool:
    """Every word of a title or item (but its parenthesis: "(Buying Journey)" may go unsaid) is in the question,
    or every word of that parenthesis: an English question names "Hành trình mua hàng (Buying Journey)" so."""
    words = tokenize(re.sub(r"\([^)]*\)", " ", clean(title)))
    # "-hóa" makes a verb of its stem: "tối ưu chi phí" names "Tối Ưu Hóa Chi Phí"
    stems = {w.removesuffix("_hóa") for w in words if w != "hóa"}
    if len(words) >= 2 and stems <= {w.removesuffix("_hóa") for w in tokenize(question)}:
        return True
    asked = set(re.findall(r"\w+", question.lower()))
    glosses = (re.findall(r"\w+", gloss.lower()) for gloss in re.findall(r"\(([^)]*)\)", title))
    return any(len(gloss) >= 2 and set(gloss) <= asked for gloss in glosses)


def list_block(
    picked: list[tuple[Source, ScoredSentence]],
    sources: Sequence[Source],
    question: str,
    named: Sequence[ScoredSentence] = (),
) -> list[tuple[Source, ScoredSentence]]:
    """The introducing sentence and the list items or short title lines after it in the same article."""
    for src, intro in picked:
        intro_text = intro.sentence.text.rstrip("* ")
        title = SECTION_NUMBER.sub("", intro_text.lstrip("#* "))  # "## 3. Bảy lĩnh vực…" is a title too
        if FIELD.match(intro.sentence.text) or not (intro_text.endswith(":") or title_like(title)):
            if intro not in named:  # an item the question names opens the items under it
                continue  # only "…gồm:" or a section title opens a list ("**Danh mục:** A • B" is a field)
        same_doc = article_sentences(src, sources)
        # After a lead-in ("…yếu tố quan trọng:") each item may have its explanation under it; after a
        # title ("Cấp độ 2: …") prose is that section's own text, and titles after it are other sections.
        contiguous = not intro_text.endswith(":")
        # a lead-in that is itself an item ("- Cơ hội mở rộng:") holds only the items nested under it
        nested_in = indent_of(src, intro) if LIST_ITEM.match(intro.sentence.text) else None
        items: list[tuple[Source, ScoredSentence]] = []
        seen_starts = {intro.sentence.start}
        previous = src
        explained = False  # an item so far had prose under it
        after_title = False  # the sentence before was a title line taken as an item
        for s, x in same_doc:
            if x.sentence.start <= intro.sentence.start or x.sentence.start in seen_starts:
                continue
            seen_starts.add(x.sentence.start)
            if gap_between(previous, s):
                break  # the article's text in between was not retrieved: what follows is not known to be this list
            previous = s
            text = x.sentence.text.strip()
            if nested_in is not None and (not LIST_ITEM.match(text) or indent_of(s, x) <= nested_in):
                break
            bulleted = bool(items) and LIST_ITEM.match(items[0][1].sentence.text) is not None
            if bulleted and not LIST_ITEM.match(text) and title_like(text):
                break  # a plain title after bulleted items is the next section's ("Lời kết"), not an item
            if LIST_ITEM.match(text) or title_like(text):
                titled = not LIST_ITEM.match(text)
                if titled and after_title and explained and not bulleted:
                    # items explained by prose, then two title lines in a row: an image's caption ("Hiệu quả
                    # vận hành AI Agent mang lại") and the next section's title, neither of them an item
                    items.pop()
                    break
                items.append((s, x))
                after_title = titled
                if len(items) >= _MAX_SCANNED_ITEMS:
                    break
                continue
            explained, after_title = explained or bool(items), False
            if (items and (text.startswith("#") or text.rstrip("* ").endswith(":"))) or contiguous:
                break  # the next section, or the next list's own lead-in
        if len(items) > _MAX_LIST_ITEMS:  # too long with its sub-items: the top level says what the list is
            top = min(indent_of(s, x) for s, x in items)
            items = [(s, x) for s, x in items if indent_of(s, x) == top]
        if len(items) >= 2:
            return [(src, intro), *items[:_MAX_LIST_ITEMS]]
    if picked and _INLINE_LIST.search(picked[0][1].sentence.text):
        return []  # the best sentence lists the answer itself ("ba lĩnh vực: lập trình, viết lách và …")
    for src, title in picked:
        run = _numbered_titles(src, title, sources, question)
        if run:
            return run
    for src, intro in picked:
        run = _parallel_run(src, intro)
        if run:
            return [(src, intro), *run]
    return []


def _numbered_titles(
    src: Source, title: ScoredSentence, sources: Sequence[Source], question: str
) -> list[tuple[Source, ScoredSentence]]:
    """Every title of the article numbered like this one ("Cấp độ 1: …" … "Cấp độ 5: …"), in order.

    Sections whose titles count up make a list even with prose between them.
    """
    match = NUMBERED_TITLE.match(clean(title.sentence.text))
    if not match or not title_like(title.sentence.text.strip()):
        return []
    prefix = match.group("prefix").lower()
    # The series is asked for by a count ("the five levels") or by its own noun ("những cấp độ nào");
    # "ở cấp độ cơ bản nhất, … những thông tin gì?" asks what one of them holds.
    if enumeration_asked(question) is None and not re.search(
        rf"\b(?:những|các|mấy|bao nhiêu)\s+{re.escape(prefix)}\b", question, re.I
    ):
        return []
    numbers: set[str] = set()
    run: list[tuple[Source, ScoredSentence]] = []
    for s, x in article_sentences(src, sources):
        other = NUMBERED_TITLE.match(clean(x.sentence.text))
        if other and other.group("prefix").lower() == prefix and other.group("n") not in numbers:
            if title_like(x.sentence.text.strip()):
                numbers.add(other.group("n"))
                run.append((s, x))
    return run if len(run) >= MIN_PARALLEL else []


def heading_of_items(
    ranked: Sequence[tuple[Source, ScoredSentence]], sources: Sequence[Source]
) -> tuple[Source, ScoredSentence] | None:
    """The heading of the section whose list items fill the top of the ranking, if it was retrieved.

    An English question matches a list's items (embedded with their parents) better than the
    Vietnamese heading that opens it ("What are the seven focus areas?" over "## 3. Bảy lĩnh vực…").
    """
    sections = [(src.hit.chunk.source, x.sentence.section) for src, x in ranked if LIST_ITEM.match(x.sentence.text)]
    if not sections:
        return None
    (source, section), count = max(
        ((key, sections.count(key)) for key in set(sections)), key=lambda item: (item[1], item[0])
    )
    if count < _ITEMS_FOR_A_HEADING or not section:
        return None
    src, item = next((s, x) for s, x in ranked if (s.hit.chunk.source, x.sentence.section) == (source, section))
    return section_heading(src, item, sources)


def _parallel_run(src: Source, intro: ScoredSentence) -> list[tuple[Source, ScoredSentence]]:
    """Sentences after `intro` that open with the same word ("Qua AWS…", "Qua bán lẻ…", "Qua xuất bản…").

    Prose lists its items this way as often as with bullets; explanations may sit between the items.
    """
    after = sorted(
        (s for s in src.sentences if s.sentence.start > intro.sentence.start), key=lambda s: s.sentence.start
    )[:_MAX_LIST_ITEMS]
    if not after:
        return []
    opener = _first_word(after[0].sentence.text)
    if not opener or LEANS_BACK.match(opener):
        return []
    run: list[tuple[Source, ScoredSentence]] = []
    for s in after:
        text = s.sentence.text.strip()
        if text.startswith("#") or (title_like(text) and len(text.split()) <= 8):
            break  # the next section
        if _first_word(text) == opener:
            run.append((src, s))
    return run if len(run) >= MIN_PARALLEL else []


def _first_word(text: str) -> str:
    words = clean(text).split()
    return words[0].lower().strip(",.:;") if words else ""
