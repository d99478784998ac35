"""Hybrid retrieval on a tiny Vietnamese corpus with the real embedder and a real Chroma."""

import json

import pytest
from conftest import indexed_settings, make_settings

from ingest.pipeline import run_ingest
from rag.condense import refers_back, resolve_ordinal, retrieval_texts, standalone_query
from rag.grounding import what_is_asked, without_attribution
from rag.retrieval import HybridRetriever, KeywordIndex, across_sources_topic, asks_across_sources, keyword_tokens
from rag.segment import PAIR, keyword_terms, language, tokenize, tokens_among
from rag.types import KEYWORD_TERMS, Chunk

DOCS = {
    "bao_mat.md": "# Nghiên cứu khách hàng\n\n## Chi phí, ROI và bảo mật\n\n"
    "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. "
    "Đây là yếu tố đứng đầu 2 năm liên tiếp.\n",
    "bedrock.md": "# Amazon Bedrock\n\nAmazon Bedrock là một dịch vụ được quản lý hoàn toàn, giúp truy cập "
    "các foundation models từ các công ty AI hàng đầu thông qua API.\n",
    "su_kien.txt": "Sự kiện GenAI Open Innovation đã thu hút 200 khách mời. Quỹ GenAI sẽ mở rộng chương trình "
    "sang Malaysia và Singapore trong Quý 1 năm 2025.\n",
    "ma_so.txt": "Mã dự án nội bộ của nhóm là XJQ-4471, dùng trong mọi báo cáo tài chính.\n",
    "claude.txt": "Amazon đầu tư 4 tỷ đô la vào Anthropic. Claude có lợi thế trong lập trình, viết lách và "
    "thương mại điện tử nhờ dữ liệu.\n",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, embedder):
    r = HybridRetriever(indexed_settings(tmp_path_factory.mktemp("retrieval"), DOCS, embedder), embedder)
    r.warm_up()
    return r


def test_vietnamese_segmentation_keeps_words_and_syllables():
    tokens = tokenize("Trung tâm Đổi mới sáng tạo Quốc gia là gì?")
    assert "trung_tâm" in tokens and "sáng_tạo" in tokens and "quốc_gia" in tokens
    assert "trung" in tokens and "tâm" in tokens  # syllables too
    assert "là" not in tokens and "gì" not in tokens  # stopwords
    assert "?" not in tokens


def test_a_syllable_with_its_tone_on_either_vowel_is_one_keyword():
    # "hoá" and "hóa", "thuỷ" and "thủy" are the same syllable; "quý" ("qu" is a consonant) keeps its spelling
    assert tokenize("AI cá nhân hoá") == tokenize("AI cá nhân hóa")
    assert tokenize("thuỷ điện") == tokenize("thủy điện")
    assert "quý" in tokenize("Quý 1 năm 2025")
    # a chunk an older ingest stored (words only, in either spelling) gets its terms computed again
    stored = Chunk(id="c", text="AI cá nhân hoá", source="a.txt", start=0, end=14, metadata={"bm25": "cá_nhân_hoá hoá"})
    assert keyword_tokens(stored) == keyword_terms("AI cá nhân hóa")
    assert f"nhân{PAIR}hóa" in keyword_tokens(stored)


def test_a_chunk_stored_without_keyword_terms_gets_those_ingest_would_store():
    # its section heading is said again deep in the text: ingest still searches the chunk under it
    text = "Dữ liệu khách hàng được mã hóa khi lưu trữ và khi truyền đi. Đội ngũ bảo mật rà soát quyền truy cập."
    old = Chunk(id="c", text=text, source="a.txt", start=0, end=len(text), metadata={"section": "bảo mật"})
    assert keyword_tokens(old) == keyword_terms(old.searched_text())
    assert keyword_tokens(old)[:2] == keyword_terms("bảo mật")[:2]


def test_the_tokens_among_keyword_terms_are_tokenize_s():
    text = "Người không tham gia vào quá trình ứng dụng"
    assert tokens_among(keyword_terms(text)) == set(tokenize(text))


def test_keyword_terms_add_every_pair_of_neighbouring_syllables():
    text = "Người không tham gia thì bị loại."
    terms = keyword_terms(text)
    assert terms[: len(tokenize(text))] == tokenize(text)  # the words and syllables, then the pairs
    pairs = [t for t in terms if PAIR in t]
    assert pairs == [f"người{PAIR}không", f"không{PAIR}tham", f"tham{PAIR}gia", f"gia{PAIR}thì", f"bị{PAIR}loại"]
    # a pair of two stopwords ("thì bị") says nothing; punctuation is no term
    assert f"thì{PAIR}bị" not in terms and not any("." in t for t in terms)


