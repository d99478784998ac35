"""Wiring only: question (+ history) -> retrieval -> generator -> grounded Answer.

`stream()` yields `("delta", text)` while the generator writes, then one
`("answer", Answer)` with the checked text and citations. A provider that
cannot run falls back to extractive answers with a notice; any other error
propagates, so real bugs are not hidden.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from rag.answer import REFUSAL_EN, REFUSAL_VI, Answer, CitedSentence
from rag.answerability import (
    enumeration_supported,
    kind_supported,
    names_as_written,
    places_asked,
    role_supported,
    share_doings_supported,
    spelled_out,
)
from rag.byline import byline_answer, byline_of_named_author, byline_unknown
from rag.condense import Turn, resolve_ordinal, standalone_query
from rag.config import Settings
from rag.errors import IndexEmptyError, InvalidQuestionError, ProviderUnavailableError
from rag.generators.base import Generator, ScoredSentence, Source, get_generator
from rag.generators.extractive import ExtractiveGenerator, quoted_evidence, quotes_a_list
from rag.grounding import (
    GroundedSentence,
    ground,
    is_refusal,
    names_within,
    numbers_within,
    what_is_asked,
    without_attribution,
)
from rag.injection import looks_like_instruction
from rag.lists import counted_list
from rag.retrieval import Filters, HybridRetriever
from rag.segment import language, reply_language, tokenize

MAX_QUESTION_CHARS = 2000
# A model answer that neither repeats most of the best quote's words nor paraphrases it closely
# (or drops one of its figures) gets the quote added.
UNCOVERED_SHARE = 0.6
# A Vietnamese answer that says less than this share of a quote's answer (its words the question does not say)
# does not say the quote, however close its meaning ("GenAI phân tích những hành động của khách hàng." for the
# quote that lists them)
UNANSWERED_SHARE = 1 / 3
PARAPHRASE_SIMILARITY = 0.8
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

Event = tuple[str, Any]


def clean_question(question: str) -> str:
    """The question without control characters; refuses empty and over-long ones with a reason."""
    if not isinstance(question, str):
        raise InvalidQuestionError("the question must be text")
    if len(question) > MAX_QUESTION_CHARS * 4:
        raise InvalidQuestionError(
            f"the question is too long ({len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,})"
        )
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", question))
    text = " ".join(text.split())
    if not text or not any(ch.isalnum() for ch in text):
        raise InvalidQuestionError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(
            f"the question is too long ({len(text):,} characters; the limit is {MAX_QUESTION_CHARS:,})"
        )
    return text


def _lead_in(sentence: GroundedSentence) -> bool:
    """A sentence that opens a list ("…gồm:"; also a list item that heads a sub-list)."""
    return sentence.text.rstrip().endswith(":")


def _units(quotes: list[GroundedSentence]) -> list[list[GroundedSentence]]:
    """Quotes that stand or fall together: a lead-in and its list ("X không phải là hằng số. Nó phụ thuộc
    vào…:" and the items), or a single sentence."""
    units: list[list[GroundedSentence]] = []
    i = 0
    while i < len(quotes):
        unit = [quotes[i]]
        i += 1
        if not _lead_in(unit[0]) and i < len(quotes) and _lead_in(quotes[i]):
            unit.append(quotes[i])
            i += 1
        if _lead_in(unit[-1]):
            while i < len(quotes) and quotes[i].list_item:
                unit.append(quotes[i])
                i += 1
        units.append(unit)
    return units


def _lacks_what_is_asked(
    question: str, sources: Sequence[Source], quoted: Sequence[tuple[Source, ScoredSentence]]
) -> bool:
    """The best evidence gives no quantity, time, person or place when one is asked, no items for
    "which N X", or is not about the year the question names (`quoted`: what an extractive answer quotes)."""
    top = sorted((x for s in sources for x in s.sentences), key=lambda x: -x.score)[:6]
    if not kind_supported(question, [x.sentence.text for x in top] + [x.sentence.text for _, x in quoted]):
        return True
    if not role_supported(question, [x.sentence.text for _, x in quoted]):
        return True
    if not _years_within(question, quoted):
        return True
    said = [x.sentence.text for s in sources for x in s.sentences]
    if not share_doings_supported(question, [x.sentence.text for _, x in quoted], said):
        return True
    return not enumeration_supported(question, [x.sentence.text for _, x in quoted])


def _years_within(question: str, quoted: Sequence[tuple[Source, ScoredSentence]]) -> bool:
    """Every year the question names is in the quoted passages or their articles' dates and titles.

    "Báo cáo năm 2023 khảo sát bao nhiêu phản hồi?" is not answered by this year's "~1.000 phản hồi".
    """
    years = set(_YEAR.findall(question))
    if not years:
        return True
    meta = (src.hit.chunk.metadata for src, _ in quoted)
    seen = " ".join(
        [src.hit.chunk.text for src, _ in quoted] + [f"{m.get('date', '')} {m.get('title', '')}" for m in meta]
    )
    return all(year in seen for year in years)


def _places_within(question: str, passages: Sequence[Source]) -> bool:
    """Every place the question is about ("… tại Việt Nam", "đến từ Việt Nam", "from Vietnam") is in the
    quoted passages or their titles.

    "Bao nhiêu đối tác AWS tại Việt Nam đã dùng báo cáo này?" is not answered by a list in a report on
    customers in Europe and North America, nor "Bao nhiêu người trả lời đến từ Việt Nam?" by its ~1.000 answers.
    """
    places = places_asked(question)
    if not places:
        return True
    seen = " ".join(f"{src.hit.chunk.text} {src.hit.chunk.metadata.get('title', '')}" for src in passages).lower()
    return all(any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", seen) for form in forms) for forms in places)


def _retelling(
    quoted: set[str], asked: set[str], sentences: Sequence[set[str]], taken: dict[int, int], known: set[str]
) -> int | None:
    """The model's sentence (by its words, `sentences`; not one in `taken`) that says most of what a quote (its
    words `quoted`) says of the question's words (`asked`), and a word of several syllables of its own: a thing
    neither the question nor any quote (`known`: all their words) says."""
    frame = quoted & asked
    for j, words in enumerate(sentences):
        own = words - asked - known
        retells = bool(frame) and len(frame & words) / len(frame) >= UNCOVERED_SHARE
        if retells and any("_" in w for w in own) and j not in taken.values():
            return j
    return None


class AnswerChain:
    """Retrieval + a generator by name -> Answer in Bedrock's RetrieveAndGenerate shape."""

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        generators: dict[str, Generator] | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self._generators: dict[str, Generator] = dict(generators or {})

    def generator(self, name: str | None = None) -> Generator:
        """The generator registered under `name` (default: the configured provider), built once."""
        name = name or self.settings.llm.provider
        if name not in self._generators:
            self._generators[name] = get_generator(name, self.settings)
        return self._generators[name]

    def sources_for(
        self, query: str, k: int | None, filters: Filters | None, question: str | None = None
    ) -> tuple[list[Source], np.ndarray]:
        """Retrieve with `query`; score each sentence of the hits against it (and the bare question)."""
        if self.retriever.store.count() == 0:
            raise IndexEmptyError("the index is empty: run `hoidap ingest` first")
        texts = [query] if question is None or question == query else [query, question]
        asked = question or query
        # what is asked, without who says it or (in English, over Vietnamese text) any name
        unnamed = what_is_asked(asked)
        cfg = self.settings.retrieval
        # "How does Filum.ai say…": who says it picks the article, not the sentence
        attributed = without_attribution(asked) != asked
        weight = cfg.unnamed_weight_attributed if attributed else cfg.unnamed_weight
        weight = weight if unnamed not in ("", asked) else 0.0
        # Retrieval reads the query as `hoidap retrieve` does (its part pooled from the query's run:
        # rag/pooling.py); the sentences are scored by the part embedded on its own: its tokens within the
        # question heard the names, and the sentences they picked were worse (held-out key facts 0.917 -> 0.909).
        by_text = self.retriever.query_vectors(query)
        others = texts[1:] + ([unnamed] if weight else [])
        fresh = self.retriever.embedder.embed_queries(others) if others else []
        vectors = [by_text[query], *fresh[: len(texts) - 1]]
        qvec = vectors[0]
        for text, vec in zip(texts[1:], fresh):
            by_text.setdefault(text, vec)
        # (a byline is cited by `byline_answer`, in place of its article's chunk, not retrieved as a source;
        # the article whose byline answers is among the sources, even when it ranks below the top k)
        hits = self.retriever.retrieve(
            texts, k=k, filters=filters, embedded=by_text, bylines=False, byline_articles=True
        )
        by_parent: dict[str, list[ScoredSentence]] = {}
        instructions_only: set[str] = set()
        for sentence, vec in self.retriever.store.sentences_for([h.chunk.id for h in hits]):
            if looks_like_instruction(sentence.text):
                instructions_only.add(sentence.parent)
                continue  # a document's instruction to the assistant is never evidence
            # A follow-up's context finds the passage; its own words pick the sentence within it.
            relevance = float(np.mean([np.dot(vec, v) for v in vectors]))
            score = relevance
            if weight:  # names find the article; within it, what is asked finds the sentence
                score = (1 - weight) * relevance + weight * float(np.dot(vec, fresh[-1]))
            by_parent.setdefault(sentence.parent, []).append(ScoredSentence(sentence, vec, score, relevance))
        # A chunk that is nothing but instructions is no source at all (its raw text would otherwise
        # stand in for the missing sentences in the prompt and the grounding check).
        kept = [h for h in hits if h.chunk.id in by_parent or h.chunk.id not in instructions_only]
        sources = [Source(i + 1, h, by_parent.get(h.chunk.id, [])) for i, h in enumerate(kept)]
        return sources, qvec

    def stream(
        self,
        question: str,
        history: Sequence[Turn] | None = None,
        provider: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Iterator[Event]:
        """Yield ("delta", text) pieces, then ("answer", Answer)."""
        # "co bao nhieu cau hoi?": typed without marks, read with them, and the reader told how it was read
        typed = clean_question(question)
        read = self.retriever.with_marks(typed)
        turns = [
            Turn(role=t["role"], content=self.retriever.with_marks(t["content"])) if t["role"] == "user" else t
            for t in history or []
        ]
        for kind, value in self._stream(read, turns, provider, k, filters):
            if kind == "answer" and isinstance(value, Answer) and read != typed:
                value.notice = "; ".join(filter(None, [f"câu hỏi được đọc là: “{read}”", value.notice]))
            yield kind, value

    def _stream(
        self, question: str, history: list[Turn], provider: str | None, k: int | None, filters: Filters | None
    ) -> Iterator[Event]:
        started = time.perf_counter()
        # "Yếu tố đầu tiên…?" after a list: the question as understood names the item ("Chất lượng dữ liệu…")
        question = resolve_ordinal(question, history)
        lang = language(question)  # (what the checks and the relevance floor read)
        reply = reply_language(question)  # (what the answer is written in)
        generator = self.generator(provider)
        query = standalone_query(question, history)
        sources, _ = self.sources_for(query, k, filters, question=question)
        timings = {"retrieval_s": time.perf_counter() - started}
        notice = ""

        best = max((s.relevance for s in sources), default=0.0)
        # small models do not notice a missing number or list, and retell lists badly: what an extractive
        # answer would quote holds them to the evidence
        small = not getattr(generator, "reasons_about_evidence", False)
        quoted: list[tuple[Source, ScoredSentence]] = []
        counted = False  # "mấy bài học?" with no number stated: the list of them answers by its length
        cfg = self.settings.retrieval
        floor = cfg.min_evidence_score_english if lang == "en" else cfg.min_evidence_score
        if best < floor and history and query == question:
            # "Bắt đầu từ những nước nào và khi nào?" is long enough to look standalone, yet names no subject:
            # a follow-up that finds nothing alone is searched again with the conversation
            leaning = standalone_query(question, history, always=True)
            found, _ = self.sources_for(leaning, k, filters, question=question)
            found_best = max((s.relevance for s in found), default=0.0)
            if found_best >= floor:
                query, sources, best = leaning, found, found_best
        unanswerable = best < floor and not byline_of_named_author(question, sources)
        # "NIC là viết tắt của gì?" is short and scores low by meaning; a source that spells NIC out answers it
        expansion = spelled_out(question)
        if expansion is not None:
            unanswerable = not any(expansion.search(x.sentence.text) for s in sources for x in s.sentences)
        unanswerable = unanswerable or byline_unknown(question, sources)
        byline = None if unanswerable else byline_answer(question, sources, reply)
        if byline is not None:  # who wrote the article, when, how long a read: its byline, kept out of the text
            answer = self._assemble(question, [byline.sentence], sources, generator, notice, [byline.passage])
            answer.timings = {**timings, "total_s": time.perf_counter() - started}
            yield ("delta", answer.text)
            yield ("answer", answer)
            return
        if small and not unanswerable:
            quoted = quoted_evidence(question, sources, history)
            listed = counted_list(question, sources, quoted)
            counted = listed is not None
            unanswerable = not counted and _lacks_what_is_asked(question, sources, quoted)
            # (a list counted, too, must be about the place asked: "… tại Việt Nam?")
            passages = [src for src, _ in quoted] + ([listed[1]] if listed is not None else [])
            unanswerable = unanswerable or not _places_within(question, passages)
            # "Claude có đánh bại GPT-4 không?": no article speaks of GPT-4
            unanswerable = unanswerable or not all(self.retriever.mentions(name) for name in names_as_written(question))
        if unanswerable:
            answer = self._refusal(question, reply, generator, sources, notice)
            answer.timings = {**timings, "total_s": time.perf_counter() - started}
            yield ("delta", answer.text)
            yield ("answer", answer)
            return

        if small and generator.name != "extractive" and (counted or quotes_a_list(question, quoted)):
            # A small model retelling a list drops items and invents others ("History-Based
            # Personalization"), and miscounts; the list is quoted as the sources write it.
            generator = self.generator("extractive")
            notice = "the list is quoted from the sources"
        raw = ""
        try:
            for piece in generator.stream(question, sources, history, reply):
                if not raw:
                    timings["first_token_s"] = time.perf_counter() - started
                raw += piece
                yield ("delta", piece)
        except ProviderUnavailableError as exc:
            if not self.settings.llm.fallback_to_extractive or generator.name == "extractive":
                raise
            notice = f"{generator.name} unavailable ({exc}); answered from the sources' own sentences"
            generator = self.generator("extractive")
            raw = "".join(generator.stream(question, sources, history, reply))
            yield ("reset", raw)

        trusts_refusal = generator.name == "extractive" or getattr(generator, "reasons_about_evidence", False)
        if is_refusal(raw) and trusts_refusal:
            answer = self._refusal(question, reply, generator, sources, notice)
        else:
            # Quotes need no echo check; a model's sentences do.
            asked = "" if generator.name == "extractive" else question
            grounded = [] if is_refusal(raw) else ground(raw, sources, self.retriever.embedder, asked)
            if not grounded and generator.name != "extractive":
                # The model wrote nothing the sources support: quote them instead.
                raw, grounded = self._quotes(question, sources, history, reply)
                notice = notice or "the model's answer was not supported by the sources; quoting them instead"
                yield ("reset", raw)
            elif grounded and not trusts_refusal:
                # Small models paraphrase away the figure or name that answers the question:
                # when their answer does not carry the best evidence, the evidence is quoted too.
                quoted_raw, quotes = self._quotes(question, sources, history, reply)
                uncovered = self._uncovered_evidence(question, grounded, quotes)
                replacing = {j: unit for unit, j in uncovered if j is not None}
                added = [g for unit, j in uncovered if j is None for g in unit]
                if replacing:  # a sentence that said another thing where the quote's answer was is taken back
                    grounded = [g for j, said in enumerate(grounded) for g in replacing.get(j, [said])] + added
                    yield ("reset", " ".join(g.text for g in grounded))
                elif added:
                    grounded += added
                    yield ("delta", " " + " ".join(g.text for g in added))
                if not kind_supported(question, [g.text for g in grounded]):
                    # "How many attended X?" answered with what X was about: a number near the evidence let the
                    # model try, but what it says gives none, so the quotes answer, or refuse as they do
                    raw, grounded = quoted_raw, quotes
                    notice = notice or "the model's answer did not give what was asked; quoting the sources instead"
                    yield ("reset", raw)
            if grounded:
                answer = self._assemble(question, grounded, sources, generator, notice)
            else:
                answer = self._refusal(question, reply, generator, sources, notice)
        timings["total_s"] = time.perf_counter() - started
        answer.timings = timings
        yield ("answer", answer)

    def answer(
        self,
        question: str,
        history: Sequence[Turn] | None = None,
        provider: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """The final answer without streaming."""
        for kind, value in self.stream(question, history, provider, k, filters):
            if kind == "answer":
                return value  # type: ignore[no-any-return]
        raise RuntimeError("the chain produced no answer")  # pragma: no cover

    def _quotes(
        self, question: str, sources: list[Source], history: Sequence[Turn], lang: str
    ) -> tuple[str, list[GroundedSentence]]:
        """The extractive answer over these sources: its raw text and its grounded sentences."""
        extractive = self.generator("extractive")
        assert isinstance(extractive, ExtractiveGenerator)
        raw = "".join(extractive.stream(question, sources, history, lang))
        return raw, ([] if is_refusal(raw) else ground(raw, sources, self.retriever.embedder))

    def _uncovered_evidence(
        self, question: str, grounded: list[GroundedSentence], quotes: list[GroundedSentence]
    ) -> list[tuple[list[GroundedSentence], int | None]]:
        """What the extractive answer quotes (`quotes`, grounded) and the model's answer does not say, unit by
        unit in the extractive order, each with the model's sentence it replaces (None: it is added after them).

        Quotes go by units: a sentence, a lead-in with its list, or a sentence with the lead-in after it. A
        Vietnamese answer says a quote's answer (its words the question does not already say) in the quote's
        own words, as the small model copies the sources: one that says next to none of them does not say the
        quote, and a sentence that says what the quote says of the question's words with a word of its own where
        the quote's answer was ("giải pháp chuyên ngành" for the "giải pháp nền tảng" asked about) says another
        thing, and is replaced by the quote. Otherwise, and in English, which translates, closeness of meaning
        decides whether the quote was said in other words.
        """
        units = _units(quotes)
        if not units:
            return []
        said_text = " ".join(g.text for g in grounded)
        said = set(tokenize(said_text))
        asked = set(tokenize(question))
        vietnamese = language(question) == "vi"
        texts = [" ".join(g.text for g in unit) for unit in units]
        known = set(tokenize(" ".join(texts)))
        missing: set[int] = set()
        replaced: dict[int, int] = {}  # unit -> the model's sentence it replaces
        sentence_words: list[set[str]] = []

        def words() -> list[set[str]]:
            """Each model sentence's words, segmented once, when a unit first needs them."""
            if not sentence_words:
                sentence_words.extend(set(tokenize(g.text)) for g in grounded)
            return sentence_words

        unsaid: list[int] = []  # units whose words the answer lacks: said in other words, or not at all?
        for i, (unit, text) in enumerate(zip(units, texts)):
            items = [set(tokenize(g.text)) for g in unit if g.list_item]
            needed = set(tokenize(text))
            answering = needed - asked
            answered = len(answering & said) / len(answering) if vietnamese and answering else 1.0
            if not numbers_within(text, said_text) or not names_within(text, said_text, question):
                missing.add(i)  # the model dropped or changed a figure, or left out the name that answers
            elif any(words and len(words & said) / len(words) < UNCOVERED_SHARE for words in items):
                missing.add(i)  # a list, and the model left out one of its items
            elif answered < UNCOVERED_SHARE and (j := _retelling(needed, asked, words(), replaced, known)) is not None:
                missing.add(i)
                replaced[i] = j
            elif answered < UNANSWERED_SHARE:
                missing.add(i)
            elif needed and len(needed & said) / len(needed) < UNCOVERED_SHARE:
                unsaid.append(i)
        if unsaid:  # one embedding call, and only when words alone do not decide
            vectors = self.retriever.embedder.embed_queries([texts[i] for i in unsaid] + [g.text for g in grounded])
            closest = np.max(vectors[len(unsaid) :] @ vectors[: len(unsaid)].T, axis=0)
            missing.update(i for i, similarity in zip(unsaid, closest) if similarity < PARAPHRASE_SIMILARITY)
        return [(units[i], replaced.get(i)) for i in range(len(units)) if i in missing]

    def _refusal(self, question: str, lang: str, generator: Generator, sources: list[Source], notice: str) -> Answer:
        return Answer(
            question=question,
            text=REFUSAL_VI if lang == "vi" else REFUSAL_EN,
            sentences=[],
            references=[],
            refused=True,
            provider=generator.name,
            model=generator.describe(),
            notice=notice,
            retrieved=[s.hit for s in sources],
        )

    def _assemble(
        self,
        question: str,
        grounded: list[GroundedSentence],
        sources: list[Source],
        generator: Generator,
        notice: str,
        passages: Sequence[Source] = (),
    ) -> Answer:
        """Final text with markers renumbered in order of first citation; only cited sources are listed.

        `passages` stand in for the retrieved sources of their numbers as what is cited (a byline's lines).
        """
        by_number = {s.number: s for s in [*sources, *passages]}
        order: dict[int, int] = {}
        for g in grounded:
            for n in g.sources:
                order.setdefault(n, len(order))
        text = ""
        cited: list[CitedSentence] = []
        for i, g in enumerate(grounded):
            # prose after a list is a new paragraph (on the next line it would continue the last item)
            sep = "" if i == 0 else "\n" if g.list_item else "\n\n" if grounded[i - 1].list_item else " "
            prefix = "  " * g.depth + "- " if g.list_item else ""
            body = g.text
            start = len(text) + len(sep) + len(prefix)
            markers = "".join(f" [{order[n] + 1}]" for n in g.sources)
            text += sep + prefix + body + markers
            cited.append(
                CitedSentence(
                    text=body,
                    start=start,
                    end=start + len(body),
                    references=[order[n] for n in g.sources],
                    quotes={order[n]: g.quotes[n] for n in g.sources},
                )
            )
        references = [by_number[n].hit for n in sorted(order, key=order.__getitem__)]
        return Answer(
            question=question,
            text=text,
            sentences=cited,
            references=references,
            provider=generator.name,
            model=generator.describe(),
            notice=notice,
            retrieved=[s.hit for s in sources],
        )
