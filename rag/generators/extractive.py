"""Extractive answers: no model at all, only the sources' own sentences, each cited.

Always available, so it is also the fallback when a provider cannot run. It
picks the sentences most similar to the question (embedded at ingest), adds the
list that a list question asks for (and counts it for "how many" when no sentence
states the number), and the best sentence of a second article when another
article is nearly as relevant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence, Set

from rag.answerability import (
    counted_forms,
    counted_noun,
    enumeration_asked,
    enumeration_supported,
    inline_items,
    kind_supported,
    names_a_person,
    quantity_supported,
    spelled_out,
    stated_count,
)
from rag.condense import Turn, last_content, ordinal_asked, refers_back
from rag.config import Settings
from rag.generators.base import REFUSAL_TOKEN, ScoredSentence, Source
from rag.grounding import without_attribution
from rag.retrieval import asks_across_sources
from rag.segment import language, normalize, tokenize
from rag.sentences import AUTHOR_FIELD, DATE_FIELD, LIST_ITEM, NUMBERED_TITLE, without_emphasis

_LIST_QUESTION = re.compile(
    r"những\s.+\snào|các\s.+\snào|những\s(?:\S+\s){0,2}?gì\b|gồm những|"
    r"những yếu tố|những mảng|những lĩnh vực|kể tên|liệt kê|"
    r"\bwhich\b.+\b(are|were)\b|\bwhat are\b|\blist\b|\bname the\b|"
    # ("what does…" asks no list, nor "what is his / this / its…")…
    r"\b(?:which|what)\s+(?:\w+\s+)?\w+s\b(?<!\bis)(?<!\bdoes)(?<!\bwas)(?<!\bhas)(?<!\bhis)(?<!\bthis)(?<!\bits)|"
    # …unless what it does is hold several things: "What does the buying journey area look into?"
    r"\bwhat (?:does|do|did|will) [^?]{1,80}? (?:include|cover|look into|consist of|comprise|contain)\b",
    re.I,
)
_BULLET = re.compile(r"^\s*- ")
_MD_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:#+\s*|[-*•]\s+|\d+[.)]\s+)?")
_CLOSE_TO_BEST = 0.06
# A sentence opening with one of these leans on its neighbour: "Đây là nơi…" needs the line before,
# and a following "Nhưng…" / "Đây là…" finishes the thought of the line before it.
_LEANS_BACK = re.compile(
    r"^(?:đây|điều này|việc này|nó|họ|từ đó|vì vậy|do đó|nhưng|tuy nhiên|ngoài ra|this|these|that|it|but|however)\b",
    re.I,
)
_WORD_BONUS = 0.15
_ENGLISH_WORD_SHARE = 0.2
# A sentence whose words are mostly in the previous answer restates it.
_SAID_SHARE = 0.8
_SAID_PENALTY = 0.1
_SECOND_ARTICLE = 0.05
_ACROSS_MARGIN = 0.15
_ACROSS_ARTICLES = 3
_STATEMENT_WORDS = 4
_MAX_LIST_ITEMS = 8
_MAX_SCANNED_ITEMS = 40
_BOUNDARY_CHARS = 4
# A list question whose top sentences are mostly items of one section is asking for that section's list.
_ITEMS_LOOKED_AT = 6
_ITEMS_FOR_A_HEADING = 4
_SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
# Sentences opening with the same word that make a prose list.
_MIN_PARALLEL = 3
# "**Tác giả:** …", "**Danh mục:** …": a page's field line, not a heading.
# a field has its value on its line ("**Danh mục:** A • B"); "**Tính năng chính:**" alone opens a list
_FIELD = re.compile(r"^\s*\*\*[^*\n]{1,40}(?::\s*\*\*|\*\*\s*:)\s*\S")
# "Ai nói…", "người nào", "who said…" ask for a person ("AI" is artificial intelligence): the quote then runs
# on to its speaker. (Whether the evidence names a person at all is answerability's stricter check.)
_WHO_ASKED = re.compile(r"(?:^|\s)(?-i:[Aa]i)\b|\bngười nào\b|\bwho(?:m)?\b", re.I)
_MAX_QUOTE_SENTENCES = 3
# A place in a numbered series, said after the series' name: "cấp độ tiếp theo", "cấp độ cao nhất".
_NEXT = ("tiếp theo", "kế tiếp", "sau đó")
_FIRST = ("đầu tiên", "thấp nhất", "cơ bản nhất")
_SERIES_PLACES = "|".join((*_NEXT, *_FIRST, "cao nhất", "cuối cùng", "sâu nhất"))
# In English, before the series' word: "the next level", "the highest step" (the sources number them in Vietnamese).
_NEXT_EN = ("next",)
_FIRST_EN = ("first", "lowest", "most basic")
_SERIES_PLACES_EN = "|".join((*_NEXT_EN, *_FIRST_EN, "highest", "top", "last", "final", "deepest", "most advanced"))
_SERIES_EN = {
    "cấp độ": "levels?",
    "cấp": "levels?",
    "mức độ": "levels?",
    "bước": "steps?",
    "giai đoạn": "stages?|phases?",
}
# "Vì sao…?" is answered by a reason: when the best sentence states the fact and the next one gives its
# reason ("…lợi thế trong ba lĩnh vực." "Không phải vì thuật toán tốt hơn, mà vì dữ liệu tốt hơn."), both are quoted.
_WHY_ASKED = re.compile(r"\b(?:vì sao|tại sao|lý do|do đâu|nhờ đâu|why|what makes|for what reason)\b", re.I)
_REASON = re.compile(r"\b(?:vì|bởi|do|nhờ|because|since|due to|thanks to)\b", re.I)
_BYLINE_FIELDS = (
    (re.compile(r"\b(?:ai viết|người viết|tác giả|who (?:wrote|authored)|author|written by)\b", re.I), AUTHOR_FIELD),
    (
        re.compile(
            r"\b(?:ngày đăng|đăng (?:ngày|lúc|khi) nào|(?:đăng|xuất bản|công bố) (?:vào )?(?:ngày|năm|tháng) nào|"
            r"published|publication date|posted)\b",
            re.I,
        ),
        DATE_FIELD,
    ),
)
_BYLINE_BONUS = 0.3
_BYLINE_PENALTY = 0.1
# A byline field about its author, not the page ("Danh mục:" files the page: it answers "which categories")
_AUTHOR_ATTRIBUTE = re.compile(r"^\W*(?:vai trò|chức vụ|chức danh|vị trí|role|position|job title)\W*:", re.I)
_ROLE_WORD = 4  # a role's own word, not "AI"
_NAMED_LEAD_IN_WORDS = 3
_MIN_ITEMS_QUOTED = 2
# A plural noun phrase in a lead-in: what its list enumerates ("… của các tiêu chí, ví dụ:")
_OTHER_PLURAL = re.compile(r"\b(?:các|những|mọi)\s+\w", re.I)
# "Báo cáo mang lại cho đối tác AWS:" lists what partners get: a noun after "cho", "giúp"… is who receives
# them, not what the items are. ("với năng lực:" and "về vai trò:" do name the items.)
_RECIPIENT = re.compile(r"\b(?:cho|tới|đến|giúp|for|to|helps?)\s+$", re.I)
# "Đối tác có thể dùng dữ liệu này để:" lists what it is done for, not partners.
_PURPOSE_LEAD_IN = re.compile(r"\b(?:để|nhằm|in order to)\s*:$", re.I)
# "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software": a person with a role and an organisation.
_NAME_ROLE_LINE = re.compile(
    r"^(?P<name>(?:[^\W\d_]+\s+){1,4}[^\W\d_]+)\s+[-–]\s+(?P<role>(?:[\w&/.-]+\s+){0,4}[\w&/.-]+),\s*"
    r"(?P<org>(?:[\w&/.-]+\s+){0,4}[\w&/.-]+)\.?$"
)
# Asks for the role or the organisation itself ("giữ vị trí gì", "làm việc ở đâu"), which that line answers.
_ROLE_ASKED = re.compile(
    r"vị trí|vai trò|chức vụ|chức danh|làm việc|công tác|đến từ (?:đâu|công ty nào|tổ chức nào)|là ai|\brole\b|"
    r"\bposition\b|\bjob\b|\bwork|"
    r"\bwho\b|\bwhich (?:company|organi[sz]ation|speaker)\b",
    re.I,
)
_TITLE_BONUS = 0.5
_TITLE_ASKED = re.compile(r"tiêu đề|tựa đề|\btitle\b|\btitled\b|\bheadline\b", re.I)
# "Filum.ai chia … thành mấy cấp độ?": a sentence stating a number of exactly that ("5 cấp độ cá nhân hóa…")
# answers it, however little else it shares with the question.
_STATED_COUNT_BONUS = 0.2
# "AWS hỏi khách hàng điều gì?", "What question does the survey ask?": what was asked is a sentence that
# is itself a question ("“Công ty của bạn đã tiến bao xa …?”"), not what was concluded from the answers
_QUESTION_ASKED = re.compile(
    r"\bhỏi\s+(?:[\wÀ-ỹ]+\s+){0,2}?(?:điều\s+)?(?:gì|những gì)\b|\bcâu hỏi\s+(?:nào|gì)\b|"
    r"\b(?:what|which)\s+(?:\w+\s+){0,2}?questions?\b(?!\s+(?:types?|kinds?))|\bwhat\s+(?:does|do|did)\s+[^?]{1,50}?\bask\b",
    re.I,
)
_QUESTION_BONUS = 0.2
# "What does the author invite readers to do at the end of the post?", "…according to its introduction?": the
# place in the article is asked; sentences gain up to this much by how near that end of it they stand
_POSITION_BONUS = 0.1
_END_ASKED = re.compile(
    r"\b(?:at the (?:very )?end|in (?:the|its) (?:conclusion|closing)|conclu(?:de|des|sion)"
    r"|closing (?:words|lines|section)|cuối bài|kết bài|phần kết|lời kết|kết luận)\b",
    re.I,
)
_START_ASKED = re.compile(
    r"\b(?:at the (?:very )?(?:start|beginning)|(?:in|according to) (?:the|its) (?:introduction|intro|opening)"
    r"|đầu bài|mở đầu|phần đầu|lời mở đầu|phần giới thiệu)\b",
    re.I,
)
# An item of a list written inline is a name ("Viện Dầu khí Việt Nam (VPI) thuộc Petrovietnam"), not a clause.
_NAME_WORDS = 8
_MAX_FIELDS = 3
# Ends as a sentence: ".", "!", "?", "…" or ":" (a lead-in), or a quotation closed after one of the first four.
_SENTENCE_END = re.compile(r'(?:[.!?…:]|[.!?…][”"])$')
# "Có mấy người lên chia sẻ?", "How many speakers…?": counted by a list of named people.
# (the people counted are the ones who spoke: "Buổi chia sẻ có bao nhiêu người tham dự?" counts the audience)
_SPEAKERS_EN = "speakers|presenters|panelists"
_SPEAKERS_COUNTED = re.compile(
    rf"\b(?:mấy|bao nhiêu|how many)\s+(?P<noun>diễn giả|{_SPEAKERS_EN}|(?:người|people|persons)"
    r"(?=(?:\s+\S+){0,2}?\s+(?:chia sẻ|trình bày|phát biểu|spoke|speak|presented|gave talks?)\b))",
    re.I,
)
_COUNT_LEAD = {"vi": "Có {n} {noun}:", "en": "There are {n} {noun}:"}
# "Which speakers…?", "Những diễn giả nào…?": a list of named people answers, not a list about what they said.
_SPEAKERS_LISTED = re.compile(
    rf"\b(?:which|what|who were the|who are the|list the|name the)\s+(?:\w+\s+)?(?:{_SPEAKERS_EN})\b|"
    r"\b(?:những|các)\s+diễn giả\s+nào\b|\bdiễn giả nào\b|\bkể tên (?:các |những )?diễn giả\b",
    re.I,
)
_INLINE_LIST = re.compile(r":\s*[^,:]+,[^,]+(?:,| và | and | or | hoặc )")


class ExtractiveGenerator:
    """Quotes the best supporting sentences (or the list block) with [n] citations."""

    name = "extractive"
    can_stream = True

    def __init__(self, settings: Settings, **_: object) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "extractive (no model: quotes the sources)"

    def stream(self, question: str, sources: Sequence[Source], history: Sequence[Turn], lang: str) -> Iterator[str]:
        lines = self.compose(question, sources, *_conversation(question, history))
        if not lines:
            yield REFUSAL_TOKEN
            return
        yield from self._join(lines)

    @staticmethod
    def _join(lines: Sequence[str]) -> Iterator[str]:
        """The lines as Markdown: items on their own lines, prose after a list as a new paragraph."""
        for i, line in enumerate(lines):
            if not i:
                yield line
            elif _BULLET.match(line):
                yield "\n" + line
            else:  # on the next line it would continue the last item
                yield ("\n\n" if _BULLET.match(lines[i - 1]) else " ") + line

    def compose(
        self,
        question: str,
        sources: Sequence[Source],
        follow_up: bool = False,
        already_said: str = "",
        asked_before: str = "",
    ) -> list[str]:
        """The answer's lines, each ending in its citation, or [] when nothing answers."""
        picked = pick_evidence(question, sources, follow_up, already_said, asked_before)
        counted = counted_list(question, sources, picked)
        if counted is not None:  # "mấy bài học?" with no number stated: the list, and how long it is
            noun, intro_src, items = counted
            lead = _COUNT_LEAD[language(question)].format(n=len(items), noun=noun)
            # (an item that titles its sub-items, "Chiến Lược Cloud Migration:", is quoted as the title alone)
            lines = [f"- {_clean(text).removesuffix(':')} [{intro_src.number}]" for text in items]
            return [f"{lead} [{intro_src.number}]", *lines]
        texts = [c.sentence.text for _, c in picked]
        if not kind_supported(question, texts) or not enumeration_supported(question, texts):
            return []  # asked for a quantity, time or place, or for N named items, and the sentences do not give it
        # numbered titles quoted as a series ("Cấp độ 1: …" … "Cấp độ 5: …") read as a list
        titles = [m.group("prefix").lower() for _, c in picked if (m := NUMBERED_TITLE.match(_clean(c.sentence.text)))]
        series = next((t for t in titles if titles.count(t) >= _MIN_PARALLEL), None)
        seen: set[str] = set()
        # (text, source number, is it a list item, its indent, does it go on from the line before in its passage)
        kept: list[tuple[str, int, bool, int, bool]] = []
        last = picked[0] if picked else None  # the sentence of kept[-1]
        for i, (src, cand) in enumerate(picked):
            text = _clean(cand.sentence.text)
            if not text or text in seen:
                continue
            followed_by_items = i + 1 < len(picked) and LIST_ITEM.match(picked[i + 1][1].sentence.text)
            if _is_heading(cand) and not followed_by_items and not _TITLE_ASKED.search(question):
                continue  # a heading says what follows; alone, or before prose, it answers nothing (but its title)
            seen.add(text)
            # after a lead-in ("…yếu tố quan trọng:") its items are a list, bulleted or not in the source (a
            # sentence from elsewhere is none of its items), and a plain title line after an item is the next item
            after_lead_in = bool(kept) and kept[-1][0].endswith(":") and _follows(last, (src, cand))
            after_item = bool(kept) and kept[-1][2] and _title_like(cand.sentence.text.strip())
            in_series = series is not None and NUMBERED_TITLE.match(text) is not None
            item = bool(LIST_ITEM.match(cand.sentence.text)) or after_lead_in or after_item or in_series
            kept.append((text, src.number, item, _indent(src, cand), bool(kept) and _goes_on(last, (src, cand))))
            last = (src, cand)
        # a lead-in whose items are not quoted says nothing ("…cá nhân hóa bằng:" before another passage's prose),
        # unless it alone gives the kind of answer asked ("So với nghiên cứu năm 2023:" for "năm nào?"): then it
        # is quoted as a sentence
        dangling = [i for i, k in enumerate(kept) if k[0].endswith(":") and not (i + 1 < len(kept) and kept[i + 1][2])]
        lacking = not kind_supported(question, [k[0] for i, k in enumerate(kept) if i not in dangling])
        answering = {i for i in dangling if lacking and kind_supported(question, [kept[i][0]])}
        kept = [
            (k[0][:-1].rstrip() + ".", *k[1:]) if i in answering else k
            for i, k in enumerate(kept)
            if i not in dangling or i in answering
        ]
        return _render(kept)


