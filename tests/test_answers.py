"""The answer chain with the real retriever and embedder; models faked only at the network edge."""

import json

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag.answer import REFUSAL_EN, REFUSAL_VI
from rag.answerability import (
    counted_noun,
    enumeration_asked,
    enumeration_supported,
    kind_supported,
    names_as_written,
    role_supported,
    share_doings_supported,
)
from rag.chain import AnswerChain, clean_question
from rag.errors import InvalidQuestionError, ProviderUnavailableError, UnknownProviderError
from rag.generators.base import REFUSAL_TOKEN, PromptBudget, build_messages, get_generator
from rag.generators.chat import ChatModelGenerator
from rag.generators.extractive import ExtractiveGenerator, evidence_order
from rag.grounding import names_in, names_within, split_answer, without_names

_NINETY_PERCENT = "Hơn 90% khách hàng được khảo sát dự định hợp tác với đối tác AWS."


class FakeGenerator(ChatModelGenerator):
    """A LangChain fake chat model behind the real generator base (prompt building included)."""

    name = "fake"

    def __init__(self, settings, replies):
        super().__init__(settings, model=GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies])))

    def describe(self):
        return "fake"


class Unavailable(ChatModelGenerator):
    name = "down"

    def stream(self, *args, **kwargs):
        raise ProviderUnavailableError("service down")
        yield ""  # pragma: no cover


def _with(chain, generator):
    return AnswerChain(chain.settings, chain.retriever, {generator.name: generator})


def _answer_over(tmp_path, embedder, docs, question, reply=None):
    """The answer over a fresh index of `docs`: extractive, or a fake model's `reply` checked by the chain."""
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, docs, embedder)
    if reply is None:
        return chain.answer(question, provider="extractive")
    return _with(chain, FakeGenerator(chain.settings, [reply])).answer(question, provider="fake")


def test_extractive_quotes_the_source_with_a_citation(chain):
    answer = chain.answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="extractive")
    assert not answer.refused
    assert "hơn 60 câu hỏi" in answer.text and "[1]" in answer.text
    assert answer.references[0].chunk.source == "khao_sat.md"
    shape = answer.to_bedrock()
    part = shape["citations"][0]["generatedResponsePart"]["textResponsePart"]
    assert shape["output"]["text"][part["span"]["start"] : part["span"]["end"]] == part["text"]
    ref = shape["citations"][0]["retrievedReferences"][0]
    assert ref["location"]["customDocumentLocation"]["id"] == "khao_sat.md"
    assert ref["metadata"]["source"] == "khao_sat.md" and "60 câu hỏi" in ref["metadata"]["quote"]
    json.dumps(shape, ensure_ascii=False)


def test_extractive_list_question_returns_the_list(chain):
    answer = chain.answer("Độ sâu cá nhân hóa phụ thuộc vào những yếu tố nào?", provider="extractive")
    for item in ("Chất lượng dữ liệu khách hàng", "Khả năng của mô hình", "Mức độ tích hợp hệ thống"):
        assert item in answer.text
    assert answer.text.count("\n- ") >= 2


def test_quantity_not_in_sources_is_refused_plainly(chain):
    answer = chain.answer("Anthropic hiện có bao nhiêu nhân viên?", provider="extractive")
    assert answer.refused and answer.text == REFUSAL_VI
    assert answer.to_bedrock()["citations"] == [] and answer.references == []


def test_unrelated_question_is_refused_in_english(chain):
    answer = chain.answer("What is the boiling point of liquid nitrogen in kelvin?", provider="extractive")
    assert answer.refused and answer.text == REFUSAL_EN


@pytest.mark.parametrize(
    "said",
    [
        "Khả năng bảo mật mạnh mẽ là tiêu chí số 1 [1].",
        # The previous answer already quoted the sentence: it is still the answer to this question.
        "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng. [1] "
        "Đây là yếu tố đứng đầu 2 năm liên tiếp. [1]",
    ],
)
def test_follow_up_uses_the_conversation(chain, said):
    history = [
        {"role": "user", "content": "Khi chọn nền tảng GenAI, khách hàng đặt tiêu chí nào lên đầu?"},
        {"role": "assistant", "content": said},
    ]
    answer = chain.answer("Năm trước nó cũng đứng đầu à?", history, provider="extractive")
    assert answer.text.startswith("Đây là yếu tố đứng đầu 2 năm liên tiếp"), answer.text


def test_model_markers_are_checked_and_unsupported_sentences_dropped(chain):
    fake = FakeGenerator(
        chain.settings,
        [
            "Claude có lợi thế trong lập trình, viết lách và thương mại điện tử [3]. "
            "Amazon đầu tư 4 tỷ đô la vào Anthropic. "
            "Công ty có trụ sở trên sao Hỏa và bán bánh mì [1]."
        ],
    )
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert "sao Hỏa" not in answer.text  # no source holds it
    assert "lập trình" in answer.text
    assert all(ref.chunk.source == "claude.txt" for ref in answer.references)  # wrong [3] replaced
    assert len(answer.sentences) == 2 and all(s.references for s in answer.sentences)  # missing marker attached
    assert answer.text.count("[1]") == 2


def test_a_new_claim_in_the_sources_words_is_not_supported(chain):
    # Every word of the second sentence is in claude.txt; the claim is not.
    fake = FakeGenerator(
        chain.settings,
        [
            "Claude có lợi thế trong lập trình, viết lách và thương mại điện tử [1]. "
            "Anthropic đầu tư vào Amazon để lập trình thương mại [1]."
        ],
    )
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert "lập trình, viết lách" in answer.text and "Anthropic đầu tư vào Amazon" not in answer.text, answer.text


def test_a_web_address_no_source_gives_is_not_passed_on(chain):
    """A small model writes links of its own ("…/partners/ai/generative-ai/"): a Markdown link keeps its text,
    a sentence with a bare address the sources do not give goes."""
    fake = FakeGenerator(
        chain.settings,
        [
            "Claude có lợi thế trong [lập trình, viết lách](https://claude.ai/strengths) và thương mại điện tử [1]. "
            "Xem thêm tại https://www.anthropic.com/claude-advantages [1]."
        ],
    )
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert "lập trình, viết lách" in answer.text and "http" not in answer.text and "Xem thêm" not in answer.text
    assert "](" not in answer.text, answer.text


def test_a_reasoning_models_refusal_gives_the_plain_refusal(chain):
    fake = FakeGenerator(chain.settings, [REFUSAL_TOKEN])
    fake.reasons_about_evidence = True
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert answer.refused and answer.to_bedrock()["citations"] == []


def test_a_small_models_refusal_is_checked_against_the_evidence(chain):
    fake = FakeGenerator(chain.settings, [REFUSAL_TOKEN])
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert not answer.refused and "lập trình" in answer.text and answer.notice


def test_echoed_question_and_invented_numbers_are_not_answers(chain):
    fake = FakeGenerator(chain.settings, ["Bảng hỏi gồm bao nhiêu câu hỏi? [1] Bộ khảo sát gồm hơn 75 câu hỏi [1]."])
    answer = _with(chain, fake).answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="fake")
    assert "75" not in answer.text and "?" not in answer.text
    assert "60" in answer.text  # the quotes stand in for the rejected answer


def test_a_model_sentence_naming_what_no_source_names_is_dropped(chain):
    reply = "Bộ khảo sát gồm hơn 60 câu hỏi [1]. Bộ khảo sát được thực hiện tại Los Angeles, xoay quanh 7 lĩnh vực [1]."
    answer = _with(chain, FakeGenerator(chain.settings, [reply])).answer(
        "Bảng hỏi gồm bao nhiêu câu hỏi?", provider="fake"
    )
    assert "Los Angeles" not in answer.text and "60 câu hỏi" in answer.text, answer.text


def test_unsupported_model_answer_falls_back_to_quotes(chain):
    fake = FakeGenerator(chain.settings, ["Kim tự tháp được xây ở Ai Cập."])
    answer = _with(chain, fake).answer("Claude có lợi thế ở những mảng nào?", provider="fake")
    assert "lập trình" in answer.text and "Ai Cập" not in answer.text
    assert "quoting" in answer.notice


def test_unavailable_provider_falls_back_to_extractive(chain):
    answer = _with(chain, Unavailable(chain.settings)).answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="down")
    assert answer.provider == "extractive" and "service down" in answer.notice
    assert "60" in answer.text


def test_streaming_yields_deltas_then_the_answer(chain):
    fake = FakeGenerator(chain.settings, ["Bộ khảo sát gồm hơn 60 câu hỏi [1]."])
    events = list(_with(chain, fake).stream("Bảng hỏi gồm bao nhiêu câu?", provider="fake"))
    kinds = [k for k, _ in events]
    assert kinds[-1] == "answer" and kinds.count("delta") > 1
    assert "".join(v for k, v in events if k == "delta").startswith("Bộ khảo sát")


def test_converse_request_shape(chain):
    fake = FakeGenerator(chain.settings, ["x"])
    sources, _ = chain.sources_for("Bảng hỏi gồm bao nhiêu câu?", 2, None)
    history = [{"role": "user", "content": "Xin chào"}, {"role": "assistant", "content": "Chào bạn"}]
    req = fake.request("Bảng hỏi gồm bao nhiêu câu?", sources, history, "vi")
    assert set(req) == {"system", "messages", "inferenceConfig"}
    assert [m["role"] for m in req["messages"]] == ["user", "assistant", "user"]
    assert "[1]" in req["messages"][-1]["content"][0]["text"] and REFUSAL_TOKEN in req["system"][0]["text"]
    assert set(req["inferenceConfig"]) == {"maxTokens", "temperature", "topP", "stopSequences"}


def test_system_prompt_is_the_same_for_every_request(chain):
    # A local model keeps an unchanged system prompt in its KV cache; a language switch must not evict it.
    fake = FakeGenerator(chain.settings, ["x"])
    sources, _ = chain.sources_for("Bảng hỏi gồm bao nhiêu câu?", 2, None)
    vi = fake.request("Bảng hỏi gồm bao nhiêu câu?", sources, [], "vi")
    en = fake.request("How many questions are there?", sources, [], "en")
    assert vi["system"] == en["system"]
    assert "tiếng Việt" in vi["messages"][-1]["content"][0]["text"]
    assert "English" in en["messages"][-1]["content"][0]["text"]


def test_a_tight_prompt_budget_keeps_the_best_sentences_of_all_sources(chain):
    question = "Amazon đầu tư bao nhiêu vào Anthropic?"
    sources, _ = chain.sources_for(question, 4, None)
    best = max((s for src in sources for s in src.sentences), key=lambda s: s.score)
    budget = PromptBudget(source_chars=len(best.sentence.text) + 80, sentences_per_source=3, title_chars=40)
    text = build_messages(question, sources, [], "vi", budget)["messages"][-1]["content"][0]["text"]
    assert best.sentence.text in text
    body = text.split("CÂU HỎI")[0]
    assert len(body) < budget.source_chars + 60  # the budget, the heading line and the template's label
    weakest = min((s for src in sources for s in src.sentences), key=lambda s: s.score)
    assert weakest.sentence.text not in text


def test_a_models_prompt_leads_with_the_extractive_quotes_and_keeps_a_list_whole(chain):
    question = "Độ sâu cá nhân hóa phụ thuộc vào những yếu tố nào?"
    sources, _ = chain.sources_for(question, 3, None)
    order = evidence_order(question, sources, [])
    quoted = [s.sentence.text for src in sources for s in src.sentences if s.sentence.id in order]
    assert len(quoted) >= 4 and any("Mức độ tích hợp hệ thống" in q for q in quoted)  # the list block
    budget = PromptBudget(source_chars=400, sentences_per_source=2)
    text = build_messages(question, sources, [], "vi", budget, order)["messages"][-1]["content"][0]["text"]
    assert all(q in text for q in quoted), text  # past the cap of 2 sentences per source
    without = build_messages(question, sources, [], "vi", budget)["messages"][-1]["content"][0]["text"]
    assert not all(q in without for q in quoted)


def test_proposal_markdown_lists_only_cited_sources(chain):
    answer = chain.answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="extractive")
    md = answer.to_markdown("vi")
    assert "**Nguồn**" in md and "`khao_sat.md`" in md and "[1] Nghiên cứu khách hàng" in md
    assert "claude.txt" not in md and "**hơn" not in md.split("**Nguồn**")[1]


def test_proposal_references_are_separate_paragraphs(chain):
    from rag.answer import Answer, CitedSentence

    hits = [h for h in chain.retriever.retrieve("Amazon đầu tư vào Anthropic; bảng hỏi gồm 60 câu hỏi", k=3)][:2]
    hits[0].chunk.metadata["author"] = "David Hajdu"  # a byline's author is cited with the title
    text = "Câu một. [1] Câu hai. [2]"
    cited = [CitedSentence("Câu một.", 0, 8, [0], {0: "một"}), CitedSentence("Câu hai.", 13, 21, [1], {1: "hai"})]
    md = Answer("q", text, cited, hits).to_markdown("vi")
    # one line break apart, rendered Markdown would run the references together into one paragraph
    assert md.split("**Nguồn**\n\n")[1].split("\n\n") == [
        f"[1] {hits[0].chunk.title} — David Hajdu — `{hits[0].chunk.source}`: “một”",
        f"[2] {hits[1].chunk.title} — `{hits[1].chunk.source}`: “hai”",
    ]


@pytest.mark.parametrize(
    ("question", "reason"),
    [("", "empty"), ("   \x00\x07  ", "empty"), ("?!", "empty"), ("x" * 2500, "too long"), ("a" * 100_000, "too long")],
)
def test_bad_questions_get_a_clear_reason(question, reason):
    with pytest.raises(InvalidQuestionError, match=reason):
        clean_question(question)


def test_control_characters_and_markup_are_harmless(chain):
    assert clean_question("Bảo\x00 mật\u200b là gì?\x1b[31m") == "Bảo mật là gì? [31m"
    answer = chain.answer("<script>alert(1)</script> Bảng hỏi gồm bao nhiêu câu hỏi?", provider="extractive")
    assert "60" in answer.text


def test_unknown_provider_is_a_key_error(settings):
    with pytest.raises(UnknownProviderError, match="choose one of") as info:
        get_generator("gpt-5", settings)
    assert isinstance(info.value, KeyError)


def test_split_answer_keeps_markers_with_their_sentence():
    parts = split_answer("Câu một. [1] Câu hai [2]. [3]\n- Mục ba [1]")
    assert parts == [("Câu một.", [1], False, 0), ("Câu hai.", [2, 3], False, 0), ("Mục ba", [1], True, 0)]


@pytest.mark.slow
def test_local_model_answers_with_a_grounded_citation(chain):
    answer = chain.answer("Bảng hỏi trong nghiên cứu gồm bao nhiêu câu hỏi?", provider="local")
    assert answer.model.startswith("local")
    assert not answer.refused and "60" in answer.text
    assert answer.references and answer.references[0].chunk.source == "khao_sat.md"


def test_a_lead_in_whose_list_was_dropped_is_not_an_answer(chain):
    lead_in_only = (
        "Theo khảo sát của doanh nghiệp, tiêu chí quan trọng nhất khi lựa chọn nền tảng hiện nay là:\n\n"
        "1. **Giá rẻ**: mô hình chạy trên sao Hỏa [1]."
    )
    answer = _with(chain, FakeGenerator(chain.settings, [lead_in_only])).answer(
        "Tiêu chí quan trọng nhất khi lựa chọn nền tảng là gì?", provider="fake"
    )
    assert "sao Hỏa" not in answer.text and not answer.text.rstrip(" [1]").endswith(":")
    assert "tiêu chí số 1" in answer.text  # fell back to quoting the source


def test_a_small_models_answer_without_the_figure_gets_the_quote(chain):
    vague = FakeGenerator(chain.settings, ["Bộ khảo sát gồm rất nhiều câu hỏi về các lĩnh vực trọng tâm [1]."])
    answer = _with(chain, vague).answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="fake")
    assert answer.text.startswith("Bộ khảo sát gồm rất nhiều câu hỏi")
    assert "hơn 60 câu hỏi" in answer.text and answer.references[0].chunk.source == "khao_sat.md"


def test_a_small_models_answer_without_the_name_gets_the_quote(chain):
    # Same words and figure as the source, but the name that answers the question is gone.
    vague = FakeGenerator(chain.settings, ["Khoản đầu tư 4 tỷ đô la là của Amazon [1]."])
    answer = _with(chain, vague).answer("Amazon đã rót 4 tỷ đô la vào công ty nào?", provider="fake")
    assert answer.text.startswith("Khoản đầu tư 4 tỷ đô la là của Amazon")
    assert "Anthropic" in answer.text and answer.references[0].chunk.source == "claude.txt"


def test_a_small_models_sentence_that_puts_another_thing_where_the_answer_was_is_replaced_by_the_quote(chain):
    # It says what the source says of the question's words, with a phrase of another source where the answer was.
    swapped = "Tiêu chí số 1 khi lựa chọn nền tảng là chất lượng dữ liệu khách hàng [1]."
    events = list(_with(chain, FakeGenerator(chain.settings, [swapped])).stream(_FIRST_CRITERION, provider="fake"))
    answer = events[-1][1]
    assert answer.text.startswith("Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1"), answer.text
    assert "chất lượng dữ liệu" not in answer.text and answer.references[0].chunk.source == "khao_sat.md"
    resets = [text for kind, text in events if kind == "reset"]  # what was streamed is taken back
    assert resets and resets[-1].startswith("Khả năng bảo mật mạnh mẽ") and "chất lượng" not in resets[-1], resets


def test_a_small_models_answer_in_the_sources_words_stands(chain):
    said = "Khả năng bảo mật mạnh mẽ là tiêu chí số 1 khi lựa chọn nền tảng [1]."
    answer = _with(chain, FakeGenerator(chain.settings, [said])).answer(_FIRST_CRITERION, provider="fake")
    assert answer.text.startswith("Khả năng bảo mật mạnh mẽ là tiêu chí số 1 khi lựa chọn nền tảng. [1]"), answer.text
    assert "mạnh mẽ vẫn là" not in answer.text  # (the quote it says in the source's words is not added)


_FIRST_CRITERION = "Khi lựa chọn nền tảng, tiêu chí số 1 là gì?"


def test_names_are_proper_nouns_and_acronyms_not_sentence_openers():
    assert names_in("Đây là Amazon Bedrock, dùng qua API. Khách hàng chọn nó.") == {"amazon", "bedrock", "api"}
    assert names_within("Dùng Amazon Bedrock.", "amazon bedrock là dịch vụ")
    assert not names_within("Nó là Amazon Bedrock.", "Đây là một dịch vụ của Amazon.", known="Amazon có gì?")


def test_a_follow_up_is_not_answered_with_what_the_last_answer_said(chain):
    history = [
        {"role": "user", "content": "Amazon đầu tư bao nhiêu vào Anthropic?"},
        {"role": "assistant", "content": "Amazon đầu tư 4 tỷ đô la vào Anthropic [1]."},
    ]
    answer = chain.answer("Ngoài ra họ còn được gì?", history, provider="extractive")
    assert "lập trình" in answer.text and "4 tỷ" not in answer.text, answer.text


def test_a_documents_title_is_never_the_answer(chain):
    extractive = ExtractiveGenerator(chain.settings)
    for question in ("Nghiên cứu khách hàng", "Nghiên cứu khách hàng là gì?", "Nghiên cứu khách hàng nói gì?"):
        sources, _ = chain.sources_for(question, 3, None)
        lines = extractive.compose(question, sources)
        assert lines and not any(line.startswith(("Nghiên cứu khách hàng. [", "Phạm vi. [")) for line in lines), lines