def test_keyword_search_prefers_the_chunk_that_keeps_the_questions_word_order():
    # the same words and length: only the order of "không tham gia" tells the two apart
    texts = {"b": "Không, người tham gia thì bị loại.", "a": "Người không tham gia thì bị loại."}
    chunks = [
        Chunk(
            id=cid,
            text=t,
            source=f"{cid}.txt",
            start=0,
            end=len(t),
            metadata={KEYWORD_TERMS: " ".join(keyword_terms(t))},
        )
        for cid, t in texts.items()
    ]
    assert set(tokenize(texts["a"])) == set(tokenize(texts["b"]))
    index = KeywordIndex(chunks)
    scores = {index.chunks[i].id: s for i, s in index.search("Những người không tham gia có bị loại không?", 2)}
    assert scores["a"] > scores["b"] > 0


def _chunk_with_sentences(cid: str, sentences: list[str]) -> tuple[Chunk, list[tuple[str, str, list[str]]]]:
    text = " ".join(sentences)
    chunk = Chunk(cid, text, f"{cid}.txt", 0, len(text), {KEYWORD_TERMS: " ".join(keyword_terms(text))})
    return chunk, [(cid, chunk.source, keyword_terms(t)) for t in sentences]


def test_the_sentence_keyword_search_ranks_a_chunk_by_its_best_sentence():
    # "spread" says the question's words all over; "one" says them together once, among other matter
    spread, spread_sentences = _chunk_with_sentences(
        "spread",
        [
            "Bảo mật là ưu tiên.",
            "Dữ liệu khách hàng tăng nhanh.",
            "Bảo mật cần đầu tư.",
            "Dữ liệu là tài sản.",
            "Khách hàng quan tâm bảo mật.",
        ],
    )
    one, one_sentences = _chunk_with_sentences(
        "one",
        [
            "Doanh nghiệp bảo mật dữ liệu khách hàng bằng mã hóa.",
            "Sự kiện thu hút 200 khách mời.",
            "Báo cáo khảo sát hơn 1.000 người.",
            "Thị trường tăng trưởng mạnh.",
            "Nhiều startup tham gia chương trình.",
        ],
    )
    index = KeywordIndex([spread, one], [*spread_sentences, *one_sentences])
    question = "Bảo mật dữ liệu khách hàng thế nào?"
    by_chunk = [index.chunks[i].id for i, _ in index.search(question, 2)]
    by_sentence = index.search_sentences(question, 2)
    assert by_chunk == ["spread", "one"]
    assert [index.chunks[i].id for i, _ in by_sentence] == ["one", "spread"]  # each chunk once, best first
    assert by_sentence[0][1] > by_sentence[1][1] > 0
    assert [index.chunks[i].id for i, _ in index.search_sentences(question, 2, ["spread.txt"])] == ["spread"]
    assert index.search_sentences("Giá vàng hôm nay?", 2) == []  # no word in common: no ranking
    assert KeywordIndex([spread]).search_sentences(question, 2) == []  # no sentences given: no ranking


def test_hybrid_retrieval_adds_the_sentence_keyword_ranking_for_vietnamese_questions(retriever, embedder):
    plain = with_retrieval(retriever, embedder, sentence_bm25_weight=0.0)
    cfg = retriever.settings.retrieval
    assert cfg.sentence_bm25_weight > 0
    index = retriever._ensure_keyword_index()
    question = "bảo mật là tiêu chí số 1"
    ranks = {index.chunks[i].id: r for r, (i, _) in enumerate(index.search_sentences(question, cfg.candidates), 1)}
    assert ranks
    before = {h.chunk.id: h.score for h in plain.retrieve(question, k=20)}
    for hit in retriever.retrieve(question, k=20):
        added = cfg.sentence_bm25_weight / (cfg.rrf_k + ranks[hit.chunk.id]) if hit.chunk.id in ranks else 0.0
        assert hit.score == pytest.approx(before[hit.chunk.id] + added)
    # an English question's keywords are names and loanwords: no sentence ranking
    english = "Is security the top criterion?"
    assert [h.score for h in retriever.retrieve(english, k=5)] == [h.score for h in plain.retrieve(english, k=5)]
    # nor in the single-retriever modes the evaluation compares
    assert [h.score for h in retriever.retrieve(question, k=5, mode="bm25")] == [
        h.score for h in plain.retrieve(question, k=5, mode="bm25")
    ]


def test_ingest_stores_each_sentences_keyword_terms_and_older_sentences_get_them_computed(
    retriever, tmp_path, embedder
):
    from rag.store import ChunkStore
    from rag.types import Sentence

    page = retriever.store.sentences.get(include=["documents", "metadatas"])
    assert page["ids"]
    for text, meta in zip(page["documents"], page["metadatas"]):
        assert meta[KEYWORD_TERMS].split() == keyword_terms(text)
    assert sorted(t for _, _, t in retriever.store.iter_sentence_terms()) == sorted(
        keyword_terms(t) for t in page["documents"]
    )
    store = ChunkStore(make_settings(tmp_path), embedder)
    old = Sentence("c-0", "c", "Bảo mật dữ liệu là tiêu chí số 1.", "c.txt", 0, 33)  # stored without terms
    store.upsert_sentences([old], embedder.embed_documents([old.text]))
    assert KEYWORD_TERMS not in store.sentences.get(include=["metadatas"])["metadatas"][0]
    assert list(store.iter_sentence_terms()) == [("c", "c.txt", keyword_terms(old.text))]


