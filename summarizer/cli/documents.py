"""The documents of a command line: paths and folders turned into ``Document`` entries,
their text read, and where each one's outputs go (checked before any model call)."""

from __future__ import annotations

import glob
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from summarizer import (
    InputError,
)
from summarizer.errors import UsageError
from summarizer.io.files import write_atomic
from summarizer.io.formats import DOCUMENT_SUFFIXES, Loaded, load_document
from summarizer.io.load import (
    decode_document,
    read_record,
)
from summarizer.outputs.review.page import IndexEntry, index_page
from summarizer.record.schema import Source

#: Suffixes picked up when a directory is given.


STDIN = "-"


_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Document:
    """One input document: a file, or stdin when ``path`` is None."""

    name: str
    #: Output path under ``--out`` without suffix, e.g. ``2019/report`` (``/``-separated).
    output_name: str
    path: Path | None
    #: Set when discovery already knows the document cannot be read.
    error: InputError | None = None


def _directory_documents(directory: Path, exclude: Path | None) -> list[Document]:
    """Every .txt/.md file under a directory (recursively, sorted, hidden entries skipped)."""
    skip = exclude.resolve() if exclude is not None else None
    if skip is not None and directory.resolve() not in skip.parents:
        # Only an output folder inside this one holds files to leave out; the folder itself or
        # one above it would leave out every report ("no ... files", wrongly).
        skip = None
    found = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in DOCUMENT_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
        and (skip is None or skip not in p.resolve().parents)
    )
    if not found:
        error = InputError(
            f"{directory}: no .txt, .md, .pdf, .docx or .html files in this directory.",
            hint="Give the reports as such files, or point at the folder that holds them.",
        )
        return [Document(str(directory), directory.name, directory, error)]
    return [Document(str(p), p.relative_to(directory).with_suffix("").as_posix(), p) for p in found]


def discover(inputs: Sequence[str], *, exclude: Path | None = None) -> list[Document]:
    """Expand files, directories, glob patterns and ``-`` (stdin) into documents, in order.

    A path that does not exist stays in the list and fails when read, so its error is
    reported like any other. The same file given twice is summarized once. Files under
    ``exclude`` (the output folder) are not picked up from directories.
    """
    documents: list[Document] = []
    for arg in inputs:
        path = Path(arg)
        if arg == STDIN:
            documents.append(Document("<stdin>", "stdin", None))
        elif path.is_dir():
            documents += _directory_documents(path, exclude)
        elif not path.exists() and _GLOB_CHARS & set(arg):
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if not matches:
                error = InputError(
                    f"{arg}: no files match this pattern.", hint="Check the pattern and folder."
                )
                documents.append(Document(arg, path.stem, None, error))
            documents += [Document(str(m), m.stem, m) for m in matches]
        else:
            documents.append(Document(arg, path.stem, path))
    seen: set[Path | None] = set()
    unique: list[Document] = []
    for doc in documents:
        key = doc.path.resolve() if doc.path is not None and doc.error is None else None
        if key is None or key not in seen:
            unique.append(doc)
            seen.add(key)
    return unique


def output_paths(document: Document, out_dir: Path) -> tuple[Path, Path]:
    """The ``.json`` and ``.md`` paths of a document under ``out_dir``."""
    base = out_dir / document.output_name
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".md")


def page_path(document: Document, out_dir: Path) -> Path:
    """The review page (``.html``) of a document under ``out_dir``."""
    base = out_dir / document.output_name
    return base.with_name(base.name + ".html")


def source_text_path(document: Document, out_dir: Path) -> Path:
    """The text extracted from a PDF, Word file or web page (``.source.txt``) under ``out_dir``:
    what every offset of its record points into."""
    base = out_dir / document.output_name
    return base.with_name(base.name + ".source.txt")


def write_index(out_dir: Path) -> Path:
    """Write ``index.html`` listing every record under ``out_dir`` that has a review page.

    Records that do not validate are left out (they are not this tool's, or half-written by
    another program); the index is rewritten whole on every run.
    """
    entries: list[IndexEntry] = []
    for json_path in sorted(out_dir.rglob("*.json")):
        html_path = json_path.with_suffix(".html")
        if not html_path.exists():
            continue
        try:
            result = read_record(json_path)
        except InputError:
            continue
        relative = html_path.relative_to(out_dir).as_posix()
        entries.append(IndexEntry(relative.removesuffix(".html"), relative, result))
    target = out_dir / "index.html"
    write_atomic(target, index_page(entries))
    return target


def check_output_names(
    documents: Sequence[Document], out_dir: Path, *, html: bool = False, markdown: bool = True
) -> None:
    """Refuse a run where two documents would write the same output, or overwrite an input.

    Raises:
        UsageError: a document's output would replace an input (its own or another's).
        InputError: two documents would write the same output.
    """
    inputs = {d.path.resolve(): d for d in documents if d.path is not None and d.error is None}
    owners: dict[Path, Document] = {}
    for doc in documents:
        if doc.error is not None:
            continue
        json_path, md_path = output_paths(doc, out_dir)
        targets = [json_path, *([md_path] if markdown else []), *([page_path(doc, out_dir)] * html)]
        for target in targets:
            if target == out_dir / "index.html":
                raise InputError(
                    f"{doc.name} would be written to {target}, the index of review pages.",
                    hint="Rename the report.",
                )
            key = target.resolve()
            if (source := inputs.get(key)) is not None:
                raise UsageError(
                    f"{doc.name} would be written to {target}, over the input {source.name}.",
                    hint="Give another --out folder, or another --format.",
                )
            other = owners.get(key)
            if other is not None and other is not doc:
                raise InputError(
                    f"{doc.name} and {other.name} would both be written to {target}.",
                    hint="Rename one of them, or summarize them into separate --out folders.",
                )
            owners[key] = doc


def read_text(
    document: Document,
    stdin: Callable[[], bytes],
    *,
    url: str | None = None,
    date: str | None = None,
) -> Loaded:
    """Read a document: a text file, standard input (``-``), a PDF, Word file or web page;
    ``url`` and ``date`` (``--source-url``, ``--source-date``) fill the source block.

    Raises:
        InputError: the document is missing, empty, binary, not UTF-8, too large, or a file
            its format library cannot read (an encrypted or scanned PDF, ...).
    """
    if document.error is not None:
        raise document.error
    if document.path is None:
        loaded = Loaded(decode_document(stdin(), name=document.name), Source(kind="text"))
    else:
        loaded = load_document(document.path)
    given = {"url": url, "published": date}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        return loaded
    return replace(loaded, source=loaded.source.model_copy(update=changes))