FIELD_LINES = {
    "khao_sat_mau.md": "# Báo cáo khảo sát\n\n**Tác giả:** Minh An\n"
    "**Danh mục:** Thông báo • Đối tác • Nền tảng\n\n"
    "- Cung cấp số liệu độc quyền về thị trường.\n- Giúp đối tác hiểu khách hàng.\n\n"
    "## Phạm vi khảo sát\n\nKhảo sát gồm 1.000 phản hồi từ 10 quốc gia tại châu Âu và Bắc Mỹ.\n",
}


@pytest.fixture(scope="module")
def field_chain(tmp_path_factory, embedder):
    from conftest import indexed_chain

    return indexed_chain(tmp_path_factory.mktemp("fields"), FIELD_LINES, embedder)


def test_a_pages_field_line_does_not_open_a_list(field_chain):
    answer = field_chain.answer("Bài báo cáo thuộc những danh mục nào?", provider="extractive")
    # The field line answers; the list after it is not its list.
    assert answer.text.startswith("Danh mục: Thông báo • Đối tác • Nền tảng."), answer.text
    assert "Cung cấp số liệu độc quyền" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("Which 10 countries were covered by the survey?", 10),
        ("Name the three areas where the model is strong.", 3),
        ("Khảo sát được thực hiện ở 10 quốc gia nào?", 10),
        ("Kể tên ba lĩnh vực đó.", 3),
        ("Amazon đầu tư vào những công ty nào?", None),  # "đầu tư" is not "four"
        ("Năm nào khảo sát được công bố?", None),
        ("Khảo sát gồm bao nhiêu quốc gia?", None),
        ("5 cấp độ cá nhân hóa của GenAI là gì?", 5),
        ("Bảy lĩnh vực trọng tâm của nghiên cứu gồm những gì?", 7),
    ],
)
def test_a_question_for_a_set_number_of_named_items_is_recognised(question, count):
    assert enumeration_asked(question) == count


def test_items_count_only_when_they_do_not_just_repeat_the_number():
    question = "Which 3 speakers came?"
    assert not enumeration_supported(question, ["- 3 diễn giả tại sự kiện"])
    assert enumeration_supported(question, ["Diễn giả:", "1. Lâm Tuấn Kiệt", "2. Đặng Nghĩa", "3. Đinh Hoàng Anh"])
    assert enumeration_supported(question, ["Có ba diễn giả: Kiệt, Nghĩa và Hoàng Anh."])
    # names joined in prose are items too ("…bắt đầu từ Malaysia và Singapore…")
    question = "In which two markets will the next events begin?"
    assert enumeration_supported(question, ["Chương trình tiếp theo bắt đầu từ Malaysia và Singapore trong Quý 1."])
    assert not enumeration_supported(question, ["Quỹ mở rộng sáng kiến với 10 chương trình nữa."])
    assert not enumeration_supported("Which 10 countries were surveyed?", ["10 quốc gia tại châu Âu & Bắc Mỹ"])


@pytest.mark.parametrize(
    ("question", "evidence", "supported"),
    [
        ("Filum.ai được thành lập vào năm nào?", "Filum.ai tiên phong siêu cá nhân hóa tại Việt Nam.", False),
        ("Filum.ai được thành lập vào năm nào?", "Filum.ai được thành lập năm 2019.", True),
        ("Amazon đầu tư vào Anthropic năm nào?", "Gần đây, tôi đã theo dõi khoản đầu tư của Amazon.", False),  # no year
        ("In what year did Amazon invest?", "Amazon invested last year.", True),
        ("When did Amazon invest in Anthropic?", "Amazon đầu tư 4 tỷ đô la vào Anthropic.", False),
        ("Nghiên cứu được thực hiện năm nào?", "Khách hàng dự định hợp tác trong vòng 3 năm tới.", False),  # a span
        ("Báo cáo ra mắt năm nào?", "Báo cáo sẽ ra mắt vào năm tới.", True),
        ("Filum.ai được thành lập vào năm nào?", "Phản hồi “may đo” đúng bối cảnh từng khách.", False),  # no month
        ("When was the report released?", "The report was released in May.", True),
        ("Khi nào thì họ bắt đầu ở đó?", "Bắt đầu từ Malaysia và Singapore trong Quý 1 năm 2025.", True),
        ("Khi nào nên dùng Bedrock?", "Khi cần truy cập nhiều mô hình qua một API.", True),  # a condition
        ("Filum.ai có bao giờ dùng GenAI cho CSKH không?", "Filum.ai phát triển AI Agent hội thoại.", True),
        ("Sự kiện được tổ chức ở thành phố nào?", "Sự kiện giúp các tổ chức hiện đại hóa nền tảng từ đầu.", False),
        ("Sự kiện được tổ chức ở đâu?", "Đây là lần đầu tiên sự kiện được tổ chức tại Việt Nam.", True),
        ("Where will the program go next?", "Bắt đầu từ Malaysia và Singapore.", True),
        ("Where will the program go next?", "Chương trình kết nối startup và doanh nghiệp.", False),
        # where someone works or comes from is answered by an organisation, not a place
        ("Đặng Hoàng Hiếu Nghĩa làm việc ở đâu?", "**Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud", True),
        ("Diễn giả thứ nhất đến từ đâu?", "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software", True),
        ("Where does the AI engineer work?", "2. **Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud", True),
        ("For functions where customers are mature, what should partners do?", "Tập trung dịch vụ cao cấp.", True),
        ("What is the ticket price for the event?", "Sự kiện giúp giảm chi phí so với xây dựng từ đầu.", False),
        ("Bao nhiêu phần trăm startup tập trung vào B2B?", "92% các startup GenAI tập trung vào B2B.", True),
        ("Quỹ quản lý bao nhiêu vốn?", "Quỹ thu hút 200 khách mời.", False),
        ("Amazon rót bao nhiêu tiền vào Anthropic?", "Khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic.", True),
        ("Quỹ quản lý bao nhiêu tiền?", "Quỹ thu hút 200 khách mời.", False),
        # the source may name the unit otherwise, keeping the word that qualifies it
        ("Khảo sát xoay quanh mấy mảng trọng tâm?", "Bộ khảo sát xoay quanh **7 lĩnh vực trọng tâm**.", True),
        ("Khảo sát xoay quanh mấy mảng trọng tâm?", "Các lĩnh vực trọng tâm gồm 24 ngành.", False),
        (
            "How many speakers were at Series #1?",
            "1. **Lâm Tuấn Kiệt** - DevOps Engineer, Series #1",
            False,
        ),  # no count
        ("What does the report cost?", "Báo cáo gồm hơn 60 câu hỏi và ~1.000 phản hồi.", False),  # no amount of money
        ("What does Bedrock cost per 1,000 tokens?", "Giá là 0,003 USD cho mỗi nghìn token.", True),
        ("What does the write-up list under cost optimization?", "- Giảm đáng kể chi phí hạ tầng", True),
        ("What does Bedrock cost per month?", "Bedrock giúp truy cập mô hình qua một API.", False),  # verb
        ("What will the report cost in 2025?", "Báo cáo gồm hơn 60 câu hỏi.", False),
        (  # "when" + a gerund is a circumstance, not a time asked for
            "When assessing cloud migration, what cost comparison does the write-up recommend?",
            "- So sánh chi phí xây dựng hạ tầng mới vs. cloud migration",
            True,
        ),
        ("How much does the full report cost?", "The full report is free for AWS partners.", True),
        # a sample size is how many answered, not a share of them
        ("What was the sample size of the AWS survey?", "- ~**1.000 phản hồi**", True),
        ("What was the sample size of the fund's report?", "92% các startup GenAI tập trung vào B2B.", False),
        # a response rate is a share of the responses, not their count nor another share
        ("What response rate did the survey achieve?", "- ~**1.000 phản hồi**", False),
        ("What response rate did the survey achieve?", "Hơn 90% khách hàng được khảo sát dự định hợp tác.", False),
        ("What was the survey's response rate?", "Khảo sát đạt tỷ lệ phản hồi 12%.", True),
        # how something is priced: an amount or a way of charging answers, not what the thing does
        ("Filum.ai tính phí dịch vụ AI Agent như thế nào?", "AI Agent Filum.ai đồng hành, đồng cảm với khách.", False),
        ("Filum.ai tính phí dịch vụ AI Agent như thế nào?", "Filum.ai tính phí theo thuê bao hằng tháng.", True),
        ("How is Bedrock priced?", "Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính.", True),
        ("Báo cáo khuyên tối ưu mô hình định giá thế nào?", "Tối ưu mô hình định giá, gói dịch vụ, SLA.", True),
        ("Chi phí vẫn là yếu tố then chốt ở thời điểm nào?", "Vẫn then chốt khi bắt đầu mở rộng quy mô.", True),
        ("Chi phí vẫn là yếu tố then chốt vào lúc nào?", "Vẫn then chốt khi bắt đầu mở rộng quy mô.", True),
        ("Sự kiện được tổ chức vào thời điểm nào?", "Sự kiện hữu ích khi doanh nghiệp cần kết nối.", False),
        ("Chương trình vẫn mở rộng vào Malaysia khi nào?", "Chương trình hữu ích khi doanh nghiệp cần kết nối.", False),
        ("Bài blog về Claude được đăng khi nào?", "Khi mọi người nói về việc Amazon đầu tư vào Claude…", False),
        ("When is cost still a key factor?", "Chi phí vẫn then chốt khi bắt đầu mở rộng quy mô.", True),
        ("Which AWS region hosts Bedrock?", "Bedrock giúp truy cập mô hình từ các công ty AI hàng đầu.", False),
        ("Ai là CEO của Filum.ai?", "Filum.ai, với nền tảng GenAI tiên tiến, đồng hành cùng doanh nghiệp Việt.", False),
        ("Ai là CEO của Filum.ai?", "Phát triển AI Agent hội thoại: “Nhân viên AI” Filum.ai trả lời.", False),
        ("Who is the director of the fund?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…", True),
        ("Ai là diễn giả đến từ FPT?", "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software", True),
        ("Ai viết bài này?", "**Tác giả:** Jacob Newton-Gladstein", True),
        ("Tên các mô hình có trên Amazon Bedrock là gì?", "Amazon Bedrock giúp truy cập mô hình qua API.", False),
        ("Tên các mô hình có trên Amazon Bedrock là gì?", "Tận Dụng Amazon Bedrock:", False),  # a title-cased lead-in
        ("Tên các diễn giả là gì?", "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software", True),
        ("Kể tên ba lĩnh vực đó.", "Claude có lợi thế trong ba lĩnh vực: lập trình, viết lách và thương mại.", True),
        ("Ai là người hưởng lợi từ báo cáo?", "Báo cáo mang lại cho đối tác chân dung khách hàng.", True),  # a group
        # an institution asked for by its kind: the evidence must name one of that kind
        ("Which Vietnamese banks use Filum.ai?", "Filum.ai đồng hành cùng doanh nghiệp Việt như Phong Vũ.", False),
        ("Which banks use Filum.ai?", "Ngân hàng ACB và Techcombank dùng Filum.ai.", True),
        ("Những ngân hàng nào dùng Filum.ai?", "Các doanh nghiệp tham gia gồm Sovico và Phong Vũ.", False),
        ("Which universities joined the fund?", "Các doanh nghiệp tham gia bao gồm Tập đoàn Sovico, Phong Vũ.", False),
        ("Trường đại học nào hợp tác với quỹ?", "Quỹ hợp tác với Đại học Bách khoa Hà Nội.", True),
        ("Which large language model does the agent run on?", "Nhân viên AI của Filum.ai đối thoại tự nhiên.", False),
        ("Which LLM does the agent use?", "Agent dùng mô hình ngôn ngữ lớn Claude 3.", True),
        # ("lập trình" alone is a field of work, not a language)
        ("Which programming languages is Claude best at?", "Claude có lợi thế trong lập trình, viết lách.", False),
        ("Bedrock hỗ trợ những ngôn ngữ lập trình nào?", "Bedrock truy cập foundation models qua một API.", False),
        ("Bedrock hỗ trợ những ngôn ngữ lập trình nào?", "Bedrock có SDK cho Python và JavaScript.", True),
        # a language people speak: adjusting "ngôn ngữ" to a customer names none
        ("Báo cáo được phát hành bằng những ngôn ngữ nào?", "AWS công bố phiên bản thứ hai của báo cáo.", False),
        ("Báo cáo được phát hành bằng những ngôn ngữ nào?", "Báo cáo có bản tiếng Việt và tiếng Anh.", True),
        ("Which languages is the report published in?", "GenAI điều chỉnh ngôn ngữ, phong cách theo khách.", False),
        ("Mô hình ngôn ngữ lớn nào được dùng?", "Agent dùng mô hình ngôn ngữ lớn Claude 3.", True),
        # someone's past work: what they do now does not tell it
        (
            "Bà Laura Nguyễn từng làm việc ở công ty nào trước khi về GenAI Fund?",
            "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund.",
            False,
        ),
        (
            "Bà Laura Nguyễn từng làm việc ở công ty nào trước khi về GenAI Fund?",
            "Trước đây bà làm việc tại Google.",
            True,
        ),
        (
            "Where did David Hajdu work before?",
            "Là người tư vấn chiến lược công nghệ cho các doanh nghiệp, tôi thấy…",
            False,
        ),
        ("Which organization is the speaker from?", "Nguyễn Văn A - AI Engineer, FPT Software", True),  # any kind
        # a person asked for in a role: a name in another role does not answer
        ("Ai là người dẫn chương trình sự kiện?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…", False),
        ("Ai là MC của sự kiện?", "Ông Phạm Đức Thịnh, Trung tâm NIC, cho biết sự kiện thành công.", False),
        ("Who hosted the launch event?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…", False),
        ("Ai dẫn chương trình buổi ra mắt?", "Buổi ra mắt do MC Nguyễn Văn A dẫn dắt.", True),
        ("Who founded Anthropic?", "Khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic, ông Dario Amodei nói.", False),
        ("Ai sáng lập Filum.ai?", "Filum.ai do ông Nguyễn Văn A sáng lập năm 2019.", True),
        ("Giám đốc Quỹ GenAI Fund là ai?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…", True),
        ("Chủ tịch của Sovico là ai?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “…", False),
        ("Who is the chairman of Sovico?", "Ông Nguyễn Văn A, Chủ tịch Tập đoàn Sovico, phát biểu.", True),
        ("Nhà khoa học dữ liệu của báo cáo tên là gì?", "Báo cáo do Trung tâm Generative AI thực hiện.", False),
        ("Nhà khoa học dữ liệu của báo cáo tên là gì?", "Nhà khoa học dữ liệu Nguyễn Văn A dẫn dắt báo cáo.", True),
        ("What is the name of the report's lead data scientist?", "Báo cáo do Trung tâm AWS thực hiện.", False),
        # a budget or a discount is an amount, a headquarters where an organisation is based
        ("What was the budget of the event?", "Sự kiện giúp giảm chi phí so với xây hạ tầng mới từ đầu.", False),
        ("What was the budget of the event?", "Ngân sách của sự kiện là 50.000 USD.", True),
        ("What discount do partners get on the report?", "Đối tác có thể truy cập báo cáo đầy đủ.", False),
        ("What discount do partners get on the report?", "Hơn 90% khách hàng dự định hợp tác với đối tác.", False),
        ("What discount do partners get on the report?", "Đối tác được giảm 20% khi mua báo cáo.", True),
        ("Quỹ GenAI Fund đặt trụ sở ở thành phố nào?", "Quỹ xây dựng hệ sinh thái AI tại Đông Nam Á.", False),
        ("Quỹ GenAI Fund đặt trụ sở ở thành phố nào?", "Quỹ có trụ sở tại Singapore.", True),
        ("Where is Filum.ai headquartered?", "Filum.ai tiên phong siêu cá nhân hóa tại Việt Nam.", False),
        # after another question word, "when" opens a clause; "…, and when?" asks a time as well
        ("How does the agent react when it senses emotions?", "Tác tử điều chỉnh giọng điệu.", True),
        ("Who spoke at the event, and when?", "Ông A phát biểu tại sự kiện.", False),
        # "từ" / "from" before a capital is mostly a source, not a place
        ("Trung tâm đặt ở thành phố nào?", "Đối tác hiện thực hóa giá trị kinh doanh từ Generative AI.", False),
        ("Trung tâm đặt ở thành phố nào?", "Trung tâm đặt tại Seattle.", True),
        # a valuation is not any amount near the company
        ("What was Anthropic valued at?", "Khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic.", False),
        ("What was Anthropic valued at?", "Anthropic được định giá 18 tỷ đô la.", True),
        ("What is the company's valuation?", "Công ty có 200 nhân viên.", False),
        # an ordinal asks for a position: "cấp độ thứ mấy" is answered by "Cấp độ 2", which never says "thứ"
        ("Cá nhân hóa dựa trên hành vi là cấp độ thứ mấy?", "Cấp độ 2: Cá nhân hóa dựa trên hành vi", True),
        ("Hành vi là cấp độ thứ mấy trong thang?", "Cấp độ 2: Cá nhân hóa dựa trên hành vi", True),
        ("Đây là phiên bản thứ mấy của báo cáo?", "AWS công bố phiên bản thứ hai của báo cáo.", True),
        ("Đây là phiên bản thứ mấy của báo cáo?", "AWS công bố báo cáo mới dành cho đối tác.", False),
        # a verb before "bao nhiêu" is no unit ("đầu tư" is not "tư"): any figure answers
        ("Amazon đầu tư bao nhiêu?", "Amazon đầu tư 4 tỷ đô la vào Anthropic.", True),
        ("Amazon đầu tư bao nhiêu?", "Amazon đầu tư vào Anthropic.", False),
        ("Sự kiện thu hút bao nhiêu?", "Sự kiện ra mắt đã thu hút 200 khách mời.", True),
        # nor is a preposition after it ("vào", "cho"); money invested or charged is an amount of money
        ("Amazon đầu tư bao nhiêu vào Anthropic?", "Khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic.", True),
        ("Amazon đầu tư bao nhiêu vào Anthropic?", "Qua AWS, Amazon kiểm soát 30% hạ tầng internet.", False),
        ("Quỹ đầu tư bao nhiêu startup?", "Quỹ đã đầu tư vào 35 startup trong khu vực.", True),  # a count
        ("Bedrock tính phí bao nhiêu cho mỗi nghìn token?", "Mỗi nghìn token có giá 0,002 USD.", True),
        ("Bedrock tính phí bao nhiêu cho mỗi nghìn token?", "Bedrock cho truy cập hơn 100 mô hình.", False),
        ("Anthropic được định giá bao nhiêu sau vòng gọi vốn?", "Khoản đầu tư 4 tỷ đô la vào Anthropic.", False),
        ("Anthropic được định giá bao nhiêu sau vòng gọi vốn?", "Anthropic được định giá 18 tỷ đô la.", True),
        # a share asked for is a figure with "%"; minutes may be written "min"
        ("What percentage of clients saw higher revenue?", "Khách hàng có cái nhìn 360 độ.", False),
        ("What share of startups focus on B2B?", "92% các startup GenAI tập trung vào B2B.", True),
        ("Bài viết đọc mất mấy phút?", "3 min read", True),
        ("Bài viết đọc mất mấy phút?", "Bài viết đăng ngày 5 tháng 6.", False),
        # a price is a figure with its currency; a version is named by a number
        ("What price does Bedrock charge per call?", "Amazon Bedrock là một dịch vụ được quản lý hoàn toàn.", False),
        ("What price does Bedrock charge per call?", "Mỗi lần gọi mô hình có giá 0,01 USD.", True),
        ("Which Claude version does the blogger recommend?", "Claude có hiểu biết sâu sắc về phần mềm.", False),
        ("Which Claude version does the blogger recommend?", "Blogger khuyên dùng Claude 3.5 Sonnet.", True),
        ("Báo cáo là phiên bản nào?", "AWS công bố **phiên bản thứ hai** của báo cáo.", True),
        # …as is a model of a named family ("Which Claude model…?"), unlike "which AI models"
        ("Which Claude model does Bedrock offer?", "Bedrock giúp truy cập các foundation models qua API.", False),
        ("Which Claude model does Bedrock offer?", "Bedrock cung cấp Claude 3 Haiku.", True),
        ("Bedrock có mô hình Llama nào?", "Bedrock giúp truy cập các foundation models qua API.", False),
        ("Which AI models does Bedrock give access to?", "Bedrock giúp truy cập các foundation models.", True),
        # where something is found may be a product or site, not only a country or city
        ("Where can partners find the resources?", "- Trung tâm Generative AI trong AWS Partner Central", True),
        ("Where can partners find the resources?", "Đối tác có thể truy cập báo cáo đầy đủ.", False),
        ("Where is the event held?", "- Trung tâm Generative AI trong AWS Partner Central", False),
        # "lần đầu tiên" is a position with no number in it
        ("Sự kiện ở Việt Nam là lần thứ mấy?", "Đây là lần đầu tiên sự kiện được tổ chức tại Việt Nam.", True),
        ("Sự kiện có bao nhiêu lần tổ chức?", "Đây là lần đầu tiên sự kiện được tổ chức tại Việt Nam.", False),
        # a count's number stands with the thing counted, not elsewhere in the sentence, and is no share
        ("Có bao nhiêu startup tham gia sự kiện?", "Sự kiện thu hút 200 khách mời từ các startup.", False),
        ("Có bao nhiêu startup tập trung vào B2B?", "92% các startup GenAI tập trung vào B2B.", False),
        ("Sự kiện có bao nhiêu khách mời?", "Sự kiện ra mắt đã thu hút 200 khách mời.", True),
        # a count of people is answered by a count of any kind of person ("khách mời", "đại biểu")
        ("Buổi ra mắt đón bao nhiêu người được mời?", "Sự kiện ra mắt đã thu hút 200 khách mời.", True),
        ("Hội nghị có bao nhiêu người dự?", "Hội nghị có 150 đại biểu tham dự.", True),
        ("Buổi ra mắt đón bao nhiêu người?", "Quỹ công bố 10 chương trình nữa trên khắp Đông Nam Á.", False),
        ("Filum.ai có bao nhiêu người?", "Hơn 90% khách hàng dự định hợp tác với đối tác.", False),
        # an English count of a word the Vietnamese sources borrow ("startup") binds the number to it too
        ("How many startups applied?", "Sự kiện thu hút 200 khách mời từ các startup và doanh nghiệp.", False),
        ("How many startups focus on B2B?", "92% các startup GenAI tại ASEAN tập trung vào mảng B2B.", False),
        ("How many startups joined?", "Chương trình kết nối 35 startup với doanh nghiệp.", True),
        ("How many guests attended the launch?", "Sự kiện ra mắt đã thu hút 200 khách mời.", True),  # translated
        ("Amazon học từ bao nhiêu giao dịch?", "Họ hiểu hành vi mua sắm từ 12 tỷ giao dịch hàng năm.", True),
        ("Claude tiếp cận bao nhiêu tác phẩm?", "Họ có quyền truy cập vào hàng triệu tác phẩm.", True),
        ("Khảo sát thu về bao nhiêu phản hồi?", "- ~**1.000 phản hồi**", True),
        # a count of answers is not a count of questions ("câu trả lời" and "câu hỏi" share "câu")
        ("Khảo sát nhận về khoảng bao nhiêu câu trả lời?", "Bộ khảo sát gồm hơn 60 câu hỏi.", False),
        ("Khảo sát nhận về khoảng bao nhiêu câu trả lời?", "- ~**1.000 phản hồi**", True),
        # a founding date is not any year near the name
        ("Quỹ GenAI Fund được thành lập năm nào?", "Quỹ mở rộng sang Malaysia trong Quý 1 năm 2025.", False),
        ("When was the GenAI Fund founded?", "Quỹ mở rộng sang Malaysia trong Quý 1 năm 2025.", False),
        ("Filum.ai được thành lập năm nào?", "Filum.ai được thành lập năm 2019.", True),
        ("When was the fund established?", "Quỹ được thành lập vào năm 2022.", True),
        # a duration wants a length of time, not any sentence about the event
        ("How long did the event last?", "Sự kiện nhằm khám phá Generative AI và các ứng dụng.", False),
        ("How long does the post take to read?", "- 3 min read", True),
        ("Sự kiện kéo dài bao lâu?", "Sự kiện diễn ra trong 2 ngày tại TP.HCM.", True),
        ("Sự kiện kéo dài bao lâu?", "Sự kiện thu hút 200 khách mời.", False),
        ("Sự kiện kéo dài bao lâu?", "Chương trình bắt đầu trong Quý 1 năm 2025.", False),  # a date
        ("Chương trình kéo dài bao lâu?", "Chương trình kéo dài 3 tháng, từ tháng 3 năm 2025.", True),
        ("How long is the survey?", "Bộ khảo sát gồm hơn 60 câu hỏi.", True),  # a length, not a time
        # a city is not answered by the country or region it is in
        ("Sự kiện lần đầu được tổ chức ở thành phố nào?", "Sự kiện lần đầu được tổ chức tại Việt Nam.", False),
        ("Sự kiện ở Malaysia diễn ra tại thành phố nào?", "Chương trình bắt đầu từ Malaysia và Singapore.", False),
        ("Which city hosted the event?", "Sự kiện mở rộng ra khắp Đông Nam Á.", False),
        ("Sự kiện được tổ chức ở thành phố nào?", "Sự kiện được tổ chức tại TP. Hồ Chí Minh.", True),
        ("Which city hosted the event?", "Sự kiện được tổ chức tại Hà Nội.", True),
        ("Sự kiện lần đầu được tổ chức ở đâu?", "Sự kiện lần đầu được tổ chức tại Việt Nam.", True),  # (a place)
        # a budget, however it is qualified, is an amount of money
        ("What is the average generative AI budget of the surveyed customers?", "Hơn 90% khách hàng hợp tác.", False),
        ("What is the average generative AI budget of the surveyed customers?", "Trung bình 2 triệu USD.", True),
        # a share is of what the question speaks of, and of those that do what it says
        ("Tỷ lệ khách hàng đã đưa GenAI vào production là bao nhiêu phần trăm?", _NINETY_PERCENT, False),
        ("Bao nhiêu phần trăm khách hàng dự định hợp tác với đối tác AWS?", _NINETY_PERCENT, True),
        ("Tỷ lệ khách hàng dự định hợp tác với đối tác là bao nhiêu?", _NINETY_PERCENT, True),
        # "Ai là người …" asks for a person; "recently" says no when
        ("Ai là người trình bày kết quả báo cáo?", "Sự kiện ra mắt đã thu hút 200 khách mời.", False),
        ("Ai là người trình bày kết quả báo cáo?", "Bà Laura Nguyễn trình bày kết quả báo cáo.", True),
        ("When did Amazon complete its investment?", "Gần đây, tôi đã theo dõi khoản đầu tư của Amazon.", False),
        ("When did Amazon complete its investment?", "Amazon hoàn tất khoản đầu tư vào tháng 3 năm 2024.", True),
        # an award, revenue, a stake… is stated in those words or not at all
        ("Startup nào đã giành giải thưởng tại sự kiện?", "Sự kiện đã thành công trong việc kết nối startup.", False),
        ("Startup nào đã giành giải thưởng tại sự kiện?", "Startup X giành giải nhất, giải thưởng 10.000 USD.", True),
        ("Which company did Amazon acquire?", "Amazon đầu tư 4 tỷ đô la vào Anthropic.", False),
        ("What was Filum.ai's revenue growth?", "Filum.ai tiên phong siêu cá nhân hóa bằng GenAI.", False),
        ("What was Filum.ai's revenue growth?", "Doanh thu của Filum.ai tăng 40% trong năm 2024.", True),
        # a talk's title is a quoted name beside the talk, not the write-up's title or the speaker's line
        ("What was the title of the FPT speaker's talk?", 'Bài thu hoạch "AWS Cloud Mastery Series #1".', False),
        ("Bài trình bày của anh Kiệt có tiêu đề gì?", "Lâm Tuấn Kiệt - Senior DevOps Engineer, FPT Software", False),
        ("Bài trình bày của anh Kiệt có tiêu đề gì?", "Anh Kiệt trình bày bài nói “Từ legacy lên cloud”.", True),
        ("What was his presentation called?", "His presentation, “Bedrock in practice”, showed a demo.", True),
        ("Bài thu hoạch có tiêu đề gì?", 'Bài thu hoạch "AWS Cloud Mastery Series #1".', True),  # (no talk)
        ("Báo cáo là phiên bản nào, tiêu đề là gì?", "AWS công bố **phiên bản thứ hai** của báo cáo.", True),
    ],
)
def test_a_question_for_a_time_place_or_quantity_needs_evidence_that_gives_one(question, evidence, supported):
    assert kind_supported(question, [evidence]) is supported


