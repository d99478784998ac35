"""Questions typed without Vietnamese marks, read with them: the restorer alone, then retrieval and answers."""

import pytest

from rag.diacritics import DiacriticRestorer, fold

ARTICLES = [
    "Bộ khảo sát gồm hơn 60 câu hỏi, xoay quanh 7 lĩnh vực trọng tâm.",
    "Quỹ GenAI sẽ mở rộng chương trình sang Malaysia và Singapore trong Quý 1 năm 2025.",
    "Filum.ai chia khả năng cá nhân hóa của GenAI thành 5 cấp độ. Cơ hội cho đối tác AWS.",
]


@pytest.fixture(scope="module")
def restorer():
    return DiacriticRestorer(ARTICLES)


def test_fold_drops_every_mark():
    assert fold("Đổi mới sáng tạo Quốc gia") == "Doi moi sang tao Quoc gia"
    assert fold("GenAI, AWS và 60 câu hỏi?") == "GenAI, AWS va 60 cau hoi?"


@pytest.mark.parametrize(
    "typed, read",
    [
        ("Bo khao sat co bao nhieu cau hoi?", "Bộ khảo sát có bao nhiêu câu hỏi?"),
        # (a name keeps its spelling, and the word after it is read after it: "Quỹ GenAI", not "Quy")
        (
            "Quy GenAI se mo rong chuong trinh sang nhung nuoc nao?",
            "Quỹ GenAI sẽ mở rộng chương trình sang những nước nào?",
        ),
        ("Filum.ai chia ca nhan hoa thanh may cap do?", "Filum.ai chia cá nhân hóa thành mấy cấp độ?"),
    ],
)
def test_a_question_typed_without_marks_is_read_as_the_articles_spell_it(restorer, typed, read):
    assert restorer.lacks_marks(typed)
    assert restorer.restore(typed) == read


@pytest.mark.parametrize(
    "text",
    [
        "Bộ khảo sát có bao nhiêu câu hỏi?",  # marked already
        "Bo khao sát co bao nhieu cau hoi?",  # one mark is enough: the user chose their spelling
        "What do the sources say about AI in Vietnam?",
        "How much did Amazon invest in Anthropic?",
        "Which countries will the program expand to?",
        "AWS Bedrock?",
    ],
)
def test_marked_or_english_text_is_left_as_it_is(restorer, text):
    assert not restorer.lacks_marks(text)
    assert restorer.restore(text) == text


def test_names_numbers_and_punctuation_keep_their_place(restorer):
    typed = "Theo Filum.ai, GenAI co 5 cap do - AWS (va doi tac) noi gi?"
    read = restorer.restore(typed)
    assert fold(read) == typed  # only marks were added
    assert read.startswith("Theo Filum.ai, GenAI có 5 cấp độ - AWS (và đối tác)")


def test_the_retriever_reads_an_unmarked_question_as_the_marked_one(retriever_over_articles):
    marked = retriever_over_articles.retrieve("Bộ khảo sát có bao nhiêu câu hỏi?", k=3)
    typed = retriever_over_articles.retrieve("Bo khao sat co bao nhieu cau hoi?", k=3)
    assert [h.chunk.id for h in typed] == [h.chunk.id for h in marked]
    assert typed[0].chunk.source == "khao_sat.md"


def test_reading_marks_back_can_be_switched_off(retriever_over_articles):
    typed = "Bo khao sat co bao nhieu cau hoi?"
    assert retriever_over_articles.with_marks(typed) == "Bộ khảo sát có bao nhiêu câu hỏi?"
    retriever_over_articles.settings.retrieval.restore_marks = False
    try:
        assert retriever_over_articles.with_marks(typed) == typed
    finally:
        retriever_over_articles.settings.retrieval.restore_marks = True


def test_an_unmarked_question_is_answered_and_the_reader_told_how_it_was_read(chain):
    answer = chain.answer("Bo khao sat gom bao nhieu cau hoi?", [], provider="extractive")
    assert not answer.refused
    assert "60 câu hỏi" in answer.text
    assert answer.question == "Bộ khảo sát gồm bao nhiêu câu hỏi?"
    assert "câu hỏi được đọc là: “Bộ khảo sát gồm bao nhiêu câu hỏi?”" in answer.notice
    # (a question typed with its marks gets no such note)
    assert "đọc là" not in chain.answer("Bộ khảo sát gồm bao nhiêu câu hỏi?", [], provider="extractive").notice


def test_an_unmarked_follow_up_reads_the_conversation_with_marks(chain):
    history = [
        {"role": "user", "content": "Tieu chi so 1 khi chon nen tang la gi?"},
        {"role": "assistant", "content": "Khả năng bảo mật mạnh mẽ vẫn là tiêu chí số 1 khi lựa chọn nền tảng."},
    ]
    answer = chain.answer("Nam truoc no cung dung dau a?", history, provider="extractive")
    # (read "Năm trước nó cùng đứng đầu à?" here: "cũng" and "cùng" are alike common, and these articles say neither)
    assert answer.question.startswith("Năm trước nó") and "đứng đầu à?" in answer.question
    assert not answer.refused
    assert "2 năm liên tiếp" in answer.text