def pick_evidence(
    question: str,
    sources: Sequence[Source],
    follow_up: bool = False,
    already_said: str = "",
    asked_before: str = "",
) -> list[tuple[Source, ScoredSentence]]:
    """The sentences that answer, in answer order (what a model's prompt also shows first).

    `already_said` is the previous answer of a follow-up: a sentence it already states
    answers the last question, not this one. `asked_before` is the question it answered.
    """
    said = set(tokenize(already_said))
    count = stated_count(question)  # "mấy cấp độ?": "5 cấp độ cá nhân hóa…" answers it
    about = (
        _role_spoken_of(f"{question} {already_said if follow_up else ''}", sources)
        if not _ROLE_ASKED.search(question)
        else None
    )
    ranked = _ranked(sources, question, said, count, about, f"{asked_before} {already_said}" if follow_up else "")
    if not ranked:
        return []
    step = _series_step(question, sources, f"{asked_before} {already_said}") or _listed_place(question, sources)
    if step is not None:  # "Cấp độ tiếp theo thì sao?": the title that is asked for answers, whatever its score
        ranked = [step, *(p for p in ranked if p[1] is not step[1])]
    best_src, best = ranked[0]
    picked: list[tuple[Source, ScoredSentence]] = [(best_src, best)]
    # the sentence that states the count asked for answers alone, as does the series title asked for:
    # others scored near it answer something else
    answers_alone = step is not None or (
        count is not None and count.search(without_emphasis(best.sentence.text)) is not None
    )
    for src, cand in ranked[1:4] if not answers_alone else []:
        restated = _said_before(set(tokenize(cand.sentence.text)), said)  # quoted again only as the best answer
        elsewhere = src.hit.chunk.source != best_src.hit.chunk.source and _names_only(question, best_src, src, sources)
        if cand.score >= best.score - _CLOSE_TO_BEST and len(picked) < 3 and not restated and not elsewhere:
            picked.append((src, cand))
    # What follows the best sentence in its own passage is quoted in the passage's order ("Cấp độ 2: …",
    # then what the level does, then "Dựa trên đó…"), not by score, which would read out of order.
    later = sorted(
        (p for p in picked[1:] if p[0] is best_src and p[1].sentence.start > best.sentence.start),
        key=lambda p: p[1].sentence.start,
    )
    picked = [picked[0], *later, *(p for p in picked[1:] if p not in later)]
    # Neighbours the best sentence leans on (or that finish its thought) come with it.
    if follow_up:
        # A follow-up usually asks about what comes right after the passage already discussed.
        after = _neighbour(best_src, best, +1)
        before = None
    else:
        after = _neighbour(best_src, best, +1)
        # a section title ("Cấp độ 4: …") says what its first sentence explains
        titled = _title_like(best.sentence.text.strip()) and not LIST_ITEM.match(best.sentence.text)
        explains = after is not None and not _title_like(after.sentence.text.strip())
        gives_reason = (
            after is not None
            and _WHY_ASKED.search(question) is not None
            and not _REASON.search(best.sentence.text)
            and _REASON.search(after.sentence.text) is not None
        )
        if not (titled and explains) and not gives_reason:
            after = after if after is not None and _LEANS_BACK.match(_clean(after.sentence.text)) else None
        before = _neighbour(best_src, best, -1) if _LEANS_BACK.match(_clean(best.sentence.text)) else None
    if before is not None and (best_src, before) not in picked:
        picked.insert(0, (best_src, before))
    if after is not None and (best_src, after) not in picked:
        picked.insert(picked.index((best_src, best)) + 1, (best_src, after))
    if _WHO_ASKED.search(question):
        picked = _with_speaker(picked, best_src, best)
    if AUTHOR_FIELD.match(best.sentence.text):  # who the author is: the byline's other fields ("Vai trò: …")
        at = picked.index((best_src, best)) + 1
        current: ScoredSentence | None = best
        for _ in range(_MAX_FIELDS):
            current = _neighbour(best_src, current, +1) if current is not None else None
            if current is None or not _FIELD.match(current.sentence.text):
                break
            if (best_src, current) not in picked:
                picked.insert(at, (best_src, current))
                at += 1
    list_asked = _asks_for_list(question) and step is None  # ("thứ hai" names one item, not two)
    if not list_asked:
        picked = _whole_list(picked, sources, question)
        # "Doanh nghiệp nên tận dụng nó như thế nào?" after "Amazon Bedrock là gì?" names the lead-in
        # "Tận Dụng Amazon Bedrock:": what is under it answers
        naming = f"{question} {asked_before} {already_said}" if follow_up else question
        # (the question's own words first: after "…những bài học nào?", "tối ưu hóa chi phí nói gì?" names one
        # of the lead-ins the previous answer named all of)
        titled = next((p for p in ranked if _names_lead_in(question, p[1])), None) or next(
            (p for p in ranked if _names_lead_in(naming, p[1])), None
        )
        block = _list_block([titled], sources, question) if titled is not None else []
        if not block:
            # "Trong phần hành trình mua hàng, … gì về tiền bạc?" names the item "2. **Hành trình mua hàng**" the
            # best sentence is under: its items answer (a question naming it in passing is about something else)
            item = next((p for p in ranked[:_ITEMS_LOOKED_AT] if _names_item(question, p[1])), None)
            under = _list_block([item], sources, question, [item[1]]) if item is not None else []
            block = under if ranked[0] in under[1:] else []
        # (items that are lead-ins themselves head sub-lists the block leaves out: it would misplace them)
        if block and not all(p in picked for p in block) and not any(_is_lead_in(x) for _, x in block[1:]):
            picked = block + [p for p in picked if p not in block]
    if list_asked:
        # "Về quyết định kiến trúc, … những chiến lược nào?" asks for what is under the item it names (as does
        # "Nó gồm những gì?" after an answer that named one)
        naming = question + (" " + already_said if follow_up and "\n" not in already_said.strip() else "")
        # (or the lead-in it names: "những bài học nào về tối ưu chi phí?" and "4. **Tối Ưu Hóa Chi Phí:**")
        named = [p for p in ranked if _names_item(naming, p[1]) or _names_lead_in(naming, p[1])][:3]
        # (after the best sentences: a lead-in among them is nearer what is asked, "- Tiêu chí lựa chọn:"
        # under the named "Các tiêu chí mua hàng chính")
        # (and the item the best sentence is nested under: "Use case ở cấp phòng ban" answers "which levels…"
        # under "7. **Phân tích chuyên sâu theo use case**", not among the seven areas above it)
        # (a lead-in, "…:", opens its list by itself; a numbered item in bold is no title until it is named)
        parent = _parent_item(ranked[0], sources) if LIST_ITEM.match(ranked[0][1].sentence.text) else None
        numbered = parent is not None and _SECTION_NUMBER.match(parent[1].sentence.text.strip()) is not None
        if numbered and parent not in named and not _is_lead_in(parent[1]):
            if ranked[0] in _list_block([parent], sources, question, [parent[1]]):
                named.append(parent)
        candidates = picked + [p for p in named if p not in picked]
        candidates += [p for p in ranked[1:8] if p not in candidates]
        heading = _heading_of_items(ranked[:_ITEMS_LOOKED_AT], sources)
        if _SPEAKERS_LISTED.search(question):
            person = next(
                (
                    p
                    for p in ranked[: _ITEMS_LOOKED_AT * 2]
                    if LIST_ITEM.match(p[1].sentence.text) and names_a_person(p[1].sentence.text)
                ),
                None,
            )
            people = _section_heading(*person, sources) if person is not None else None
            candidates = ([people] if people is not None else []) + [p for p in candidates if p != people]
        block = _list_block(candidates + ([heading] if heading else []), sources, question, [x for _, x in named])
        if block:
            intro_src, intro = block[0]
            leaned_on = _neighbour(intro_src, intro, -1) if _LEANS_BACK.match(_clean(intro.sentence.text)) else None
            if leaned_on is not None:  # "Nó phụ thuộc vào…:" needs the sentence that says what "nó" is
                block.insert(0, (intro_src, leaned_on))
            # A list found through a weaker sentence follows the best one instead of replacing it:
            # the best may answer in prose ("…tập trung vào A, B và C") what the list details.
            keep = (best_src, best) not in block and not _is_heading(best) and best.score > intro.score
            if block[0] == heading and best.sentence.section == intro.sentence.section:
                keep = False  # the best was one of this list's items, or an item under one of them
            picked = [(best_src, best), *block] if keep else block
    # Another article nearly as relevant adds its view, by a statement: a bare item ("Bảo mật.") says nothing alone.
    # A question asked across the sources ("Các tài liệu nói gì về…?") wants each article's view: the best
    # statement of each of the next two articles it retrieved, within a wider margin of the best.
    if answers_alone:
        # "24 ngành công nghiệp trọng điểm, bao gồm:" states the count and leads into what is counted
        block = _list_block([(best_src, best)], sources, question) if step is None and _is_lead_in(best) else []
        return [*block, *(p for p in picked if p not in block)]
    across = asks_across_sources(question)
    views: dict[str, tuple[Source, ScoredSentence]] = {}
    for s, c in ranked:
        article = s.hit.chunk.source
        statement = len(_clean(c.sentence.text).split()) >= _STATEMENT_WORDS
        if article != best_src.hit.chunk.source and article not in views and statement:
            views[article] = (s, c)
    margin = _ACROSS_MARGIN if across else _SECOND_ARTICLE
    for other in list(views.values())[: _ACROSS_ARTICLES - 1 if across else 1]:
        if (
            other[1].score >= best.score - margin
            and other not in picked
            and not _names_only(question, best_src, other[0], sources)
        ):
            # a lead-in ("- Kỳ vọng của khách hàng về vai trò của partner:") states its view by its items
            block = _list_block([other], sources, question) if _is_lead_in(other[1]) else []
            # (in the source's order: one of its items may be quoted already)
            picked = [p for p in picked if p not in block] + (block or [other])
    return picked


