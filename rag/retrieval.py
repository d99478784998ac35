"""Question -> ranked chunks: dense (Chroma) and keyword (BM25 on segmented Vietnamese), fused.

Reciprocal-rank fusion adds `weight / (rrf_k + rank)` from each retriever. The
keyword side only ever adds candidates: a dense hit is never dropped because it
shares no word with the question (which is the normal case for an English
question over Vietnamese text).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from rag.byline import byline_article, byline_passage
from rag.condense import points_back
from rag.config import Settings
from rag.diacritics import DiacriticRestorer, fold
from rag.embeddings import Embedder, embed_with_part
from rag.grounding import what_is_asked
from rag.segment import keyword_terms, language
from rag.store import ChunkStore
from rag.types import KEYWORD_TERMS, Chunk, RetrievedChunk

Mode = Literal["hybrid", "dense", "bm25"]
Filters = dict[str, str | list[str]]

_REFRESH_SECONDS = 5.0
# A word as names write it: "gpt-4", "filum.ai", "swe-bench"
_WORD = re.compile(r"\w+(?:[-.]\w+)*")
# "theo các nguồn", "các tài liệu nói gì", "across the sources": the asker wants every article's view.
# ("nguồn dữ liệu" is a data source and "tài liệu đi kèm" an attachment, not the articles.)
_ACROSS_SOURCES = re.compile(
    r"\b(?:các|những|cả hai|hai|nhiều)\s+(?:nguồn|tài liệu|bài viết|bài báo)\b(?!\s+(?:dữ liệu|đi kèm))|"
    r"\bacross (?:the |all )?(?:sources|articles|documents)\b|"
    r"\b(?:all|both|several|different) (?:the )?(?:sources|articles|documents)\b|"
    r"\b(?:do|did|does) (?:the )?(?:sources|articles|documents) (?:say|tell|mention|agree)\b|"
    r"\baccording to the (?:sources|articles|documents)\b",
    re.I,
)
# The frame of such a question: "Các tài liệu nói gì về…", "…, theo các nguồn", "What do the sources say about…".
_ACROSS_FRAME = (
    re.compile(
        r"^\s*(?:các|những|cả hai)\s+(?:nguồn(?: tài liệu)?|tài liệu|bài viết|bài báo)\s+"
        r"(?:nói|viết|đề cập)\s+(?:gì|những gì)\s+(?:về\s+)?",
        re.I,
    ),
    re.compile(r",?\s*theo (?:các|những) (?:nguồn(?: tài liệu)?|tài liệu|bài viết)\s*", re.I),
    re.compile(r"^\s*what do(?:es)? (?:the |all the |both )?(?:sources|articles|documents) say (?:about )?", re.I),
    re.compile(
        r"\s*(?:are |is )?(?:mentioned |said |described )?across (?:the |all )?(?:sources|articles|documents)", re.I
    ),
)
# How many sentences the sentence search returns per chunk wanted (chunks hold ~10 sentences).
_SENTENCES_PER_CHUNK = 3


class KeywordIndex:
    """BM25 (bm25s) over every chunk's segmented text, and over its sentences' (see `search_sentences`)."""

    def __init__(self, chunks: Sequence[Chunk], sentences: Iterable[tuple[str, str, list[str]]] = ()) -> None:
        import bm25s

        self.chunks = list(chunks)
        self.by_id = {c.id: c for c in self.chunks}
        self._sources = np.array([c.source for c in self.chunks])
        self._bm25 = None
        # sentences: (parent chunk id, source, keyword terms), as `ChunkStore.iter_sentence_terms` gives them
        position = {c.id: i for i, c in enumerate(self.chunks)}
        held = [(position[parent], source, terms) for parent, source, terms in sentences if parent in position]
        self._parents = np.array([p for p, _, _ in held], dtype=np.int64)
        self._sentence_sources = np.array([source for _, source, _ in held])
        self._sentence_bm25 = None
        if held:
            self._sentence_bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._sentence_bm25.index([terms or ["\u2205"] for _, _, terms in held], show_progress=False)
        # (built when a question first needs them)
        self._texts: list[str] | None = None
        self._words: set[str] = set()
        self._restorer: DiacriticRestorer | None = None
        if self.chunks:
            corpus = [keyword_tokens(c) or ["\u2205"] for c in self.chunks]
            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._bm25.index(corpus, show_progress=False)

    def search(self, question: str, n: int, sources: list[str] | None = None) -> list[tuple[int, float]]:
        """(chunk position, score) of the best `n` chunks that share a term with the question."""
        scores = _scores(self._bm25, question, self._sources, sources)
        if scores is None:
            return []
        top = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def search_sentences(self, question: str, n: int, sources: list[str] | None = None) -> list[tuple[int, float]]:
        """(chunk position, score) of the best `n` chunks by their best sentence's BM25 score (MaxP).

        A chunk's own score sums its words over all its sentences: a chunk that mentions the topic
        throughout outranks the one whose single sentence says what is asked.
        """
        scores = _scores(self._sentence_bm25, question, self._sentence_sources, sources)
        if scores is None:
            return []
        best: dict[int, float] = {}
        for i in np.argsort(-scores, kind="stable"):
            if scores[i] <= 0 or len(best) >= n:
                break
            best.setdefault(int(self._parents[i]), float(scores[i]))
        return list(best.items())

    def mentions(self, term: str) -> bool:
        """Some chunk, its title or author writes `term` ("GPT-4", "GenAI"), case aside, as a word or spelled
        out by the words its parts begin ("Generative AI" for "GenAI")."""
        if self._texts is None:  # each chunk with its title, lower-cased once (texts last: they say it is built)
            texts = [f"{c.text} {c.metadata.get('title') or ''}".lower() for c in self.chunks]
            authors = (str(c.metadata.get("author") or "").lower() for c in self.chunks)
            words: set[str] = set()
            for word in _WORD.findall(" ".join([*texts, *authors])):
                words.add(word)
                words.update(re.split(r"[-.]", word))
            self._words, self._texts = words, texts
        if term.lower() in self._words:
            return True
        parts = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+", term)
        if len(parts) < 2:
            return False
        spelled = re.compile(r"(?<!\w)" + r"\w*\s+".join(re.escape(p.lower()) for p in parts) + r"\w*")
        return any(spelled.search(text) for text in self._texts)

    def with_marks(self, text: str) -> str:
        """`text` with its Vietnamese marks written back if it was typed without any ("khao sat" -> "khảo sát"),
        spelled as these chunks spell their words (rag/diacritics.py); else `text` itself."""
        if fold(text) != text:  # (marked already: most questions, which need no vocabulary built)
            return text
        if self._restorer is None:  # (built whole before it is published: see `mentions`)
            self._restorer = DiacriticRestorer(f"{c.metadata.get('title') or ''}\n{c.text}" for c in self.chunks)
        return self._restorer.restore(text)


def _scores(bm25: Any, question: str, sources_of: np.ndarray, sources: list[str] | None) -> np.ndarray | None:
    """BM25 scores of every record for the question's terms (0 outside `sources`); None when nothing to score."""
    tokens = keyword_terms(question)
    if bm25 is None or not tokens:
        return None
    mask = np.isin(sources_of, sources).astype(np.float32) if sources is not None else None
    return bm25.get_scores(tokens, weight_mask=mask)


