"""Documents in: read bytes or files, decode, and refuse what cannot be processed; and the
records this tool wrote earlier, read back for review and merging."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from summarizer.errors import InputError
from summarizer.record.schema import READABLE_SCHEMA_VERSIONS, SummaryResult

#: A news report is a few thousand characters; anything past this is not one document.
MAX_DOCUMENT_BYTES = 2_000_000
#: A record (or a gold file) of a report within MAX_DOCUMENT_BYTES: its quotes are short
#: spans of the report, so ten times the report's bound leaves a wide margin.
MAX_RECORD_BYTES = 20_000_000


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


def _too_large(name: str, size: str, limit: int, what: str) -> InputError:
    """The error for a file past its bound."""
    return InputError(
        f"{name}: {size} bytes is too large for {what} (limit {limit:,}).",
        hint="Split it into separate reports, one agreement each."
        if what == "one report"
        else "Give a file this tool wrote.",
    )


def read_stream(stream: BinaryIO, *, name: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Read at most ``limit`` bytes of a stream (standard input, a pipe, a device).

    Raises:
        InputError: the stream holds more than ``limit`` bytes (not read past the bound).
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, f"more than {limit:,}", limit, "one report")
    return data


def read_bounded(
    path: Path, *, limit: int, what: str = "one report", regular_only: bool = False
) -> bytes:
    """Read a file's bytes, never more than ``limit`` of them.

    The size a file reports is not trusted alone: devices and pipes report 0, so the read
    itself stops at the bound. ``regular_only`` refuses anything but a regular file before
    opening it (opening a named pipe waits for a writer that may never come).

    Raises:
        InputError: the file is missing, a directory, unreadable, not a regular file (with
            ``regular_only``) or larger than ``limit``.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a directory", str(path))
        if not stat.S_ISREG(info.st_mode) and regular_only:
            raise InputError(
                f"{path}: not a regular file (a device, pipe or socket).",
                hint="Give a file on disk.",
            )
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(str(path), f"{info.st_size:,}", limit, what)
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file.", hint="Check the path.") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory.", hint="Give a file.") from e
    except OSError as e:
        raise InputError(
            f"{path}: cannot be read ({e.strerror}).", hint="Check permissions."
        ) from e
    if len(data) > limit:
        raise _too_large(str(path), f"more than {limit:,}", limit, what)
    return data


def is_regular_file(path: Path) -> bool:
    """True when ``path`` is a regular file (following links); never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_document(path: Path) -> str:
    """Read and decode one document file (a pipe or device is read up to the bound).

    Raises:
        InputError: the file is missing, unreadable, empty, binary, not UTF-8 or too large.
    """
    return decode_document(read_bounded(path, limit=MAX_DOCUMENT_BYTES), name=str(path))


def sha256_text(text: str) -> str:
    """Return the sha256 of a text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_record(path: Path) -> SummaryResult:
    """Read a record file this tool wrote (``summarize --out`` or ``--format json``).

    Raises:
        InputError: the file cannot be read, is not a record, or is of another schema version.
    """
    raw = read_bounded(path, limit=MAX_RECORD_BYTES, what="a record", regular_only=True)
    try:
        record = SummaryResult.model_validate_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise InputError(
            f"{path}: not a record of this tool ({' '.join(str(e).split())[:200]}).",
            hint="Give a .json file written by summarizer summarize.",
        ) from e
    if record.provenance.schema_version not in READABLE_SCHEMA_VERSIONS:
        raise InputError(
            f"{path}: schema version {record.provenance.schema_version}, this tool reads "
            f"{', '.join(READABLE_SCHEMA_VERSIONS)}.",
            hint="Summarize the report again with this version.",
        )
    return record