def _whole_list(
    picked: list[tuple[Source, ScoredSentence]], sources: Sequence[Source], question: str
) -> list[tuple[Source, ScoredSentence]]:
    """When the best sentences are a lead-in and items of its list ("…cá nhân hóa bằng:", "• Gợi ý theo quy
    tắc…"), the answer is that list: all its items in the source's order, not the few that scored best."""
    for lead in picked:
        if not _is_lead_in(lead[1]):
            continue
        items = {
            _clean(x.sentence.text) for s, x in picked if LIST_ITEM.match(x.sentence.text) and _follows(lead, (s, x))
        }
        if not items:
            continue
        block = _list_block([lead], sources, question)
        quoted = {_clean(x.sentence.text) for _, x in block}
        if block and items <= quoted:  # (a long list is cut to its top level: a sub-item quoted is not in it)
            at = min(i for i, (_, x) in enumerate(picked) if _clean(x.sentence.text) in quoted)
            rest = [(s, x) for s, x in picked if _clean(x.sentence.text) not in quoted]
            return rest[:at] + block + rest[at:]
    # The best sentence and another quoted are items of one nested list ("- Nâng cấp…", "- Chủ động dẫn dắt…"
    # under "- Tín hiệu cần:"): the list is the answer, under its lead-in.
    if picked and LIST_ITEM.match(picked[0][1].sentence.text):
        parent = _parent_item(picked[0], sources)
        siblings = [p for p in picked[1:] if LIST_ITEM.match(p[1].sentence.text) and _parent_item(p, sources) == parent]
        if parent is not None and _is_lead_in(parent[1]) and siblings:
            block = _list_block([parent], sources, question)
            if block and all(p in block for p in [picked[0], *siblings]):
                # (a lead-in right under another, "- Nếu mức ảnh hưởng thấp:" then "- Tín hiệu cần:", says when)
                above = _parent_item(parent, sources)
                if above is not None and _is_lead_in(above[1]) and _neighbour(*parent, -1) is above[1]:
                    block.insert(0, above)
                return block + [p for p in picked if p not in block]
    return picked


