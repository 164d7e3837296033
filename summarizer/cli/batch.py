"""Batches for the command line: find documents, skip those already done, run, write outputs.

The CLI stays a thin skin: this module turns paths into ``Document`` entries, runs one
``Summarizer`` over them (sequentially, or with a few documents in flight for remote
providers), writes every output atomically, and tells an ``Events`` object what happened
(``summarizer.cli.progress`` shows it on stderr).
"""

from __future__ import annotations

import queue
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
from summarizer.cli.documents import (
    Document,
    check_output_names,
    output_paths,
    page_path,
    read_text,
    source_text_path,
)
from summarizer.cli.resume import done_in_file, done_in_jsonl, reusable
from summarizer.errors import UsageError
from summarizer.extract.model.prompt import load_prompt
from summarizer.extract.run import PROMPT_IDS
from summarizer.io.files import append_line, check_output_file, check_writable, write_atomic
from summarizer.io.formats import Loaded
from summarizer.io.load import (
    read_record,
    sha256_text,
)
from summarizer.outputs.render import to_markdown
from summarizer.outputs.review.page import review_page
from summarizer.record.schema import SCHEMA_VERSION

#: Seconds a cancelled run waits for documents in flight before it returns without them.
_CANCEL_GRACE_S = 1.0


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
    #: ``--source-url`` / ``--source-date``: the source block's URL and publication date.
    source_url: str | None = None
    source_date: str | None = None


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
        self.pending: list[tuple[Document, Loaded]] = []
        self.ready: dict[int, SummaryResult] = {}
        self.jsonl_done = (
            done_in_jsonl(options.jsonl) if options.jsonl and not options.force else []
        )

    def is_done(self, document: Document, loaded: Loaded) -> bool:
        """True when every requested output already holds this text's record from this model."""
        if self.options.force or not (self.options.out_dir or self.options.jsonl):
            return False
        wanted = ((sha256_text(loaded.text), *self.run_key), self.prompts)
        if self.options.out_dir is not None:
            json_path, _ = output_paths(document, self.options.out_dir)
            if not reusable(done_in_file(json_path), wanted):
                return False
        return self.options.jsonl is None or any(reusable(k, wanted) for k in self.jsonl_done)

    def complete_outputs(self, document: Document, loaded: Loaded) -> None:
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
        self.write_views(document, result, loaded.text, only_missing=True)

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

    def summarize(self, document: Document, loaded: Loaded) -> Outcome:
        """Summarize one document; per-document failures become a failed outcome."""
        started = time.perf_counter()
        try:
            result = self.summarizer.summarize(
                loaded.text, source=loaded.source, page_starts=loaded.page_starts
            )
        except (ConfigurationError, ProviderUnreachableError, RunCancelledError):
            raise  # no point going on: every other document would fail the same way
        except Exception as e:  # one document's failure must not stop the batch
            return Outcome(document, "failed", error=e, seconds=time.perf_counter() - started)
        return Outcome(document, "done", result=result, seconds=time.perf_counter() - started)

    def write(self, outcome: Outcome, loaded: Loaded) -> None:
        """Write a finished record to ``--out`` and ``--jsonl``."""
        result, doc = outcome.result, outcome.document
        assert result is not None
        if self.options.out_dir is not None:
            json_path, _ = output_paths(doc, self.options.out_dir)
            self.write_views(doc, result, loaded.text)
            if loaded.source.kind != "text":
                # The text the offsets point into, beside the record, so each can be checked.
                write_atomic(source_text_path(doc, self.options.out_dir), loaded.text)
            # The .json goes last: its presence is what marks the document done.
            write_atomic(json_path, result.model_dump_json(indent=2) + "\n")
        if self.options.jsonl is not None:
            append_line(self.options.jsonl, result.model_dump_json())

    def run(self, pending: list[tuple[Document, Loaded]]) -> None:
        """Summarize the pending documents; emit records to stdout in input order."""
        self.pending = pending
        try:
            if self.options.concurrency <= 1:
                for i, (doc, loaded) in enumerate(pending):
                    self.events.document_started(doc)
                    self.finish(i, self.summarize(doc, loaded))
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

        def work(index: int, doc: Document, loaded: Loaded) -> None:
            try:
                finished.put((index, self.summarize(doc, loaded)))
            except BaseException as e:  # handed to the main thread, which decides
                finished.put((index, e))

        try:
            while True:
                while len(in_flight) < self.options.concurrency:
                    item = next(todo, None)
                    if item is None:
                        break
                    i, (doc, loaded) = item
                    self.events.document_started(doc)
                    threading.Thread(target=work, args=(i, doc, loaded), daemon=True).start()
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
                self.emit(self.pending[i][0], result, self.pending[i][1].text)


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
        pending: list[tuple[Document, Loaded]] = []
        for doc in documents:
            try:
                pending.append(
                    (doc, read_text(doc, stdin, url=options.source_url, date=options.source_date))
                )
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
            for doc, loaded in pending:
                if run.is_done(doc, loaded):
                    run.complete_outputs(doc, loaded)
                    report.outcomes.append(Outcome(doc, "skipped"))
                    events.document_finished(report.outcomes[-1])
                else:
                    todo.append((doc, loaded))
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