def test_the_keyword_index_knows_which_names_the_articles_write():
    text = "Claude vượt GPT-4o trên SWE-bench, theo Filum.ai. Generative AI đang thay đổi bán lẻ."
    chunk = Chunk(id="c", text=text, source="c.txt", start=0, end=len(text), metadata={"title": "Về CRM"})
    index = KeywordIndex([chunk])
    for name in ("GPT-4o", "gpt-4o", "SWE", "SWE-bench", "Filum.ai", "CRM", "GenAI"):  # (GenAI: Generative AI)
        assert index.mentions(name), name
    for name in ("GPT-4", "OpenAI", "bench-SWE", "GenBI"):
        assert not index.mentions(name), name


def test_ingest_stores_each_chunks_keyword_terms(retriever):
    for chunk, _ in retriever.store.iter_chunks():
        assert str(chunk.metadata[KEYWORD_TERMS]).split() == keyword_terms(chunk.searched_text())


def test_language_detection():
    assert language("Năm trước nó cũng đứng đầu à?") == "vi"
    assert language("Where will GenAI Fund go next?") == "en"


def test_vietnamese_question_finds_its_passage(retriever):
    hits = retriever.retrieve("Tiêu chí quan trọng nhất khi chọn nền tảng là gì?", k=3)
    assert hits[0].chunk.source == "bao_mat.md"
    assert hits[0].dense_score is not None and hits[0].dense_score > 0.3


def test_english_question_over_vietnamese_text(retriever):
    hits = retriever.retrieve("Which countries will the Open Innovation program expand to?", k=3)
    assert hits[0].chunk.source == "su_kien.txt"
    hits = retriever.retrieve("How much did Amazon invest in Anthropic?", k=3)
    assert hits[0].chunk.source == "claude.txt"


def test_keyword_search_finds_rare_codes_dense_misses(retriever):
    hybrid = retriever.retrieve("XJQ-4471", k=2)
    assert hybrid[0].chunk.source == "ma_so.txt"
    assert hybrid[0].bm25_rank == 1


def test_keyword_never_drops_dense_hits(retriever):
    question = "Dịch vụ nào cho phép dùng mô hình của nhiều hãng AI qua một API?"
    dense = retriever.retrieve(question, k=5, mode="dense")
    hybrid = retriever.retrieve(question, k=5, mode="hybrid")
    assert {h.chunk.id for h in dense} <= {h.chunk.id for h in hybrid}


def test_fusion_adds_reciprocal_ranks(retriever, embedder):
    retriever = with_retrieval(retriever, embedder, sentence_bm25_weight=0.0)
    cfg = retriever.settings.retrieval
    for hit in retriever.retrieve("bảo mật là tiêu chí số 1", k=5):
        expected = 0.0
        if hit.dense_rank:
            expected += cfg.dense_weight / (cfg.rrf_k + hit.dense_rank)
        if hit.bm25_rank:
            expected += cfg.bm25_weight / (cfg.rrf_k + hit.bm25_rank)
        assert hit.score == pytest.approx(expected)


def test_an_english_questions_keywords_never_overturn_the_dense_order_in_the_top_ten():
    # Over Vietnamese text an English question's keyword hits are names and loanwords ("Filum.ai" in every
    # chunk of its article): at weight 0.1 they lifted dense seconds above firsts (held-out MRR@10 0.800;
    # 0.816 when they only break ties). Even a first keyword rank must not lift a dense rank over the one above.
    from rag.config import Settings

    cfg = Settings(_env_file=None).retrieval
    for rank in range(1, 11):
        above = cfg.dense_weight / (cfg.rrf_k + rank)
        below_with_the_best_keyword_hit = cfg.dense_weight / (cfg.rrf_k + rank + 1) + cfg.bm25_weight_english / (
            cfg.rrf_k + 1
        )
        assert above > below_with_the_best_keyword_hit, rank


class CountingEmbedder:
    """The real embedder, counting the query texts it embeds."""

    def __init__(self, inner):
        self.inner, self.name, self.dimension, self.queries = inner, inner.name, inner.dimension, []

    def embed_documents(self, texts, titles=None):
        return self.inner.embed_documents(texts, titles)

    def embed_queries(self, texts):
        self.queries += list(texts)
        return self.inner.embed_queries(texts)