def _parent_item(
    item: tuple[Source, ScoredSentence], sources: Sequence[Source]
) -> tuple[Source, ScoredSentence] | None:
    """The nearest line before a nested list item that is indented less: the item it is under."""
    depth = _indent(*item)
    if depth == 0:
        return None
    before = [p for p in _article_sentences(item[0], sources) if p[1].sentence.start < item[1].sentence.start]
    for p in reversed(before):
        if _indent(*p) < depth:
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
    ranked = _by_score(sources)
    openers: list[tuple[Source, ScoredSentence]] = []
    pattern = re.compile(rf"\b{counted_forms(noun)}\b", re.I)
    for src, x in ranked:
        text = _clean(x.sentence.text)
        # the heading or lead-in names what is counted, or the question names it ("mấy hướng áp dụng vào
        # công việc?" and "### Áp Dụng Vào Công Việc")
        if _is_heading(x) and (pattern.search(text) or _named(question, text)):
            openers.append((src, x))
        elif text.endswith(":") and ((named := pattern.search(text)) or _named(question, text)):
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
        for src, x in ranked[: _ITEMS_LOOKED_AT * 2]:
            if LIST_ITEM.match(x.sentence.text) and names_a_person(x.sentence.text):
                heading = _section_heading(src, x, sources)
                if heading is not None:
                    openers.append(heading)
                    break
    if not openers and picked and (LIST_ITEM.match(picked[0][1].sentence.text) or _is_lead_in(picked[0][1])):
        # "mấy hạn chế?" when the best sentences are items of one list ("…nhưng còn nhiều giới hạn:"), or that
        # list under its lead-in: the list counts them, whatever word its lead-in uses
        lead = picked[0] if _is_lead_in(picked[0][1]) else _lead_in_of(picked[0], sources)
        block = _list_block([lead], sources, question) if lead is not None else []
        if lead is not None and sum(p in block for p in picked) >= _MIN_ITEMS_QUOTED:
            openers.append(lead)
    for opener in openers:
        items = _top_items(opener, sources, question)
        if items:
            return counted, opener[0], [x.sentence.text for _, x in items]
    for src, x in ranked[:_ITEMS_LOOKED_AT]:
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
    before = [p for p in _article_sentences(item[0], sources) if p[1].sentence.start < item[1].sentence.start]
    for src, x in reversed(before):
        if _is_lead_in(x) and not LIST_ITEM.match(x.sentence.text):
            return src, x
        if not LIST_ITEM.match(x.sentence.text):
            return None  # prose or a title between: the item's list has no lead-in here
    return None


