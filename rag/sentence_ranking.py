"""Which retrieved sentence answers best: its similarity, plus what the question asks of a sentence.

Similarity alone favours sentences that repeat the question's words; a byline line, a stated count, a
question quoted, a place in the article or a step of a numbered series answer some questions whatever
their similarity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence, Set

from rag.answerability import spelled_out
from rag.generators.base import ScoredSentence, Source
from rag.grounding import without_attribution
from rag.passages import FIELD, clean, normalized, title_like
from rag.segment import language, normalize, tokenize
from rag.sentences import AUTHOR_FIELD, DATE_FIELD, NUMBERED_TITLE, without_emphasis

_WORD_BONUS = 0.15
_ENGLISH_WORD_SHARE = 0.2
# A sentence whose words are mostly in the previous answer restates it.
_SAID_SHARE = 0.8
_SAID_PENALTY = 0.1
# A place in a numbered series, said after the series' name: "cấp độ tiếp theo", "cấp độ cao nhất", "cấp
# ngay trên nó" (the one above the level the conversation was about).
_NEXT = ("tiếp theo", "kế tiếp", "sau đó", "trên", "cao hơn", "sau")
_PREVIOUS = ("dưới", "thấp hơn", "trước đó", "trước")
_FIRST = ("đầu tiên", "thấp nhất", "cơ bản nhất")
_SERIES_PLACES = "|".join((*_NEXT, *_PREVIOUS, *_FIRST, "cao nhất", "cuối cùng", "sâu nhất"))
# In English, before the series' word: "the next level", "the highest step" (the sources number them in
# Vietnamese); or after it: "the level above".
_NEXT_EN = ("next", "above", "after")
_PREVIOUS_EN = ("previous", "below", "before")
_FIRST_EN = ("first", "lowest", "most basic")
_SERIES_PLACES_EN = "|".join(
    (*_NEXT_EN, *_PREVIOUS_EN, *_FIRST_EN, "highest", "top", "last", "final", "deepest", "most advanced")
)
# What a question may call a series of levels other than the title's own word: "mức cá nhân hóa nào" asks
# which "Cấp độ" it is.
_LEVEL_WORDS = ("cấp độ", "cấp", "mức độ", "mức", "tầng")
_SERIES_EN = {
    "cấp độ": "levels?",
    "cấp": "levels?",
    "mức độ": "levels?",
    "bước": "steps?",
    "giai đoạn": "stages?|phases?",
}
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
# "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software": a person with a role and an organisation.
_NAME_ROLE_LINE = re.compile(
    r"^(?P<name>(?:[^\W\d_]+\s+){1,4}[^\W\d_]+)\s+[-–]\s+(?P<role>(?:[\w&/.-]+\s+){0,4}[\w&/.-]+),\s*"
    r"(?P<org>(?:[\w&/.-]+\s+){0,4}[\w&/.-]+)\.?$"
)
_TITLE_BONUS = 0.5
TITLE_ASKED = re.compile(r"tiêu đề|tựa đề|\btitle\b|\btitled\b|\bheadline\b", re.I)
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
    r"|closing (?:words|lines|section)|cuối bài|kết bài|phần kết|lời kết|kết luận"
    # ("Bài blog kết thúc bằng lời mời gì?", "What does the post end with?")
    r"|kết thúc (?:bằng|với)|khép lại (?:bằng|với)|ends? (?:with|by)|clos(?:e|es|ing) (?:with|by)|wraps? up)\b",
    re.I,
)
_START_ASKED = re.compile(
    r"\b(?:at the (?:very )?(?:start|beginning)|(?:in|according to) (?:the|its) (?:introduction|intro|opening)"
    r"|đầu bài|mở đầu|phần đầu|lời mở đầu|phần giới thiệu)\b",
    re.I,
)


def ranked_sentences(
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
    ranks higher, as does one that speaks of the role `about` (`role_spoken_of`). A follow-up's
    `conversation` may name the author its question points back to ("What is his role?").
    """
    # "Theo Filum.ai, …", "…, according to the blogger?": who says it picks the article, not the sentence
    asked = set(tokenize(without_attribution(question)))
    # (a title that is the document's first sentence, for lack of a better one, is content, not a title)
    raw_titles = {str(src.hit.chunk.metadata.get("title") or "") for src in sources} - {""}
    titles = {normalized(title) for title in raw_titles}
    # …unless the title is what is asked ("Bài viết có tiêu đề là gì?", "What is the title of…?")
    title_asked = bool(TITLE_ASKED.search(question))
    seen: set[str] = set() if title_asked else {normalized(t) for t in raw_titles if title_like(t)}
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
        repeated = _SAID_PENALTY if said_before(words[id(pair[1])], said) else 0.0
        text = pair[1].sentence.text
        about_author = id(pair[1]) in fields and _AUTHOR_ATTRIBUTE.match(without_emphasis(text)) is not None
        demoted = _BYLINE_PENALTY if about_author and not author_asked else 0.0
        byline = _BYLINE_BONUS if field is not None and field.match(text) else 0.0
        if title_asked and normalized(text) in titles:
            byline = _TITLE_BONUS
        stated = _STATED_COUNT_BONUS if count is not None and count.search(without_emphasis(text)) else 0.0
        spelled = _BYLINE_BONUS if expanded is not None and expanded.search(text) else 0.0
        role = _BYLINE_BONUS if about is not None and about.search(text) and not _name_role(text) else 0.0
        quoted = _QUESTION_BONUS if question_asked and clean(text).rstrip("”\"»' ").endswith("?") else 0.0
        placed = _POSITION_BONUS * _nearness(pair, place) if place else 0.0
        return pair[1].score + placed + bonus * shared - repeated - demoted + byline + stated + spelled + role + quoted

    for src, s in sorted(pairs, key=lambda p: (-rank(p), p[0].number)):
        key = normalized(s.sentence.text)
        if key in seen or len(clean(s.sentence.text)) < 8:
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
            if AUTHOR_FIELD.match(without_emphasis(x.sentence.text)) or (run and FIELD.match(x.sentence.text)):
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