_SATISFACTION = "Mức độ hài lòng của khách hàng với đối tác."
_B2B = "92% các startup GenAI tại ASEAN tập trung vào mảng B2B."
_CONTROL = "Qua AWS, Amazon kiểm soát cách thức hoạt động của 30% hạ tầng internet thế giới."


@pytest.mark.parametrize(
    ("question", "quoted", "supported"),
    [
        # the sources speak of satisfaction, and not with this figure: the figure is of something else
        ("Bao nhiêu phần trăm khách hàng hài lòng với đối tác AWS của họ?", _NINETY_PERCENT, False),
        ("Tỷ lệ khách hàng hài lòng với đối tác là bao nhiêu?", _NINETY_PERCENT, False),
        ("Bao nhiêu phần trăm khách hàng được khảo sát dự định hợp tác với đối tác AWS?", _NINETY_PERCENT, True),
        # "được hỏi" is the question's word for "được khảo sát"; the sources' "câu hỏi" is not "hỏi"
        ("Hơn bao nhiêu phần trăm khách hàng được hỏi định hợp tác với đối tác AWS?", _NINETY_PERCENT, True),
        # a verb that says little, a loanword pyvi takes for a verb, and a verb the sources never write
        ("Bao nhiêu phần trăm startup GenAI ở ASEAN làm B2B?", _B2B, True),
        ("Qua AWS, Amazon chi phối bao nhiêu phần trăm hạ tầng internet toàn cầu?", _CONTROL, True),
        # not a share asked for, or not in Vietnamese
        ("Báo cáo giúp đối tác nâng tỷ lệ thành công của bước chuyển nào?", _NINETY_PERCENT, True),
        ("What share of customers are satisfied with their partner?", _NINETY_PERCENT, True),
    ],
)
def test_a_share_is_of_those_that_do_what_the_question_says_when_the_sources_say_it_elsewhere(
    question, quoted, supported
):
    said = [_SATISFACTION, _NINETY_PERCENT, "> **Câu hỏi:** Công ty của bạn đã tiến bao xa?", _B2B, _CONTROL]
    assert share_doings_supported(question, [quoted], said) is supported
    # what the sources never say is not held against the figure
    assert share_doings_supported(question, [quoted], [quoted])


def test_a_share_of_those_that_do_something_else_is_refused(tmp_path, embedder):
    from conftest import indexed_chain

    docs = {
        "khao_sat.md": "# Nghiên cứu khách hàng\n\n## Kết luận\n\n" + _NINETY_PERCENT + "\n\n## Đối tác\n\n"
        "- Mức độ hài lòng của khách hàng với đối tác.\n- Vai trò của đối tác trong các kịch bản outsourcing.\n"
    }
    chain = indexed_chain(tmp_path, docs, embedder)
    refused = chain.answer("Bao nhiêu phần trăm khách hàng hài lòng với đối tác AWS của họ?", provider="extractive")
    assert refused.refused and refused.text == REFUSAL_VI, refused.text
    answered = chain.answer("Bao nhiêu phần trăm khách hàng dự định hợp tác với đối tác AWS?", provider="extractive")
    assert not answered.refused and "90%" in answered.text, answered.text


@pytest.mark.parametrize(
    ("question", "states", "does_not"),
    [
        ("Bảng hỏi có mấy câu hỏi?", "Bộ khảo sát gồm hơn 60 câu hỏi.", "Khảo sát thu về ~1.000 phản hồi."),
        ("Khảo sát nhận về bao nhiêu câu trả lời?", "Khảo sát thu về ~1.000 phản hồi.", "Bộ khảo sát gồm 60 câu hỏi."),
        ("How many responses did the survey collect?", "~1.000 phản hồi", "Bộ khảo sát gồm 60 câu hỏi."),
    ],
)
def test_the_sentence_that_states_the_count_asked_for_is_the_one_with_its_noun(question, states, does_not):
    from rag.answerability import stated_count

    pattern = stated_count(question)
    assert pattern is not None and pattern.search(states) and not pattern.search(does_not)


def test_an_english_question_is_held_to_the_english_relevance_floor(tmp_path, embedder):
    """Cross-lingual similarity runs lower, so English questions over Vietnamese text have their own floor."""
    from conftest import DOCS, indexed_settings

    from rag.chain import AnswerChain
    from rag.retrieval import HybridRetriever

    settings = indexed_settings(tmp_path, DOCS, embedder)
    settings.retrieval.min_evidence_score = 0.99
    settings.retrieval.min_evidence_score_english = 0.2
    chain = AnswerChain(settings, HybridRetriever(settings, embedder))
    answer = chain.answer("How many questions does the survey have?", provider="extractive")
    assert not answer.refused and "60 câu hỏi" in answer.text, answer.text
    assert chain.answer("Bộ khảo sát có bao nhiêu câu hỏi?", provider="extractive").refused
    assert chain.answer("How do I bake sourdough bread?", provider="extractive").refused


TITLED = {
    "blog.txt": "Amazon Đầu Tư 4 Tỷ Đô Vào Claude AI - Chiến Lược Chuyên Biệt\n"
    "Gần đây, tôi đã theo dõi khoản đầu tư 4 tỷ đô la của Amazon vào Anthropic. Điều thực sự quan trọng là quyền "
    "truy cập dữ liệu mà Amazon đã đảm bảo cho Claude.\n",
    "su_kien.md": '# Bài thu hoạch "AWS Cloud Mastery Series #1"\n\nSự kiện nhằm khám phá Generative AI và '
    "Amazon Bedrock.\n",
}


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What is the title of the blog post about Amazon's investment in Claude?", "Amazon Đầu Tư 4 Tỷ Đô"),
        ("Bài thu hoạch về sự kiện Cloud Mastery có tiêu đề gì?", 'Bài thu hoạch "AWS Cloud Mastery Series #1"'),
    ],
)
def test_a_question_for_the_title_is_answered_by_the_title(tmp_path, embedder, question, title):
    # a page's title answers nothing else, so it is left out of other answers, but not of this one
    answer = _answer_over(tmp_path, embedder, TITLED, question)
    assert answer.text.startswith(title), answer.text


ACRONYMS = {
    "su_kien.txt": "Ông Đỗ Tiến Thịnh, Phó Giám đốc Trung tâm Đổi mới sáng tạo Quốc gia (NIC), phát biểu khai mạc. "
    "Sự kiện thu hút 200 khách mời.\n",
    "he_thong.txt": "GenAI cần được kết nối với CRM, CDP (Nền tảng Dữ liệu Khách hàng) và hệ thống quản lý đơn hàng. "
    "Đối tác tối ưu gói dịch vụ và SLA.\n",
}


@pytest.mark.parametrize(
    ("question", "spelled"),
    [
        ("NIC là viết tắt của tổ chức nào?", "Trung tâm Đổi mới sáng tạo Quốc gia (NIC)"),
        ("What does CDP stand for?", "CDP (Nền tảng Dữ liệu Khách hàng)"),
        ("SLA là viết tắt của gì?", None),  # named, never spelled out
    ],
)
def test_an_acronym_is_answered_by_the_sentence_that_spells_it_out(tmp_path, embedder, question, spelled):
    # short questions score low by meaning: the spelled-out acronym decides, not the relevance floor
    answer = _answer_over(tmp_path, embedder, ACRONYMS, question)
    if spelled is None:
        assert answer.refused, answer.text
    else:
        assert not answer.refused and spelled in answer.text, answer.text


def test_a_year_the_question_names_must_be_the_evidences_year(tmp_path, embedder):
    docs = {
        "bao_cao.md": "# Báo cáo khách hàng 2025\n\n## Phạm vi\n\n- Khoảng 1.000 phản hồi\n- 10 quốc gia\n",
        "xu_huong.md": "# Xu hướng\n\nSo với nghiên cứu năm 2023, chi phí bớt quan trọng hơn ở giai đoạn thử nghiệm.\n",
    }
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, docs, embedder)
    assert chain.answer("Báo cáo năm 2023 khảo sát bao nhiêu phản hồi?", provider="extractive").refused
    answer = chain.answer("Báo cáo khảo sát bao nhiêu phản hồi?", provider="extractive")
    assert "1.000 phản hồi" in answer.text, answer.text


def test_a_place_the_question_names_must_be_in_the_evidence(tmp_path, embedder):
    docs = {
        "bao_cao.md": "# Báo cáo khách hàng\n\n## Giá trị cho đối tác\n\nBáo cáo mang lại cho đối tác AWS:\n\n"
        "- Chân dung khách hàng theo ngành\n- Tiêu chí lựa chọn nền tảng\n- Ưu tiên triển khai theo ngành\n",
        "filum.md": "# Filum.ai\n\nFilum.ai tiên phong siêu cá nhân hóa bằng GenAI tại Việt Nam.\n",
        "pham_vi.md": "# Phạm vi khảo sát\n\nKhảo sát thu về khoảng 1.000 phản hồi tại châu Âu và Bắc Mỹ.\n",
    }
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, docs, embedder)
    # (nor is a list counted for "đối tác" that is only who receives its items)
    answer = chain.answer("Bao nhiêu đối tác AWS tại Việt Nam đã dùng báo cáo này?", provider="extractive")
    assert answer.refused, answer.text
    answer = chain.answer("Khảo sát thu về bao nhiêu phản hồi tại Việt Nam?", provider="extractive")
    assert answer.refused, answer.text  # a number, but not for the place asked
    answer = chain.answer("Ở Việt Nam, Filum.ai tiên phong điều gì?", provider="extractive")
    assert not answer.refused and "siêu cá nhân hóa" in answer.text, answer.text
    # who comes from a country ("đến từ Việt Nam", "from Vietnam") is about that country too
    answer = chain.answer("Khảo sát có bao nhiêu phản hồi đến từ Việt Nam?", provider="extractive")
    assert answer.refused, answer.text
    answer = chain.answer("How many survey responses came from Vietnam?", provider="extractive")
    assert answer.refused, answer.text
    answer = chain.answer("How many survey responses came from Europe?", provider="extractive")
    assert not answer.refused and "1.000 phản hồi" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("Khảo sát có bao nhiêu người trả lời đến từ Việt Nam?", [("việt nam",)]),
        ("Bao nhiêu đối tác AWS tại Việt Nam đã dùng báo cáo?", [("việt nam",)]),
        ("Diễn giả nào đến từ FPT Software?", []),  # (where someone comes from, not a place)
        ("Claude học được gì từ Amazon?", []),
        ("How many respondents came from Vietnam?", [("việt nam", "vietnam")]),
        ("Which startups across Southeast Asia joined?", [("đông nam á", "southeast asia", "asean")]),
        ("What does the author say about Vietnam?", []),  # (what it is about, not where)
    ],
)
def test_the_places_a_question_is_about(question, places):
    from rag.answerability import places_asked

    assert places_asked(question) == places