def test_a_follow_ups_own_words_add_their_own_rankings(retriever):
    counting = CountingEmbedder(retriever.embedder)
    r = HybridRetriever(retriever.settings, counting, retriever.store)
    conversation = "Amazon đầu tư bao nhiêu vào Anthropic?"
    pointing_back = "Còn mã XJQ-4471 thì sao?"  # "còn" leans on the conversation: keyword ranking only
    alone = [h.chunk.source for h in r.retrieve(conversation, k=5)]
    hits = r.retrieve([conversation, pointing_back], k=5)
    sources = [h.chunk.source for h in hits]
    assert sources[0] == "claude.txt" and sources.index("ma_so.txt") < alone.index("ma_so.txt")
    assert hits[sources.index("ma_so.txt")].bm25_rank == 1
    assert counting.queries == [conversation, conversation]  # one embedding: the conversation's
    short = "Mã dự án là gì?"  # short, but says nothing that points back: it may be a new topic
    r.retrieve([conversation, short], k=5)
    assert counting.queries[2:] == [conversation, short]  # searched by meaning too, in one batch
    vectors = retriever.embedder.embed_queries([conversation, short])
    r.retrieve([conversation, short], k=5, embedded=dict(zip([conversation, short], vectors)))
    assert len(counting.queries) == 4  # vectors the caller already has are not embedded again


def test_what_is_asked_leaves_out_who_says_it_and_in_english_the_names():
    assert what_is_asked("According to Filum.ai, how can video be personalised?") == "how can video be personalised?"
    assert what_is_asked("What does Filum.ai say about video?") == "What about video?"
    # in Vietnamese the names are the text's own words: only who says it goes
    assert what_is_asked("Theo blogger, Claude có lợi thế ở đâu?") == "Claude có lợi thế ở đâu?"


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How does Filum.ai say an AI agent reacts?", "How an AI agent reacts?"),
        ("What does the AWS report say partners can expand into?", "What partners can expand into?"),
        ("How can GenAI personalize videos, per Filum.ai?", "How can GenAI personalize videos ?"),
        # who the question is about, and the frame of a question across the sources, stay
        ("What did she say about the event?", "What did she say about the event?"),
        ("What do the sources say about customer data?", "What do the sources say about customer data?"),
        # whose view a yes/no question asks about
        ("Does the blogger think the winners spend the most?", "the winners spend the most?"),
        ("Do you think AI is good?", "Do you think AI is good?"),
        ("Filum.ai có cho rằng làm thủ công là đủ không?", "làm thủ công là đủ không?"),
        ("Filum.ai cho rằng độ sâu phụ thuộc vào gì?", "độ sâu phụ thuộc vào gì?"),
        ("Họ cho rằng điều gì?", "Họ cho rằng điều gì?"),
        # who says what about a topic: the topic is asked (not the frame of a question across the sources)
        ("Filum.ai nói gì về vai trò của con người?", "về vai trò của con người?"),
        ("Bài thu hoạch có nhận xét gì về sự kiện không?", "về sự kiện không?"),
        ("Các tài liệu nói gì về dữ liệu?", "Các tài liệu nói gì về dữ liệu?"),
        ("Bà ấy nhận xét gì về sự kiện?", "Bà ấy nhận xét gì về sự kiện?"),
        # whose view a Vietnamese yes/no question asks about ("X có nói Y không?")
        ("Filum.ai có nói AI đoán trước được nhu cầu không?", "AI đoán trước được nhu cầu không?"),
        ("Bài thu hoạch có nói rõ diễn giả có mấy năm kinh nghiệm không?", "diễn giả có mấy năm kinh nghiệm không?"),
        ("Họ có nói đến giá không?", "Họ có nói đến giá không?"),
        ("Bài học cuối nói gì?", "Bài học cuối nói gì?"),
        # a speaker named by title and name, before what they said (but not when nothing else is asked)
        ("Bà Laura Nguyễn cam kết mở rộng nền tảng ra đâu?", "cam kết mở rộng nền tảng ra đâu?"),
        ("Ông Đỗ Tiến Thịnh cho biết gì về ngân hàng?", "cho biết gì về ngân hàng?"),
        ("Anh Lâm Tuấn Kiệt nói gì?", "Anh Lâm Tuấn Kiệt nói gì?"),
        ("Bà Laura Nguyễn là ai?", "Bà Laura Nguyễn là ai?"),
    ],
)
def test_who_says_it_is_left_out_in_every_form(question, asked):
    assert without_attribution(question) == asked


def with_retrieval(retriever, embedder, **update):
    cfg = retriever.settings.retrieval.model_copy(update=update)
    return HybridRetriever(retriever.settings.model_copy(update={"retrieval": cfg}), embedder, retriever.store)


