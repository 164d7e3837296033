"""Batches for the command line: find documents, skip those already done, run, write outputs.

The CLI stays a thin skin: this module turns paths into ``Document`` entries, runs one
``Summarizer`` over them (sequentially, or with a few documents in flight for remote
providers), writes every output atomically, and tells an ``Events`` object what happened
(``summarizer.cli.progress`` shows it on stderr).
"""

from __future__ import annotations

import glob
import json
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from summarizer import (
    ConfigurationError,
    ExtractionError,
    InputError,
    ProviderUnreachableError,
    RunCancelledError,
    Summarizer,
    SummarizerError,
    SummaryResult,
)
from summarizer.errors import UsageError
from summarizer.extract.model.prompt import load_prompt
from summarizer.extract.run import PROMPT_IDS
from summarizer.io.load import (
    MAX_RECORD_BYTES,
    decode_document,
    is_regular_file,
    read_bounded,
    read_document,
    read_record,
    sha256_text,
)
from summarizer.outputs.render import to_markdown
from summarizer.outputs.review.page import IndexEntry, index_page, review_page
from summarizer.record.schema import SCHEMA_VERSION

#: Suffixes picked up when a directory is given.
TEXT_SUFFIXES = frozenset({".txt", ".md"})
STDIN = "-"
#: Seconds a cancelled run waits for documents in flight before it returns without them.
_CANCEL_GRACE_S = 1.0
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


@dataclass
class Outcome:
    """What became of one document."""

    document: Document
    status: Literal["done", "skipped", "failed"]
    result: SummaryResult | None = None
    error: BaseException | None = None
    seconds: float = 0.0


@dataclass
class BatchReport:
    """Counts and totals of a run."""

    total: int
    outcomes: list[Outcome] = field(default_factory=list)
    tokens: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    #: A configuration or provider error that stopped the whole run.
    fatal: SummarizerError | None = None

    def count(self, status: str) -> int:
        """Number of documents with the given status."""
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True)
class BatchOptions:
    """Where outputs go and how the run proceeds."""

    out_dir: Path | None = None
    jsonl: Path | None = None
    markdown: bool = False
    #: Also write a review page (``<name>.html``) per document, and ``index.html``.
    html: bool = False
    concurrency: int = 1
    force: bool = False


class Events:
    """Receives progress of a run (``summarizer.cli.progress.ProgressReporter``); no-ops here."""

    def started(self, total: int) -> None:
        """The run starts with ``total`` documents."""

    def provider_ready(self, summarizer: Summarizer) -> None:
        """The provider is open (the model is loaded)."""

    def note(self, message: str) -> None:
        """Something the user should know that is not an error."""

    def document_started(self, document: Document) -> None:
        """A document is being summarized."""

    def document_finished(self, outcome: Outcome) -> None:
        """A document is done, skipped or failed."""