def test_a_lead_in_names_what_its_items_are_not_who_receives_them():
    from rag.lists import counted_list

    for lead_in in ("Báo cáo mang lại cho đối tác AWS:", "Đối tác có thể dùng dữ liệu này để:"):
        texts = [lead_in, "- Chân dung khách hàng theo ngành", "- Tiêu chí lựa chọn nền tảng", "- Ưu tiên triển khai"]
        sources = _sources(texts, [0.60, 0.50, 0.50, 0.50])
        assert counted_list("Bao nhiêu đối tác dùng báo cáo?", sources, []) is None, lead_in
    texts = ["Báo cáo nêu các đối tác sau:", "- Đối tác A", "- Đối tác B", "- Đối tác C"]
    counted = counted_list("Bao nhiêu đối tác?", _sources(texts, [0.60, 0.50, 0.50, 0.50]), [])
    assert counted is not None and len(counted[2]) == 3, counted


def test_a_year_the_sources_do_not_give_is_refused(chain):
    answer = chain.answer("Anthropic được thành lập vào năm nào?", provider="extractive")
    assert answer.refused and answer.references == [], answer.text


@pytest.mark.parametrize("provider", ["extractive", "fake"])
@pytest.mark.parametrize(
    "question", ["Which 10 countries were covered by the survey?", "Khảo sát được thực hiện ở 10 quốc gia nào?"]
)
def test_which_n_items_is_refused_when_the_sources_only_give_the_count(field_chain, provider, question):
    fake = FakeGenerator(field_chain.settings, ["Khảo sát gồm 10 quốc gia tại châu Âu và Bắc Mỹ [1]."])
    answer = _with(field_chain, fake).answer(question, provider=provider)
    assert answer.refused and answer.references == [], answer.text


@pytest.mark.parametrize("provider", ["extractive", "fake"])
def test_a_question_about_a_model_no_article_names_is_refused(chain, provider):
    fake = FakeGenerator(chain.settings, ["Claude có lợi thế trong lập trình [1]."])
    answer = _with(chain, fake).answer("Claude có lợi thế hơn GPT-4 trong lập trình không?", provider=provider)
    assert answer.refused and answer.references == [], answer.text
    answer = _with(chain, fake).answer("Claude có lợi thế trong lập trình không?", provider=provider)
    assert not answer.refused and answer.references, answer.text


@pytest.mark.parametrize(
    ("question", "quoted", "supported"),
    [
        ("Huy Nguyen giữ chức vụ gì ở Filum.ai?", "Filum.ai xác định tương lai CX là siêu cá nhân hóa.", False),
        ("What is Laura Nguyễn's role?", "Quỹ GenAI cam kết mở rộng nền tảng này.", False),
        ("What is Laura Nguyễn's role?", "Bà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét.", True),
        ("Đặng Hoàng Hiếu Nghĩa giữ vai trò gì?", "**Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud", True),
        ("Huy Nguyen viết về điều gì?", "Filum.ai xác định tương lai CX là siêu cá nhân hóa.", True),  # (no role)
    ],
)
def test_the_role_of_someone_named_is_answered_by_a_passage_that_names_them(question, quoted, supported):
    assert role_supported(question, [quoted]) is supported


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Claude có đánh bại GPT-4 không?", {"GPT-4"}),
        ("Does the survey mention OpenAI or ChatGPT?", {"OpenAI", "ChatGPT"}),
        ("AWS có dùng chip Trainium2 không?", {"Trainium2"}),
        ("What does a GPT-4-based agent remember?", {"GPT-4"}),
        ("Ứng dụng GenAI và DevOps trong FinTech, 5G ra sao?", set()),  # (kinds of things, not names)
        ("What percentage of ASEAN GenAI startups focus on B2C?", {"B2C"}),  # (B2B, B2C are written as such)
        ("Vai trò của Laura Nguyễn's team là gì?", {"Laura", "Nguyễn"}),  # (a possessive is the name's use)
        ("Filum.ai có tích hợp với CRM không? ROI ra sao?", set()),  # (acronyms may be spelled out)
        ("How does it give a 360-degree view?", set()),
        ("How many people attended AWS Cloud Mastery Series #1 in 2025?", set()),
        ("What happens in Q1 2025?", set()),
        ("Amazon đầu tư bao nhiêu vào Anthropic?", {"Anthropic"}),  # (a Vietnamese question writes names as is)
        ("Bedrock hỗ trợ những mô hình nào, ví dụ Claude hay Llama?", {"Claude", "Llama"}),
        ("<b>Bảng</b> hỏi gồm bao nhiêu câu? Câu nào dài nhất?", set()),  # (sentences' first words)
    ],
)
def test_names_as_written_are_the_names_no_translation_changes(question, names):
    assert names_as_written(question) == names


def test_which_n_items_is_answered_when_a_sentence_lists_them(prose_chain):
    answer = prose_chain.answer("Mô hình mạnh ở ba lĩnh vực nào?", provider="extractive")
    assert not answer.refused and "lập trình, viết lách và thương mại điện tử" in answer.text, answer.text


PROSE_LIST = {
    "du_lieu.txt": "Vì Sao Dữ Liệu Quan Trọng\n"
    "Mọi người hay nói về số tiền đầu tư. "
    "Nhưng điều đáng chú ý là những nguồn dữ liệu mà công ty mẹ mở ra cho mô hình.\n"
    "Qua mảng điện toán đám mây, tập đoàn thấy cách phần mềm chạy ở quy mô lớn. Đây là dữ liệu vận hành thật.\n"
    "Qua mảng bán lẻ, họ biết thói quen mua sắm từ hàng tỷ đơn hàng. Không phải từ khảo sát.\n"
    "Qua mảng xuất bản, họ có kho sách được biên tập kỹ.\n"
    "Kết Quả\n"
    "Nhờ vậy mô hình mạnh ở ba lĩnh vực: lập trình, viết lách và thương mại điện tử.\n",
}


@pytest.fixture(scope="module")
def prose_chain(tmp_path_factory, embedder):
    from conftest import indexed_chain

    return indexed_chain(tmp_path_factory.mktemp("prose"), PROSE_LIST, embedder)


def test_a_prose_list_of_parallel_sentences_is_quoted_whole(prose_chain):
    question = "Mô hình được hưởng lợi từ những nguồn dữ liệu nào của công ty mẹ?"
    answer = prose_chain.answer(question, provider="extractive")
    for item in ("Qua mảng điện toán đám mây", "Qua mảng bán lẻ", "Qua mảng xuất bản"):
        assert item in answer.text, answer.text


def test_a_sentence_that_lists_the_answer_itself_is_not_replaced(prose_chain):
    answer = prose_chain.answer("Mô hình mạnh ở những lĩnh vực nào?", provider="extractive")
    assert "lập trình, viết lách và thương mại điện tử" in answer.text, answer.text
    assert "Qua mảng xuất bản" not in answer.text


EVENT_TOPICS = {
    "hoi_thao.md": "# Bài thu hoạch hội thảo Cloud Day\n\n### Mục đích của sự kiện\n\n"
    "Sự kiện nhằm khám phá Generative AI và các ứng dụng của nó, tập trung vào foundation models, Amazon Bedrock, "
    "và cách công nghệ cloud giúp doanh nghiệp giảm chi phí hạ tầng.\n\n"
    "### Nội dung chính\n\n"
    "1. **Chiến lược chuyển đổi lên cloud:**\n"
    "   - Tận dụng dịch vụ cloud thay vì tự xây hạ tầng.\n"
    "   - Hạ tầng cloud mở rộng linh hoạt.\n"
    "2. **Nguyên tắc cơ bản về Generative AI:**\n"
    "   - Mô hình tạo nội dung từ prompt.\n",
}


def test_a_list_found_through_a_weaker_sentence_follows_the_best_one(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, EVENT_TOPICS, "Hội thảo Cloud Day xoay quanh những chủ đề chính nào?")
    assert answer.text.startswith("Sự kiện nhằm khám phá Generative AI"), answer.text
    assert "Chiến lược chuyển đổi lên cloud" in answer.text, answer.text


def test_a_small_models_list_that_leaves_out_items_gets_the_whole_list(chain):
    partial = FakeGenerator(chain.settings, ["Độ sâu cá nhân hóa phụ thuộc vào chất lượng dữ liệu khách hàng [1]."])
    answer = _with(chain, partial).answer("Độ sâu cá nhân hóa phụ thuộc vào những yếu tố nào?", provider="fake")
    for item in ("Chất lượng dữ liệu khách hàng", "Khả năng của mô hình", "Mức độ tích hợp hệ thống"):
        assert item in answer.text, answer.text


PLAIN_LIST = {
    "ca_nhan_hoa.txt": "Độ sâu cá nhân hóa\n\n"
    "Mức độ cá nhân hóa không phải là một hằng số. Nó phụ thuộc vào sự hội tụ của nhiều yếu tố quan trọng:\n\n"
    "Chất lượng dữ liệu khách hàng\n\nDữ liệu càng đầy đủ và chính xác, mô hình càng hiểu khách hàng.\n\n"
    "Khả năng của mô hình\n\nMô hình lớn hiểu ngữ cảnh và ý định tốt hơn mô hình nhỏ.\n\n"
    "Mức độ tích hợp hệ thống\n\nHệ thống phải kết nối liền mạch với CRM và kênh bán hàng.\n",
}


@pytest.mark.parametrize("provider", ["extractive", "fake"])
def test_a_list_of_plain_title_lines_is_answered_as_a_bulleted_list(tmp_path, embedder, provider):
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, PLAIN_LIST, embedder)
    partial = FakeGenerator(chain.settings, ["Độ sâu cá nhân hóa phụ thuộc vào chất lượng dữ liệu khách hàng [1]."])
    answer = _with(chain, partial).answer("Độ sâu cá nhân hóa phụ thuộc vào những yếu tố nào?", provider=provider)
    for item in ("Chất lượng dữ liệu khách hàng", "Khả năng của mô hình", "Mức độ tích hợp hệ thống"):
        assert f"\n- {item}." in answer.text, answer.text
    if provider == "extractive":  # the lead-in's "Nó" comes with the sentence it refers to
        assert answer.text.startswith("Mức độ cá nhân hóa không phải là một hằng số. [1] Nó phụ thuộc"), answer.text


LEVELS = {
    "cap_do.txt": "Các cấp độ cá nhân hóa\n\n"
    "Cấp độ 1: Cá nhân hóa dựa trên thuộc tính\n\n"
    "Đây là cấp độ cơ bản nhất, dựa trên tên, tuổi và vị trí địa lý của khách hàng.\n\n"
    "Cấp độ 2: Cá nhân hóa dựa trên hành vi\n\n"
    "Mô hình phân tích lịch sử duyệt web và các sản phẩm khách đã xem.\n\n"
    "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh\n\n"
    "Mô hình hiểu mục tiêu hiện tại của khách trong một phiên tương tác.\n",
}


def test_a_section_title_is_not_a_list_of_the_titles_after_it(tmp_path, embedder):
    # "những gì" asks for a list, but under the title "Cấp độ 2" the answer is that section's prose,
    # and the titles after it are the next sections, not its items.
    answer = _answer_over(tmp_path, embedder, LEVELS, "Cá nhân hóa cấp độ 2 dựa trên những gì của khách hàng?")
    assert "lịch sử duyệt web" in answer.text, answer.text
    assert "Cấp độ 3" not in answer.text, answer.text


NESTED_LIST = {
    "tai_lieu.md": "# Báo cáo cho đối tác\n\n## Tài liệu\n\n"
    "Ngoài báo cáo chính, đối tác nhận được các tài liệu đi kèm:\n\n"
    "- Bộ dữ liệu theo ngành\n- Tài liệu chi tiết về use case\n- Best practices triển khai, bao gồm:\n"
    "  - Bảo mật\n  - Kiến trúc\n  - Vận hành và mở rộng\n",
}


def test_a_nested_list_keeps_its_nesting_in_the_answer(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, NESTED_LIST, "Đối tác nhận được những tài liệu đi kèm nào?")
    assert "\n- Best practices triển khai, bao gồm: [1]\n  - Bảo mật. [1]\n  - Kiến trúc. [1]" in answer.text, (
        answer.text
    )
    shape = answer.to_bedrock()
    for citation in shape["citations"]:  # spans still point at the sentence, past the indent and bullet
        part = citation["generatedResponsePart"]["textResponsePart"]
        assert shape["output"]["text"][part["span"]["start"] : part["span"]["end"]] == part["text"]


def test_a_quoted_sentence_that_opens_with_an_approximate_figure_stands_alone():
    # "~1.000 phản hồi." merged into the sentence before it, and the pair matched no source
    parts = split_answer("Bộ khảo sát gồm hơn 60 câu hỏi. [3] ~1.000 phản hồi. [3] Khoản đầu tư trị giá $4 tỷ. [1]")
    expected = ["Bộ khảo sát gồm hơn 60 câu hỏi.", "~1.000 phản hồi.", "Khoản đầu tư trị giá $4 tỷ."]
    assert [p.text for p in parts] == expected
    # "1.000" never splits: no space follows its dot
    assert split_answer("Số liệu là 1.000 phản hồi. [1]")[0].text == "Số liệu là 1.000 phản hồi."


def test_split_answer_gives_nested_items_their_depth():
    parts = split_answer("Gồm: [1]\n- Mục A [1]\n  - Mục A1 [1]\n    - Mục A1a [1]\n- Mục B [1]\nKết luận. [1]")
    assert [(p.text, p.list_item, p.depth) for p in parts] == [
        ("Gồm:", False, 0),
        ("Mục A", True, 0),
        ("Mục A1", True, 1),
        ("Mục A1a", True, 2),
        ("Mục B", True, 0),
        ("Kết luận.", False, 0),
    ]


def test_a_list_item_quoted_between_prose_reads_as_prose_and_prose_after_a_list_is_a_paragraph():
    from rag.generators.extractive import _render

    lone = [
        ("Hơn 90% khách hàng hợp tác với đối tác.", 1, False, 0, False),
        ("10 quốc gia tại châu Âu.", 2, True, 0, False),
    ]
    assert _render(lone) == ["Hơn 90% khách hàng hợp tác với đối tác. [1]", "10 quốc gia tại châu Âu. [2]"]
    listed = [
        ("Gồm:", 1, False, 0, False),
        ("A.", 1, True, 0, True),
        ("B.", 1, True, 0, True),
        ("Sau đó.", 1, False, 0, True),
    ]
    assert _render(listed) == ["Gồm: [1]", "- A. [1]", "- B. [1]", "Sau đó. [1]"]
    assert "\n- B. [1]\n\nSau đó. [1]" in "".join(ExtractiveGenerator._join(_render(listed)))


def test_a_nested_item_quoted_without_its_parent_does_not_read_as_nested_under_another_passage(settings):
    import dataclasses

    from rag.generators.base import Source
    from rag.types import Chunk, RetrievedChunk

    migration = _passage(
        1,
        "migration",
        [
            "- Tối Ưu Hóa Chi Phí:",
            "   - Cloud migration có thể giảm đáng kể chi phí hạ tầng.",
            "   - Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính.",
        ],
        [0.60, 0.55, 0.50],
    )
    # what follows its lead-in in its own passage stays nested under it
    lines = ExtractiveGenerator(settings).compose("Bài học về tối ưu chi phí khi chuyển lên cloud?", [migration])
    assert lines == [
        "- Tối Ưu Hóa Chi Phí: [1]",
        "   - Cloud migration có thể giảm đáng kể chi phí hạ tầng. [1]",
        "   - Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính. [1]",
    ]
    from rag.generators.extractive import _render

    # an item after another passage's line, its parent not quoted, sits at the top level
    kept = [
        ("Nhận ra rằng cloud migration là lựa chọn tiết kiệm chi phí.", 2, True, 0, False),
        ("Cloud migration có thể giảm đáng kể chi phí hạ tầng.", 1, True, 3, False),
        ("Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính.", 1, True, 3, True),
    ]
    assert _render(kept) == [
        "- Nhận ra rằng cloud migration là lựa chọn tiết kiệm chi phí. [2]",
        "- Cloud migration có thể giảm đáng kể chi phí hạ tầng. [1]",
        "- Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính. [1]",
    ]
    # a list cut by a chunk's end goes on in the next chunk of the passage, not in a chunk further on
    from rag.generators.extractive import _goes_on

    first, second = migration.sentences[0], migration.sentences[1]
    cut = Chunk(id="next", text="x", source="migration.md", start=migration.hit.chunk.end - 5, end=900)
    further = dataclasses.replace(cut, id="far", start=migration.hit.chunk.end + 400)

    def at(chunk: Chunk) -> Source:
        return Source(3, RetrievedChunk(chunk, 1.0), [])

    later = dataclasses.replace(second, sentence=dataclasses.replace(second.sentence, start=migration.hit.chunk.end))
    assert _goes_on((migration, first), (migration, second))
    assert _goes_on((migration, first), (at(cut), later))
    assert not _goes_on((migration, first), (at(further), later))
    assert not _goes_on((migration, second), (migration, first))  # (quoted out of the passage's order)


NAMED = {
    "filum.md": "# Cá nhân hóa trải nghiệm khách hàng\n\n"
    "Filum.ai, với nền tảng GenAI tiên tiến và cam kết lấy khách hàng Việt làm trung tâm, luôn đồng hành "
    "cùng doanh nghiệp trên hành trình kiến tạo trải nghiệm khách hàng.\n\n"
    "Filum.ai xác định tương lai CX là siêu cá nhân hóa, mỗi khách được phục vụ theo cách độc nhất.\n\n"
    "Việc thu thập và sử dụng dữ liệu cá nhân của khách hàng phải luôn minh bạch, có sự đồng ý của khách hàng "
    "và tuân thủ quy định về quyền riêng tư.\n",
}


def test_an_english_question_naming_the_article_gets_the_sentence_that_answers(tmp_path, embedder):
    question = "What conditions does the Filum.ai article set for collecting and using customer data?"
    answer = _answer_over(tmp_path, embedder, NAMED, question)
    assert answer.text.startswith("Việc thu thập và sử dụng dữ liệu cá nhân"), answer.text


def test_names_are_left_out_of_a_question():
    assert (
        without_names("Which level of Filum.ai's scale covers AWS customers?")
        == "Which level of scale covers customers?"
    )


FUND = {
    "quy.txt": "Quỹ GenAI là quỹ đầu tư mạo hiểm đầu tiên tại ASEAN tập trung vào AI tạo sinh. "
    "Tập đoàn Sovico đã công bố khoản đầu tư chiến lược vào Quỹ GenAI tại sự kiện. "
    "Sovico hoạt động trong ngân hàng, hàng không, năng lượng và bất động sản. "
    "Sự kiện ra mắt thu hút nhiều khách mời từ các startup và doanh nghiệp. "
    "Bà Laura Nguyễn là giám đốc của quỹ. "
    "Quỹ sẽ tổ chức thêm 10 chương trình kết nối ở Đông Nam Á.\n",
}