def _section_heading(
    src: Source, item: ScoredSentence, sources: Sequence[Source]
) -> tuple[Source, ScoredSentence] | None:
    """The retrieved heading of the section `item` stands under."""
    for s in sources:
        if s.hit.chunk.source != src.hit.chunk.source:
            continue
        for x in s.sentences:
            if _is_heading(x) and x.sentence.text.lstrip("# ").strip() == item.sentence.section:
                return s, x
    return None


def _names_only(question: str, best: Source, other: Source, sources: Sequence[Source]) -> bool:
    """The question names someone or something that only the best article speaks of.

    "Theo David Hajdu, tương lai thuộc về…?" asks the blog's author, whatever another article says
    about the future. (An acronym such as "GenAI" scopes nothing: every article uses its own.)
    """
    words = re.findall(r"[^\W\d_][\w.'-]*", question)
    names = {w.lower() for w in words[1:] if w[:1].isupper() and not any(ch.isupper() for ch in w[1:])}
    if not names:
        return False

    def says(src: Source) -> set[str]:
        meta = src.hit.chunk.metadata
        texts = [s.hit.chunk.text for s in sources if s.hit.chunk.source == src.hit.chunk.source]
        text = " ".join([*texts, str(meta.get("author") or ""), str(meta.get("title") or "")]).lower()
        return {name for name in names if name in text}

    return bool(says(best)) and not says(other)


def _with_speaker(
    picked: list[tuple[Source, ScoredSentence]], src: Source, best: ScoredSentence
) -> list[tuple[Source, ScoredSentence]]:
    """A quotation runs on to the sentence that closes it, where the press names who said it.

    "“Chúng ta đang sống trong thời kỳ… tương lai." answers "who said…?" only with
    "…công nghệ…”, ông Đỗ Tiến Thịnh… cho biết."; a closing sentence needs its opening one.
    """
    text = _clean(best.sentence.text)
    opened = text.count("“") - text.count("”")
    if opened > 0 and text.startswith("“"):
        step = 1
    elif opened < 0 and not text[text.rfind("”") + 1 :].strip(" .,!?…"):
        step = -1
    else:
        return picked  # no quotation left open, or the sentence names its speaker itself
    run: list[ScoredSentence] = []
    current: ScoredSentence | None = best
    for _ in range(_MAX_QUOTE_SENTENCES):
        current = _neighbour(src, current, step) if current is not None else None
        if current is None:
            return picked
        run.append(current)
        text = current.sentence.text
        if (text.count("”") > text.count("“")) if step > 0 else (text.count("“") > text.count("”")):
            break
    else:
        return picked
    rest = [p for p in picked if p[1] not in run]
    at = rest.index((src, best))
    added = [(src, s) for s in run]
    return rest[: at + 1] + added + rest[at + 1 :] if step > 0 else rest[:at] + added[::-1] + rest[at:]


def _render(kept: Sequence[tuple[str, int, bool, int, bool]]) -> list[str]:
    """Cited lines; list items bulleted with their source indent (the answer's parser nests them).

    A list item quoted alone between prose sentences reads as prose, not as a one-line list. Nesting holds
    within a run of lines that go on from each other in one passage; a run's first item sits at the answer's
    top level, so an item whose parent is not quoted does not read as nested under another passage's line.
    """
    lines: list[str] = []
    shift: int | None = None  # how far the current run's first item was indented
    for i, (text, number, item, indent, goes_on) in enumerate(kept):
        after_item_or_lead_in = i > 0 and (kept[i - 1][2] or kept[i - 1][0].endswith(":"))
        in_list = item and (after_item_or_lead_in or (i + 1 < len(kept) and kept[i + 1][2]))
        if not goes_on:
            shift = None
        if in_list and shift is None:
            shift = indent
        depth = max(indent - (shift or 0), 0)
        lines.append(f"{' ' * depth}- {text} [{number}]" if in_list else f"{text} [{number}]")
    return lines


def _goes_on(earlier: tuple[Source, ScoredSentence] | None, later: tuple[Source, ScoredSentence]) -> bool:
    """`later` comes after `earlier` in the same passage, or in the next chunk of it (a list cut by a chunk's end)."""
    if earlier is None or not _follows(earlier, later):
        return False
    first, second = earlier[0].hit.chunk, later[0].hit.chunk
    return first.id == second.id or second.start <= first.end