def test_the_question_without_its_names_adds_a_ranking_by_meaning(retriever):
    question = "According to Filum.ai, which countries will the Open Innovation program expand to?"
    counting = CountingEmbedder(retriever.embedder)  # it cannot read a part within a run
    off = with_retrieval(retriever, counting, unnamed_search_weight=0.0)
    hits_off = off.retrieve(question, k=5)
    assert counting.queries == [question]  # off: one embedding
    on = HybridRetriever(retriever.settings, counting, retriever.store)  # on by default
    hits_on = on.retrieve(question, k=5)
    asked = what_is_asked(question)
    assert asked != question and counting.queries[1:] == [question, asked]  # one batch
    # the dense first is first by both rankings: the name-less one adds a full first place's share
    first_on, first_off = hits_on[0], next(h for h in hits_off if h.chunk.id == hits_on[0].chunk.id)
    rrf_k = retriever.settings.retrieval.rrf_k
    assert first_on.score == pytest.approx(first_off.score + 1.0 / (rrf_k + 1))


class PartCountingEmbedder(CountingEmbedder):
    """The real embedder, counting its runs: whole queries, and queries read with a part."""

    def __init__(self, inner):
        super().__init__(inner)
        self.with_parts = []

    def embed_query_with_part(self, text, part):
        self.with_parts.append((text, part))
        return self.inner.embed_query_with_part(text, part)


def test_the_question_without_its_names_is_read_within_the_questions_own_run(retriever):
    question = "According to Filum.ai, which countries will the Open Innovation program expand to?"
    counting = PartCountingEmbedder(retriever.embedder)
    hits = HybridRetriever(retriever.settings, counting, retriever.store).retrieve(question, k=5)
    assert counting.with_parts == [(question, what_is_asked(question))] and counting.queries == []
    assert hits[0].chunk.source == "su_kien.txt"
    # a caller that embedded both already (the answer chain) is not embedded for again
    whole, part = retriever.embedder.embed_query_with_part(question, what_is_asked(question))
    counting.with_parts.clear()
    again = HybridRetriever(retriever.settings, counting, retriever.store).retrieve(
        question, k=5, embedded={question: whole, what_is_asked(question): part}
    )
    assert counting.with_parts == [] and counting.queries == []
    assert [h.chunk.id for h in again] == [h.chunk.id for h in hits]


def test_a_short_question_that_changes_the_topic_still_finds_its_passage(retriever):
    # Under eight words it is taken for a follow-up and searched with the conversation about Anthropic;
    # its own words' ranking by meaning still brings the event's passage first.
    history = [
        {"role": "user", "content": "Amazon đầu tư bao nhiêu vào Anthropic?"},
        {"role": "assistant", "content": "Amazon đầu tư 4 tỷ đô la vào Anthropic."},
    ]
    texts = retrieval_texts("Chương trình đi đâu tiếp theo?", history)
    assert len(texts) == 2
    assert retriever.retrieve(texts, k=1)[0].chunk.source == "su_kien.txt"


def test_retrieval_texts_add_the_follow_up_only_when_it_leans_on_the_conversation():
    history = [{"role": "user", "content": "Amazon đầu tư bao nhiêu vào Anthropic?"}]
    follow_up = "Ngoài tiền ra thì họ được gì?"
    assert retrieval_texts(follow_up, history) == [standalone_query(follow_up, history), follow_up]
    standalone = "Quỹ GenAI sẽ mở rộng sang những quốc gia nào trong năm 2025?"
    assert retrieval_texts(standalone, history) == [standalone]


# A long chunk whose one relevant sentence is drowned by the rest, and a short chunk on the general topic.
DILUTED = {
    "bao_cao.md": "# Báo cáo thường niên của công ty\n\n"
    "Doanh thu năm nay tăng 12% nhờ mảng dịch vụ đám mây. Công ty có 350 nhân viên tại ba văn phòng ở Hà Nội, "
    "Đà Nẵng và TP.HCM. Chi phí vận hành giảm nhờ tự động hóa quy trình kế toán. "
    "Chương trình ươm tạo sẽ mở rộng sang Malaysia và Singapore trong Quý 1 năm 2025. "
    "Hội đồng quản trị đã phê duyệt kế hoạch cổ tức và ngân sách tuyển dụng cho năm tới. "
    "Bộ phận nhân sự triển khai chương trình đào tạo nội bộ về an toàn thông tin. "
    "Phòng kế toán chuyển sang phần mềm hóa đơn điện tử. Công ty tài trợ giải chạy bộ từ thiện hằng năm. "
    "Nhà ăn tập thể được cải tạo và mở rộng chỗ ngồi.\n",
    "tong_quan.md": "# Mở rộng ra khu vực\n\nNhiều doanh nghiệp Việt Nam muốn mở rộng hoạt động ra các thị trường "
    "lân cận trong khu vực. Việc mở rộng ra nước ngoài đòi hỏi vốn, đối tác địa phương và hiểu biết pháp lý.\n",
}