def test_a_number_must_come_from_the_sentences_that_support_it_not_anywhere_in_the_chunk(tmp_path, embedder):
    reply = "Sovico invested 10 million dollars in the GenAI Fund [1]."
    answer = _answer_over(tmp_path, embedder, FUND, "How much money did Sovico invest in the GenAI Fund?", reply)
    assert "10 million" not in answer.text, answer.text


PREDICT = {
    "du_doan.txt": "Cá nhân hóa tiên đoán\n\n"
    "GenAI phân tích dữ liệu lịch sử và các yếu tố khác để dự đoán nhu cầu của khách hàng trong tương lai. "
    "Từ đó, doanh nghiệp có thể chủ động đưa ra ưu đãi trước cả khi khách hàng nhận ra họ cần. "
    "Cửa hàng cũng cải tạo lại khu trưng bày vào mùa hè.\n",
}


def test_what_the_quotes_say_and_the_model_left_out_is_added(tmp_path, embedder):
    reply = "GenAI dự đoán nhu cầu của khách hàng trong tương lai từ dữ liệu lịch sử [1]."
    answer = _answer_over(tmp_path, embedder, PREDICT, "AI có đoán trước được nhu cầu của khách hàng không?", reply)
    assert answer.text.startswith("GenAI dự đoán nhu cầu"), answer.text  # the model's own sentence stays first
    assert "chủ động đưa ra ưu đãi" in answer.text, answer.text  # the thought it left out is quoted
    assert answer.text.count("dữ liệu lịch sử") == 1, answer.text  # what it did say is not quoted again


EVENTS = {
    "cloud_day.md": "# AWS Cloud Day Hà Nội\n\n"
    "AWS Cloud Day Hà Nội là sự kiện thường niên dành cho cộng đồng điện toán đám mây. "
    "Sự kiện giới thiệu các dịch vụ mới của AWS và chia sẻ kinh nghiệm triển khai thực tế.\n",
    "doi_tac.md": "# Hội nghị Đối tác\n\nHội nghị Đối tác năm ngoái có hơn 300 khách mời tham dự. "
    "Các đối tác trao đổi về chiến lược bán hàng.\n",
}


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        (
            "Bao nhiêu người tham dự AWS Cloud Day Hà Nội?",
            "AWS Cloud Day Hà Nội là sự kiện thường niên dành cho cộng đồng điện toán đám mây [1].",
        ),
        (
            "How many people attended AWS Cloud Day Hà Nội?",
            "AWS Cloud Day Hà Nội is an annual event for the cloud community, introducing new AWS services and "
            "sharing practical deployment experience [1].",
        ),
    ],
)
def test_a_small_models_answer_that_gives_no_number_asked_for_is_refused_as_the_quotes_are(
    tmp_path, embedder, question, reply
):
    # Another event's head count is near the evidence, so the model is asked; its answer gives no count.
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, EVENTS, embedder)
    assert chain.answer(question, provider="extractive").refused
    events = list(_with(chain, FakeGenerator(chain.settings, [reply])).stream(question, provider="fake"))
    answer = events[-1][1]
    assert answer.refused and not answer.references, answer.text
    assert events[-2][0] == "reset"  # what was streamed is taken back


def test_a_small_models_answer_that_gives_the_number_asked_for_stands(tmp_path, embedder):
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, EVENTS, embedder)
    reply = "Hội nghị Đối tác năm ngoái có hơn 300 khách mời tham dự [1]."
    answer = _with(chain, FakeGenerator(chain.settings, [reply])).answer(
        "Bao nhiêu người tham dự Hội nghị Đối tác năm ngoái?", provider="fake"
    )
    assert not answer.refused and answer.text.startswith("Hội nghị Đối tác năm ngoái có hơn 300 khách mời")
    assert answer.references[0].chunk.source == "doi_tac.md"


def test_a_source_heading_copied_from_the_prompt_is_not_an_answer(chain):
    fake = FakeGenerator(chain.settings, ["Nghiên cứu khách hàng — Phạm vi... [1] Bộ khảo sát gồm hơn 60 câu hỏi [1]."])
    answer = _with(chain, fake).answer("Bảng hỏi gồm bao nhiêu câu hỏi?", provider="fake")
    assert "Nghiên cứu khách hàng —" not in answer.text and "60 câu hỏi" in answer.text, answer.text


def test_talk_about_the_prompt_is_not_an_answer(chain):
    reply = "Trong phần NGUỒN, bộ khảo sát gồm hơn 60 câu hỏi, xoay quanh 7 lĩnh vực trọng tâm [1]."
    answer = _with(chain, FakeGenerator(chain.settings, [reply])).answer(
        "Bảng hỏi gồm bao nhiêu câu hỏi?", provider="fake"
    )
    assert "NGUỒN" not in answer.text and "60 câu hỏi" in answer.text, answer.text


SOVICO = {
    "sovico.txt": "Sự kiện GenAI Open Innovation\n\nCũng tại sự kiện, Tập đoàn Sovico, tập đoàn hàng đầu "
    "tại Việt Nam với các hoạt động đa ngành trong ngân hàng, hàng không, năng lượng, khách sạn, và bất động sản, "
    "đã công bố khoản "
    "đầu tư chiến lược vào Quỹ GenAI.\n\nSự kiện thu hút 200 khách mời từ các startup và doanh nghiệp.\n",
    "filum.txt": "Filum.ai tiên phong siêu cá nhân hóa\n\n"
    "Filum.ai phát triển AI Agent hội thoại cho chăm sóc khách hàng.\n",
}


def test_an_english_question_is_refused_on_its_whole_meaning_not_on_the_share_left_without_names(tmp_path, embedder):
    # Sentences are chosen partly by the question without "Sovico", which lowers every score; whether the
    # sources speak of it at all is decided with the name in.
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, SOVICO, embedder)
    answer = chain.answer("Which sectors is the Sovico Group active in?", provider="extractive")
    assert "hàng không" in answer.text, answer.text
    assert chain.answer("How many employees does Filum.ai have?", provider="extractive").refused


def test_what_follows_the_best_sentence_is_quoted_in_the_passages_order():
    from rag.generators.extractive import pick_evidence

    texts = ["Cấp độ 2: Cá nhân hóa dựa trên hành vi", "Mô hình phân tích lịch sử duyệt web.", "Dựa trên đó, nó gợi ý."]
    sources = _sources(texts, [0.70, 0.66, 0.68])  # the last sentence scores above the one before it
    picked = pick_evidence("Cấp độ 2 dựa trên gì?", sources)
    assert [x.sentence.text for _, x in picked] == texts


def test_a_lead_in_is_not_quoted_without_its_items_and_an_earlier_sentence_is_none_of_them(settings):
    texts = [
        "Khách hàng kỳ vọng được thấu hiểu, không phải một kích cỡ cho tất cả.",
        "Trước khi có AI, doanh nghiệp cá nhân hóa bằng:",
        "Các cách này còn nhiều giới hạn về quy mô.",
    ]
    sources = _sources(texts, [0.66, 0.70, 0.30])
    lines = ExtractiveGenerator(settings).compose("Trước khi có AI, doanh nghiệp cá nhân hóa ra sao?", sources)
    assert lines == [f"{texts[0]} [1]"], lines


def _passage(number, name, lines, scores, bullets=True):
    """One retrieved chunk of `lines` (a sentence each, indent kept in the chunk), the sentences scored as given.

    Without `bullets`, a list item's sentence is its text after the "- ".
    """
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.types import Chunk, RetrievedChunk, Sentence

    body = "\n".join(lines)
    chunk = Chunk(id=name, text=body, source=f"{name}.md", start=0, end=len(body))
    sentences = []
    for i, (line, score) in enumerate(zip(lines, scores)):
        text = line.strip() if bullets else line.strip().removeprefix("- ")
        at = body.index(text)
        sentences.append(
            ScoredSentence(Sentence(f"{name}:{i}", name, text, chunk.source, at, at + len(text)), np.zeros(2), score)
        )
    return Source(number, RetrievedChunk(chunk, 1.0), sentences)


def _sources(texts, scores):
    """One retrieved chunk of `texts` (one sentence each), the sentences scored as given."""
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.types import Chunk, RetrievedChunk, Sentence

    body = "\n\n".join(texts)
    chunk = Chunk(id="c", text=body, source="a.txt", start=0, end=len(body))
    sentences = [
        ScoredSentence(Sentence(f"c:{i}", "c", t, "a.txt", body.index(t), body.index(t) + len(t)), np.zeros(2), s)
        for i, (t, s) in enumerate(zip(texts, scores))
    ]
    return [Source(1, RetrievedChunk(chunk, 1.0), sentences)]


@pytest.mark.parametrize(
    ("question", "scores", "first"),
    [
        ("What does the author invite readers to do at the end of the post?", [0.50, 0.30, 0.47], 2),
        ("Cuối bài, tác giả mời người đọc làm gì?", [0.50, 0.30, 0.47], 2),
        ("Bài blog kết thúc bằng lời mời người đọc làm gì?", [0.50, 0.30, 0.47], 2),
        ("What does the post end with?", [0.50, 0.30, 0.47], 2),
        ("What does the author invite readers to do, according to its introduction?", [0.47, 0.30, 0.50], 0),
        ("What does the author invite readers to do?", [0.50, 0.30, 0.47], 0),  # no place asked: by meaning
    ],
)
def test_a_place_in_the_article_asked_for_ranks_the_sentences_there_first(question, scores, first):
    import dataclasses

    from rag.sentence_ranking import ranked_sentences

    texts = [
        "Mời bạn đọc đăng ký nhận bản tin hằng tuần về AI tạo sinh.",
        "Bài viết phân tích cách doanh nghiệp ứng dụng AI tạo sinh vào chăm sóc khách hàng. " * 8,
        "Đặt lịch tư vấn để tìm hiểu sâu hơn về giải pháp phù hợp với bạn.",
    ]
    (source,) = _sources(texts, scores)
    length = source.hit.chunk.end
    chunk = dataclasses.replace(source.hit.chunk, metadata={"doc_chars": length})
    source = dataclasses.replace(source, hit=dataclasses.replace(source.hit, chunk=chunk))
    ranked = ranked_sentences([source], question)
    assert ranked[0][1].sentence.text == texts[first].strip(), [x.sentence.text[:30] for _, x in ranked]


@pytest.mark.parametrize(
    ("texts", "asked", "not_asked"),
    [
        (  # a quotation runs on to the sentence that names its speaker
            [
                "“Công nghệ đang thay đổi cách chúng ta làm việc và giao tiếp.",
                "AI còn giúp giải quyết thách thức thực tế…”, ông Đỗ Tiến Thịnh cho biết.",
                "Sự kiện thu hút 200 khách mời.",
            ],
            "Who said technology is changing how we work?",
            "Công nghệ đang thay đổi điều gì?",
        ),
        (  # a why question gets the reason the next sentence gives
            [
                "Claude giờ có lợi thế trong ba lĩnh vực: lập trình, viết lách và thương mại điện tử.",
                "Không phải vì thuật toán tốt hơn, mà vì dữ liệu tốt hơn.",
                "Tương lai thuộc về các hệ thống AI chuyên biệt.",
            ],
            "Vì sao Claude có lợi thế trong lập trình?",
            "Claude có lợi thế ở những lĩnh vực nào?",
        ),
    ],
)
def test_the_next_sentence_comes_with_the_best_when_it_holds_what_is_asked(texts, asked, not_asked):
    from rag.generators.extractive import pick_evidence

    sources = _sources(texts, [0.70, 0.40, 0.30])
    assert [x.sentence.text for _, x in pick_evidence(asked, sources)] == texts[:2]
    assert [x.sentence.text for _, x in pick_evidence(not_asked, sources)] == texts[:1]  # the best alone


EVENT = {
    "su_kien.md": "# Bài thu hoạch buổi chia sẻ về điện toán đám mây\n\n"
    "### Mục Đích\n\nSự kiện giới thiệu cách doanh nghiệp chuyển hạ tầng lên đám mây để giảm chi phí.\n\n"
    "### Diễn Giả\n\n"
    "1. **Trần Minh Quang** - Solutions Architect, Amazon Web Services\n"
    "2. **Lê Thu Hà** - Data Engineer, VNG Cloud\n"
    "3. **Phạm Đức Long** - DevOps Engineer, FPT Software\n\n"
    "### Bài Học Rút Ra\n\n"
    "1. **Di Chuyển Lên Cloud:**\n   - Tận dụng dịch vụ được quản lý thay vì tự dựng máy chủ\n"
    "   - Tính chi phí vận hành trước khi quyết định\n"
    "2. **Bảo Mật Dữ Liệu:**\n   - Mã hóa dữ liệu khi lưu trữ và khi truyền\n   - Phân quyền truy cập tối thiểu\n\n"
    "### Dịch Vụ Được Giới Thiệu\n\n**Tổng quan:**\n- Dịch vụ lưu trữ được quản lý hoàn toàn\n\n"
    "**Tính năng chính:**\n- Sao lưu tự động\n- Mã hóa mặc định\n- Tính phí theo dung lượng dùng\n\n"
    "### Trải Nghiệm\n\nCác diễn giả chia sẻ kinh nghiệm thực tế từ công việc của họ.\n",
}


@pytest.mark.parametrize(
    ("question", "lead", "count"),
    [
        ("Buổi chia sẻ về điện toán đám mây có mấy người lên chia sẻ?", "Có 3 người:", 3),
        ("How many speakers presented at the cloud computing session?", "There are 3 speakers:", 3),
        ("Bài thu hoạch rút ra mấy bài học?", "Có 2 bài học:", 2),
        # the question names the heading, not its noun: "### Bài Học Rút Ra"
        ("Bài thu hoạch đưa ra mấy điều về bài học rút ra?", "Có 2 điều:", 2),
        # a bold lead-in alone on its line opens the list ("**Tính năng chính:**" is no field with a value)
        ("Bài thu hoạch liệt kê mấy tính năng chính của dịch vụ lưu trữ?", "Có 3 tính năng:", 3),
        # in English, the thing counted goes by its Vietnamese name ("lessons": "### Bài Học Rút Ra")
        ("How many lessons does the cloud computing write-up draw?", "There are 2 lessons:", 2),
    ],
)
def test_how_many_is_answered_by_counting_the_list_when_no_number_is_stated(tmp_path, embedder, question, lead, count):
    answer = _answer_over(tmp_path, embedder, EVENT, question)
    assert answer.text.startswith(lead), answer.text
    assert answer.text.count("\n- ") == count, answer.text  # the counted items, top level only
    assert answer.sentences[0].references, "the count cites the list it counts"


PARTICIPANTS = {
    "ngay_hoi.md": "# Ngày hội AI tạo sinh\n\nNgày hội kết nối doanh nghiệp với các startup về trí tuệ nhân tạo.\n\n"
    "Các doanh nghiệp tham gia bao gồm Tập đoàn Sao Mai, Viện Năng lượng Miền Nam (VNL), Công ty Hoa Sen, "
    "và Nhà sách Cánh Diều.\n\nMức độ trưởng thành AI của doanh nghiệp được chia thành nhiều mức khác nhau.\n\n"
    "Doanh nghiệp ở mức thấp mới thử nghiệm; doanh nghiệp ở mức cao đã đưa AI vào vận hành.\n\n"
    "4 cấp độ trưởng thành AI: Từ “thử nghiệm” đến “vận hành”\n\nCấp độ 1: Thử nghiệm\n\nCấp độ 4: Vận hành\n",
}


@pytest.mark.parametrize("provider", ["extractive", "fake"])
def test_how_many_is_answered_by_the_sentence_that_states_the_count_or_by_counting_one_that_lists_them(
    tmp_path, embedder, provider
):
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, PARTICIPANTS, embedder)
    chain = _with(chain, FakeGenerator(chain.settings, ["Có nhiều. [1]"] * 2))
    answer = chain.answer("Ngày hội có bao nhiêu doanh nghiệp tham gia?", provider=provider)
    assert answer.text.startswith("Có 4 doanh nghiệp:"), answer.text
    assert "\n- Viện Năng lượng Miền Nam (VNL)" in answer.text and "\n- Nhà sách Cánh Diều" in answer.text, answer.text
    answer = chain.answer("Mức độ trưởng thành AI được chia thành mấy cấp độ?", provider=provider)
    assert answer.text.startswith("4 cấp độ trưởng thành AI"), answer.text
    assert len(answer.sentences) == 1, answer.text  # the count answers alone


def test_an_english_how_many_counts_what_the_vietnamese_sources_list(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, PARTICIPANTS, "How many companies took part in the generative AI day?")
    assert answer.text.startswith("There are 4 companies:"), answer.text
    assert "\n- Công ty Hoa Sen" in answer.text, answer.text


def test_vietnamese_forms_of_what_an_english_question_counts():
    from rag.glossary import vietnamese_forms

    assert vietnamese_forms("companies") == ("doanh nghiệp", "công ty")
    assert vietnamese_forms("Industries") == ("ngành",) and vietnamese_forms("criteria") == ("tiêu chí",)
    assert vietnamese_forms("businesses") == vietnamese_forms("business") and vietnamese_forms("startups") == ()


COVERED = {
    "khao_sat.md": "# Khảo sát khách hàng về AI tạo sinh\n\nKhảo sát được thực hiện với các nhà ra quyết định.\n\n"
    "## Phạm vi khảo sát\n\n- 12 ngành công nghiệp trọng điểm, bao gồm:\n  - Bán lẻ\n  - Ngân hàng\n"
    "  - Và nhiều ngành khác\n- Doanh nghiệp từ nhỏ đến rất lớn\n\nBộ khảo sát gồm hơn 40 câu hỏi.\n",
}


@pytest.mark.parametrize(
    "question", ["Khảo sát bao phủ bao nhiêu ngành?", "How many industries does the customer survey cover?"]
)
def test_a_count_stated_by_a_lead_in_comes_with_what_it_counts(tmp_path, embedder, question):
    answer = _answer_over(tmp_path, embedder, COVERED, question)
    assert answer.text.startswith("- 12 ngành công nghiệp trọng điểm, bao gồm:"), answer.text
    assert "\n  - Bán lẻ" in answer.text and "Và nhiều ngành khác" in answer.text, answer.text
    assert "40 câu hỏi" not in answer.text and "nhỏ đến rất lớn" not in answer.text, answer.text


def test_what_does_asks_for_no_list(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, EVENT, "What does moving infrastructure to the cloud help businesses do?")
    assert answer.text.startswith("Sự kiện giới thiệu cách doanh nghiệp chuyển hạ tầng"), answer.text
    assert "\n- " not in answer.text, answer.text  # "does" is no plural: the lessons' list is not asked for


BUYING_JOURNEY = {
    "khao_sat.md": "# Nghiên cứu khách hàng\n\n## Các lĩnh vực trọng tâm\n\n"
    "1. **Mức độ ứng dụng Generative AI**\n   - Xác định các nhà ra quyết định theo khu vực và ngành.\n"
    "   - Loại trừ những người không tham gia.\n\n"
    "2. **Hành trình mua hàng (Buying Journey)**\n   - Động cơ mua Generative AI.\n"
    "   - Quy trình ra quyết định và chân dung người mua.\n   - Ngân sách và mô hình định giá.\n\n"
    "3. **Các tiêu chí mua hàng chính**\n   - Tiêu chí lựa chọn:\n     - Nhà cung cấp mô hình\n"
    "     - Nền tảng triển khai\n     - Đối tác triển khai\n",
}


def test_an_english_question_names_a_list_item_by_its_english_gloss(tmp_path, embedder):
    # "What does X look into?" asks for what X holds; "(Buying Journey)" is how an English question names it
    answer = _answer_over(tmp_path, embedder, BUYING_JOURNEY, "What does the survey's buying journey area look into?")
    for item in ("Động cơ mua Generative AI", "Quy trình ra quyết định", "Ngân sách và mô hình định giá"):
        assert item in answer.text, answer.text
    assert "Tiêu chí lựa chọn" not in answer.text, answer.text