def _directory_documents(directory: Path, exclude: Path | None) -> list[Document]:
    """Every .txt/.md file under a directory (recursively, sorted, hidden entries skipped)."""
    skip = exclude.resolve() if exclude is not None else None
    if skip is not None and directory.resolve() not in skip.parents:
        # Only an output folder inside this one holds files to leave out; the folder itself or
        # one above it would leave out every report ("no .txt or .md files", wrongly).
        skip = None
    found = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in TEXT_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
        and (skip is None or skip not in p.resolve().parents)
    )
    if not found:
        error = InputError(
            f"{directory}: no .txt or .md files in this directory.",
            hint="Give the reports as .txt or .md files, or point at the folder that holds them.",
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


def check_output_locations(
    documents: Sequence[Document],
    options: BatchOptions,
    *,
    merged: bool = False,
) -> None:
    """Check every output of a run before its first model call.

    Refuses an output over an input (``.json``, ``.md``, ``.html``, ``index.html``,
    ``merged.json`` or ``--jsonl``), a ``--jsonl`` that is a device, pipe or folder, and
    locations that cannot be written; then the clashes of ``check_output_names``.

    Raises:
        UsageError: an output over an input, or an unwritable location.
        InputError: two documents would write the same output.
    """
    inputs = [d.path for d in documents if d.path is not None and d.error is None]
    if options.jsonl is not None:
        check_output_file(options.jsonl, inputs, option="--jsonl")
    out = options.out_dir
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is not a folder.", hint="Give a folder for --out.")
    check_writable(out, option="--out")
    extra = [out / "merged.json"] if merged else []
    extra += [out / "index.html"] if options.html else []
    for target in extra:
        check_output_file(target, inputs, option="--out")
    check_output_names(documents, out, html=options.html, markdown=options.markdown)


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


def read_text(document: Document, stdin: Callable[[], bytes]) -> str:
    """Read and decode a document (``stdin`` is called for the ``-`` document).

    Raises:
        InputError: the document is missing, empty, binary, not UTF-8 or too large.
    """
    if document.error is not None:
        raise document.error
    if document.path is None:
        return decode_document(stdin(), name=document.name)
    return read_document(document.path)


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


#: What makes a record reusable: its source, provider, model (name and file) and schema, and
#: the prompts it was made with.
RecordKey = tuple[tuple[str, ...], frozenset[str]]


def _key(record: object) -> RecordKey | None:
    """The key of a record: (source, provider, model, model file, schema), prompt hashes."""
    try:
        prov = record["provenance"]  # type: ignore[index]
        prompts = frozenset(str(p["sha256"]) for p in prov["prompts"])
        core = (
            str(prov["source_sha256"]),
            str(prov["provider"]),
            str(prov["model"]),
            str(prov.get("model_sha256") or ""),
            str(prov["schema_version"]),
        )
        return core, prompts
    except (TypeError, KeyError):
        return None


def _reusable(key: RecordKey | None, wanted: RecordKey) -> bool:
    """Whether a record with ``key`` is what this run would make.

    Its prompts need only be among this run's: a report with no word of agreement is given
    its empty record without any prompt, and that record stays valid whatever the prompts.
    """
    return key is not None and key[0] == wanted[0] and key[1] <= wanted[1]


def _done_in_file(path: Path) -> RecordKey | None:
    """Key of a finished record file, or None when missing, unreadable or not a record."""
    if not is_regular_file(path):
        return None
    try:
        raw = read_bounded(path, limit=MAX_RECORD_BYTES, what="a record", regular_only=True)
        return _key(json.loads(raw))
    except (InputError, ValueError, RecursionError):
        return None  # a deeply nested file is no record either


def _done_in_jsonl(path: Path) -> list[RecordKey]:
    """Keys of every record already in a JSON Lines file, read one bounded line at a time.

    A line longer than a record can be is skipped in pieces, never held whole; only the keys
    are kept, so memory follows the number of records, not the file's size.
    """
    keys: list[RecordKey] = []
    if not is_regular_file(path):
        return keys  # check_output_locations refuses a device or pipe before the run
    try:
        with path.open("rb") as f:
            while line := f.readline(MAX_RECORD_BYTES + 1):
                if len(line) > MAX_RECORD_BYTES:
                    while not line.endswith(b"\n") and (line := f.readline(MAX_RECORD_BYTES)):
                        pass  # the remainder of an over-long line, in bounded pieces
                    continue
                try:
                    key = _key(json.loads(line))
                except (ValueError, RecursionError):
                    continue
                if key is not None:
                    keys.append(key)
    except OSError:
        return keys
    return keys


class _Run:
    """State of one batch run."""

    def __init__(
        self,
        summarizer: Summarizer,
        options: BatchOptions,
        events: Events,
        report: BatchReport,
        emit: Callable[[Document, SummaryResult, str], None] | None,
    ) -> None:
        self.summarizer = summarizer
        self.options = options
        self.events = events
        self.report = report
        self.emit = emit
        info = summarizer.provider.info
        self.prompts = frozenset(load_prompt(p).ref.sha256 for p in PROMPT_IDS)
        self.run_key = (info.name, info.model, info.model_sha256 or "", SCHEMA_VERSION)
        self.pending: list[tuple[Document, str]] = []
        self.ready: dict[int, SummaryResult] = {}
        self.jsonl_done = (
            _done_in_jsonl(options.jsonl) if options.jsonl and not options.force else []
        )

    def is_done(self, document: Document, text: str) -> bool:
        """True when every requested output already holds this text's record from this model."""
        if self.options.force or not (self.options.out_dir or self.options.jsonl):
            return False
        wanted = ((sha256_text(text), *self.run_key), self.prompts)
        if self.options.out_dir is not None:
            json_path, _ = output_paths(document, self.options.out_dir)
            if not _reusable(_done_in_file(json_path), wanted):
                return False
        return self.options.jsonl is None or any(_reusable(k, wanted) for k in self.jsonl_done)

    def complete_outputs(self, document: Document, text: str) -> None:
        """Write a done document's missing ``.md`` or ``.html`` from its ``.json`` (no model call).

        A run that stopped between the files, or an earlier run in another format, leaves the
        record without them.
        """
        out = self.options.out_dir
        if out is None or not (self.options.markdown or self.options.html):
            return
        json_path, md_path = output_paths(document, out)
        wanted = [md_path] if self.options.markdown else []
        wanted += [page_path(document, out)] if self.options.html else []
        if all(path.exists() for path in wanted):
            return
        try:
            result = read_record(json_path)
        except InputError:
            return  # is_done read it a moment ago; if it is gone now, the next run redoes it
        self.write_views(document, result, text, only_missing=True)

    def write_views(
        self, document: Document, result: SummaryResult, text: str, *, only_missing: bool = False
    ) -> None:
        """Write the Markdown and the review page that the options ask for."""
        out = self.options.out_dir
        assert out is not None
        _, md_path = output_paths(document, out)
        html_path = page_path(document, out)
        if self.options.markdown and not (only_missing and md_path.exists()):
            write_atomic(md_path, to_markdown(result, title=document.name))
        if self.options.html and not (only_missing and html_path.exists()):
            write_atomic(html_path, review_page(result, text, title=document.name))

    def summarize(self, document: Document, text: str) -> Outcome:
        """Summarize one document; per-document failures become a failed outcome."""
        started = time.perf_counter()
        try:
            result = self.summarizer.summarize(text)
        except (ConfigurationError, ProviderUnreachableError, RunCancelledError):
            raise  # no point going on: every other document would fail the same way
        except Exception as e:  # one document's failure must not stop the batch
            return Outcome(document, "failed", error=e, seconds=time.perf_counter() - started)
        return Outcome(document, "done", result=result, seconds=time.perf_counter() - started)

    def write(self, outcome: Outcome, text: str) -> None:
        """Write a finished record to ``--out`` and ``--jsonl``."""
        result, doc = outcome.result, outcome.document
        assert result is not None
        if self.options.out_dir is not None:
            json_path, _ = output_paths(doc, self.options.out_dir)
            self.write_views(doc, result, text)
            # The .json goes last: its presence is what marks the document done.
            write_atomic(json_path, result.model_dump_json(indent=2) + "\n")
        if self.options.jsonl is not None:
            append_line(self.options.jsonl, result.model_dump_json())

    def run(self, pending: list[tuple[Document, str]]) -> None:
        """Summarize the pending documents; emit records to stdout in input order."""
        self.pending = pending
        try:
            if self.options.concurrency <= 1:
                for i, (doc, text) in enumerate(pending):
                    self.events.document_started(doc)
                    self.finish(i, self.summarize(doc, text))
                    self.flush(upto=i + 1)
            else:
                self.run_parallel()
        finally:
            # Records already finished are kept, even when the run stops early.
            self.flush(upto=len(pending))

    def run_parallel(self) -> None:
        """Keep up to ``concurrency`` documents in flight, each on a daemon thread.

        On Ctrl-C or a fatal error the provider is cancelled: no request goes out after it,
        and requests in flight stop at their next chunk or retry wait. Documents that finish
        within ``_CANCEL_GRACE_S`` are still written. Daemon threads and not a thread pool,
        because a pool's threads are joined at exit: one blocked in a slow request would hold
        the process open for its whole timeout.
        """
        finished: queue.SimpleQueue[tuple[int, Outcome | BaseException]] = queue.SimpleQueue()
        todo = iter(enumerate(self.pending))
        in_flight: set[int] = set()

        def work(index: int, doc: Document, text: str) -> None:
            try:
                finished.put((index, self.summarize(doc, text)))
            except BaseException as e:  # handed to the main thread, which decides
                finished.put((index, e))

        try:
            while True:
                while len(in_flight) < self.options.concurrency:
                    item = next(todo, None)
                    if item is None:
                        break
                    i, (doc, text) = item
                    self.events.document_started(doc)
                    threading.Thread(target=work, args=(i, doc, text), daemon=True).start()
                    in_flight.add(i)
                if not in_flight:
                    break
                i, got = self._next_finished(finished)
                in_flight.discard(i)
                if isinstance(got, BaseException):
                    raise got
                self.finish(i, got)
                self.flush(upto=min(in_flight, default=len(self.pending)))
        except BaseException:
            self.summarizer.cancel()
            self._keep_late_finishers(finished, in_flight)
            raise

    @staticmethod
    def _next_finished(
        finished: queue.SimpleQueue[tuple[int, Outcome | BaseException]],
    ) -> tuple[int, Outcome | BaseException]:
        """Wait for the next finished document, in short waits so Ctrl-C gets through."""
        while True:
            try:
                return finished.get(timeout=0.2)
            except queue.Empty:
                continue

    def _keep_late_finishers(
        self,
        finished: queue.SimpleQueue[tuple[int, Outcome | BaseException]],
        in_flight: set[int],
    ) -> None:
        """After a cancel, write the documents that still finish within the grace period."""
        until = time.monotonic() + _CANCEL_GRACE_S
        while in_flight and (left := until - time.monotonic()) > 0:
            try:
                i, got = finished.get(timeout=left)
            except queue.Empty:
                break
            in_flight.discard(i)
            if isinstance(got, Outcome) and got.status == "done":
                self.finish(i, got)

    def finish(self, index: int, outcome: Outcome) -> None:
        """Record an outcome, write its outputs and tell the events."""
        if outcome.result is not None:
            self.report.tokens += outcome.result.provenance.usage.total_tokens
            self.write(outcome, self.pending[index][1])
            self.ready[index] = outcome.result
        elif isinstance(outcome.error, ExtractionError):  # failed attempts cost tokens too
            self.report.tokens += sum(int(v) for v in outcome.error.usage.values())
        self.report.outcomes.append(outcome)
        self.events.document_finished(outcome)

    def flush(self, *, upto: int) -> None:
        """Emit the finished records before index ``upto`` to stdout, in input order."""
        for i in sorted(k for k in self.ready if k < upto):
            result = self.ready.pop(i)
            if self.emit is not None:
                self.emit(self.pending[i][0], result, self.pending[i][1])


def run_batch(
    documents: Sequence[Document],
    open_summarizer: Callable[[], Summarizer],
    options: BatchOptions,
    events: Events,
    *,
    stdin: Callable[[], bytes],
    emit: Callable[[Document, SummaryResult, str], None] | None = None,
) -> BatchReport:
    """Summarize documents with one Summarizer, opened only if some document can be read.

    Args:
        documents: from ``discover``.
        open_summarizer: opens the Summarizer (the model loads here, once).
        options: outputs, concurrency, resume.
        events: told about progress.
        stdin: returns the bytes of standard input, for the ``-`` document.
        emit: called with each finished record and its text in input order (stdout output).

    Returns:
        The report. A configuration or provider error stops the run and is kept in
        ``report.fatal``; Ctrl-C stops it with ``report.interrupted`` set. Outputs of finished
        documents are written in every case.
    """
    started = time.perf_counter()
    report = BatchReport(total=len(documents))
    events.started(len(documents))
    summarizer: Summarizer | None = None
    try:
        pending: list[tuple[Document, str]] = []
        for doc in documents:
            try:
                pending.append((doc, read_text(doc, stdin)))
            except InputError as e:
                report.outcomes.append(Outcome(doc, "failed", error=e))
                events.document_finished(report.outcomes[-1])
        if pending:
            summarizer = open_summarizer()
            events.provider_ready(summarizer)
            concurrency = options.concurrency
            if concurrency > 1 and summarizer.settings.provider == "embedded":
                events.note(
                    f"--concurrency {concurrency} ignored: the embedded model runs one "
                    "document at a time."
                )
                concurrency = 1
            run = _Run(summarizer, replace(options, concurrency=concurrency), events, report, emit)
            todo = []
            for doc, text in pending:
                if run.is_done(doc, text):
                    run.complete_outputs(doc, text)
                    report.outcomes.append(Outcome(doc, "skipped"))
                    events.document_finished(report.outcomes[-1])
                else:
                    todo.append((doc, text))
            run.run(todo)
    except SummarizerError as e:
        report.fatal = e
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if summarizer is not None:
            summarizer.close()
        report.seconds = time.perf_counter() - started
    return report