def test_sentence_vectors_find_the_sentence_a_long_chunk_hides(tmp_path, embedder):
    settings = indexed_settings(tmp_path, DILUTED, embedder)
    question = "Chương trình ươm tạo mở rộng sang nước nào?"
    settings.retrieval.sentence_weight = 0.0  # chunk vectors only: the general chunk wins
    assert HybridRetriever(settings, embedder).retrieve(question, k=2, mode="dense")[0].chunk.source == "tong_quan.md"
    settings.retrieval.sentence_weight = 0.5  # the default
    hits = HybridRetriever(settings, embedder).retrieve(question, k=2, mode="dense")
    assert hits[0].chunk.source == "bao_cao.md"
    # The reported cosine stays the chunk's own similarity (answers decide refusals on it).
    own = HybridRetriever(settings, embedder).store.embeddings_for([hits[0].chunk.id])[hits[0].chunk.id]
    assert hits[0].dense_score == pytest.approx(float(own @ embedder.embed_queries([question])[0]), abs=1e-4)


def test_source_filter(retriever):
    hits = retriever.retrieve("bảo mật", k=5, filters={"source": ["bedrock.md", "ma_so.txt"]})
    assert hits and {h.chunk.source for h in hits} <= {"bedrock.md", "ma_so.txt"}


def test_per_source_cap_and_mmr(tmp_path, embedder, retriever):
    from rag.config import RetrievalSettings

    settings = retriever.settings.model_copy(update={"retrieval": RetrievalSettings(mmr=True, max_per_source=1)})
    diverse = HybridRetriever(settings, embedder, store=retriever.store)
    hits = diverse.retrieve("Amazon", k=4)
    sources = [h.chunk.source for h in hits]
    assert len(sources) == len(set(sources))


def test_bedrock_retrieve_shape(retriever):
    hit = retriever.retrieve("Bedrock là gì?", k=1)[0]
    shape = hit.to_bedrock()
    assert shape["content"] == {"type": "TEXT", "text": hit.chunk.text}
    assert shape["location"] == {"type": "CUSTOM", "customDocumentLocation": {"id": "bedrock.md"}}
    meta = shape["metadata"]
    assert meta["source"] == "bedrock.md" and meta["title"] == "Amazon Bedrock" and meta["chunk_id"] == hit.chunk.id
    assert KEYWORD_TERMS not in meta and "bm25" not in meta
    assert isinstance(shape["score"], float)
    json.dumps(shape, ensure_ascii=False)


def test_langchain_retriever(retriever):
    docs = retriever.as_langchain(k=2).invoke("Amazon đầu tư bao nhiêu vào Anthropic?")
    assert len(docs) == 2 and docs[0].metadata["source"] == "claude.txt"


def test_new_chunks_are_seen_without_restart(tmp_path, embedder):
    settings = make_settings(tmp_path)
    (settings.ingest.corpus_dir / "a.txt").write_text("Amazon Bedrock là dịch vụ được quản lý.\n", encoding="utf-8")
    run_ingest(settings, embedder=embedder, show_progress=False)
    r = HybridRetriever(settings, embedder)
    r.warm_up()
    assert r.retrieve("Bedrock", k=1)[0].chunk.source == "a.txt"
    (settings.ingest.corpus_dir / "b.txt").write_text("Mã ZZK-9001 thuộc dự án mới.\n", encoding="utf-8")
    run_ingest(settings, embedder=embedder, show_progress=False)
    r._checked = 0.0  # skip the refresh interval
    assert r.retrieve("ZZK-9001", k=1)[0].chunk.source == "b.txt"
    # by meaning too: the vectors held for exact search were read again
    assert {h.chunk.source for h in r.retrieve("Mã ZZK-9001 thuộc dự án nào?", k=2, mode="dense")} == {"a.txt", "b.txt"}


def test_follow_up_is_condensed_with_the_conversation():
    history = [
        {"role": "user", "content": "Khi chọn nền tảng GenAI, khách hàng đặt tiêu chí nào lên đầu?"},
        {"role": "assistant", "content": "Khả năng bảo mật mạnh mẽ là tiêu chí số 1 [1]."},
    ]
    assert refers_back("Năm trước nó cũng đứng đầu à?")
    assert refers_back("Trong khoảng thời gian bao lâu?")  # no pronoun, but no subject either
    query = standalone_query("Năm trước nó cũng đứng đầu à?", history)
    assert "bảo mật" in query and query.endswith("Năm trước nó cũng đứng đầu à?") and "[1]" not in query
    standalone = "Amazon Bedrock giúp truy cập những foundation models nào thông qua API?"
    assert standalone_query(standalone, history) == standalone


FACTORS_TURN = [
    {"role": "user", "content": "Filum.ai nêu những yếu tố nào quyết định độ sâu cá nhân hóa của GenAI?"},
    {
        "role": "assistant",
        "content": "Chất lượng và số lượng dữ liệu khách hàng [1], khả năng của mô hình, mức độ tích hợp hệ thống, "
        "cân bằng giữa tự động hóa và con người, và vấn đề đạo đức. [1]",
    },
]