def test_a_list_of_speakers_does_not_count_the_audience(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, EVENT, "Buổi chia sẻ về điện toán đám mây có bao nhiêu người tham dự?")
    assert answer.refused, answer.text


def test_a_count_lead_in_holds_when_the_items_after_it_make_it_true(tmp_path, embedder):
    from conftest import indexed_chain

    from rag.grounding import ground

    chain = indexed_chain(tmp_path, EVENT, embedder)
    sources, _ = chain.sources_for("Who were the speakers?", None, None)
    names = ("Trần Minh Quang - Solutions Architect", "Lê Thu Hà - Data Engineer", "Phạm Đức Long - DevOps Engineer")
    items = "\n".join(f"- {name} [1]" for name in names)
    kept = ground(f"There are 3 speakers: [1]\n{items}", sources, embedder)
    assert kept[0].text == "There are 3 speakers:" and kept[0].sources, [g.text for g in kept]
    kept = ground(f"There are 4 speakers: [1]\n{items}", sources, embedder)  # a miscount is no answer
    assert [g.text for g in kept] == [g.text for g in kept if not g.text.startswith("There are")]


def test_what_a_how_many_question_counts():
    assert counted_noun("Bài thu hoạch rút ra mấy bài học?") == "bài học"
    assert counted_noun("How many speakers came?") == "speakers"
    assert counted_noun("Bao nhiêu phần trăm startup tập trung vào B2B?") is None  # a share, not a list
    assert counted_noun("What does the report cost?") is None
    assert counted_noun("Bài thu hoạch đề xuất mấy hướng áp dụng vào công việc?") == "hướng"  # "áp_dụng" is a word
    assert counted_noun("Có mấy diễn giả?") == "diễn giả"


BYLINE = {
    "bao_cao.md": "# Nghiên cứu khách hàng về AI tạo sinh\n\n"
    "**Tác giả:** Jacob Newton-Gladstein  \n**Ngày:** 04/03/2025  \n"
    "**Vai trò:** Trưởng nhóm Trung tâm AI tạo sinh cho đối tác  \n\n"
    "## Giới thiệu\n\nAWS công bố phiên bản thứ hai của báo cáo nghiên cứu khách hàng dành cho đối tác. "
    "Báo cáo cho biết hơn 90% khách hàng dự định hợp tác với đối tác trong ba năm tới.\n",
}


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Ai viết báo cáo nghiên cứu khách hàng này, và người đó giữ vai trò gì?", ["Newton-Gladstein", "Trưởng nhóm"]),
        ("When was the customer research report published?", ["04/03/2025"]),
    ],
)
def test_the_pages_byline_answers_who_wrote_it_and_when(tmp_path, embedder, question, wanted):
    answer = _answer_over(tmp_path, embedder, BYLINE, question)
    assert not answer.refused and all(w in answer.text for w in wanted), answer.text


CRITERIA = {
    "khao_sat.md": "# Khảo sát\n\n## Các tiêu chí mua hàng chính\n\n"
    "- Tiêu chí lựa chọn:\n  - Nhà cung cấp mô hình\n  - Nền tảng triển khai\n  - Đối tác triển khai\n"
    "- Nhận thức của khách hàng về nhà cung cấp dịch vụ đám mây.\n- Quyết định kiến trúc\n"
    "  - Chiến lược nhiều nhà cung cấp\n",
}


SURVEY_QUESTION = {
    "cau_hoi.md": "# Ví dụ câu hỏi khảo sát\n\n## Các tiêu chí mua hàng chính\n\n> **Câu hỏi:**\n"
    "> Khách hàng đánh giá mức độ quan trọng của các tiêu chí, ví dụ:\n> - Chuyên môn theo ngành\n"
    "> - Kinh nghiệm với AI tạo sinh\n> - Hỗ trợ sau triển khai\n\n**Nhận định cho đối tác:**\n\n"
    "- Thứ tự ưu tiên các tiêu chí giúp đối tác:\n  - Điều chỉnh giá trị đề xuất.\n  - Tối ưu mô hình định giá.\n",
}


@pytest.mark.parametrize(
    ("docs", "question", "wanted", "unwanted"),
    [
        # a lead-in that is an item opens only the items under it
        (
            CRITERIA,
            "Khảo sát hỏi về tiêu chí lựa chọn những bên nào?",
            ["Nhà cung cấp mô hình", "Đối tác triển khai"],
            ["Quyết định kiến trúc", "Nhận thức"],
        ),
        # a plain title after bulleted items starts the next section
        (
            {
                "cong_ty.md": "Dịch vụ của Sao Mai\n\nChúng tôi ứng dụng AI tạo sinh để:\n\n"
                "  • Phân tích dữ liệu khách hàng đa kênh.\n  • Phát triển trợ lý hội thoại.\n"
                "  • Tạo nội dung tiếp thị cá nhân hóa.\n\nLời kết\n\nAI tạo sinh là động cơ của trải nghiệm mới.\n"
            },
            "Sao Mai ứng dụng AI tạo sinh để làm những việc gì?",
            ["\n- Phát triển trợ lý hội thoại", "\n- Tạo nội dung tiếp thị cá nhân hóa"],
            ["Lời kết"],
        ),
        # a quoted list ("> - …") is a list, and the next lead-in ends it
        (
            SURVEY_QUESTION,
            "Khách hàng được hỏi đánh giá những tiêu chí nào?",
            ["\n- Chuyên môn theo ngành", "\n- Hỗ trợ sau triển khai"],
            ["> ", "giá trị đề xuất"],
        ),
    ],
)
def test_a_list_answer_holds_the_items_of_its_own_lead_in(tmp_path, embedder, docs, question, wanted, unwanted):
    answer = _answer_over(tmp_path, embedder, docs, question)
    assert all(w in answer.text for w in wanted), answer.text
    assert not any(u in answer.text for u in unwanted), answer.text


FOCUS_AREAS = {
    "nghien_cuu.md": "# Nghiên cứu khách hàng về AI tạo sinh\n\n## 2. Phạm vi\n\n"
    "Bộ khảo sát gồm hơn 60 câu hỏi, xoay quanh 7 lĩnh vực trọng tâm.\n\n"
    "## 3. Bảy lĩnh vực trọng tâm của nghiên cứu\n\n"
    + "\n".join(
        f"{i}. **{name}**\n   - {first}\n   - {second}\n"
        for i, (name, first, second) in enumerate(
            [
                ("Mức độ ứng dụng AI tạo sinh", "Xác định người ra quyết định.", "Loại trừ người không tham gia."),
                ("Hành trình mua hàng", "Động cơ mua.", "Ngân sách và mô hình định giá."),
                ("Các tiêu chí mua hàng chính", "Tiêu chí chọn nhà cung cấp mô hình.", "Nhận thức về đám mây."),
                ("Quyết định kiến trúc", "Nền tảng đang dùng.", "Chiến lược nhiều mô hình."),
                ("Khó khăn và cơ hội", "Tiến độ triển khai.", "Rủi ro chính."),
                ("Đối tác và gia công", "Vai trò của đối tác.", "Mức độ hài lòng với đối tác."),
                ("Phân tích theo use case", "Use case cấp phòng ban.", "Use case cấp doanh nghiệp."),
            ],
            start=1,
        )
    ),
}
AREAS = ["Mức độ ứng dụng AI tạo sinh", "Hành trình mua hàng", "Quyết định kiến trúc", "Phân tích theo use case"]


@pytest.mark.parametrize(
    "question", ["Nghiên cứu có 7 lĩnh vực trọng tâm nào?", "What are the seven focus areas of the study?"]
)
def test_a_numbered_sections_list_is_quoted_by_its_top_level_items(tmp_path, embedder, question):
    # "…có 7 lĩnh vực nào?" asks for a list; "## 3. Bảy lĩnh vực…" opens it; with every sub-item the
    # list would pass the item limit, so its top level is quoted.
    answer = _answer_over(tmp_path, embedder, FOCUS_AREAS, question)
    assert all(area in answer.text for area in AREAS), answer.text
    assert "Động cơ mua" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("Về quyết định kiến trúc, khảo sát tìm hiểu những gì?", []),
        (
            "Nó gồm những nội dung nào?",
            [
                {"role": "user", "content": "Lĩnh vực thứ tư trong bảy lĩnh vực trọng tâm là gì?"},
                {"role": "assistant", "content": "Quyết định kiến trúc. [1]"},
            ],
        ),
    ],
)
def test_a_list_item_the_question_names_is_answered_by_the_items_under_it(tmp_path, embedder, question, history):
    from conftest import indexed_chain

    answer = indexed_chain(tmp_path, FOCUS_AREAS, embedder).answer(question, history, provider="extractive")
    assert "\n  - Nền tảng đang dùng." in answer.text and "\n  - Chiến lược nhiều mô hình." in answer.text, answer.text
    assert "Động cơ mua" not in answer.text and "Hành trình mua hàng" not in answer.text, answer.text


@pytest.mark.parametrize(
    "question", ["Các cấp độ cá nhân hóa gồm những cấp độ nào?", "What are the three personalization levels?"]
)
def test_numbered_section_titles_are_a_list_with_prose_between_them(tmp_path, embedder, question):
    answer = _answer_over(tmp_path, embedder, LEVELS, question)
    for level in ("Cấp độ 1: Cá nhân hóa dựa trên thuộc tính", "Cấp độ 2:", "Cấp độ 3:"):
        assert f"\n- {level}" in answer.text or answer.text.startswith(f"- {level}"), answer.text


def test_numbered_titles_count_as_the_items_of_which_n():
    titles = ["Cấp độ 1: Theo thuộc tính", "Cấp độ 2: Theo hành vi", "Cấp độ 3: Theo ngữ cảnh"]
    assert enumeration_supported("What are the three levels?", titles)
    assert not enumeration_supported("What are the three levels?", ["Có 3 cấp độ cá nhân hóa."])


@pytest.mark.parametrize(
    ("question", "before", "wanted", "unwanted"),
    [
        (
            "Cấp độ tiếp theo thì sao?",
            "Cấp độ 1 là gì?",
            "Cấp độ 2: Cá nhân hóa dựa trên hành vi",
            ["Cấp độ 1", "Cấp độ 3"],
        ),
        (
            "Còn cấp độ cao nhất thì sao?",
            "Cấp độ 1 của cá nhân hóa là gì?",
            "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh",
            ["Cấp độ 1", "Cấp độ 2", "Cấp độ 4"],
        ),
        (  # the series named by its first word, or in English
            "Ở cấp cao nhất thì sao?",
            "Cấp độ 1 của cá nhân hóa là gì?",
            "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh",
            ["Cấp độ 1", "Cấp độ 2", "Cấp độ 4"],
        ),
        (
            "And what about the highest level?",
            "What is level 1 of personalization?",
            "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh",
            ["Cấp độ 1", "Cấp độ 2", "Cấp độ 4"],
        ),
        (
            "What is the next level?",
            "What is level 1 of personalization?",
            "Cấp độ 2: Cá nhân hóa dựa trên hành vi",
            ["Cấp độ 1", "Cấp độ 3"],
        ),
        (  # the one above, or below, the level the conversation was about
            "Thế còn cấp ngay trên nó thì dựa vào gì?",
            "Cấp độ 1 là gì?",
            "Cấp độ 2: Cá nhân hóa dựa trên hành vi",
            ["Cấp độ 1", "Cấp độ 3"],
        ),
        (
            "Còn mức dưới nó thì sao?",
            "Cấp độ 3 là gì?",
            "Cấp độ 2: Cá nhân hóa dựa trên hành vi",
            ["Cấp độ 1", "Cấp độ 3"],
        ),
        (
            "And the level right above it?",
            "What is level 2 of personalization?",
            "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh",
            ["Cấp độ 1", "Cấp độ 2"],
        ),
    ],
)
def test_a_place_in_a_numbered_series_is_answered_by_that_title(tmp_path, embedder, question, before, wanted, unwanted):
    from conftest import indexed_chain

    # another article numbers its own levels: its "Cấp độ 4" is not the highest of these
    other = {"an_ninh.txt": "Mức độ an ninh mạng\n\nCấp độ 4: Giám sát an ninh liên tục\n\nHệ thống ghi nhật ký.\n"}
    history = [{"role": "user", "content": before}, {"role": "assistant", "content": "Cá nhân hóa. [1]"}]
    answer = indexed_chain(tmp_path, {**LEVELS, **other}, embedder).answer(question, history, provider="extractive")
    assert answer.text.startswith(wanted), answer.text
    assert not any(u in answer.text for u in unwanted), answer.text


def test_what_one_of_a_numbered_series_holds_is_not_the_series(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, LEVELS, "Ở cấp độ cơ bản nhất, cá nhân hóa dựa vào những thông tin gì?")
    assert "tên, tuổi" in answer.text and "Cấp độ 3" not in answer.text, answer.text


USES = {
    "gia_tri.md": "# Giá trị cho đối tác\n\nBáo cáo mang lại chân dung khách hàng theo ngành.\n\n"
    "Đối tác có thể dùng dữ liệu này để:\n\n- Điều chỉnh sản phẩm và dịch vụ theo từng ngành.\n"
    "- Tối ưu thông điệp go-to-market.\n- Thiết kế gói giải pháp chuyên ngành.\n\n"
    "## Truy cập\n\nĐối tác có thể truy cập:\n\n- Báo cáo đầy đủ\n- Trung tâm đối tác (yêu cầu đăng nhập)\n",
}


def test_những_việc_gì_asks_for_a_list(tmp_path, embedder):
    answer = _answer_over(tmp_path, embedder, USES, "Đối tác có thể dùng dữ liệu của báo cáo để làm những việc gì?")
    for item in ("Điều chỉnh sản phẩm", "Tối ưu thông điệp", "Thiết kế gói giải pháp"):
        assert f"\n- {item}" in answer.text, answer.text


def test_a_question_naming_one_articles_author_is_not_answered_from_another():
    from conftest import article_source as source

    from rag.generators.extractive import pick_evidence

    sources = [
        source(
            1,
            "blog",
            "Tương lai thuộc về các hệ thống AI chuyên biệt có lợi thế dữ liệu.",
            0.60,
            {"author": "David Hajdu"},
        ),
        source(2, "su_kien", "Công nghệ đang thay đổi cách chúng ta tưởng tượng về tương lai.", 0.58, {}),
    ]
    named = pick_evidence("Theo David Hajdu, tương lai thuộc về hệ thống AI nào?", sources)
    assert [src.number for src, _ in named] == [1]
    unnamed = pick_evidence("Tương lai thuộc về hệ thống AI nào?", sources)
    assert [src.number for src, _ in unnamed] == [1, 2]


def test_a_question_across_the_sources_quotes_each_articles_view():
    from conftest import article_source as source

    from rag.generators.extractive import pick_evidence

    sources = [
        source(1, "su_kien", "Chuyển lên cloud giúp giảm chi phí so với xây hạ tầng mới từ đầu.", 0.60),
        source(2, "khao_sat", "Chi phí vẫn là yếu tố then chốt khi mở rộng quy mô workload.", 0.52),
        source(3, "quy", "Khoản đầu tư giúp startup giảm chi phí thử nghiệm mô hình.", 0.48),
        source(4, "blog", "Dữ liệu độc quyền là lợi thế bền vững của doanh nghiệp.", 0.40),
    ]
    across = pick_evidence("Các nguồn nói gì về chi phí khi đưa GenAI vào sử dụng?", sources)
    assert [src.number for src, _ in across] == [1, 2, 3]  # the fourth is too far from what is asked
    one = pick_evidence("Chi phí khi đưa GenAI vào sử dụng thì sao?", sources)
    assert [src.number for src, _ in one] == [1]


def test_an_article_whose_view_is_a_lead_in_is_quoted_with_its_items(settings):
    """Across the sources, another article's best sentence may be a lead-in: alone it says nothing (it was dropped)."""

    from rag.generators.extractive import ExtractiveGenerator

    blog = _passage(1, "blog", ["Họ kỳ vọng doanh nghiệp phải thấu hiểu sâu sắc, phục vụ đúng nhu cầu."], [0.55])
    survey = _passage(
        2,
        "khao_sat",
        [
            "- Kỳ vọng của khách hàng về vai trò của partner:",
            "  - Tư vấn chiến lược",
            "  - Triển khai kỹ thuật",
            "  - Vận hành & tối ưu sau triển khai",
        ],
        [0.45, 0.30, 0.28, 0.25],
        bullets=False,
    )
    lines = ExtractiveGenerator(settings).compose("Các tài liệu nói gì về kỳ vọng của khách hàng?", [blog, survey])
    text = "\n".join(lines)
    assert "[2]" in text, lines
    assert all(item in text for item in ("Tư vấn chiến lược", "Triển khai kỹ thuật", "Vận hành & tối ưu")), lines


def test_the_first_item_of_the_previous_answers_list_is_what_a_follow_up_asks_about(tmp_path, embedder):
    from conftest import indexed_chain

    docs = {
        "yeu_to.txt": "Những yếu tố quyết định\n\nChất lượng dữ liệu khách hàng\n\n"
        "“Nhiên liệu” càng tốt, GenAI càng “thông minh”.\n\nKhả năng của mô hình\n\n"
        "Mô hình lớn được huấn luyện trên bộ dữ liệu khổng lồ hiểu ngôn ngữ tốt hơn.\n\n"
        "Mức độ tích hợp hệ thống\n\nGenAI cần được kết nối với CRM và CDP để có cái nhìn 360 độ.\n",
    }
    history = [
        {"role": "user", "content": "Những yếu tố nào quyết định độ sâu cá nhân hóa?"},
        {
            "role": "assistant",
            "content": "Chất lượng dữ liệu khách hàng, khả năng của mô hình và mức độ tích hợp hệ thống.",
        },
    ]
    chain = indexed_chain(tmp_path, docs, embedder)
    answer = chain.answer("Yếu tố đầu tiên được ví như gì?", history, provider="extractive")
    assert "Nhiên liệu" in answer.text and "CRM" not in answer.text, answer.text


def test_a_lead_in_quoted_with_some_of_its_items_brings_the_whole_list_in_order(settings):
    from rag.generators.extractive import ExtractiveGenerator

    texts = [
        "Trước khi có GenAI, đa phần doanh nghiệp cá nhân hóa bằng:",
        "• Phân khúc khách hàng: chia nhóm theo tuổi, giới tính.",
        "• Gợi ý theo quy tắc: ai mua A sẽ thích B.",
        "• Email marketing tùy chỉnh đơn giản: chèn tên khách.",
        "Các cách này giúp vượt bước tiếp cận đại trà.",
    ]
    sources = _sources(texts, [0.497, 0.469, 0.490, 0.499, 0.30])  # the items outscore one another unevenly
    lines = ExtractiveGenerator(settings).compose("How did businesses personalize before GenAI?", sources)
    assert lines == [f"{texts[0]} [1]", *(f"- {t.removeprefix('• ')} [1]" for t in texts[1:4])], lines