def keyword_tokens(chunk: Chunk) -> list[str]:
    """Terms stored at ingest, or computed now, as ingest does, for chunks an older ingest stored without them."""
    stored = chunk.metadata.get(KEYWORD_TERMS)
    if isinstance(stored, str) and stored:
        return stored.split()
    return keyword_terms(chunk.searched_text())


class HybridRetriever:
    """Dense + BM25 retrieval with fusion, optional MMR, per-source caps and source filters."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChunkStore | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store or ChunkStore(settings, embedder)
        self._lock = threading.Lock()
        self._keyword: KeywordIndex | None = None
        self._signature = ""
        self._checked = 0.0

    def warm_up(self) -> None:
        """Build the keyword index (and the vocabulary that restores marks) and run one query, so the first user
        does not pay for them."""
        self._ensure_keyword_index(force=True).with_marks("khoi dong he thong")
        self.embedder.embed_queries(["khởi động"])

    def mentions(self, term: str) -> bool:
        """Some indexed article says `term` ("GPT-4" is in none of them)."""
        return self._ensure_keyword_index().mentions(term)

    def with_marks(self, text: str) -> str:
        """A question typed without Vietnamese marks, with them ("co bao nhieu" -> "có bao nhiêu"); other text as is."""
        return self._ensure_keyword_index().with_marks(text) if self.settings.retrieval.restore_marks else text

    def query_vectors(self, query: str) -> dict[str, np.ndarray]:
        """The vectors `retrieve` reads for `query`: its own and, when a part of it is searched by meaning too
        (`what_is_asked`), that part's, pooled from the same run.

        A caller that needs the query's vector as well gets it without a second run, and hands these back
        to `retrieve`, which then ranks as `hoidap retrieve` and `hoidap eval` do.
        """
        part = self._part_searched(query)
        if part and part != query:
            whole, pooled = embed_with_part(self.embedder, query, part)
            return {query: whole, part: pooled}
        return {query: self.embedder.embed_queries([query])[0]}

    def _part_searched(self, text: str, mode: Mode = "hybrid") -> str:
        """What of `text` is searched by meaning beside it ("" when nothing is)."""
        searched = mode in ("hybrid", "dense") and self.settings.retrieval.unnamed_search_weight > 0
        return what_is_asked(text) if searched else ""

    def _ensure_keyword_index(self, force: bool = False) -> KeywordIndex:
        now = time.monotonic()
        with self._lock:
            if force or self._keyword is None or now - self._checked > _REFRESH_SECONDS:
                signature = self.store.signature()
                if force or self._keyword is None or signature != self._signature:
                    self.store.forget_vectors()  # (another process may have ingested: exact search reads anew)
                    chunks = [c for c, _ in self.store.iter_chunks()]
                    sentences = self.store.iter_sentence_terms() if self.settings.retrieval.sentence_bm25_weight else ()
                    self._keyword = KeywordIndex(chunks, sentences)
                    self._signature = signature
                self._checked = now
            return self._keyword

    def retrieve(
        self,
        question: str | Sequence[str],
        k: int | None = None,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        embedded: Mapping[str, np.ndarray] | None = None,
        bylines: bool = True,
        byline_articles: bool = False,
    ) -> list[RetrievedChunk]:
        """The `k` best chunks for `question`, best first; `filters` limits sources.

        `question` may be several texts: the first (a follow-up made standalone with its
        conversation) is searched by meaning and by keyword; the others (the follow-up's own
        words) add a keyword ranking, and when they do not point back themselves ("nó",
        "that"), a ranking by meaning at `own_words_weight`: a short question may have changed
        the topic. The first text without who says it (and, in English, without names: see
        `what_is_asked`) adds a ranking by meaning at `unnamed_search_weight`: the names find the article, the
        rest the passage. `embedded` (vectors by text) saves embedding what the caller already embedded.
        A text typed without Vietnamese marks is read with them (`with_marks`). With `bylines`, a question
        asking who wrote the article, when, or how long a read gets the article's byline first
        (`byline_passage`): no chunk holds it. Without `bylines` but with `byline_articles`, that byline's
        article is among the hits instead (in the last place, if it was not): an answer cites the byline from
        its article's metadata, and a named author's article may rank below the top `k`.
        """
        texts = [self.with_marks(text) for text in ([question] if isinstance(question, str) else question)]
        cfg = self.settings.retrieval
        across = bool(cfg.across_sources_cap) and asks_across_sources(texts[-1])
        topic = across_sources_topic(texts[-1]) if across else None
        if topic is not None and topic not in texts:
            # "Các tài liệu nói gì về X?": X, not the sources, is what to look for. By keyword only: its own
            # vector found as much (evidence R@5 0.750 either way on 20 such questions) for ~20 ms more at p95
            texts.append(topic)
        asked = self._part_searched(texts[0], mode)
        unnamed = asked if asked and asked not in texts else None  # (searched by meaning only)
        k = k or cfg.k
        n = max(cfg.candidates, k)
        sources = _sources(filters)
        where = {"source": {"$in": sources}} if sources is not None else None

        by_meaning = [0] + [
            i
            for i, text in enumerate(texts[1:], start=1)
            if mode in ("hybrid", "dense") and cfg.own_words_weight > 0 and not points_back(text) and text != topic
        ]
        searched = [texts[i] for i in by_meaning] + ([unnamed] if unnamed is not None else [])
        known = dict(embedded or {})
        if unnamed is not None and unnamed not in known:  # read within the question: no second run
            known = {**self.query_vectors(texts[0]), **known}
        missing = [text for text in searched if text not in known]
        if missing:  # one batch
            known.update(zip(missing, self.embedder.embed_queries(missing)))
        vectors = [known[text] for text in searched]
        unnamed_vec = vectors.pop() if unnamed is not None else None
        query_vec = vectors[0]
        dense: list[tuple[Chunk, float]] = []
        cosines: dict[str, float] = {}
        own: list[list[tuple[Chunk, float]]] = []
        if mode in ("hybrid", "dense"):
            dense, cosines = self._dense(query_vec, n, where)
            own = [self._dense(vec, n, where)[0] for vec in vectors[1:]]
        unnamed_ranking = self._dense(unnamed_vec, n, where)[0] if unnamed_vec is not None else []
        keyword: list[list[tuple[Chunk, float]]] = []
        by_sentence: list[tuple[Chunk, float]] = []
        if mode in ("hybrid", "bm25"):
            index = self._ensure_keyword_index()
            keyword = [[(index.chunks[i], s) for i, s in index.search(text, n, sources)] for text in texts]
            if mode == "hybrid" and cfg.sentence_bm25_weight and language(texts[0]) == "vi":
                by_sentence = [(index.chunks[i], s) for i, s in index.search_sentences(texts[0], n, sources)]

        fused: dict[str, RetrievedChunk] = {}
        for rank, hit in _fuse(fused, dense, cfg.dense_weight, cfg.rrf_k):
            hit.dense_rank, hit.dense_score = rank, cosines.get(hit.chunk.id)  # filled below if unknown
        for ranking in own:
            _fuse(fused, ranking, cfg.dense_weight * cfg.own_words_weight, cfg.rrf_k)
        _fuse(fused, unnamed_ranking, cfg.dense_weight * cfg.unnamed_search_weight, cfg.rrf_k)
        for text, ranking in zip(texts, keyword):
            bm25_weight = cfg.bm25_weight if language(text) == "vi" else cfg.bm25_weight_english
            for rank, hit in _fuse(fused, ranking, bm25_weight, cfg.rrf_k):
                hit.bm25_rank = hit.bm25_rank or rank
        _fuse(fused, by_sentence, cfg.sentence_bm25_weight, cfg.rrf_k)
        ranked = sorted(fused.values(), key=lambda h: (-h.score, h.dense_rank or n + 1))

        if cfg.mmr and len(ranked) > k:
            ranked = self._mmr(query_vec, ranked[: 4 * k], k)
        if cfg.max_per_source:
            ranked = _cap_per_source(ranked, cfg.max_per_source)
        if across:
            ranked = _spread_sources(ranked, cfg.across_sources_cap)
        top = ranked[:k]
        article = byline_article(texts[0], ranked) if byline_articles and not bylines else None
        if article is not None and article not in top:
            top = [*top[: k - 1], article]
        self._fill_dense_scores(query_vec, top)
        byline = byline_passage(texts[0], ranked) if bylines else None
        return top if byline is None else [byline, *top[: k - 1]]

    def _dense(
        self, query_vec: np.ndarray, n: int, where: dict[str, Any] | None
    ) -> tuple[list[tuple[Chunk, float]], dict[str, float]]:
        """Chunks by their blended chunk- and best-sentence similarity, and each one's own cosine.

        A similarity a search did not reach is at most that search's last one, which stands in for it.
        """
        cosines = dict(self.store.nearest_chunk_ids(query_vec, n, where=where))
        w = self.settings.retrieval.sentence_weight
        best: dict[str, float] = {}
        if w > 0 and cosines:
            for parent, sim in self.store.query_sentences(query_vec, n * _SENTENCES_PER_CHUNK, where=where):
                best[parent] = max(best.get(parent, -1.0), sim)
        chunk_floor = min(cosines.values(), default=0.0)
        sentence_floor = min(best.values(), default=chunk_floor)

        def blended(cid: str) -> float:
            return (1 - w) * cosines.get(cid, chunk_floor) + w * best.get(cid, sentence_floor)

        ranked = sorted(cosines.keys() | best.keys(), key=lambda cid: (-blended(cid), cid))[:n]
        chunks = self._chunks(ranked)
        return [(chunks[cid], blended(cid)) for cid in ranked if cid in chunks], cosines

    def _chunks(self, ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id from the keyword index's copy in memory; the store for any it does not hold yet."""
        known = self._ensure_keyword_index().by_id
        found = {cid: known[cid] for cid in ids if cid in known}
        missing = [cid for cid in ids if cid not in found]
        found.update((c.id, c) for c in self.store.get_chunks(missing))
        return found

    def _fill_dense_scores(self, query_vec: np.ndarray, hits: list[RetrievedChunk]) -> None:
        """Keyword-only hits get their cosine similarity too: answers decide refusals on it."""
        missing = [h.chunk.id for h in hits if h.dense_score is None]
        vectors = self.store.embeddings_for(missing)
        for hit in hits:
            if hit.dense_score is None and hit.chunk.id in vectors:
                hit.dense_score = float(np.dot(vectors[hit.chunk.id], query_vec))

    def _mmr(self, query_vec: np.ndarray, pool: list[RetrievedChunk], k: int) -> list[RetrievedChunk]:
        """Maximal marginal relevance on the fused ranking, so one article cannot fill every slot."""
        vectors = self.store.embeddings_for([h.chunk.id for h in pool])
        top_score = pool[0].score or 1.0
        lam = self.settings.retrieval.mmr_lambda
        chosen: list[RetrievedChunk] = []
        rest = [h for h in pool if h.chunk.id in vectors]
        while rest and len(chosen) < k:

            def gain(h: RetrievedChunk) -> float:
                redundancy = max((float(np.dot(vectors[h.chunk.id], vectors[c.chunk.id])) for c in chosen), default=0.0)
                return lam * h.score / top_score - (1 - lam) * redundancy

            best = max(rest, key=gain)
            chosen.append(best)
            rest.remove(best)
        return chosen + [h for h in pool if h not in chosen]

    def as_langchain(self, k: int | None = None, filters: Filters | None = None) -> HoidapLangChainRetriever:
        """This retriever behind LangChain's `BaseRetriever` interface."""
        return HoidapLangChainRetriever(retriever=self, k=k or self.settings.retrieval.k, filters=filters)