def _indent(src: Source, cand: ScoredSentence) -> int:
    """How far the sentence's line is indented in its chunk (a nested list item's depth)."""
    chunk = src.hit.chunk
    at = cand.sentence.start - chunk.start
    if not 0 <= at <= len(chunk.text):
        return 0
    line = chunk.text[chunk.text.rfind("\n", 0, at) + 1 : at]
    return len(line) if not line.strip() else 0


def _conversation(question: str, history: Sequence[Turn]) -> tuple[bool, str, str]:
    """Is this a follow-up, what did the previous answer say, and what was asked before it?"""
    follow_up = bool(history) and refers_back(question)
    said = last_content(history, "assistant") if follow_up else ""
    asked = last_content(history, "user") if follow_up else ""
    return follow_up, said, asked


def quoted_evidence(
    question: str, sources: Sequence[Source], history: Sequence[Turn]
) -> list[tuple[Source, ScoredSentence]]:
    """What an extractive answer to this turn of the conversation would quote, in its order."""
    return pick_evidence(question, sources, *_conversation(question, history))


def quotes_a_list(question: str, quoted: Sequence[tuple[Source, ScoredSentence]]) -> bool:
    """A list question whose extractive answer (`quoted`) quotes a list of at least `_MIN_PARALLEL` items."""
    if not _asks_for_list(question):
        return False
    texts = [x.sentence.text for _, x in quoted]
    items = sum(1 for text in texts if LIST_ITEM.match(text))
    titles = sum(1 for text in texts if NUMBERED_TITLE.match(_clean(text)))
    return max(items, titles) >= _MIN_PARALLEL


def _asks_for_list(question: str) -> bool:
    """ "Những … nào", "which … are", or a set number of items ("…có 7 lĩnh vực nào?")."""
    return bool(_LIST_QUESTION.search(question)) or enumeration_asked(question) is not None


def evidence_order(question: str, sources: Sequence[Source], history: Sequence[Turn]) -> list[str]:
    """Ids of the sentences an extractive answer would quote, in its order: a prompt shows these first."""
    return [s.sentence.id for _, s in quoted_evidence(question, sources, history)]


def _ranked(
    sources: Sequence[Source],
    question: str,
    said: Set[str] = frozenset(),
    count: re.Pattern[str] | None = None,
    about: re.Pattern[str] | None = None,
    conversation: str = "",
) -> list[tuple[Source, ScoredSentence]]:
    """Sentences best first (meaning, plus a little for rare shared words), each text once.

    Left out: a document's own title (it names the article, it answers nothing). What the
    previous answer already said (`said`, its words) ranks lower: it answered the last
    question, though it may also answer this one ("Năm trước nó cũng đứng đầu à?" after
    "…đứng đầu 2 năm liên tiếp"). A sentence matching `count` (the question's `stated_count`)
    ranks higher, as does one that speaks of the role `about` (`_role_spoken_of`). A follow-up's
    `conversation` may name the author its question points back to ("What is his role?").
    """
    # "Theo Filum.ai, …", "…, according to the blogger?": who says it picks the article, not the sentence
    asked = set(tokenize(without_attribution(question)))
    # (a title that is the document's first sentence, for lack of a better one, is content, not a title)
    raw_titles = {str(src.hit.chunk.metadata.get("title") or "") for src in sources} - {""}
    titles = {_normalized(title) for title in raw_titles}
    # …unless the title is what is asked ("Bài viết có tiêu đề là gì?", "What is the title of…?")
    title_asked = bool(_TITLE_ASKED.search(question))
    seen: set[str] = set() if title_asked else {_normalized(t) for t in raw_titles if _title_like(t)}
    out: list[tuple[Source, ScoredSentence]] = []
    pairs = [(src, s) for src in sources for s in src.sentences]
    words = {id(s): set(tokenize(s.sentence.text)) for _, s in pairs}
    # Words in every candidate (the article's own name, "GenAI") say nothing about which sentence answers.
    n = len(pairs) or 1
    idf = {t: math.log((n + 1) / (1 + sum(t in w for w in words.values()))) for t in asked}
    total = sum(idf.values()) or 1.0
    # An English question shares only names with Vietnamese text; those say which article, not which sentence.
    bonus = _WORD_BONUS if language(question) == "vi" else _WORD_BONUS * _ENGLISH_WORD_SHARE

    # "Ai viết bài…?", "When was it published?": the page's own "Tác giả:" / "Ngày:" line answers.
    field = next((line for asks, line in _BYLINE_FIELDS if asks.search(question)), None)

    # "NIC là viết tắt của tổ chức nào?": the sentence that spells it out ("… Quốc gia (NIC)") answers, as a
    # byline answers who wrote the page
    expanded = spelled_out(question)

    # A byline's field about its author ("Vai trò: Trưởng nhóm…") answers a question about the author, not
    # "Amazon's role in generative AI?"
    fields = _byline_fields(sources)
    author_asked = field is not None or any(
        _asks_about_author(f"{question} {conversation}", x.sentence.text)
        for x in fields.values()
        if AUTHOR_FIELD.match(x.sentence.text)
    )

    question_asked = _QUESTION_ASKED.search(question) is not None
    place = "end" if _END_ASKED.search(question) else "start" if _START_ASKED.search(question) else None

    def rank(pair: tuple[Source, ScoredSentence]) -> float:
        shared = sum(idf[t] for t in asked & words[id(pair[1])]) / total
        repeated = _SAID_PENALTY if _said_before(words[id(pair[1])], said) else 0.0
        text = pair[1].sentence.text
        about_author = id(pair[1]) in fields and _AUTHOR_ATTRIBUTE.match(without_emphasis(text)) is not None
        demoted = _BYLINE_PENALTY if about_author and not author_asked else 0.0
        byline = _BYLINE_BONUS if field is not None and field.match(text) else 0.0
        if title_asked and _normalized(text) in titles:
            byline = _TITLE_BONUS
        stated = _STATED_COUNT_BONUS if count is not None and count.search(without_emphasis(text)) else 0.0
        spelled = _BYLINE_BONUS if expanded is not None and expanded.search(text) else 0.0
        role = _BYLINE_BONUS if about is not None and about.search(text) and not _name_role(text) else 0.0
        quoted = _QUESTION_BONUS if question_asked and _clean(text).rstrip("”\"»' ").endswith("?") else 0.0
        placed = _POSITION_BONUS * _nearness(pair, place) if place else 0.0
        return pair[1].score + placed + bonus * shared - repeated - demoted + byline + stated + spelled + role + quoted

    for src, s in sorted(pairs, key=lambda p: (-rank(p), p[0].number)):
        key = _normalized(s.sentence.text)
        if key in seen or len(_clean(s.sentence.text)) < 8:
            continue
        seen.add(key)
        out.append((src, s))
    return out


def _nearness(pair: tuple[Source, ScoredSentence], place: str) -> float:
    """How near the asked end of its article ("end" or "start") a sentence stands, 0 to 1 (0 when unknown)."""
    length = pair[0].hit.chunk.metadata.get("doc_chars")
    if not isinstance(length, int) or length <= 0:
        return 0.0
    share = min(pair[1].sentence.start / length, 1.0)
    return share if place == "end" else 1.0 - share


