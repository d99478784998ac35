import re
from pathlib import Path

from ingest.chunking import chunk_document, chunk_id, chunk_sentences, sentence_title
from ingest.cleaning import clean_text
from ingest.loaders import load_document

REPO = Path(__file__).resolve().parent.parent


def _corpus_chunks(size=900, overlap=150):
    out = []
    for path in sorted((REPO / "corpus").iterdir()):
        c = clean_text(load_document(path, path.name).page_content)
        out.append((c, chunk_document(c.text, path.name, "h1", c.headings, {"title": c.title or ""}, size, overlap)))
    return out


def test_offsets_point_into_the_cleaned_text():
    for cleaned, chunks in _corpus_chunks():
        for ch in chunks:
            assert cleaned.text[ch.start : ch.end] == ch.text
            assert len(ch.text) <= 900


def test_ids_are_stable_unique_and_depend_on_the_version():
    first = [ch.id for _, chunks in _corpus_chunks() for ch in chunks]
    again = [ch.id for _, chunks in _corpus_chunks() for ch in chunks]
    assert first == again
    assert len(set(first)) == len(first)
    assert chunk_id("a.md", "v1", 0, 10) != chunk_id("a.md", "v2", 0, 10)


def test_every_sentence_survives_whole_in_some_chunk():
    """Sentence-boundary splitting: no sentence of the corpus is only ever seen cut in half."""
    for cleaned, chunks in _corpus_chunks(size=500, overlap=80):
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", cleaned.text):
            sentence = sentence.strip()
            if 20 < len(sentence) < 400:
                assert any(sentence in ch.text for ch in chunks), sentence


def test_chunks_break_at_headings_and_carry_their_section():
    text = "# Tiêu đề\n\n## Phần A\n\n" + "Câu về phần A. " * 20 + "\n\n## Phần B\n\n" + "Câu về phần B. " * 20
    c = clean_text(text)
    chunks = chunk_document(c.text, "t.md", "h", c.headings, {"title": "Tiêu đề"}, 400, 50)
    b_chunks = [ch for ch in chunks if "phần B" in ch.text and "phần A" not in ch.text]
    assert b_chunks and all(ch.metadata["section"] == "Phần B" for ch in b_chunks)
    assert any(ch.text.startswith("## Phần B") for ch in chunks)
    assert all(ch.metadata["title"] == "Tiêu đề" for ch in chunks)


def test_overlap_repeats_context_between_neighbours():
    text = " ".join(f"Câu số {i} nói về Bedrock." for i in range(60))
    chunks = chunk_document(text, "t.txt", "h", [], {}, 300, 80)
    assert len(chunks) > 3
    for left, right in zip(chunks, chunks[1:]):
        assert right.start < left.end  # they share text


def test_searched_text_adds_the_section_once():
    c = clean_text("# T\n\n## Bảo mật\n\nNội dung. " + "x " * 10)
    ch = chunk_document(c.text, "t.md", "h", c.headings, {}, 400, 50)[-1]
    assert ch.searched_text().count("Bảo mật") == 1


def test_each_sentence_stands_under_its_own_heading():
    # One chunk spans both sections: its first heading is A, but the last sentence stands under B.
    c = clean_text("# Báo cáo\n\n## Phần A\n\nCâu về phần A.\n\n## Phần B\n\nCâu về phần B.")
    (chunk,) = chunk_document(c.text, "t.md", "h", c.headings, {"title": "Báo cáo"}, 400, 50)
    sentences = {s.text: s for s in chunk_sentences(chunk, c.headings)}
    assert sentences["Câu về phần A."].section == "Phần A"
    assert sentences["Câu về phần B."].section == "Phần B"
    assert sentence_title(chunk, sentences["Câu về phần B."]) == "Báo cáo — Phần B"
    # Without the document's headings (an old caller), the chunk's own section stands in.
    assert {s.section for s in chunk_sentences(chunk)} == {chunk.metadata["section"]}


def test_a_list_item_is_embedded_under_the_items_and_lead_in_it_belongs_to():
    # "Loại trừ những người…" says what is excluded only under "Mức độ ứng dụng Generative AI".
    text = (
        "# Báo cáo\n\n## Lĩnh vực\n\n"
        "1. **Mức độ ứng dụng Generative AI**\n"
        "   - Loại trừ những người không tham gia.\n"
        "2. **Các tiêu chí mua hàng**\n"
        "   - Tiêu chí lựa chọn:\n"
        "     - Nhà cung cấp mô hình\n\n"
        "Bộ khảo sát gồm:\n"
        "- 24 ngành\n\n"
        "Một câu thường."
    )
    c = clean_text(text)
    (chunk,) = chunk_document(c.text, "t.md", "h", c.headings, {"title": "Báo cáo"}, 600, 50)
    titles = {s.text: sentence_title(chunk, s) for s in chunk_sentences(chunk, c.headings)}
    assert titles["- Loại trừ những người không tham gia."] == "Báo cáo — Lĩnh vực — Mức độ ứng dụng Generative AI"
    assert titles["- Nhà cung cấp mô hình"] == "Báo cáo — Lĩnh vực — Các tiêu chí mua hàng — Tiêu chí lựa chọn:"
    assert titles["- 24 ngành"] == "Báo cáo — Lĩnh vực — Bộ khảo sát gồm:"
    assert titles["Một câu thường."] == "Báo cáo — Lĩnh vực"
