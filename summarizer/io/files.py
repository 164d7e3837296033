"""Writing files safely: atomically (readers see the old file or the new, never half),
appending whole lines, and refusing an output that is one of the command's own inputs, a
device, a pipe or a link, or a folder that cannot be written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from summarizer import (
    ConfigurationError,
)
from summarizer.errors import UsageError


def check_output_file(target: Path, inputs: Sequence[Path], *, option: str) -> None:
    """Refuse an output file that is one of the command's inputs, or not a file at all.

    ``os.replace`` onto a device or a link in /dev would replace the node itself, and onto an
    input would destroy it; both are refused before anything is read or asked.

    Raises:
        UsageError: naming the input or the kind of file.
    """
    key = target.resolve()
    for path in inputs:
        if path.resolve() == key:
            raise UsageError(
                f"{option} {target} is one of this command's inputs ({path}); writing there "
                "would destroy it.",
                hint=f"Choose another {option} path.",
            )
    if target.is_dir():
        raise UsageError(f"{option} {target} is a directory.", hint="Give a file name.")
    if os.path.lexists(target) and not (target.is_file() and not target.is_symlink()):
        raise UsageError(
            f"{option} {target} exists and is not a regular file (a device, pipe or link).",
            hint=f"Choose another {option} path, or leave {option} out to print to stdout.",
        )
    check_writable(target.parent, option=option)


def check_writable(folder: Path, *, option: str) -> None:
    """Refuse a folder that cannot be created or written, without leaving anything in it.

    Raises:
        UsageError: the folder (or the nearest existing folder above it) cannot be written.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "not a directory", str(existing))
        # A real file, not os.access: root passes every permission check of access(2), and a
        # read-only mount or a full inode table shows only when something is created.
        fd, name = tempfile.mkstemp(dir=existing, prefix=".summarizer-probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        raise UsageError(
            f"{option} {folder} cannot be written ({e.strerror or e}).",
            hint="Check the path and its permissions before a run spends model calls.",
        ) from e


def write_atomic(path: Path, text: str) -> None:
    """Write a text file so readers see the old content or the new, never half of it.

    Raises:
        ConfigurationError: the folder cannot be created or written.
    """

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())

    write_atomic_with(path, write)


def write_atomic_with(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then move it onto ``path``.

    Readers see the old file or the new, never half of one; on any failure the temporary
    file is removed.

    Raises:
        ConfigurationError: the folder cannot be created or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        try:
            write(tmp)
            # mkstemp makes the file private (0600); give it the mode a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write {path}: {e.strerror or e}.",
            hint="Check that the folder is writable and the disk has room.",
        ) from e


def append_line(path: Path, line: str) -> None:
    """Append one line to a JSON Lines file.

    Raises:
        ConfigurationError: the file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+", encoding="utf-8") as f:
            # An interrupted earlier append may have left a partial last line: end it first so
            # this record stays on a line of its own.
            f.seek(0, os.SEEK_END)
            needs_newline = f.tell() > 0 and _last_byte(path) != b"\n"
            f.write(("\n" if needs_newline else "") + line + "\n")
    except OSError as e:
        raise ConfigurationError(
            f"Cannot append to {path}: {e.strerror or e}.",
            hint="Check that the --jsonl file is writable and the disk has room.",
        ) from e


def _last_byte(path: Path) -> bytes:
    """The last byte of a file (b"" when empty)."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() == 0:
            return b""
        f.seek(-1, os.SEEK_END)
        return f.read(1)