FACTOR_SECTIONS = [
    "Độ sâu cá nhân hóa phụ thuộc vào nhiều yếu tố quan trọng:",
    "Chất lượng dữ liệu khách hàng",
    "Dữ liệu đầy đủ và chính xác là nền tảng không thể thiếu.",
    "Khả năng của mô hình",
    "Mô hình lớn hiểu ngôn ngữ và ngữ cảnh tốt hơn.",
    "Mức độ tích hợp hệ thống",
    "GenAI cần được kết nối với CRM và CDP.",
    "Hiệu quả vận hành AI Agent mang lại",  # an image's caption
    "Filum.ai tiên phong siêu cá nhân hóa tại Việt Nam",  # the next section's title
    "Filum.ai xác định tương lai CX là siêu cá nhân hóa.",
]


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Có mấy yếu tố quyết định độ sâu cá nhân hóa?", "Có 3 yếu tố: [1]"),
        ("Độ sâu cá nhân hóa phụ thuộc vào những yếu tố nào?", f"{FACTOR_SECTIONS[0]} [1]"),
    ],
)
def test_title_lines_explained_by_prose_end_where_two_titles_follow_each_other(settings, question, lead):
    from rag.generators.extractive import ExtractiveGenerator

    scores = [0.6, 0.5, 0.4, 0.45, 0.3, 0.45, 0.3, 0.2, 0.2, 0.1]
    lines = ExtractiveGenerator(settings).compose(question, _sources(FACTOR_SECTIONS, scores))
    assert lines == [lead, *(f"- {t}. [1]" for t in FACTOR_SECTIONS[1:7:2])], lines


SPEAKERS_AND_VIEWS = [
    "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software",
    "2. **Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud",
    "3. **Đinh Lê Hoàng Anh** - Cloud Engineer Trainee, First Cloud AI Journey",
    "- **Góc Nhìn DevOps**: Hiểu về thách thức hạ tầng từ một senior DevOps engineer",
    "- **Quan Điểm AI Engineering**: Tìm hiểu sâu về Gen AI và foundation models từ góc nhìn của một AI engineer",
    "- **Góc Nhìn Trainee**: Quan điểm mới về cloud engineering và hành trình học tập",
]


@pytest.mark.parametrize(
    ("question", "said", "view"),
    [
        ("Người tham dự học được gì từ góc nhìn của anh ấy?", "Đó là Đặng Hoàng Hiếu Nghĩa, AI Engineer.", 4),
        ("Diễn giả Lâm Tuấn Kiệt mang lại góc nhìn gì?", "", 3),
        ("Diễn giả đến từ First Cloud AI Journey chia sẻ góc nhìn gì?", "", 5),
    ],
)
def test_what_a_person_brought_is_found_by_the_role_the_text_gives_them(question, said, view):
    """The write-up speaks of each speaker by role ("từ góc nhìn của một AI engineer"), not by name."""
    from rag.generators.extractive import pick_evidence

    sources = _sources(SPEAKERS_AND_VIEWS, [0.40, 0.42, 0.41, 0.45, 0.44, 0.50])  # the trainee's view scores best
    picked = pick_evidence(question, sources, bool(said), said)
    assert picked[0][1].sentence.text == SPEAKERS_AND_VIEWS[view], [x.sentence.text for _, x in picked]


def test_a_lead_in_that_alone_gives_the_year_asked_is_quoted_as_a_sentence(settings):
    from conftest import article_source as source

    from rag.generators.extractive import ExtractiveGenerator

    sources = [
        source(1, "xu_huong", "So với nghiên cứu năm **2023**:", 0.51),
        source(2, "gioi_thieu", "Hơn 90% khách hàng dự định hợp tác với đối tác trong vòng 3 năm tới.", 0.49),
    ]
    generator = ExtractiveGenerator(settings)
    year = generator.compose("Nghiên cứu trước đó được thực hiện năm nào?", sources)
    assert year[0] == "So với nghiên cứu năm 2023. [1]", year
    other = generator.compose("Khách hàng dự định gì với đối tác?", sources)  # the lead-in alone says nothing
    assert other == [f"{sources[1].sentences[0].sentence.text} [2]"], other


def test_a_follow_up_that_names_a_lead_in_with_the_conversation_gets_its_items():
    """ "Doanh nghiệp nên tận dụng nó như thế nào?" after "Amazon Bedrock là gì?" names "Tận Dụng Amazon Bedrock:"."""
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.generators.extractive import pick_evidence
    from rag.types import Chunk, RetrievedChunk, Sentence

    lines = [
        "Amazon Bedrock là một dịch vụ được quản lý hoàn toàn, giúp truy cập foundation models qua API.",
        "Tìm hiểu về các ứng dụng thực tế của Amazon Bedrock trong môi trường doanh nghiệp.",
        "3. **Tận Dụng Amazon Bedrock:**",
        "   - Đánh giá Amazon Bedrock để truy cập foundation models",
        "   - Tích hợp nguồn dữ liệu nội bộ với Bedrock để tăng cường output",
        "   - Phát triển workflows kết hợp thông tin nội bộ với nội dung do AI tạo ra",
    ]
    body = "\n".join(lines)
    chunk = Chunk(id="c", text=body, source="a.txt", start=0, end=len(body))
    sentences = []
    for i, (line, score) in enumerate(zip(lines, [0.55, 0.56, 0.30, 0.32, 0.35, 0.31])):
        text = line.strip()
        at = body.index(text)
        sentences.append(ScoredSentence(Sentence(f"c:{i}", "c", text, "a.txt", at, at + len(text)), np.zeros(2), score))
    sources = [Source(1, RetrievedChunk(chunk, 1.0), sentences)]
    said = "Dịch vụ được quản lý hoàn toàn giúp truy cập foundation models qua API."
    picked = pick_evidence("Doanh nghiệp nên tận dụng nó như thế nào?", sources, True, said, "Amazon Bedrock là gì?")
    assert [x.sentence.text for _, x in picked[:4]] == [line.strip() for line in lines[2:]], picked


def test_a_list_question_that_names_a_lead_in_gets_its_items_however_low_the_lead_in_ranks():
    """ "Những bài học nào về tối ưu chi phí?" names "4. **Tối Ưu Hóa Chi Phí:**" ("-hóa" unsaid), ranked
    below eight items of other lists that speak of costs."""
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.generators.extractive import pick_evidence
    from rag.types import Chunk, RetrievedChunk, Sentence

    lines = [
        "1. **Chiến Lược Cloud Migration:**",
        "   - Thay vì đầu tư lớn vào hạ tầng mới, các tổ chức có thể tận dụng dịch vụ cloud",
        "   - Công nghệ cloud cung cấp giải pháp tiết kiệm chi phí cho việc hiện đại hóa",
        "   - Hạ tầng cloud tiết kiệm chi phí vận hành",
        "4. **Tối Ưu Hóa Chi Phí:**",
        "   - Cloud migration có thể giảm đáng kể chi phí hạ tầng",
        "   - Không cần đầu tư lớn ban đầu cho việc phát triển nền tảng mới",
        "   - Mô hình pay-as-you-go cung cấp sự linh hoạt tài chính",
        "5. **Phân Tích Chi Phí-Lợi Ích:**",
        "   - Thực hiện phân tích chi phí kỹ lưỡng trước các quyết định hiện đại hóa",
        "   - Cân nhắc giải pháp cloud thay cho việc xây dựng từ đầu",
        "   - Tính đến khả năng mở rộng và chi phí vận hành",
        "   - So sánh chi phí xây dựng hạ tầng mới với cloud migration",
        "   - Đánh giá chi phí ẩn của hạ tầng cũ",
    ]
    scores = [0.30, 0.40, 0.43, 0.42, 0.34, 0.46, 0.41, 0.39, 0.35, 0.45, 0.44, 0.44, 0.43, 0.42]
    body = "\n".join(lines)
    chunk = Chunk(id="c", text=body, source="a.txt", start=0, end=len(body))
    sentences = []
    for i, (line, score) in enumerate(zip(lines, scores)):
        text = line.strip()
        at = body.index(text)
        sentences.append(ScoredSentence(Sentence(f"c:{i}", "c", text, "a.txt", at, at + len(text)), np.zeros(2), score))
    sources = [Source(1, RetrievedChunk(chunk, 1.0), sentences)]
    picked = pick_evidence("Bài thu hoạch có những bài học nào về tối ưu chi phí?", sources)
    assert [x.sentence.text for _, x in picked] == [line.strip() for line in lines[4:8]], picked


@pytest.mark.parametrize(
    "question", ["Về mức độ trưởng thành, AWS hỏi khách hàng điều gì?", "What question does the survey ask?"]
)
def test_what_was_asked_is_answered_by_the_question_quoted_not_by_what_was_concluded(settings, question):
    from rag.generators.extractive import ExtractiveGenerator

    texts = [
        "- Xác định chức năng nào đã trưởng thành và chức năng nào còn ở giai đoạn rất sớm.",
        "> “Công ty của bạn đã tiến bao xa trong hành trình triển khai Generative AI ở từng chức năng sau?”",
        "Bộ khảo sát gồm hơn 60 câu hỏi.",
    ]
    lines = ExtractiveGenerator(settings).compose(question, _sources(texts, [0.56, 0.50, 0.45]))
    assert lines[0].startswith("“Công ty của bạn"), lines


def test_a_count_is_the_length_of_the_list_whose_items_answer_whatever_its_lead_in_calls_them(settings):
    from rag.generators.extractive import ExtractiveGenerator

    texts = [
        "Các cách này giúp vượt bước tiếp cận đại trà, nhưng còn nhiều giới hạn:",
        "• Tính cá nhân hóa mới chỉ chạm bề mặt.",
        "• Không thể mở rộng cá nhân hóa sâu rộng bằng thủ công.",
        "• Nội dung thiếu sự linh hoạt, dễ trở thành spam.",
        "GenAI mang lại bước nhảy vọt với năng lực mới.",
    ]
    lines = ExtractiveGenerator(settings).compose(
        "Bài viết nêu mấy hạn chế của cá nhân hóa truyền thống?", _sources(texts, [0.63, 0.67, 0.65, 0.64, 0.40])
    )
    assert lines[0] == "Có 3 hạn chế: [1]" and len(lines) == 4, lines


ROLES = {
    "su_kien.txt": "GenAI Open Innovation\n\nBà Laura Nguyễn, Giám đốc Quỹ GenAI Fund, nhận xét: “Sự kiện đã "
    "kết nối doanh nghiệp và startup.”\n\nSự kiện ra mắt đã thu hút 200 khách mời.\n",
    "dien_gia.md": "# Diễn giả\n\n1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software\n"
    "2. **Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud\n"
    "3. **Đinh Lê Hoàng Anh** - Cloud Engineer Trainee, First Cloud AI Journey\n",
}


def test_a_model_is_not_asked_for_a_role_no_quoted_sentence_gives(tmp_path, embedder):
    """Another article's "Giám đốc" does not let a model name Renova Cloud's CEO from a speaker line."""
    reply = "Giám đốc điều hành của Renova Cloud là Đặng Hoàng Hiếu Nghĩa. [1]"
    answer = _answer_over(tmp_path, embedder, ROLES, "Ai là giám đốc điều hành của Renova Cloud?", reply)
    assert answer.refused and not answer.references, answer.text


def test_a_section_title_comes_with_the_sentence_that_explains_it():
    from rag.generators.extractive import pick_evidence
    from rag.passages import clean

    texts = [
        "Cấp độ 4: Cá nhân hóa tiên đoán và chủ động",
        "GenAI dự đoán nhu cầu trước khi khách nhận ra.",
        "Cấp độ 5: Theo cảm xúc",
    ]
    picked = pick_evidence("Cấp độ 4 của cá nhân hóa là gì?", _sources(texts, [0.70, 0.50, 0.45]))
    assert [x.sentence.text for _, x in picked] == texts[:2]
    # a title ending in a quotation still ends as a sentence, so the next one does not run on from it
    assert (
        clean("5 cấp độ: Từ “gọi đúng tên” đến “thấu hiểu tâm can”")
        == "5 cấp độ: Từ “gọi đúng tên” đến “thấu hiểu tâm can”."
    )
    assert clean("Ông nói: “Tốt.”") == "Ông nói: “Tốt.”"


def test_a_small_model_does_not_retell_a_list_the_sources_give(tmp_path, embedder):
    # Retelling a list, a 1.5B model drops items and invents others; the list is quoted instead.
    reply = "Đối tác nhận được bộ dữ liệu theo ngành [1] và bộ công cụ huấn luyện mô hình riêng [1]."
    answer = _answer_over(tmp_path, embedder, NESTED_LIST, "Đối tác nhận được những tài liệu đi kèm nào?", reply)
    assert "công cụ huấn luyện" not in answer.text and "Tài liệu chi tiết về use case" in answer.text, answer.text
    assert answer.provider == "extractive" and "quoted" in answer.notice


TWO_ATTACHMENTS = {
    "tai_lieu.md": "# Báo cáo cho đối tác\n\n## Tài liệu đi kèm\n\n"
    "Ngoài báo cáo chính, đối tác nhận được các tài liệu đi kèm sau đây cho việc triển khai:\n\n"
    "- Bộ dữ liệu theo ngành cho từng thị trường\n- Tài liệu chi tiết về use case\n",
}


def test_a_small_models_answer_that_leaves_out_an_item_of_a_short_list_gets_the_list(tmp_path, embedder):
    # Two items are no list to quote instead of the model (that takes three), so the model answers and
    # the item it left out is added from the quote.
    reply = (
        "Ngoài báo cáo chính, đối tác nhận được các tài liệu đi kèm sau đây cho việc triển khai: "
        "bộ dữ liệu theo ngành cho từng thị trường [1]."
    )
    answer = _answer_over(tmp_path, embedder, TWO_ATTACHMENTS, "Đối tác nhận được những tài liệu đi kèm nào?", reply)
    assert answer.provider == "fake" and "Tài liệu chi tiết về use case" in answer.text, answer.text


def test_a_count_holds_for_a_list_that_runs_on_into_its_articles_next_chunk():
    from rag.generators.base import Source
    from rag.grounding import AnswerPart, GroundedSentence, _counted_by
    from rag.types import Chunk, RetrievedChunk

    def chunk(number, name, source):
        return Source(number, RetrievedChunk(Chunk(id=name, text="…", source=source, start=0, end=1), 1.0), [])

    by_number = {1: chunk(1, "a0", "filum.txt"), 2: chunk(2, "a1", "filum.txt"), 3: chunk(3, "b0", "blog.txt")}
    lead = AnswerPart("Có 3 yếu tố:", [1], False)

    def items(*numbers):
        return [GroundedSentence(f"Yếu tố {i}", [n], {n: f"Yếu tố {i}"}, True) for i, n in enumerate(numbers)]

    held = _counted_by(lead, 3, items(1, 1, 2), by_number)  # the list goes on in the article's next chunk
    assert held is not None and held.sources == [1]
    assert _counted_by(lead, 3, items(1, 1, 3), by_number) is None  # items from two articles are two lists
    assert _counted_by(lead, 2, items(1, 1, 2), by_number) is None


def test_a_list_stops_where_the_articles_text_was_not_retrieved():
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.lists import list_block
    from rag.types import Chunk, RetrievedChunk, Sentence

    def chunk(number, start, lines):
        sentences, at = [], start
        for line in lines:
            sentences.append(
                ScoredSentence(Sentence(f"a:{at}", f"c{number}", line, "a.txt", at, at + len(line)), np.zeros(2), 0.5)
            )
            at += len(line) + 1
        text = "\n".join(lines)
        return Source(
            number, RetrievedChunk(Chunk(f"c{number}", text, "a.txt", start, start + len(text)), 1.0), sentences
        )

    first = chunk(
        1, 0, ["Độ sâu cá nhân hóa phụ thuộc vào các yếu tố:", "- Dữ liệu khách hàng", "- Khả năng của mô hình"]
    )
    # the chunk after the next one: what stands between them (more factors, the list's end) is unknown
    later = chunk(2, 400, ["- Ưu đãi cuối năm", "- Quà tặng kèm"])
    block = list_block([(first, first.sentences[0])], [first, later], "Những yếu tố nào?")
    assert [x.sentence.text for _, x in block] == [s.sentence.text for s in first.sentences]
    adjacent = chunk(
        3, first.hit.chunk.end + 2, ["- Thiết kế prompt", "- Tích hợp hệ thống"]
    )  # only a blank line between
    block = list_block([(first, first.sentences[0])], [first, adjacent], "Những yếu tố nào?")
    assert len(block) == 5


SAO_BANG = {
    "quy.md": "# Quỹ Sao Băng mở rộng chương trình kết nối startup\n\n"
    "Quỹ Sao Băng vừa tổ chức ngày hội kết nối doanh nghiệp và startup tại Hà Nội.\n\n"
    "Bà Mai Lan Trần, Giám đốc Quỹ Sao Băng, nhận xét: “Ngày hội đã chứng minh tiềm năng hợp tác giữa "
    "doanh nghiệp và startup trong nhiều ngành. Với nguồn vốn mới, chúng tôi cam kết mở rộng chương trình ra "
    "toàn khu vực để trao quyền cho các nhà sáng lập trẻ.”\n\n"
    "Sự kiện thu hút 150 khách mời từ các ngân hàng và công ty bán lẻ.\n",
}


def test_who_says_it_does_not_pick_the_sentence_that_names_them(tmp_path, embedder):
    # "Theo bà Mai Lan Trần, …" picks the article; the byline sentence of her quote does not answer what
    # the fund commits to
    answer = _answer_over(tmp_path, embedder, SAO_BANG, "Theo bà Mai Lan Trần, Quỹ Sao Băng cam kết làm gì tiếp theo?")
    assert "cam kết mở rộng chương trình" in answer.text, answer.text


EXPANSION = {
    "mo_rong.txt": "Sự kiện ra mắt đã thu hút 200 khách mời được chọn lọc kỹ lưỡng. Quỹ GenAI đã công bố kế hoạch "
    "mở rộng sáng kiến này với 10 chương trình GenAI Open Innovation nữa trên khắp Đông Nam Á, bắt đầu với "
    "Malaysia và Singapore trong Quý 1 năm 2025.\n",
    "claude.txt": "Amazon đầu tư 4 tỷ đô la vào Anthropic.\n",
}


def test_a_long_follow_up_that_names_no_subject_is_searched_again_with_the_conversation(tmp_path, embedder):
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, EXPANSION, embedder)
    question = "Bắt đầu từ những nước nào và khi nào?"  # nine words, no "nó": it looks standalone
    alone = chain.answer(question, [], provider="extractive")
    assert alone.refused  # alone it says too little to find anything
    history = [
        {"role": "user", "content": "Quỹ GenAI có kế hoạch mở rộng GenAI Open Innovation như thế nào?"},
        {"role": "assistant", "content": "Quỹ GenAI công bố 10 chương trình GenAI Open Innovation nữa."},
    ]
    answer = chain.answer(question, history, provider="extractive")
    assert not answer.refused and "Malaysia và Singapore trong Quý 1 năm 2025" in answer.text, answer.text


def test_a_lead_in_counts_what_it_lists_not_the_subject_that_introduces_them():
    from rag.lists import counted_list

    texts = [
        "Khách hàng đánh giá mức độ quan trọng của các tiêu chí, ví dụ:",
        "- Chuyên môn theo ngành",
        "- Kinh nghiệm với Generative AI",
        "- Hỗ trợ sau triển khai",
    ]
    sources = _sources(texts, [0.60, 0.50, 0.50, 0.50])
    # the items are criteria: "Có 3 khách hàng:" would be a number the sources never give
    assert counted_list("Báo cáo khảo sát bao nhiêu khách hàng?", sources, []) is None
    counted = counted_list("Khách hàng đánh giá mấy tiêu chí?", sources, [])
    assert counted is not None and counted[0] == "tiêu chí" and len(counted[2]) == 3, counted


