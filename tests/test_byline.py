"""Who wrote an article, when, and how long a read it is: from the byline the cleaner keeps as metadata."""

from __future__ import annotations

import pytest
from conftest import article_source

from rag.byline import byline_answer, byline_of_named_author, byline_passage, byline_unknown

BLOG = {
    "blog.txt": "Amazon Đầu Tư 4 Tỷ Đô Vào Claude AI\n- David Hajdu\n- Jun 5\n- 3 min read\n"
    "Gần đây, tôi đã theo dõi khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic.\n"
    "Claude giờ có lợi thế trong ba lĩnh vực: lập trình, viết lách và thương mại điện tử.\n",
    "su_kien.txt": "GenAI Open Innovation lần đầu tổ chức tại Việt Nam\n\n"
    "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “Sự kiện đã kết nối doanh nghiệp và startup.”\n"
    "Sự kiện ra mắt đã thu hút 200 khách mời.\n",
}


BLOG_SOURCE = article_source(
    1,
    "blog",
    "Gần đây, tôi đã theo dõi khoản đầu tư.",
    meta={
        "author": "David Hajdu",
        "date": "Jun 5",
        "reading_time": "3 min read",
        "byline": "- David Hajdu\n- Jun 5\n- 3 min read",
    },
)
EVENT_SOURCE = article_source(2, "su_kien", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…”")


@pytest.mark.parametrize(
    ("question", "lang", "said"),
    [
        ("Ai là tác giả bài blog về khoản đầu tư vào Claude?", "vi", "Bài viết do David Hajdu viết."),
        ("Bài blog đó do ai viết? Tác giả là ai?", "vi", "Bài viết do David Hajdu viết."),
        ("Who wrote the post about Amazon and Claude?", "en", "The article was written by David Hajdu."),
        ("When was the blog post published?", "en", "The article was published on Jun 5."),
        ("Bài blog được đăng ngày nào?", "vi", "Bài viết được đăng ngày Jun 5."),
        ("How long does the blog post about Claude take to read?", "en", "The article is a 3 min read."),
        ("Bài blog của David Hajdu đọc hết khoảng mấy phút?", "vi", "Bài viết đọc hết khoảng 3 phút."),
        ("Mất bao lâu để đọc bài blog?", "vi", "Bài viết đọc hết khoảng 3 phút."),
    ],
)
def test_who_wrote_the_article_when_or_how_long_a_read_is_answered_from_its_byline(question, lang, said):
    found = byline_answer(question, [BLOG_SOURCE, EVENT_SOURCE], lang)
    assert found is not None, question
    line, passage = found
    assert line.text == said and line.sources == [1], line
    assert line.quotes[1] == "David Hajdu · Jun 5 · 3 min read"
    # the passage cited is the byline's own lines, in the article the question is about
    assert passage.number == 1 and passage.hit.chunk.text == "- David Hajdu\n- Jun 5\n- 3 min read"
    assert passage.hit.chunk.source == "blog.txt"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Bài blog của David Hajdu đọc hết khoảng mấy phút?", "Bài viết đọc hết khoảng 3 phút."),
        ("When was David Hajdu's post published?", "The article was published on Jun 5."),
    ],
)
def test_the_article_of_the_author_a_question_names_answers_wherever_it_ranks(question, said):
    found = byline_answer(question, [EVENT_SOURCE, BLOG_SOURCE], "en" if question.startswith("When") else "vi")
    assert found is not None and found.sentence.text == said and found.passage.hit.chunk.source == "blog.txt"
    # what the question says of the article is then no measure of whether the sources answer it
    assert byline_of_named_author(question, [EVENT_SOURCE, BLOG_SOURCE])
    assert not byline_of_named_author("Bài blog đọc hết khoảng mấy phút?", [EVENT_SOURCE, BLOG_SOURCE])
    assert not byline_of_named_author("David Hajdu nghĩ gì về Claude?", [BLOG_SOURCE])  # no byline field asked


