"""Extractive answers: no model at all, only the sources' own sentences, each cited.

Always available, so it is also the fallback when a provider cannot run. It
picks the sentences most similar to the question (embedded at ingest), adds the
list that a list question asks for (and counts it for "how many" when no sentence
states the number), and the best sentence of a second article when another
article is nearly as relevant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rag.answerability import (
    enumeration_asked,
    enumeration_supported,
    kind_supported,
    names_a_person,
    stated_count,
)
from rag.condense import Turn, last_content, refers_back
from rag.config import Settings
from rag.generators.base import REFUSAL_TOKEN, ScoredSentence, Source
from rag.lists import (
    ITEMS_LOOKED_AT,
    MIN_PARALLEL,
    SPEAKERS_EN,
    counted_list,
    heading_of_items,
    list_block,
    listed_place,
    names_item,
    names_lead_in,
    parent_item,
    section_heading,
    whole_list,
)
from rag.passages import (
    BOUNDARY_CHARS,
    FIELD,
    LEANS_BACK,
    SECTION_NUMBER,
    article_sentences,
    clean,
    follows,
    indent_of,
    is_heading,
    is_lead_in,
    neighbour,
    title_like,
)
from rag.retrieval import asks_across_sources
from rag.segment import language, tokenize
from rag.sentence_ranking import (
    TITLE_ASKED,
    asks_which_title,
    ranked_sentences,
    role_spoken_of,
    said_before,
    series_step,
)
from rag.sentences import AUTHOR_FIELD, LIST_ITEM, NUMBERED_TITLE, without_emphasis

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
_CLOSE_TO_BEST = 0.06
_SECOND_ARTICLE = 0.05
_ACROSS_MARGIN = 0.15
_ACROSS_ARTICLES = 3
_STATEMENT_WORDS = 4
_TITLE_LOOKED_UP = 4
# "Ai nói…", "người nào", "who said…" ask for a person ("AI" is artificial intelligence): the quote then runs
# on to its speaker. (Whether the evidence names a person at all is answerability's stricter check.)
_WHO_ASKED = re.compile(r"(?:^|\s)(?-i:[Aa]i)\b|\bngười nào\b|\bwho(?:m)?\b", re.I)
_MAX_QUOTE_SENTENCES = 3
# "Vì sao…?" is answered by a reason: when the best sentence states the fact and the next one gives its
# reason ("…lợi thế trong ba lĩnh vực." "Không phải vì thuật toán tốt hơn, mà vì dữ liệu tốt hơn."), both are quoted.
_WHY_ASKED = re.compile(r"\b(?:vì sao|tại sao|lý do|do đâu|nhờ đâu|why|what makes|for what reason)\b", re.I)
_REASON = re.compile(r"\b(?:vì|bởi|do|nhờ|because|since|due to|thanks to)\b", re.I)
# Asks for the role or the organisation itself ("giữ vị trí gì", "làm việc ở đâu"), which that line answers.
_ROLE_ASKED = re.compile(
    r"vị trí|vai trò|chức vụ|chức danh|làm việc|công tác|đến từ (?:đâu|công ty nào|tổ chức nào)|là ai|\brole\b|"
    r"\bposition\b|\bjob\b|\bwork|"
    r"\bwho\b|\bwhich (?:company|organi[sz]ation|speaker)\b",
    re.I,
)
_MAX_FIELDS = 3
_COUNT_LEAD = {"vi": "Có {n} {noun}:", "en": "There are {n} {noun}:"}
# "Which speakers…?", "Những diễn giả nào…?": a list of named people answers, not a list about what they said.
_SPEAKERS_LISTED = re.compile(
    rf"\b(?:which|what|who were the|who are the|list the|name the)\s+(?:\w+\s+)?(?:{SPEAKERS_EN})\b|"
    r"\b(?:những|các)\s+diễn giả\s+nào\b|\bdiễn giả nào\b|\bkể tên (?:các |những )?diễn giả\b",
    re.I,
)


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
            lines = [f"- {clean(text).removesuffix(':')} [{intro_src.number}]" for text in items]
            return [f"{lead} [{intro_src.number}]", *lines]
        texts = [c.sentence.text for _, c in picked]
        if not kind_supported(question, texts) or not enumeration_supported(question, texts):
            return []  # asked for a quantity, time or place, or for N named items, and the sentences do not give it
        # numbered titles quoted as a series ("Cấp độ 1: …" … "Cấp độ 5: …") read as a list
        titles = [m.group("prefix").lower() for _, c in picked if (m := NUMBERED_TITLE.match(clean(c.sentence.text)))]
        series = next((t for t in titles if titles.count(t) >= MIN_PARALLEL), None)
        seen: set[str] = set()
        # (text, source number, is it a list item, its indent, does it go on from the line before in its passage)
        kept: list[tuple[str, int, bool, int, bool]] = []
        last = picked[0] if picked else None  # the sentence of kept[-1]
        for i, (src, cand) in enumerate(picked):
            text = clean(cand.sentence.text)
            if not text or text in seen:
                continue
            followed_by_items = i + 1 < len(picked) and LIST_ITEM.match(picked[i + 1][1].sentence.text)
            if is_heading(cand) and not followed_by_items and not TITLE_ASKED.search(question):
                continue  # a heading says what follows; alone, or before prose, it answers nothing (but its title)
            seen.add(text)
            # after a lead-in ("…yếu tố quan trọng:") its items are a list, bulleted or not in the source (a
            # sentence from elsewhere is none of its items), and a plain title line after an item is the next item
            after_lead_in = bool(kept) and kept[-1][0].endswith(":") and follows(last, (src, cand))
            after_item = bool(kept) and kept[-1][2] and title_like(cand.sentence.text.strip())
            in_series = series is not None and NUMBERED_TITLE.match(text) is not None
            item = bool(LIST_ITEM.match(cand.sentence.text)) or after_lead_in or after_item or in_series
            kept.append((text, src.number, item, indent_of(src, cand), bool(kept) and _goes_on(last, (src, cand))))
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
        role_spoken_of(f"{question} {already_said if follow_up else ''}", sources)
        if not _ROLE_ASKED.search(question)
        else None
    )
    conversation = f"{asked_before} {already_said}" if follow_up else ""
    ranked = ranked_sentences(sources, question, said, count, about, conversation)
    if not ranked:
        return []
    step = series_step(question, sources, f"{asked_before} {already_said}") or listed_place(question, sources)
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
        restated = said_before(set(tokenize(cand.sentence.text)), said)  # quoted again only as the best answer
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
        after = neighbour(best_src, best, +1)
        before = None
    else:
        after = neighbour(best_src, best, +1)
        # a section title ("Cấp độ 4: …") says what its first sentence explains
        titled = title_like(best.sentence.text.strip()) and not LIST_ITEM.match(best.sentence.text)
        explains = after is not None and not title_like(after.sentence.text.strip())
        gives_reason = (
            after is not None
            and _WHY_ASKED.search(question) is not None
            and not _REASON.search(best.sentence.text)
            and _REASON.search(after.sentence.text) is not None
        )
        if not (titled and explains) and not gives_reason:
            after = after if after is not None and LEANS_BACK.match(clean(after.sentence.text)) else None
        before = neighbour(best_src, best, -1) if LEANS_BACK.match(clean(best.sentence.text)) else None
    if before is not None and (best_src, before) not in picked:
        picked.insert(0, (best_src, before))
    # (a title quoted already says which: the one above it is the series' previous step)
    titled_already = any(title_like(x.sentence.text.strip()) for _, x in picked)
    title = _title_above(best_src, best, sources) if not titled_already else None
    if title is not None and title not in picked and asks_which_title(question, title[1]):
        picked.insert(0, title)  # "Cấp độ … nào …?": "Cấp độ 4: …" says which, its text does not
    if after is not None and (best_src, after) not in picked:
        picked.insert(picked.index((best_src, best)) + 1, (best_src, after))
    if _WHO_ASKED.search(question):
        picked = _with_speaker(picked, best_src, best)
    if AUTHOR_FIELD.match(best.sentence.text):  # who the author is: the byline's other fields ("Vai trò: …")
        at = picked.index((best_src, best)) + 1
        current: ScoredSentence | None = best
        for _ in range(_MAX_FIELDS):
            current = neighbour(best_src, current, +1) if current is not None else None
            if current is None or not FIELD.match(current.sentence.text):
                break
            if (best_src, current) not in picked:
                picked.insert(at, (best_src, current))
                at += 1
    list_asked = _asks_for_list(question) and step is None  # ("thứ hai" names one item, not two)
    if not list_asked:
        picked = whole_list(picked, sources, question)
        # "Doanh nghiệp nên tận dụng nó như thế nào?" after "Amazon Bedrock là gì?" names the lead-in
        # "Tận Dụng Amazon Bedrock:": what is under it answers
        naming = f"{question} {asked_before} {already_said}" if follow_up else question
        # (the question's own words first: after "…những bài học nào?", "tối ưu hóa chi phí nói gì?" names one
        # of the lead-ins the previous answer named all of)
        titled = next((p for p in ranked if names_lead_in(question, p[1])), None) or next(
            (p for p in ranked if names_lead_in(naming, p[1])), None
        )
        block = list_block([titled], sources, question) if titled is not None else []
        if not block:
            # "Trong phần hành trình mua hàng, … gì về tiền bạc?" names the item "2. **Hành trình mua hàng**" the
            # best sentence is under: its items answer (a question naming it in passing is about something else)
            item = next((p for p in ranked[:ITEMS_LOOKED_AT] if names_item(question, p[1])), None)
            under = list_block([item], sources, question, [item[1]]) if item is not None else []
            block = under if ranked[0] in under[1:] else []
        # (items that are lead-ins themselves head sub-lists the block may leave out: it would misplace them)
        if block and not all(p in picked for p in block) and _sub_lists_whole(block):
            picked = block + [p for p in picked if p not in block]
    if list_asked:
        # "Về quyết định kiến trúc, … những chiến lược nào?" asks for what is under the item it names (as does
        # "Nó gồm những gì?" after an answer that named one)
        naming = question + (" " + already_said if follow_up and "\n" not in already_said.strip() else "")
        # (or the lead-in it names: "những bài học nào về tối ưu chi phí?" and "4. **Tối Ưu Hóa Chi Phí:**")
        named = [p for p in ranked if names_item(naming, p[1]) or names_lead_in(naming, p[1])][:3]
        # (after the best sentences: a lead-in among them is nearer what is asked, "- Tiêu chí lựa chọn:"
        # under the named "Các tiêu chí mua hàng chính")
        # (and the item the best sentence is nested under: "Use case ở cấp phòng ban" answers "which levels…"
        # under "7. **Phân tích chuyên sâu theo use case**", not among the seven areas above it)
        # (a lead-in, "…:", opens its list by itself; a numbered item in bold is no title until it is named)
        parent = parent_item(ranked[0], sources) if LIST_ITEM.match(ranked[0][1].sentence.text) else None
        numbered = parent is not None and SECTION_NUMBER.match(parent[1].sentence.text.strip()) is not None
        if numbered and parent not in named and not is_lead_in(parent[1]):
            if ranked[0] in list_block([parent], sources, question, [parent[1]]):
                named.append(parent)
        candidates = picked + [p for p in named if p not in picked]
        candidates += [p for p in ranked[1:8] if p not in candidates]
        heading = heading_of_items(ranked[:ITEMS_LOOKED_AT], sources)
        if _SPEAKERS_LISTED.search(question):
            person = next(
                (
                    p
                    for p in ranked[: ITEMS_LOOKED_AT * 2]
                    if LIST_ITEM.match(p[1].sentence.text) and names_a_person(p[1].sentence.text)
                ),
                None,
            )
            people = section_heading(*person, sources) if person is not None else None
            candidates = ([people] if people is not None else []) + [p for p in candidates if p != people]
        block = list_block(candidates + ([heading] if heading else []), sources, question, [x for _, x in named])
        if block:
            intro_src, intro = block[0]
            leaned_on = neighbour(intro_src, intro, -1) if LEANS_BACK.match(clean(intro.sentence.text)) else None
            if leaned_on is not None:  # "Nó phụ thuộc vào…:" needs the sentence that says what "nó" is
                block.insert(0, (intro_src, leaned_on))
            # A list found through a weaker sentence follows the best one instead of replacing it:
            # the best may answer in prose ("…tập trung vào A, B và C") what the list details.
            keep = (best_src, best) not in block and not is_heading(best) and best.score > intro.score
            if block[0] == heading and best.sentence.section == intro.sentence.section:
                keep = False  # the best was one of this list's items, or an item under one of them
            picked = [(best_src, best), *block] if keep else block
    # Another article nearly as relevant adds its view, by a statement: a bare item ("Bảo mật.") says nothing alone.
    # A question asked across the sources ("Các tài liệu nói gì về…?") wants each article's view: the best
    # statement of each of the next two articles it retrieved, within a wider margin of the best.
    if answers_alone:
        # "24 ngành công nghiệp trọng điểm, bao gồm:" states the count and leads into what is counted
        block = list_block([(best_src, best)], sources, question) if step is None and is_lead_in(best) else []
        return [*block, *(p for p in picked if p not in block)]
    across = asks_across_sources(question)
    views: dict[str, tuple[Source, ScoredSentence]] = {}
    for s, c in ranked:
        article = s.hit.chunk.source
        statement = len(clean(c.sentence.text).split()) >= _STATEMENT_WORDS
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
            block = list_block([other], sources, question) if is_lead_in(other[1]) else []
            # (in the source's order: one of its items may be quoted already)
            picked = [p for p in picked if p not in block] + (block or [other])
    return picked


def _title_above(
    src: Source, sentence: ScoredSentence, sources: Sequence[Source]
) -> tuple[Source, ScoredSentence] | None:
    """The title line the sentence's paragraph stands under, a few sentences up at most (in the chunk before,
    when the title ended it)."""
    earlier = [p for p in article_sentences(src, sources) if p[1].sentence.start < sentence.sentence.start][::-1]
    seen: set[int] = set()
    below = sentence.sentence
    for s, x in earlier:
        if x.sentence.start in seen:  # (chunks overlap: one sentence, twice)
            continue
        seen.add(x.sentence.start)
        # (text between them that was not retrieved may hold another title)
        if below.start - x.sentence.end > BOUNDARY_CHARS or len(seen) > _TITLE_LOOKED_UP:
            return None
        if is_heading(x) or LIST_ITEM.match(x.sentence.text):
            return None
        below = x.sentence
        if title_like(x.sentence.text.strip()):
            return s, x
    return None


def _sub_lists_whole(block: list[tuple[Source, ScoredSentence]]) -> bool:
    """Each lead-in inside the block is followed by its own first item, not by the next of its own level.

    "- Nếu mức ảnh hưởng thấp:" holds "- Tín hiệu cần:" and the three items under it: all of them answer.
    """
    for (src, x), after in zip(block[1:], [*block[2:], None]):
        if is_lead_in(x):
            first = neighbour(src, x, +1)
            if after is None or first is None or after[0] is not src or after[1].sentence.start != first.sentence.start:
                return False
    return True


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
    text = clean(best.sentence.text)
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
        current = neighbour(src, current, step) if current is not None else None
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
    if earlier is None or not follows(earlier, later):
        return False
    first, second = earlier[0].hit.chunk, later[0].hit.chunk
    return first.id == second.id or second.start <= first.end


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
    """A list question whose extractive answer (`quoted`) quotes a list of at least `MIN_PARALLEL` items."""
    if not _asks_for_list(question):
        return False
    texts = [x.sentence.text for _, x in quoted]
    items = sum(1 for text in texts if LIST_ITEM.match(text))
    titles = sum(1 for text in texts if NUMBERED_TITLE.match(clean(text)))
    return max(items, titles) >= MIN_PARALLEL


def _asks_for_list(question: str) -> bool:
    """ "Những … nào", "which … are", or a set number of items ("…có 7 lĩnh vực nào?")."""
    return bool(_LIST_QUESTION.search(question)) or enumeration_asked(question) is not None


def evidence_order(question: str, sources: Sequence[Source], history: Sequence[Turn]) -> list[str]:
    """Ids of the sentences an extractive answer would quote, in its order: a prompt shows these first."""
    return [s.sentence.id for _, s in quoted_evidence(question, sources, history)]