@pytest.mark.parametrize(
    ("follow_up", "understood"),
    [
        ("Yếu tố đầu tiên được ví như gì?", "Chất lượng và số lượng dữ liệu khách hàng được ví như gì?"),
        ("Còn yếu tố cuối cùng thì sao?", "Còn vấn đề đạo đức thì sao?"),
        ("Yếu tố cuối nói gì?", "vấn đề đạo đức nói gì?"),  # "cuối" alone is the last too
        ("What about the final one?", "What about vấn đề đạo đức?"),
        ("What about the second one?", "What about khả năng của mô hình?"),
        ("Sự kiện lần đầu tiên tổ chức ở đâu?", "Sự kiện lần đầu tiên tổ chức ở đâu?"),  # no item: "the first time"
    ],
)
def test_an_item_asked_for_by_its_place_in_the_previous_answers_list_is_named(follow_up, understood):
    assert resolve_ordinal(follow_up, FACTORS_TURN) == understood
    assert retrieval_texts(follow_up, FACTORS_TURN)[-1] == understood
    assert resolve_ordinal(follow_up, []) == follow_up


def test_a_person_asked_for_by_their_place_in_the_previous_answers_list_is_named():
    history = [
        {"role": "user", "content": "Sự kiện AWS Cloud Mastery Series #1 có những diễn giả nào?"},
        {"role": "assistant", "content": "Lâm Tuấn Kiệt, Đặng Hoàng Hiếu Nghĩa và Đinh Lê Hoàng Anh. [1]"},
    ]
    assert resolve_ordinal("Người cuối cùng làm ở đâu?", history) == "Đinh Lê Hoàng Anh làm ở đâu?"
    assert resolve_ordinal("Người thứ hai đến từ công ty nào?", history) == "Đặng Hoàng Hiếu Nghĩa đến từ công ty nào?"


def test_a_last_item_after_a_serial_and_keeps_its_own_and():
    history = [
        {"role": "user", "content": "What are the five levels?"},
        {"role": "assistant", "content": "Attribute, behavior, context, prediction, and emotional and psychological."},
    ]
    assert resolve_ordinal("What about the last one?", history) == "What about emotional and psychological?"


def test_a_bulleted_answers_items_are_its_lines():
    history = [
        {"role": "user", "content": "Có những diễn giả nào?"},
        {
            "role": "assistant",
            "content": "- Lâm Tuấn Kiệt - DevOps, FPT [1]\n- Đặng Nghĩa - AI, Renova [1]\n- Hoàng Anh [1]",
        },
    ]
    assert resolve_ordinal("Diễn giả thứ hai làm ở đâu?", history) == "Đặng Nghĩa - AI, Renova làm ở đâu?"


def test_follow_up_retrieves_the_right_passage(retriever):
    history = [
        {"role": "user", "content": "Khi chọn nền tảng GenAI, khách hàng đặt tiêu chí nào lên đầu?"},
        {"role": "assistant", "content": "Khả năng bảo mật mạnh mẽ là tiêu chí số 1."},
    ]
    hits = retriever.retrieve(standalone_query("Năm trước nó cũng đứng đầu à?", history), k=1)
    assert "2 năm liên tiếp" in hits[0].chunk.text


SECURITY = {
    "bao_mat_dai.md": "# Bảo mật khi triển khai GenAI\n\n"
    "## Mã hóa\n\nDoanh nghiệp cần mã hóa dữ liệu khi lưu trữ và khi truyền để bảo mật dữ liệu khách hàng "
    "trong mọi hệ thống GenAI, từ kho dữ liệu tới mô hình. Khóa mã hóa phải được quản lý tập trung, xoay vòng "
    "định kỳ và không bao giờ nằm trong mã nguồn của ứng dụng. Bảo mật dữ liệu bắt đầu từ đây.\n\n"
    "## Phân quyền\n\nBảo mật dữ liệu đòi hỏi phân quyền truy cập chặt chẽ: mỗi nhân viên chỉ thấy dữ liệu "
    "cần cho công việc, và mọi truy cập đều được ghi nhật ký. Quyền của ứng dụng GenAI cũng phải giới hạn "
    "như quyền của con người, để mô hình không đọc được dữ liệu mà người hỏi không được xem.\n\n"
    "## Kiểm toán\n\nCác đợt kiểm toán bảo mật định kỳ giúp phát hiện lỗ hổng dữ liệu trước khi kẻ xấu "
    "khai thác, đặc biệt với các ứng dụng GenAI mới. Kết quả kiểm toán được báo cáo cho ban lãnh đạo và "
    "các lỗ hổng nghiêm trọng phải được vá trong vòng một tuần để giữ an toàn dữ liệu.\n",
    "ca_nhan_hoa.md": "# Cá nhân hóa trải nghiệm khách hàng\n\n"
    "Việc thu thập dữ liệu cá nhân phải minh bạch, có sự đồng ý của khách hàng và tuân thủ quy định "
    "về quyền riêng tư.\n",
    "su_kien.txt": "Sự kiện ra mắt đã thu hút 200 khách mời từ các startup.\n",
}