def test_an_author_from_the_files_metadata_cites_the_article_itself():
    # (front matter or PDF properties: there are no byline lines to quote)
    source = article_source(1, "bao_cao", "Báo cáo cho thấy 92% các startup dùng AI.", meta={"author": "An Trần"})
    line, passage = byline_answer("Ai là tác giả báo cáo?", [source], "vi")
    assert line.text == "Bài viết do An Trần viết." and passage is source


@pytest.mark.parametrize(
    "question",
    [
        "Sau vụ Amazon–Anthropic, tác giả bài blog thay đổi cách chọn AI ra sao?",  # what the author thinks
        "Who is Laura Nguyễn?",
        "Who said the event connected businesses and startups?",
        "Amazon đầu tư vào Anthropic năm nào?",
        "Mất bao lâu để triển khai Amazon Bedrock?",  # how long something in it takes
        "How long did the partnership take to build?",
    ],
)
def test_a_question_about_what_the_author_says_is_not_a_byline_question(question):
    assert byline_answer(question, [BLOG_SOURCE, EVENT_SOURCE], "vi") is None
    assert not byline_unknown(question, [EVENT_SOURCE, BLOG_SOURCE])


def test_a_year_asked_of_a_byline_date_without_one_is_unknown():
    question = "Bài blog của David Hajdu được đăng vào năm nào?"
    assert byline_answer(question, [BLOG_SOURCE], "vi") is None and byline_unknown(question, [BLOG_SOURCE])
    assert byline_unknown("What year was the blog post published?", [BLOG_SOURCE])
    dated = article_source(1, "blog", "Gần đây…", meta={"author": "An", "date": "2025-06-05", "byline": "- 2025-06-05"})
    assert byline_answer(question.replace("David Hajdu", "An"), [dated], "vi").sentence.text.endswith("2025-06-05.")


def test_an_article_without_a_byline_has_no_author_not_another_articles_or_a_quoted_persons():
    assert byline_answer("Ai là tác giả bài viết về sự kiện?", [EVENT_SOURCE, BLOG_SOURCE], "vi") is None
    assert byline_unknown("Ai là tác giả bài viết về sự kiện?", [EVENT_SOURCE, BLOG_SOURCE])
    assert not byline_unknown("Ai là tác giả bài blog?", [BLOG_SOURCE, EVENT_SOURCE])


def test_a_byline_written_as_fields_in_the_text_is_left_to_the_text():
    fields = article_source(
        1, "khao_sat", "**Tác giả:** Jacob Newton-Gladstein", meta={"author": "Jacob Newton-Gladstein"}
    )
    assert byline_answer("Ai là tác giả bài nghiên cứu?", [fields], "vi") is None
    assert not byline_unknown("Ai là tác giả bài nghiên cứu?", [fields])


@pytest.fixture(scope="module")
def blog_chain(tmp_path_factory, embedder):
    """The answer chain over a real index of BLOG."""
    from conftest import indexed_chain

    return indexed_chain(tmp_path_factory.mktemp("blog"), BLOG, embedder)


def test_the_chain_answers_the_author_from_the_byline_and_refuses_it_for_an_article_without_one(blog_chain):
    chain = blog_chain
    answer = chain.answer("Ai là tác giả bài viết về khoản đầu tư của Amazon vào Claude?", provider="extractive")
    assert answer.text.startswith("Bài viết do David Hajdu viết. [1]"), answer.text
    assert [r.chunk.source for r in answer.references] == ["blog.txt"]
    # the citation holds the lines that say it, as the page writes them
    cited = answer.to_bedrock()["citations"][0]["retrievedReferences"][0]
    assert cited["content"]["text"] == "- David Hajdu\n- Jun 5\n- 3 min read"
    assert cited["location"]["customDocumentLocation"]["id"] == "blog.txt"
    read = chain.answer(
        "How long does David Hajdu's blog post about Amazon and Claude take to read?", provider="extractive"
    )
    assert read.text.startswith("The article is a 3 min read. [1]"), read.text
    refused = chain.answer("Who wrote the article about GenAI Open Innovation?", provider="extractive")
    assert refused.refused and not refused.references, refused.text
    unread = chain.answer("How long does the article about GenAI Open Innovation take to read?", provider="extractive")
    assert unread.refused and not unread.references, unread.text