def _fuse(
    fused: dict[str, RetrievedChunk], ranking: Sequence[tuple[Chunk, float]], weight: float, rrf_k: int
) -> list[tuple[int, RetrievedChunk]]:
    """Add `weight / (rrf_k + rank)` to each ranked chunk's fused hit; (rank, hit) for each, best first."""
    ranked: list[tuple[int, RetrievedChunk]] = []
    for rank, (chunk, _score) in enumerate(ranking, start=1):
        hit = fused.setdefault(chunk.id, RetrievedChunk(chunk=chunk, score=0.0))
        hit.score += weight / (rrf_k + rank)
        ranked.append((rank, hit))
    return ranked


def _sources(filters: Filters | None) -> list[str] | None:
    if not filters or "source" not in filters:
        return None
    value = filters["source"]
    return [value] if isinstance(value, str) else list(value)


def asks_across_sources(question: str) -> bool:
    """The question asks what the sources (plural) say, not what one article says."""
    return bool(_ACROSS_SOURCES.search(question))


def across_sources_topic(question: str) -> str:
    """What a question asked across the sources is about, without its frame ("Các tài liệu nói gì về X?" -> "X?").

    The frame's words ("tài liệu", "sources") pull towards sentences about documents; the topic alone is
    searched too.
    """
    topic = question
    for frame in _ACROSS_FRAME:
        topic = frame.sub(" ", topic)
    return re.sub(r"\s+([?.!])", r"\1", " ".join(topic.split())).strip(" ,") or question


