"""Files -> LangChain Documents with their raw text and the metadata the file itself carries.

Each loader refuses bad input with an `IngestError` that names the file and the
reason, so one broken file never stops the others from being indexed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from langchain_core.documents import Document

from rag.errors import IngestError, UnsupportedDocumentError

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".html", ".htm", ".docx"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def load_document(path: Path, source: str) -> Document:
    """Read one file of a supported type; metadata always holds `source` and `format`."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedDocumentError(source, f"unsupported file type {suffix or '(none)'}; hoidap reads {supported}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(source, f"cannot read the file: {exc.strerror}") from exc
    if size == 0:
        raise IngestError(source, "the file is empty")
    doc = loader(path, source)
    doc.metadata.update(source=source, format={".htm": "html", ".markdown": "md"}.get(suffix, suffix[1:]))
    if not doc.page_content.strip():
        raise IngestError(source, "the file holds no text")
    return doc


def _load_text(path: Path, source: str) -> Document:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise IngestError(source, "binary data in a text file (NUL bytes); is it really text?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    metadata: dict[str, Any] = {}
    if text.startswith("---"):
        match = _FRONT_MATTER.match(text)
        if match is None:
            raise IngestError(source, "front matter starts with --- but is never closed")
        try:
            front = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise IngestError(source, f"broken front matter: {str(exc).splitlines()[0]}") from exc
        if front is not None and not isinstance(front, dict):
            raise IngestError(source, "front matter is not a YAML mapping")
        metadata.update({f"fm_{k}": _scalar(v) for k, v in (front or {}).items() if _scalar(v) is not None})
        text = text[match.end() :]
    return Document(page_content=text, metadata=metadata)


def _load_pdf(path: Path, source: str) -> Document:
    from langchain_community.document_loaders import PyPDFLoader

    try:
        pages = PyPDFLoader(str(path)).load()
    except Exception as exc:  # pypdf raises many types for damaged files
        raise IngestError(source, f"cannot read the PDF: {exc}") from exc
    text = "\n\n".join(p.page_content for p in pages)
    if not text.strip():
        raise IngestError(source, "the PDF has no extractable text (a scan without OCR?)")
    meta = pages[0].metadata if pages else {}
    metadata = {"fm_title": meta.get("title"), "fm_author": meta.get("author"), "fm_date": _pdf_date(meta)}
    return Document(page_content=text, metadata={k: v for k, v in metadata.items() if v})


def _pdf_date(meta: dict[str, Any]) -> str | None:
    raw = str(meta.get("creationdate") or "")
    match = re.match(r"(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", raw)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


def _load_html(path: Path, source: str) -> Document:
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    try:
        html = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not valid UTF-8 (byte {exc.start}); save the page as UTF-8") from exc
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "iframe", "svg"]):
        tag.decompose()
    metadata: dict[str, Any] = {}
    if soup.title and soup.title.string:
        metadata["fm_title"] = soup.title.string.strip()
    for name, key in (("author", "fm_author"), ("date", "fm_date"), ("article:published_time", "fm_date")):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content"):
            metadata.setdefault(key, str(tag["content"]).strip())
    body = soup.body or soup
    lines: list[str] = []
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td"]):
        if el.find_parent(["li", "blockquote", "td"]) is not None and el.name in ("p", "li"):
            continue  # nested: its text is already taken with the parent
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            lines.append("#" * int(el.name[1]) + " " + text)
        elif el.name == "li":
            lines.append("- " + text)
        elif el.name == "blockquote":
            lines.append("> " + text)
        else:
            lines.append(text)
    if not lines:  # pages without block tags: fall back to all visible text
        lines = [t for t in (s.strip() for s in body.get_text("\n").splitlines()) if t]
    return Document(page_content="\n\n".join(lines), metadata=metadata)


def _load_docx(path: Path, source: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise IngestError(source, f"cannot read the Word document: {exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise IngestError(source, f"not a valid .docx file: {exc}") from exc
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            lines.append("# " + text)
        elif level:
            lines.append("#" * (int(level.group(1)) + 1) + " " + text)
        elif "List" in style:
            lines.append("- " + text)
        else:
            lines.append(text)
    props = document.core_properties
    metadata = {
        "fm_title": props.title or None,
        "fm_author": props.author or None,
        "fm_date": props.created.date().isoformat() if props.created else None,
    }
    return Document(page_content="\n\n".join(lines), metadata={k: v for k, v in metadata.items() if v})


def _scalar(value: Any) -> str | int | float | bool | None:
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    if isinstance(value, (str, int, float, bool)):
        return value
    return None


_LOADERS: dict[str, Callable[[Path, str], Document]] = {
    **{s: _load_text for s in TEXT_SUFFIXES},
    ".pdf": _load_pdf,
    ".html": _load_html,
    ".htm": _load_html,
    ".docx": _load_docx,
}