def role_spoken_of(context: str, sources: Sequence[Source]) -> re.Pattern[str] | None:
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
    match = _NAME_ROLE_LINE.match(clean(text))
    return match if match and all(w[0].isupper() for w in match.group("name").split()) else None


def series_step(question: str, sources: Sequence[Source], before: str) -> tuple[Source, ScoredSentence] | None:
    """The title of a numbered series ("Cấp độ 1: …" … "Cấp độ 5: …") the question asks for by its place:
    the next one after the level the conversation was about, the highest or last, or the first."""
    titles = [
        (m.group("prefix").lower(), int(m.group("n")), (src, x))
        for src in sources
        for x in src.sentences
        if (m := NUMBERED_TITLE.match(clean(x.sentence.text))) and title_like(x.sentence.text.strip())
    ]
    for prefix in dict.fromkeys(p for p, _, _ in titles):
        said = _series_names(prefix)
        # ("cấp ngay trên", "the level right above"; "mức cao nhất")
        asked = re.search(rf"\b(?:{said})\s+(?:ngay\s+|liền\s+)?(?P<place>{_SERIES_PLACES})\b", question, re.I)
        english = _SERIES_EN.get(prefix)
        if asked is None and english:
            asked = re.search(
                rf"\b(?P<place>{_SERIES_PLACES_EN})\s+(?:{english})\b|\b(?:{english})\s+(?:right\s+|just\s+)?"
                rf"(?P<after>above|below|after|before)\b",
                question,
                re.I,
            )
        if asked is None:
            continue
        # one article's series ("Bước 1" may number another article's too): the best-ranked source that has
        # it, or for a step from the level the conversation was about, the best-ranked that has both
        series: dict[str, dict[int, tuple[Source, ScoredSentence]]] = {}
        for p, n, pair in titles:
            if p == prefix:
                series.setdefault(pair[0].hit.chunk.source, {})[n] = pair
        place = (asked.group("place") or asked.group("after")).lower()
        step = 1 if place in _NEXT or place in _NEXT_EN else -1 if place in _PREVIOUS or place in _PREVIOUS_EN else 0
        if not step:
            numbers = next(iter(series.values()))
            return numbers[min(numbers) if place in _FIRST or place in _FIRST_EN else max(numbers)]
        named = said + (f"|{english}" if english else "")  # ("What is level 1?" before "the next level")
        current = [int(n) for n in re.findall(rf"\b(?:{named})\s+(\d{{1,2}})\b", before, re.I)]
        if not current:
            return None
        wanted = current[-1] + step
        having = [numbers for numbers in series.values() if wanted in numbers]
        numbers = next((n for n in having if current[-1] in n), having[0] if having else {})
        return numbers.get(wanted)
    return None


def _series_names(prefix: str) -> str:
    """A pattern for what a question may call the series a numbered title belongs to: its own word, its
    first word ("cấp cao nhất" for "Cấp độ") and, for levels, the other words for a level ("mức")."""
    names = [prefix, prefix.split()[0]]
    if prefix in _LEVEL_WORDS:
        names += _LEVEL_WORDS
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


def asks_which_title(question: str, title: ScoredSentence) -> bool:
    """The question asks which of a numbered series `title` is ("Cấp độ 4: …" for "Cấp độ … nào …?",
    "Which level …?"): its explanation does not say which; the title does."""
    text = clean(title.sentence.text)
    m = NUMBERED_TITLE.match(text)
    if m is None or not title_like(title.sentence.text.strip()):
        return False
    prefix = m.group("prefix").lower()
    said = _series_names(prefix)
    if re.search(rf"\b(?:{said})\b(?:\s+[\wÀ-ỹ]+){{0,4}}?\s+(?:nào|thứ mấy|số mấy)\b", question, re.I):
        return True
    english = _SERIES_EN.get(prefix)
    return bool(english and re.search(rf"\b(?:which|what)\s+(?:[\w-]+\s+)?(?:{english})\b", question, re.I))


def said_before(words: Set[str], said: Set[str]) -> bool:
    """Most of a sentence's words are in the previous answer: it restates what was already said."""
    return bool(words) and len(words & said) >= _SAID_SHARE * len(words)