def _spread_sources(ranked: list[RetrievedChunk], per_source: int) -> list[RetrievedChunk]:
    """Each article's chunks past its first `per_source` move behind every other article's.

    Unlike the cap, nothing is dropped: with fewer articles than slots the top k still fills up.
    """
    first, later = _split_per_source(ranked, per_source)
    return first + later


def _cap_per_source(ranked: list[RetrievedChunk], cap: int) -> list[RetrievedChunk]:
    return _split_per_source(ranked, cap)[0]


def _split_per_source(
    ranked: list[RetrievedChunk], per_source: int
) -> tuple[list[RetrievedChunk], list[RetrievedChunk]]:
    """(each article's first `per_source` chunks, the rest), both in ranked order."""
    counts: dict[str, int] = {}
    first: list[RetrievedChunk] = []
    later: list[RetrievedChunk] = []
    for hit in ranked:
        counts[hit.chunk.source] = counts.get(hit.chunk.source, 0) + 1
        (first if counts[hit.chunk.source] <= per_source else later).append(hit)
    return first, later


class HoidapLangChainRetriever(BaseRetriever):
    """LangChain view: Documents whose metadata carries the chunk's location and scores."""

    retriever: Any
    k: int = 5
    filters: dict[str, Any] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.retrieve(query, k=self.k, filters=self.filters)
        return [
            Document(
                page_content=h.chunk.text,
                metadata={**h.chunk.public_metadata(), "score": h.score, "dense_score": h.dense_score},
                id=h.chunk.id,
            )
            for h in hits
        ]