def test_a_bylines_field_about_its_author_answers_only_a_question_about_the_author():
    from rag.sentence_ranking import ranked_sentences

    texts = [
        "**Tác giả:** Jacob Newton-Gladstein",
        "**Vai trò:** Trưởng nhóm Trung tâm Generative AI Xuất sắc dành cho Đối tác Toàn cầu",
        "Đối tác AWS đóng vai trò trung tâm trong việc hiện thực hóa giá trị kinh doanh từ Generative AI.",
    ]
    sources = _sources(texts, [0.30, 0.60, 0.55])
    first = ranked_sentences(sources, "What role do AWS partners play in generative AI?")[0][1].sentence.text
    assert first.startswith("Đối tác AWS"), first  # "role" is not the author's "Vai trò"
    first = ranked_sentences(sources, "Jacob Newton-Gladstein giữ vai trò gì?")[0][1].sentence.text
    assert first.startswith("**Vai trò:**"), first
    # a follow-up points back to the author its conversation named
    history = "Who wrote the AWS customer research blog post? Jacob Newton-Gladstein."
    first = ranked_sentences(sources, "What is his role?", conversation=history)[0][1].sentence.text
    assert first.startswith("**Vai trò:**"), first


def test_what_is_his_role_asks_for_no_list():
    from rag.generators.extractive import _asks_for_list

    assert not _asks_for_list("What is his role?")
    assert not _asks_for_list("What is this company's focus?")
    assert _asks_for_list("What industries does the survey cover?")


AGENT = {
    "filum.txt": "Filum.ai đồng hành cùng doanh nghiệp Việt trên hành trình kiến tạo trải nghiệm khách hàng.\n\n"
    "AI Agent tích hợp GenAI nhận biết cảm xúc khách, điều chỉnh giọng điệu và hỏi thăm nhu cầu cá nhân.\n\n"
    "Filum.ai xác định tương lai của trải nghiệm khách hàng là siêu cá nhân hóa.\n",
}


def test_who_says_it_picks_the_article_not_the_sentence(tmp_path, embedder):
    answer = _answer_over(
        tmp_path, embedder, AGENT, "How does Filum.ai say an AI agent reacts when it picks up a customer's emotions?"
    )
    assert answer.text.startswith("AI Agent tích hợp GenAI nhận biết cảm xúc khách"), answer.text


@pytest.mark.parametrize(
    ("question", "weight"),
    [
        ("According to Filum.ai, how does an AI agent react to emotions?", "unnamed_weight_attributed"),
        ("How does an AI agent from Filum.ai react to emotions?", "unnamed_weight"),
    ],
)
def test_a_question_that_says_who_says_it_scores_sentences_mostly_by_what_it_asks(tmp_path, embedder, question, weight):
    import numpy as np
    from conftest import indexed_chain

    from rag.grounding import what_is_asked

    chain = indexed_chain(tmp_path, AGENT, embedder)
    sources, _ = chain.sources_for(question, None, None, question=question)
    w = getattr(chain.settings.retrieval, weight)
    asked = embedder.embed_queries([what_is_asked(question)])[0]
    scored = [x for s in sources for x in s.sentences]
    assert scored and chain.settings.retrieval.unnamed_weight_attributed > chain.settings.retrieval.unnamed_weight
    for x in scored:
        assert x.score == pytest.approx((1 - w) * x.relevance + w * float(np.dot(x.vector, asked)), abs=1e-4)


def test_the_chain_retrieves_as_hoidap_retrieve_does(tmp_path, embedder):
    """The part of the question without its names is read within the question's run for retrieval (as
    `hoidap retrieve` and `hoidap eval` read it), though the sentences are scored by it embedded alone."""
    import numpy as np
    from conftest import indexed_chain

    from rag.embeddings import embed_with_part
    from rag.grounding import what_is_asked

    question = "According to Filum.ai, how does an AI agent react to emotions?"
    chain = indexed_chain(tmp_path, AGENT, embedder)
    handed: dict = {}
    retrieve = chain.retriever.retrieve

    def spy(texts, **kwargs):
        handed.update(kwargs["embedded"])
        return retrieve(texts, **kwargs)

    chain.retriever.retrieve = spy
    sources, _ = chain.sources_for(question, None, None, question=question)
    part = what_is_asked(question)
    whole, pooled = embed_with_part(embedder, question, part)
    alone = embedder.embed_queries([part])[0]
    assert float(np.dot(pooled, alone)) < 0.999  # the two readings differ, so the check below can fail
    assert np.allclose(handed[part], pooled, atol=1e-5) and np.allclose(handed[question], whole, atol=1e-5)
    assert [s.hit.chunk.id for s in sources] == [h.chunk.id for h in retrieve(question)]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Lĩnh vực trọng tâm đầu tiên của nghiên cứu là gì?", "1. **Mức độ ứng dụng Generative AI**"),
        ("Lĩnh vực trọng tâm thứ hai của nghiên cứu là gì?", "2. **Hành trình mua hàng**"),
        ("Lĩnh vực trọng tâm cuối cùng của nghiên cứu là gì?", "3. **Các tiêu chí mua hàng chính**"),
    ],
)
def test_an_item_asked_for_by_its_place_in_a_list_the_question_names(question, answer):
    from rag.generators.extractive import pick_evidence

    texts = [
        "## 3. Bảy lĩnh vực trọng tâm của nghiên cứu",
        "1. **Mức độ ứng dụng Generative AI**",
        "2. **Hành trình mua hàng**",
        "3. **Các tiêu chí mua hàng chính**",
        "Bộ khảo sát gồm hơn 60 câu hỏi, xoay quanh 7 lĩnh vực trọng tâm của nghiên cứu.",
    ]
    picked = pick_evidence(question, _sources(texts, [0.40, 0.35, 0.35, 0.35, 0.60]))
    assert [x.sentence.text for _, x in picked] == [answer], picked


def _indented_sources(lines, scores):
    """One chunk of `lines` kept with their indentation; each sentence is a line's text, scored as given."""
    import numpy as np

    from rag.generators.base import ScoredSentence, Source
    from rag.types import Chunk, RetrievedChunk, Sentence

    body = "\n".join(lines)
    chunk = Chunk(id="c", text=body, source="a.txt", start=0, end=len(body))
    sentences, at, section = [], 0, ""
    for i, (line, score) in enumerate(zip(lines, scores)):
        text = line.strip()
        start = body.index(text, at)
        section = text.lstrip("# ") if text.startswith("#") else section  # (a heading stands under itself)
        sentence = Sentence(f"c:{i}", "c", text, "a.txt", start, start + len(text), section=section)
        sentences.append(ScoredSentence(sentence, np.zeros(2), score))
        at = start + len(text)
    return [Source(1, RetrievedChunk(chunk, 1.0), sentences)]


def test_items_of_one_nested_list_bring_the_whole_list_and_the_condition_above_it():
    from rag.generators.extractive import pick_evidence

    lines = [
        "**Nhận định cho đối tác:**",
        "- Nếu **mức ảnh hưởng cao**:",
        "  - Cơ hội mở rộng:",
        "    - Dịch vụ tư vấn chiến lược",
        "    - Thiết kế kiến trúc",
        "- Nếu **mức ảnh hưởng thấp**:",
        "  - Tín hiệu cần:",
        "    - Nâng cấp **chuyên môn kỹ thuật**",
        "    - Xây dựng **thought leadership**",
        "    - Chủ động dẫn dắt khách hàng trong lộ trình AI",
    ]
    sources = _indented_sources(lines, [0.30, 0.40, 0.30, 0.35, 0.30, 0.45, 0.40, 0.55, 0.45, 0.56])
    quoted = [x.sentence.text for _, x in pick_evidence("Nếu đối tác ít có tiếng nói thì nên làm gì?", sources)]
    assert quoted[:5] == [line.strip() for line in lines[5:]], quoted
    assert "Dịch vụ tư vấn chiến lược" not in " ".join(quoted)


def test_a_list_quoted_under_its_lead_in_is_counted():
    from rag.generators.extractive import pick_evidence
    from rag.lists import counted_list

    lines = [
        "Các cách này giúp vượt bước tiếp cận đại trà, nhưng còn nhiều giới hạn:",
        "  • Tính cá nhân hóa mới chỉ “chạm bề mặt”, chưa hiểu động cơ.",
        "  • Không thể mở rộng cá nhân hóa sâu rộng bằng thủ công.",
        "  • Nội dung thiếu sự linh hoạt, cảm xúc.",
        "GenAI mang lại bước nhảy vọt.",
    ]
    sources = _indented_sources(lines, [0.40, 0.55, 0.52, 0.50, 0.30])
    question = "Bài viết nêu mấy hạn chế của cách cá nhân hóa truyền thống?"
    quoted = pick_evidence(question, sources)
    assert quoted[0][1].sentence.text == lines[0], quoted  # the list, under its lead-in
    counted = counted_list(question, sources, quoted)
    assert counted is not None and len(counted[2]) == 3, counted


def test_a_lead_in_is_named_whether_or_not_its_hoa_is_said():
    from rag.lists import names_title

    assert names_title("Còn những bài học nào về tối ưu chi phí?", "4. **Tối Ưu Hóa Chi Phí:**")
    assert names_title("tối ưu hóa chi phí nói gì?", "4. **Tối Ưu Hóa Chi Phí:**")
    assert not names_title("chi phí nói gì?", "4. **Tối Ưu Hóa Chi Phí:**")


def test_a_follow_up_gets_the_list_its_own_words_name_not_one_the_previous_answer_named():
    from rag.generators.extractive import pick_evidence

    lines = [
        "3. **Lợi Ích Của Amazon Bedrock:**",
        "   - Truy cập nhiều foundation models qua một API",
        "   - Giảm gánh nặng vận hành",
        "",
        "4. **Tối Ưu Hóa Chi Phí:**",
        "   - Cloud migration giảm đáng kể chi phí hạ tầng",
        "   - Mô hình pay-as-you-go linh hoạt về tài chính",
    ]
    sources = _indented_sources([x for x in lines if x], [0.70, 0.68, 0.66, 0.45, 0.44, 0.43])
    said = "Lợi ích của Amazon Bedrock và tối ưu hóa chi phí."
    quoted = pick_evidence("tối ưu hóa chi phí nói gì?", sources, True, said, "Có những bài học nào?")
    assert quoted[0][1].sentence.text == "4. **Tối Ưu Hóa Chi Phí:**", [x.sentence.text for _, x in quoted]


def test_which_speakers_is_answered_by_the_list_of_named_people():
    from rag.generators.extractive import pick_evidence

    lines = [
        "### Diễn Giả",
        "1. **Lâm Tuấn Kiệt** - Senior DevOps Engineer, FPT Software",
        "2. **Đặng Hoàng Hiếu Nghĩa** - AI Engineer, Renova Cloud",
        "### Áp Dụng Vào Công Việc",
        "1. **Đánh Giá Cơ Hội Cloud Migration:**",
        "   - Đánh giá các nền tảng legacy hiện tại",
        "   - So sánh chi phí xây dựng hạ tầng mới vs. cloud migration",
        "Các diễn giả chia sẻ kinh nghiệm thực tế từ các vai trò tương ứng của họ.",
    ]
    sources = _indented_sources(lines, [0.27, 0.35, 0.31, 0.25, 0.33, 0.30, 0.30, 0.42])
    quoted = [x.sentence.text for _, x in pick_evidence("Which speakers shared their views at the event?", sources)]
    assert any("Lâm Tuấn Kiệt" in t for t in quoted) and any("Hiếu Nghĩa" in t for t in quoted), quoted
    assert not any("legacy" in t for t in quoted), quoted


_FOCUS_AREAS = [
    "## 3. Bảy lĩnh vực trọng tâm của nghiên cứu",
    "1. **Mức độ ứng dụng Generative AI**",
    "   - Xác định các nhà ra quyết định theo khu vực địa lý và ngành.",
    "2. **Hành trình mua hàng (Buying Journey)**",
    "   - Động cơ mua Generative AI.",
    "   - Quy trình ra quyết định và chân dung người mua (buyer persona).",
    "   - Ngân sách & mô hình định giá cho Generative AI.",
    "7. **Phân tích chuyên sâu theo use case**",
    "   - Use case ở cấp **phòng ban** (department-level).",
    "   - Use case ở cấp **doanh nghiệp** (enterprise-level).",
    "   - So sánh mức độ trưởng thành của các nhóm use case khác nhau.",
]


def test_a_list_asked_for_is_the_sub_list_of_the_numbered_bold_item_it_is_under():
    from rag.generators.extractive import pick_evidence

    scores = [0.33, 0.20, 0.25, 0.22, 0.20, 0.22, 0.20, 0.35, 0.46, 0.46, 0.42]
    sources = _indented_sources(_FOCUS_AREAS, scores)
    quoted = [
        x.sentence.text for _, x in pick_evidence("At which two levels does the survey analyse use cases?", sources)
    ]
    assert quoted[0] == "7. **Phân tích chuyên sâu theo use case**", quoted
    assert "- Use case ở cấp **phòng ban** (department-level)." in quoted, quoted
    assert not any("Hành trình mua hàng" in t for t in quoted), quoted  # not the seven areas


def test_a_question_naming_the_part_it_asks_about_gets_the_items_under_it():
    from rag.generators.extractive import pick_evidence

    scores = [0.30, 0.25, 0.20, 0.45, 0.38, 0.48, 0.37, 0.25, 0.20, 0.20, 0.20]
    sources = _indented_sources(_FOCUS_AREAS, scores)
    question = "Trong phần hành trình mua hàng, nghiên cứu tìm hiểu gì về tiền bạc?"
    quoted = [x.sentence.text for _, x in pick_evidence(question, sources)]
    assert "- Ngân sách & mô hình định giá cho Generative AI." in quoted, quoted
    # named in passing, the item is no answer: the best sentence is not under it
    scores = [0.30, 0.25, 0.20, 0.30, 0.25, 0.26, 0.25, 0.25, 0.20, 0.20, 0.50]
    sources = _indented_sources(_FOCUS_AREAS, scores)
    quoted = [
        x.sentence.text
        for _, x in pick_evidence("Khi bàn về hành trình mua hàng, nhóm use case nào được so sánh?", sources)
    ]
    assert quoted[0].startswith("- So sánh mức độ trưởng thành"), quoted


INFLUENCE = {
    "anh_huong.md": "# Insight cho đối tác\n\n## 5.3 Mức độ ảnh hưởng của đối tác vào kiến trúc Generative AI\n\n"
    "> **Câu hỏi:**\n> “Các đối tác bên ngoài của bạn có mức độ ảnh hưởng như thế nào đối với kiến trúc "
    "Generative AI?”\n\n"
    "**Nhận định cho đối tác:**\n\n"
    "- Nếu **mức ảnh hưởng cao**:\n  - Cơ hội mở rộng:\n    - Dịch vụ tư vấn chiến lược\n    - Thiết kế kiến trúc\n"
    "- Nếu **mức ảnh hưởng thấp**:\n  - Tín hiệu cần:\n    - Nâng cấp **chuyên môn kỹ thuật**\n"
    "    - Xây dựng **thought leadership**\n    - Chủ động dẫn dắt khách hàng trong lộ trình AI\n",
}


def test_a_lead_in_whose_items_hold_a_sub_list_is_quoted_with_all_of_it(tmp_path, embedder):
    question = "Khi mức ảnh hưởng của đối tác tới kiến trúc GenAI thấp, đối tác nên làm gì?"
    answer = _answer_over(tmp_path, embedder, INFLUENCE, question)
    assert not answer.refused
    assert "Nâng cấp chuyên môn kỹ thuật" in answer.text and "Xây dựng thought leadership" in answer.text
    assert "Thiết kế kiến trúc" not in answer.text


LEVELS_EXPLAINED = {
    "cap_do.txt": "5 cấp độ cá nhân hóa của GenAI\n\n"
    "Cấp độ 3: Cá nhân hóa dựa trên ngữ cảnh (Contextual Personalization)\n\n"
    "GenAI thấu hiểu mục tiêu hiện tại của khách hàng trong một phiên và điều chỉnh gợi ý theo thời gian thực.\n\n"
    "Cấp độ 4: Cá nhân hóa tiên đoán và chủ động (Predictive Personalization)\n\n"
    "Không chỉ phản ứng với hành vi hiện tại, GenAI còn phân tích dữ liệu lịch sử để dự đoán nhu cầu tiềm ẩn. "
    "Từ đó, doanh nghiệp có thể chủ động đưa ra giải pháp trước cả khi khách hàng nhận ra họ cần đến.\n",
}


@pytest.mark.parametrize(
    "question",
    [
        "Cấp độ cá nhân hóa nào đưa ra giải pháp trước khi khách hàng nhận ra họ cần?",
        # a level by another word for it
        "Đưa ra giải pháp trước khi khách hàng nhận ra họ cần là mức cá nhân hóa nào?",
    ],
)
def test_which_step_of_a_series_is_answered_by_its_title(tmp_path, embedder, question):
    answer = _answer_over(tmp_path, embedder, LEVELS_EXPLAINED, question)
    assert answer.text.startswith("Cấp độ 4: Cá nhân hóa tiên đoán và chủ động"), answer.text
    assert "Cấp độ 3" not in answer.text


FILUM_HUMANS = {
    "filum.txt": "Filum.ai và trải nghiệm khách hàng\n\n"
    "Filum.ai đồng hành cùng doanh nghiệp Việt trên hành trình kiến tạo trải nghiệm khách hàng.\n"
    "Filum.ai phát triển nhân viên AI đối thoại tự nhiên, đồng cảm với từng khách hàng.\n"
    "Filum.ai giúp doanh nghiệp chăm sóc khách hàng bằng AI trên mọi kênh.\n"
    "Filum.ai dùng GenAI để tạo nội dung chăm sóc khách hàng cá nhân hóa.\n"
    "Trong những tương tác đòi hỏi sự tinh tế cao về cảm xúc, sự giám sát và tinh chỉnh của con người vẫn vô "
    "cùng cần thiết.\n"
    "Dữ liệu khách hàng phải được thu thập minh bạch và có sự đồng ý của khách hàng.\n",
}


def test_who_says_it_picks_the_article_and_what_about_the_sentence(tmp_path, embedder):
    """Who says it (Filum.ai) picks the article, what about (X) the sentence: repeating "Filum.ai" answers nothing."""
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, FILUM_HUMANS, embedder)
    answer = chain.answer(
        "Filum.ai nói gì về vai trò của con người khi dùng AI trong chăm sóc khách hàng?", provider="extractive"
    )
    assert answer.text.startswith("Trong những tương tác đòi hỏi sự tinh tế"), answer.text


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("What is Laura Nguyễn's role?", "en"),
        ("Who spoke at the event in Hà Nội?", "en"),
        ("What did Đặng Hoàng Hiếu Nghĩa share?", "en"),
        ("Laura Nguyễn là ai?", "vi"),
        ("Bà Laura Nguyễn nói gì?", "vi"),
        ("Ai là CEO của Filum.ai?", "vi"),
        ("What is GenAI?", "en"),
    ],
)
def test_an_english_question_naming_a_vietnamese_person_is_answered_in_english(question, reply):
    from rag.segment import language, reply_language

    assert reply_language(question) == reply
    # (its checks still read it as `language` does)
    assert language("What is Laura Nguyễn's role?") == "vi"


def test_the_refusal_of_an_english_question_naming_a_vietnamese_person_is_english(tmp_path, embedder):
    from conftest import indexed_chain

    chain = indexed_chain(tmp_path, FILUM_HUMANS, embedder)
    answer = chain.answer("What is Laura Nguyễn's salary at Filum.ai?", provider="extractive")
    assert answer.refused and answer.text == REFUSAL_EN, answer.text