def test_retrieval_returns_the_byline_first_when_it_is_asked_for(blog_chain):
    retriever = blog_chain.retriever
    for question in (
        "Who wrote the blog post about Amazon's investment in Claude?",
        "Bài blog của David Hajdu đọc hết khoảng mấy phút?",
    ):
        hits = retriever.retrieve(question, k=3)
        assert len(hits) <= 3
        first = hits[0].to_bedrock()
        assert first["content"]["text"] == "- David Hajdu\n- Jun 5\n- 3 min read", question
        assert first["location"]["customDocumentLocation"]["id"] == "blog.txt"
        assert first["metadata"]["chunk_id"].endswith(":byline") and first["metadata"]["title"]
        # every mode the evaluation compares gets it alike
        assert retriever.retrieve(question, k=3, mode="dense")[0].chunk.id.endswith(":byline")
        # the chain cites the byline itself, in place of its article's chunk
        assert not any(h.chunk.id.endswith(":byline") for h in retriever.retrieve(question, k=3, bylines=False))
    for question in (
        "Tác giả bài blog nghĩ gì về khoản đầu tư của Amazon?",  # what the author thinks: the text says
        "Who wrote the article about GenAI Open Innovation?",  # that article has no byline
    ):
        assert not any(h.chunk.id.endswith(":byline") for h in retriever.retrieve(question, k=3)), question


def test_the_named_authors_article_is_among_the_chains_sources_however_low_it_ranks(blog_chain):
    # the question's words are all the event article's; the author it names wrote the blog
    question = "Bài viết của David Hajdu về sự kiện thu hút 200 khách mời đọc hết khoảng mấy phút?"
    retriever = blog_chain.retriever
    assert [h.chunk.source for h in retriever.retrieve(question, k=1, bylines=False)] == ["su_kien.txt"]
    hits = retriever.retrieve(question, k=1, bylines=False, byline_articles=True)
    assert [h.chunk.source for h in hits] == ["blog.txt"] and not hits[0].chunk.id.endswith(":byline")
    assert hits[0].dense_score is not None
    # (already among the hits, it stays where it ranked)
    both = retriever.retrieve(question, k=2, bylines=False, byline_articles=True)
    assert [h.chunk.id for h in both] == [h.chunk.id for h in retriever.retrieve(question, k=2, bylines=False)]
    answer = blog_chain.answer(question, provider="extractive", k=1)
    assert answer.text.startswith("Bài viết đọc hết khoảng 3 phút."), answer.text
    assert [r.chunk.source for r in answer.references] == ["blog.txt"]


def test_the_byline_passage_is_the_named_authors_article_and_only_with_what_is_asked():
    hits = [EVENT_SOURCE.hit, BLOG_SOURCE.hit]
    found = byline_passage("Bài blog của David Hajdu đọc hết khoảng mấy phút?", hits)
    assert found is not None and found.chunk.source == "blog.txt" and found.score == BLOG_SOURCE.hit.score
    assert found.chunk.text == "- David Hajdu\n- Jun 5\n- 3 min read"
    assert byline_passage("Ai là tác giả bài viết về sự kiện?", hits) is None  # the best hit has no byline
    assert byline_passage("Bài blog của David Hajdu được đăng năm nào?", hits) is None  # "Jun 5" has no year
    assert byline_passage("Claude có lợi thế ở những lĩnh vực nào?", [BLOG_SOURCE.hit]) is None