@pytest.fixture(scope="module")
def security_retriever(tmp_path_factory, embedder):
    r = HybridRetriever(indexed_settings(tmp_path_factory.mktemp("security"), SECURITY, embedder), embedder)
    r.warm_up()
    return r


def test_a_question_across_the_sources_gets_more_than_one_article(security_retriever):
    one = security_retriever.retrieve("Bài viết nói gì về bảo mật dữ liệu khi triển khai GenAI?", k=3)
    assert [h.chunk.source for h in one] == ["bao_mat_dai.md"] * 3  # one article fills every slot
    for question in (
        "Các tài liệu nói gì về bảo mật dữ liệu khi triển khai GenAI?",
        "What do the sources say about data security across the sources?",
    ):
        hits = security_retriever.retrieve(question, k=3)
        sources = [h.chunk.source for h in hits]
        assert sources.count("bao_mat_dai.md") == 2 and "ca_nhan_hoa.md" in sources, sources
    # the other articles' chunks only come first: with more slots than they fill, the top k still fills up
    hits = security_retriever.retrieve("Các tài liệu nói gì về bảo mật dữ liệu?", k=5)  # all 5 chunks
    assert len(hits) == 5 and [h.chunk.source for h in hits][-1] == "bao_mat_dai.md"


@pytest.mark.parametrize(
    ("question", "across"),
    [
        ("Viết prompt tốt ảnh hưởng thế nào, theo các nguồn tài liệu?", True),
        ("Which investments are mentioned across the sources?", True),
        ("Claude được hưởng lợi từ những nguồn dữ liệu nào?", False),  # a data source, not an article
        ("Partner nhận được những tài liệu đi kèm nào?", False),  # attachments
        ("Bài viết nói gì về bảo mật?", False),
        ("What do the sources say about data security?", True),
        ("According to the sources, what drives cost?", True),
        ("What does the article say about data security?", False),
    ],
)
def test_questions_across_the_sources_are_recognised(question, across):
    assert asks_across_sources(question) is across


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Các tài liệu nói gì về tự động hóa bằng GenAI?", "tự động hóa bằng GenAI?"),
        ("Viết prompt tốt ảnh hưởng thế nào, theo các nguồn tài liệu?", "Viết prompt tốt ảnh hưởng thế nào?"),
        ("What do the sources say about industry-specific AI?", "industry-specific AI?"),
        ("Which investments are mentioned across the sources?", "Which investments?"),
    ],
)
def test_a_question_across_the_sources_is_also_searched_for_its_topic_alone(question, topic):
    assert across_sources_topic(question) == topic


AUTOMATION = {
    "tai_lieu.md": "# Tài nguyên\n\nCác tài liệu đi kèm báo cáo gồm bộ dữ liệu theo ngành và tài liệu chi tiết về "
    "use case. Các nguồn tài liệu này nói về cách triển khai.\n",
    "tu_dong.md": "# Ứng dụng\n\nGen AI có thể được áp dụng để tạo nội dung và tự động hóa tác vụ lặp lại.\n",
    "ca_nhan.md": "# Cá nhân hóa\n\nSự cân bằng giữa tự động hóa và yếu tố con người vẫn cần thiết.\n",
    "khac.md": "# Sự kiện\n\nSự kiện ra mắt đã thu hút 200 khách mời từ các startup.\n",
}


def test_the_frame_of_a_question_across_the_sources_does_not_pull_towards_documents(tmp_path, embedder):
    # "Các tài liệu nói gì về X?": X is what to look for; the article about "tài liệu" answers nothing
    retriever = HybridRetriever(indexed_settings(tmp_path, AUTOMATION, embedder), embedder)
    sources = [h.chunk.source for h in retriever.retrieve("Các tài liệu nói gì về tự động hóa?", k=4)]
    assert set(sources[:2]) == {"tu_dong.md", "ca_nhan.md"}, sources


def test_a_question_with_nothing_left_out_is_asked_as_it_is():
    # what_is_asked folds whitespace; a line break alone must not make it a second question to search
    question = "Amazon đầu tư 4 tỷ đô la vào Anthropic.\nChương trình đi đâu tiếp theo?"
    assert what_is_asked(question) is question
    assert what_is_asked("According to  Filum.ai, what is GenAI?") != "According to  Filum.ai, what is GenAI?"
    # nor a double space make it a question that says who says it (which weighs what is left otherwise)
    assert without_attribution(question) is question
    assert without_attribution("What  is GenAI?") == "What  is GenAI?"
