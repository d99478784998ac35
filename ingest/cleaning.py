"""Raw article text -> clean text plus the metadata that the text itself reveals.

Site exports carry noise that hurts retrieval and looks bad in a citation:
Hugo shortcodes, image links, a title block repeated by the page template,
share buttons and avatar captions. Author and date lines are read into
metadata; the article's own words are never rewritten (answers quote them).
A blog platform's byline lines leave the text but are kept as written, so an
answer about who wrote the article, when, or how long it takes to read can
cite them word for word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_READING = r"\d+\s*min read|đọc trong \d+ phút"  # a reading time, as a byline writes it
_BOILERPLATE = re.compile(
    r"^(share this (article|post)|chia sẻ( bài viết)?:?|comments?|bình luận|cập nhật|published|pulished|"
    rf"{_READING}|table of contents|mục lục)$",
    re.I,
)
_READING_TIME = re.compile(rf"^(?:{_READING})$", re.I)
_AVATAR = re.compile(r"^(?:ảnh đại diện|avatar(?: of)?)\s+(.{2,60})$", re.I)
_AUTHOR_LINE = re.compile(r"^\**\s*(?:tác giả|author|người viết)\s*:?\**\s*:?\s*(.+?)\s*$", re.I)
_DATE_LINE = re.compile(r"^\**\s*(?:ngày|date|ngày đăng)\s*:?\**\s*:?\s*(.+?)\s*$", re.I)
_BYLINE_DATE = re.compile(
    r"^[-•*]\s*((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:, \d{4})?)$", re.I
)
_BYLINE_NAME = re.compile(r"^[-•*]\s*([A-ZÀ-Ỹ][\w.'À-ỹ]*(?: [A-ZÀ-Ỹ][\w.'À-ỹ]*){1,3})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_OR_MARKUP = re.compile(r"^\s*([-*+•>|]|\d+[.)]\s|#)")
_HEAD_LINES = 12


@dataclass
class Cleaned:
    """Clean text and what was learned about the document while cleaning it."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    reading_time: str | None = None  # as the page writes it: "3 min read"
    byline: list[str] = field(default_factory=list)  # the byline lines the text lost, as written
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, heading text)


def clean_text(raw: str) -> Cleaned:
    """Remove site noise, keep the article's words; offsets in `headings` index the result."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _SHORTCODE.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _HTML_IMAGE.sub("", text)

    out = Cleaned(text="")
    kept: list[str] = []
    head_seen: set[str] = set()
    lines = text.split("\n")
    nonempty_index = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        nonempty_index += 1
        plain = stripped.lstrip("-•*_ ").rstrip("*_ ")
        if _BOILERPLATE.match(plain):
            if nonempty_index <= _HEAD_LINES and _READING_TIME.match(plain) and out.reading_time is None:
                out.reading_time = plain
                out.byline.append(stripped)
            continue
        avatar = _AVATAR.match(plain)
        if avatar:
            out.author = out.author or avatar.group(1).strip()
            if stripped not in out.byline:  # (page templates repeat it with the title block)
                out.byline.append(stripped)
            continue
        if nonempty_index <= _HEAD_LINES:
            # A "- Name / - Jun 5 / - 3 min read" byline (blog platforms) is metadata, not text.
            nxt = next((x.strip() for x in lines[i + 1 : i + 3] if x.strip()), "")
            name = _BYLINE_NAME.match(stripped)
            if name and _BYLINE_DATE.match(nxt) and out.author is None:
                out.author = name.group(1)
                out.byline.append(stripped)
                continue
            when = _BYLINE_DATE.match(stripped)
            if when and out.date is None:
                out.date = when.group(1)
                out.byline.append(stripped)
                continue
            # The page template repeats the title block; keep its first appearance only.
            if not _LIST_OR_MARKUP.match(stripped) and len(stripped) <= 160:
                if stripped in head_seen:
                    continue
                head_seen.add(stripped)
        author = _AUTHOR_LINE.match(stripped)
        if author and out.author is None:
            out.author = author.group(1).strip("* ")
        when = _DATE_LINE.match(stripped)
        if when and out.date is None:
            out.date = _iso_date(when.group(1).strip("* "))
        kept.append(line.rstrip())

    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
    out.text = body
    out.headings = find_headings(body)
    md_title = next((h for _, h, level in _heading_levels(body) if level == 1), None)
    first_line = next((ln.strip() for ln in body.splitlines() if ln.strip()), None)
    out.title = md_title or (first_line if first_line and len(first_line) <= 160 else None)
    return out


def _iso_date(value: str) -> str:
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return value


def _heading_levels(text: str) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []
    offset = 0
    for line in text.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            found.append((offset, match.group(2).strip("* "), len(match.group(1))))
        offset += len(line) + 1
    return found


def find_headings(text: str) -> list[tuple[int, str]]:
    """Markdown headings, or for plain text the short title-like lines between paragraphs."""
    marked = _heading_levels(text)
    if marked:
        return [(off, title) for off, title, _ in marked]
    found: list[tuple[int, str]] = []
    offset = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        nxt = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
        if (
            stripped
            and 3 <= len(stripped) <= 120
            and not _LIST_OR_MARKUP.match(stripped)
            and stripped[-1] not in ".,;:…\"”'"
            and (stripped[0].isupper() or stripped[0].isdigit())
            and (len(nxt) > len(stripped) or nxt[-1:] in (".", "!", "?", "…", ":"))
        ):
            found.append((offset + len(line) - len(line.lstrip()), stripped))
        offset += len(line) + 1
    return found
