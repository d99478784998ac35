from ingest.cleaning import clean_text, find_headings

HUGO = """{{% notice warning %}}
Chỉ để tham khảo.
{{% /notice %}}

# Bài thu hoạch

**Tác giả:** Jacob Newton-Gladstein
**Ngày:** 04/03/2025

Nội dung chính có **bảo mật**.

![Hình ảnh sự kiện](/images/a.jpeg)
<img src="x.png" alt="y">
"""

SITE = """AI cá nhân hoá trải nghiệm

GenAI có thể cá nhân hóa sâu đến mức nào?

Ảnh đại diện Huy Nguyen
AI cá nhân hoá trải nghiệm

GenAI có thể cá nhân hóa sâu đến mức nào?

Ảnh đại diện Huy Nguyen

Share this article

Trong kinh doanh hiện đại, cá nhân hóa đã trở thành tiêu chuẩn bắt buộc với mọi khách hàng.

Cấp độ 1: Cá nhân hóa dựa trên thuộc tính (Attribute-based Personalization)

Đây là cấp độ cơ bản nhất, dựa trên những thông tin tĩnh như tên và tuổi.

CẬP NHẬT
"""

BLOG = """Amazon Đầu Tư 4 Tỷ Đô Vào Claude AI
- David Hajdu
- Jun 5
- 3 min read
Gần đây, tôi đã theo dõi khoản đầu tư của Amazon vào Anthropic.
Comments"""


def test_shortcodes_and_images_are_removed_but_words_kept():
    c = clean_text(HUGO)
    assert "{{" not in c.text and "notice" not in c.text
    assert "Chỉ để tham khảo." in c.text
    assert "![" not in c.text and "<img" not in c.text and "Hình ảnh sự kiện" not in c.text
    assert "Nội dung chính có **bảo mật**." in c.text  # markdown emphasis is kept: answers quote it


def test_author_and_date_lines_become_metadata():
    c = clean_text(HUGO)
    assert c.title == "Bài thu hoạch"
    assert c.author == "Jacob Newton-Gladstein"
    assert c.date == "2025-03-04"


def test_repeated_title_block_avatars_and_share_buttons_go():
    c = clean_text(SITE)
    assert c.text.count("AI cá nhân hoá trải nghiệm") == 1
    assert c.text.count("GenAI có thể cá nhân hóa sâu đến mức nào?") == 1
    assert "Ảnh đại diện" not in c.text and "Share this article" not in c.text and "CẬP NHẬT" not in c.text
    assert c.author == "Huy Nguyen" and c.byline == ["Ảnh đại diện Huy Nguyen"]  # once, as the page writes it
    assert c.title == "AI cá nhân hoá trải nghiệm"


def test_blog_byline_is_metadata_not_text():
    c = clean_text(BLOG)
    assert c.author == "David Hajdu" and c.date == "Jun 5" and c.reading_time == "3 min read"
    assert c.byline == ["- David Hajdu", "- Jun 5", "- 3 min read"]  # what an answer about them cites
    assert "min read" not in c.text and "David Hajdu" not in c.text and "Comments" not in c.text
    assert "Gần đây, tôi đã theo dõi" in c.text


def test_text_is_unicode_nfc():
    decomposed = "Ba\u0309o mật"  # "ả" as a + combining hook above
    assert clean_text(decomposed).text.startswith("Bảo mật")


def test_plain_text_headings_are_found_with_offsets():
    c = clean_text(SITE)
    titles = [h for _, h in c.headings]
    assert "Cấp độ 1: Cá nhân hóa dựa trên thuộc tính (Attribute-based Personalization)" in titles
    for offset, title in c.headings:
        assert c.text[offset : offset + len(title)] == title
    # a sentence ending in a full stop is never a heading
    assert not any(t.endswith(".") for t in titles)


def test_markdown_headings_win_over_heuristics():
    text = "# Một\n\nĐoạn văn dài hơn tiêu đề rất nhiều.\n\nDòng ngắn\n\nMột đoạn văn dài khác ở đây nữa.\n"
    assert [h for _, h in find_headings(text)] == ["Một"]
