"""Documents in: read bytes or files, decode, and refuse what cannot be processed; and the
records this tool wrote earlier, read back for review and merging."""

from __future__ import annotations

import hashlib
from pathlib import Path

from summarizer.errors import InputError
from summarizer.record.schema import SCHEMA_VERSION, SummaryResult

#: A news report is a few thousand characters; anything past this is not one document.
MAX_DOCUMENT_BYTES = 2_000_000


def decode_document(data: bytes, *, name: str = "<input>", size: int | None = None) -> str:
    """Decode a document's bytes as UTF-8 (or UTF-16 with a byte-order mark) and check it.

    Args:
        data: the raw bytes.
        name: what to call the document in error messages.
        size: the document's size when ``data`` was not read because it is too large.

    Returns:
        The text, with a leading BOM removed and line endings normalised to ``\\n``.

    Raises:
        InputError: the document is empty, binary, not UTF-8 or too large.
    """
    size = len(data) if size is None else size
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{name}: {size:,} bytes is too large for one report (limit {MAX_DOCUMENT_BYTES:,}).",
            hint="Split it into separate reports, one agreement each.",
        )
    # A byte-order mark says the text is UTF-16 (Windows editors save it so): decode it as
    # such, before the NUL bytes it is full of are taken for a binary file.
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    if encoding != "utf-16" and b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text.", hint="Give a .txt report.")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise InputError(
            f"{name}: is not valid {label} text (byte {e.start}).",
            hint="Convert it first, e.g. iconv -f latin1 -t utf-8.",
        ) from e
    # Byte-order marks repeated by careless concatenation are not text either.
    text = text.lstrip("\ufeff")
    return check_text(text.replace("\r\n", "\n").replace("\r", "\n"), name=name)


def check_text(text: str, *, name: str = "<input>") -> str:
    """Check an already decoded text; return it unchanged.

    Raises:
        InputError: the text is empty or contains control characters typical of binary data.
    """
    if not text.strip():
        raise InputError(f"{name}: the document is empty.", hint="Give a report with some text.")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\r\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file, not text.", hint="Give a .txt report.")
    return text


def read_document(path: Path) -> str:
    """Read and decode one document file.

    Raises:
        InputError: the file is missing, unreadable, empty, binary, not UTF-8 or too large.
    """
    try:
        # Check the size before reading so a huge file is refused without loading it.
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return decode_document(b"", name=str(path), size=path.stat().st_size)
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file.", hint="Check the path.") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory.", hint="Give a file.") from e
    except OSError as e:
        raise InputError(
            f"{path}: cannot be read ({e.strerror}).", hint="Check permissions."
        ) from e
    return decode_document(data, name=str(path))


def sha256_text(text: str) -> str:
    """Return the sha256 of a text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_record(path: Path) -> SummaryResult:
    """Read a record file this tool wrote (``summarize --out`` or ``--format json``).

    Raises:
        InputError: the file cannot be read, is not a record, or is of another schema version.
    """
    try:
        record = SummaryResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(
            f"{path}: not a record of this tool ({' '.join(str(e).split())[:200]}).",
            hint="Give a .json file written by summarizer summarize.",
        ) from e
    if record.provenance.schema_version != SCHEMA_VERSION:
        raise InputError(
            f"{path}: schema version {record.provenance.schema_version}, this tool reads "
            f"{SCHEMA_VERSION}.",
            hint="Summarize the report again with this version.",
        )
    return record