def _byline_fields(sources: Sequence[Source]) -> dict[int, ScoredSentence]:
    """The retrieved lines of each page's byline ("**Tác giả:** …" and the fields right after it), by id."""
    fields: dict[int, ScoredSentence] = {}
    for src in sources:
        run: list[ScoredSentence] = []
        for x in sorted(src.sentences, key=lambda x: x.sentence.start):
            if AUTHOR_FIELD.match(without_emphasis(x.sentence.text)) or (run and _FIELD.match(x.sentence.text)):
                run.append(x)
                fields.update((id(f), f) for f in run)
            else:
                run = []
    return fields


def _asks_about_author(question: str, author_line: str) -> bool:
    """The question names the author the byline gives ("Jacob Newton-Gladstein giữ vai trò gì?")."""
    name = AUTHOR_FIELD.sub("", without_emphasis(author_line))
    words = {w.lower() for w in re.findall(r"[^\W\d_][\w-]*", name) if w[0].isupper()}
    return bool(words & {w.lower() for w in re.findall(r"[^\W\d_][\w-]*", question)})


def _role_spoken_of(context: str, sources: Sequence[Source]) -> re.Pattern[str] | None:
    """What the text calls the role of the person `context` names, when a retrieved line of several gives
    each person's role ("Đặng Hoàng Hiếu Nghĩa - AI Engineer, Renova Cloud").

    A write-up then speaks of that person by role ("Quan Điểm AI Engineering: … từ góc nhìn của một AI
    engineer"): what he brought is in those sentences, not in the line that names him. The role's own words
    find them (whole, or a word no other person's role has: "Trainee", "DevOps").
    """
    lines = [m for src in sources for x in src.sentences if (m := _name_role(x.sentence.text))]
    if len(lines) < 2:
        return None
    said = normalize(context)
    for line in lines:
        if normalize(line.group("name")) not in said and normalize(line.group("org")) not in said:
            continue
        role = line.group("role").strip().lower()
        others = {w for other in lines if other is not line for w in other.group("role").lower().split()}
        unique = [re.escape(w) for w in role.split() if w not in others and len(w) >= _ROLE_WORD]
        return re.compile(rf"\b(?:{'|'.join([re.escape(role), *unique])})", re.I)
    return None


def _name_role(text: str) -> re.Match[str] | None:
    """A line naming a person (capitalised words) with a role and an organisation after a dash."""
    match = _NAME_ROLE_LINE.match(_clean(text))
    return match if match and all(w[0].isupper() for w in match.group("name").split()) else None


def _series_step(question: str, sources: Sequence[Source], before: str) -> tuple[Source, ScoredSentence] | None:
    """The title of a numbered series ("Cấp độ 1: …" … "Cấp độ 5: …") the question asks for by its place:
    the next one after the level the conversation was about, the highest or last, or the first."""
    titles = [
        (m.group("prefix").lower(), int(m.group("n")), (src, x))
        for src in sources
        for x in src.sentences
        if (m := NUMBERED_TITLE.match(_clean(x.sentence.text))) and _title_like(x.sentence.text.strip())
    ]
    for prefix in dict.fromkeys(p for p, _, _ in titles):
        # "cấp cao nhất" names "Cấp độ" by its first word
        said = re.escape(prefix) + (rf"|{re.escape(prefix.split()[0])}" if " " in prefix else "")
        asked = re.search(rf"\b(?:{said})\s+(?P<place>{_SERIES_PLACES})\b", question, re.I)
        english = _SERIES_EN.get(prefix)
        if asked is None and english:
            asked = re.search(rf"\b(?P<place>{_SERIES_PLACES_EN})\s+(?:{english})\b", question, re.I)
        if asked is None:
            continue
        # one article's series: the best-ranked source that has it ("Bước 1" may number another article's too)
        article = next(pair[0].hit.chunk.source for p, _, pair in titles if p == prefix)
        numbers = {n: pair for p, n, pair in titles if p == prefix and pair[0].hit.chunk.source == article}
        place = asked.group("place").lower()
        if place in _NEXT or place in _NEXT_EN:
            named = said + (f"|{english}" if english else "")  # ("What is level 1?" before "the next level")
            current = [int(n) for n in re.findall(rf"\b(?:{named})\s+(\d{{1,2}})\b", before, re.I)]
            wanted = current[-1] + 1 if current else None
        else:
            wanted = min(numbers) if place in _FIRST or place in _FIRST_EN else max(numbers)
        return numbers.get(wanted) if wanted is not None else None
    return None


def _listed_place(question: str, sources: Sequence[Source]) -> tuple[Source, ScoredSentence] | None:
    """The item a question asks for by its place in a list a retrieved title or lead-in names: "Lĩnh vực trọng
    tâm đầu tiên…?" under "## 3. Bảy lĩnh vực trọng tâm của nghiên cứu" is "1. **Mức độ ứng dụng…**"."""
    asked = ordinal_asked(question)
    if asked is None:
        return None
    noun, index = asked
    named = re.compile(rf"\b{re.escape(noun)}\b", re.I)
    ranked = _by_score(sources)
    for src, x in ranked:
        text = without_emphasis(x.sentence.text)
        if not (_is_heading(x) or _is_lead_in(x)) or LIST_ITEM.match(text) or not named.search(text):
            continue
        items = _top_items((src, x), sources, question)
        if len(items) >= _MIN_ITEMS_QUOTED and -len(items) <= index < len(items):
            return items[index]
    return None


def _top_items(
    opener: tuple[Source, ScoredSentence], sources: Sequence[Source], question: str
) -> list[tuple[Source, ScoredSentence]]:
    """The top-level items of the list `opener` heads, in order ([] when it heads none that was retrieved)."""
    block = _list_block([opener], sources, question)
    if len(block) < 2 or block[0] != opener:
        return []
    top = min(_indent(s, x) for s, x in block[1:])
    return [(s, x) for s, x in block[1:] if _indent(s, x) == top]


def _follows(earlier: tuple[Source, ScoredSentence] | None, later: tuple[Source, ScoredSentence]) -> bool:
    """`later` comes after `earlier` in the same article."""
    return (
        earlier is not None
        and earlier[0].hit.chunk.source == later[0].hit.chunk.source
        and later[1].sentence.start > earlier[1].sentence.start
    )


def _names_item(question: str, item: ScoredSentence) -> bool:
    """The question names this list item ("Về quyết định kiến trúc, …" and "4. **Quyết định kiến trúc**"):
    what is asked is under it."""
    if not LIST_ITEM.match(item.sentence.text) or item.sentence.text.rstrip("* ").endswith(":"):
        return False
    return _named(question, item.sentence.text)


def _names_lead_in(question: str, sentence: ScoredSentence) -> bool:
    """The question says every word of a lead-in of a few words ("Tận Dụng Amazon Bedrock:"); a one- or
    two-word one ("Bảo mật:", "Câu hỏi:") is named by too many questions to say which list is asked for."""
    words = re.sub(r"\([^)]*\)", " ", _clean(sentence.sentence.text)).split()
    return _is_lead_in(sentence) and len(words) >= _NAMED_LEAD_IN_WORDS and _named(question, sentence.sentence.text)


