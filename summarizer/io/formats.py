"""Documents in other formats: the text of a PDF, a Word file or a saved web page, with what
their metadata says of them.

Each is turned into plain text once, here; every offset of a record is an offset into that
text, which the CLI keeps beside the record (``<name>.source.txt``) so it can be checked.
Maintained libraries do the reading: pypdf (a PDF's text layer, page by page), python-docx
(paragraphs and tables), trafilatura (a page's main text without menus and footers, and its
title, site, URL and date). A PDF page starts where the text after the previous page's
``PAGE_BREAK`` starts, so evidence can say which page it is on.
"""

from __future__ import annotations

import io
import zipfile
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from summarizer.errors import InputError
from summarizer.io.load import (
    MAX_DOCUMENT_BYTES,
    check_text,
    decode_document,
    read_bounded,
    read_document,
)
from summarizer.record.schema import Article, Condition, Party, Source, SummaryResult

#: Suffixes read as plain text, and those read through a format library.
TEXT_SUFFIXES = frozenset({".txt", ".md"})
FORMAT_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | FORMAT_SUFFIXES
#: A PDF or Word file is larger than its text; past this it is refused unread.
MAX_FILE_BYTES = 50_000_000
#: Between two PDF pages in the extracted text.
PAGE_BREAK = "\n\n"


@dataclass(frozen=True)
class Loaded:
    """A document's text, where it came from, and (PDF) the offset where each page starts."""

    text: str
    source: Source
    page_starts: tuple[int, ...] = ()


def load_document(path: Path) -> Loaded:
    """Read a document of any supported kind (by its suffix).

    Raises:
        InputError: missing, unreadable, too large, not text; a PDF that is encrypted, has no
            text layer (scanned) or is corrupt; a Word file or web page that cannot be read or
            holds no text.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMAT_SUFFIXES:
        return Loaded(read_document(path), Source(kind="text"))
    data = read_bounded(path, limit=MAX_FILE_BYTES, what="a document")
    if suffix == ".pdf":
        return _pdf(data, str(path))
    if suffix == ".docx":
        return _docx(data, str(path))
    return _html(data, str(path))


def _checked(text: str, name: str) -> str:
    """The extracted text, bounded like a text file and checked the same way."""
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{name}: its text is over {MAX_DOCUMENT_BYTES:,} bytes.",
            hint="Split the document.",
        )
    return check_text(text, name=name)


def _pdf(data: bytes, name: str) -> Loaded:
    """A PDF's text layer, page by page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f"{name}: the PDF is encrypted.",
                hint="Save an unprotected copy (or export its text) and give that.",
            )
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as e:
        raise InputError(
            f"{name}: not a readable PDF ({' '.join(str(e).split())[:160]}).",
            hint="Check that the file is a complete PDF.",
        ) from e
    if not any(pages):
        raise InputError(
            f"{name}: the PDF has no text layer (a scanned document?).",
            hint="Run OCR first (for example ocrmypdf), then give the PDF it writes.",
        )
    starts, text = [], ""
    for i, page in enumerate(pages):
        text += PAGE_BREAK if i else ""
        starts.append(len(text))
        text += page
    source = Source(kind="pdf", title=str(title) if title else None, pages=len(pages))
    return Loaded(_checked(text, name), source, tuple(starts))


def _docx(data: bytes, name: str) -> Loaded:
    """A Word file's paragraphs, then its tables (a row per line, cells joined by " | ")."""
    from docx import Document as WordDocument
    from docx.opc.exceptions import OpcError

    try:
        word = WordDocument(io.BytesIO(data))
        lines = [p.text for p in word.paragraphs]
        for table in word.tables:
            lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
        title = word.core_properties.title or None
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, OSError) as e:
        raise InputError(
            f"{name}: not a readable Word (.docx) file ({' '.join(str(e).split())[:160]}).",
            hint="Save it again as .docx, or as plain text.",
        ) from e
    text = "\n".join(line for line in lines if line.strip())
    return Loaded(_checked(text, name), Source(kind="docx", title=title))


def _html(data: bytes, name: str) -> Loaded:
    """A saved web page's main text (no menus, footers or comments) and its metadata."""
    import trafilatura

    page = decode_document(data, name=name)
    found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    fields: dict[str, object] = {}
    if found is not None:
        fields = found if isinstance(found, dict) else found.as_dict()

    def field(key: str) -> str | None:
        value = fields.get(key)
        return str(value) if value else None

    text = field("text") or ""
    if not text.strip():
        raise InputError(
            f"{name}: no article text found in the page.",
            hint="Save the page as text, or give the report's text.",
        )
    source = Source(
        kind="html",
        title=field("title"),
        outlet=field("sitename"),
        url=field("url"),
        published=field("date"),
    )
    return Loaded(_checked(text, name), source)


def with_pages(record: SummaryResult, page_starts: Sequence[int]) -> SummaryResult:
    """The record with each evidence's PDF page (the page its start falls on)."""
    if not page_starts:
        return record
    return record.model_copy(
        update={
            "parties": _paged(record.parties, page_starts),
            "articles": _paged(record.articles, page_starts),
            "conditions": _paged(record.conditions, page_starts),
        }
    )


Item = TypeVar("Item", Party, Article, Condition)


def _paged(items: list[Item], page_starts: Sequence[int]) -> list[Item]:
    return [
        item.model_copy(
            update={
                "evidence": [
                    ev.model_copy(update={"page": bisect_right(page_starts, ev.start)})
                    for ev in item.evidence
                ]
            }
        )
        for item in items
    ]
