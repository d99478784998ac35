"""Each format loads with its metadata; every kind of bad input is refused with the file's name."""

from pathlib import Path

import pytest

from ingest.loaders import load_document
from rag.errors import IngestError, UnsupportedDocumentError

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_markdown_front_matter_becomes_metadata(tmp_path):
    path = tmp_path / "a.md"
    path.write_text('---\ntitle: "Blog 3"\ndate: 2025-09-30\n---\n\n# Tiêu đề\n\nNội dung.\n', encoding="utf-8")
    doc = load_document(path, "a.md")
    assert doc.metadata["fm_title"] == "Blog 3"
    assert doc.metadata["fm_date"] == "2025-09-30"
    assert doc.metadata["format"] == "md"
    assert doc.page_content.lstrip().startswith("# Tiêu đề")
    assert "title:" not in doc.page_content


def test_plain_text_without_front_matter(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("Dòng một.\nDòng hai.\n", encoding="utf-8")
    doc = load_document(path, "b.txt")
    assert doc.page_content == "Dòng một.\nDòng hai.\n"
    assert doc.metadata == {"source": "b.txt", "format": "txt"}


def test_html_keeps_headings_lists_and_drops_scripts(tmp_path):
    path = tmp_path / "c.html"
    path.write_text(
        "<html><head><title>Trang thử</title><meta name='author' content='An'>"
        "<script>alert('x')</script></head><body><nav>menu</nav><h1>Bedrock</h1>"
        "<p>Amazon Bedrock là dịch vụ được quản lý.</p><ul><li>Một API</li><li>Nhiều mô hình</li></ul>"
        "<footer>© 2025</footer></body></html>",
        encoding="utf-8",
    )
    doc = load_document(path, "c.html")
    assert doc.metadata["fm_title"] == "Trang thử"
    assert doc.metadata["fm_author"] == "An"
    assert "# Bedrock" in doc.page_content
    assert "- Một API" in doc.page_content
    assert "alert" not in doc.page_content and "menu" not in doc.page_content and "©" not in doc.page_content


def test_docx_headings_and_properties(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Báo cáo"
    d.core_properties.author = "Bình"
    d.add_heading("Giới thiệu", level=1)
    d.add_paragraph("Bảo mật là tiêu chí số 1.")
    d.add_paragraph("Mục một", style="List Bullet")
    path = tmp_path / "d.docx"
    d.save(path)
    doc = load_document(path, "d.docx")
    assert doc.metadata["fm_title"] == "Báo cáo" and doc.metadata["fm_author"] == "Bình"
    assert "## Giới thiệu" in doc.page_content
    assert "Bảo mật là tiêu chí số 1." in doc.page_content
    assert "- Mục một" in doc.page_content


def test_pdf_text_and_title(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    path = tmp_path / "e.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Tài liệu PDF")
    c.setFont("DejaVu", 12)
    c.drawString(72, 760, "Khảo sát gồm hơn 60 câu hỏi về Generative AI.")
    c.showPage()
    c.setFont("DejaVu", 12)
    c.drawString(72, 760, "Trang hai nói về Amazon Bedrock.")
    c.save()
    doc = load_document(path, "e.pdf")
    assert doc.metadata["fm_title"] == "Tài liệu PDF"
    assert "Khảo sát gồm hơn 60 câu hỏi" in doc.page_content
    assert "Trang hai nói về Amazon Bedrock." in doc.page_content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("utf16.txt", "Bảo mật".encode("utf-16-le"), "NUL bytes"),
        ("cp1258.md", b"Ng\xe0y h\xf4m nay \xff\xfe", "UTF-8"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nText\n", "broken front matter"),
        ("unclosed.md", b"---\ntitle: x\nText without the closing line\n", "never closed"),
        ("list.md", b"---\n- a\n- b\n---\nText\n", "not a YAML mapping"),
        ("blank.md", b"   \n\n  \n", "no text"),
        ("notes.xlsx", b"PK\x03\x04", "unsupported file type .xlsx"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("broken.docx", b"not a zip", ".docx"),
    ],
)
def test_bad_input_is_refused_with_file_name_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_document(path, name)
    assert info.value.path == name
    assert reason in str(info.value)
    assert str(info.value).startswith(name)


def test_unsupported_type_has_its_own_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n")
    with pytest.raises(UnsupportedDocumentError):
        load_document(path, "x.csv")