def _named(question: str, title: str) -> bool:
    """Every word of a title or item (but its parenthesis: "(Buying Journey)" may go unsaid) is in the question,
    or every word of that parenthesis: an English question names "Hành trình mua hàng (Buying Journey)" so."""
    words = tokenize(re.sub(r"\([^)]*\)", " ", _clean(title)))
    # "-hóa" makes a verb of its stem: "tối ưu chi phí" names "Tối Ưu Hóa Chi Phí"
    stems = {w.removesuffix("_hóa") for w in words if w != "hóa"}
    if len(words) >= 2 and stems <= {w.removesuffix("_hóa") for w in tokenize(question)}:
        return True
    asked = set(re.findall(r"\w+", question.lower()))
    glosses = (re.findall(r"\w+", gloss.lower()) for gloss in re.findall(r"\(([^)]*)\)", title))
    return any(len(gloss) >= 2 and set(gloss) <= asked for gloss in glosses)


def _list_block(
    picked: list[tuple[Source, ScoredSentence]],
    sources: Sequence[Source],
    question: str,
    named: Sequence[ScoredSentence] = (),
) -> list[tuple[Source, ScoredSentence]]:
    """The introducing sentence and the list items or short title lines after it in the same article."""
    for src, intro in picked:
        intro_text = intro.sentence.text.rstrip("* ")
        title = _SECTION_NUMBER.sub("", intro_text.lstrip("#* "))  # "## 3. Bảy lĩnh vực…" is a title too
        if _FIELD.match(intro.sentence.text) or not (intro_text.endswith(":") or _title_like(title)):
            if intro not in named:  # an item the question names opens the items under it
                continue  # only "…gồm:" or a section title opens a list ("**Danh mục:** A • B" is a field)
        same_doc = _article_sentences(src, sources)
        # After a lead-in ("…yếu tố quan trọng:") each item may have its explanation under it; after a
        # title ("Cấp độ 2: …") prose is that section's own text, and titles after it are other sections.
        contiguous = not intro_text.endswith(":")
        # a lead-in that is itself an item ("- Cơ hội mở rộng:") holds only the items nested under it
        nested_in = _indent(src, intro) if LIST_ITEM.match(intro.sentence.text) else None
        items: list[tuple[Source, ScoredSentence]] = []
        seen_starts = {intro.sentence.start}
        previous = src
        explained = False  # an item so far had prose under it
        after_title = False  # the sentence before was a title line taken as an item
        for s, x in same_doc:
            if x.sentence.start <= intro.sentence.start or x.sentence.start in seen_starts:
                continue
            seen_starts.add(x.sentence.start)
            if _gap_between(previous, s):
                break  # the article's text in between was not retrieved: what follows is not known to be this list
            previous = s
            text = x.sentence.text.strip()
            if nested_in is not None and (not LIST_ITEM.match(text) or _indent(s, x) <= nested_in):
                break
            bulleted = bool(items) and LIST_ITEM.match(items[0][1].sentence.text) is not None
            if bulleted and not LIST_ITEM.match(text) and _title_like(text):
                break  # a plain title after bulleted items is the next section's ("Lời kết"), not an item
            if LIST_ITEM.match(text) or _title_like(text):
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
            top = min(_indent(s, x) for s, x in items)
            items = [(s, x) for s, x in items if _indent(s, x) == top]
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
    match = NUMBERED_TITLE.match(_clean(title.sentence.text))
    if not match or not _title_like(title.sentence.text.strip()):
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
    for s, x in _article_sentences(src, sources):
        other = NUMBERED_TITLE.match(_clean(x.sentence.text))
        if other and other.group("prefix").lower() == prefix and other.group("n") not in numbers:
            if _title_like(x.sentence.text.strip()):
                numbers.add(other.group("n"))
                run.append((s, x))
    return run if len(run) >= _MIN_PARALLEL else []


def _by_score(sources: Sequence[Source]) -> list[tuple[Source, ScoredSentence]]:
    """Every retrieved sentence with its source, by similarity alone (no word bonus), best first."""
    return sorted(((s, x) for s in sources for x in s.sentences), key=lambda p: -p[1].score)


def _article_sentences(src: Source, sources: Sequence[Source]) -> list[tuple[Source, ScoredSentence]]:
    """Every retrieved sentence of `src`'s article, in document order."""
    same_doc = ((s, x) for s in sources if s.hit.chunk.source == src.hit.chunk.source for x in s.sentences)
    return sorted(same_doc, key=lambda p: p[1].sentence.start)


def _heading_of_items(
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
    return _section_heading(src, item, sources)


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
    if not opener or _LEANS_BACK.match(opener):
        return []
    run: list[tuple[Source, ScoredSentence]] = []
    for s in after:
        text = s.sentence.text.strip()
        if text.startswith("#") or (_title_like(text) and len(text.split()) <= 8):
            break  # the next section
        if _first_word(text) == opener:
            run.append((src, s))
    return run if len(run) >= _MIN_PARALLEL else []


def _first_word(text: str) -> str:
    words = _clean(text).split()
    return words[0].lower().strip(",.:;") if words else ""


def _gap_between(earlier: Source, later: Source) -> bool:
    """Two chunks of an article with text between them that was not retrieved (more than the blank lines
    a chunk boundary drops)."""
    return later is not earlier and later.hit.chunk.start - earlier.hit.chunk.end > _BOUNDARY_CHARS


def _neighbour(src: Source, current: ScoredSentence, step: int) -> ScoredSentence | None:
    """The sentence just after (step=+1) or before (-1) `current` in the same chunk."""
    if step > 0:
        later = [s for s in src.sentences if s.sentence.start > current.sentence.start]
        following = min(later, key=lambda s: s.sentence.start) if later else None
        # a heading after the passage starts another topic
        return None if following is None or _is_heading(following) else following
    earlier = [s for s in src.sentences if s.sentence.start < current.sentence.start]
    return max(earlier, key=lambda s: s.sentence.start) if earlier else None


def _is_lead_in(sentence: ScoredSentence) -> bool:
    """A sentence that opens a list ("…còn nhiều giới hạn:", "**Tận Dụng Amazon Bedrock:**")."""
    return _clean(sentence.sentence.text).endswith(":")


def _is_heading(sentence: ScoredSentence) -> bool:
    return sentence.sentence.text.lstrip().startswith("#")


def _title_like(text: str) -> bool:
    return len(text) <= 110 and not text.startswith("#") and text[-1:] not in ".:;,…" and text[:1].isupper()


def _said_before(words: Set[str], said: Set[str]) -> bool:
    return bool(words) and len(words & said) >= _SAID_SHARE * len(words)


def _normalized(text: str) -> str:
    return " ".join(_clean(text).rstrip(".").split()).lower() if text.strip() else ""


def _clean(text: str) -> str:
    """A source sentence as it reads in an answer: no Markdown emphasis or list marks."""
    text = _MD_PREFIX.sub("", text)
    text = without_emphasis(text).strip()
    text = " ".join(text.split())
    if text and not _SENTENCE_END.search(text):
        text += "."  # a title ending in a quotation ("…đến “thấu hiểu tâm can”") is still no sentence
    return text
