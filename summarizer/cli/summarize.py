"""``summarizer summarize``: documents in, records out (and merged with ``--merge``)."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from summarizer import (
    InputError,
    Settings,
    Summarizer,
    SummaryResult,
)
from summarizer.cli.batch import BatchOptions, BatchReport, check_output_locations, run_batch
from summarizer.cli.common import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    OutputFormat,
    ProviderChoice,
    app,
    err,
    format_error,
    handled,
)
from summarizer.cli.documents import Document, discover, output_paths, write_index
from summarizer.cli.progress import ProgressReporter
from summarizer.cli.records import merge_input, merged_json
from summarizer.config import resolve_settings
from summarizer.io.files import write_atomic
from summarizer.io.load import read_stream
from summarizer.merge import Input as MergeInput
from summarizer.outputs.render import to_json, to_markdown, to_table
from summarizer.outputs.review import review_page


def _batch_exit_code(report: BatchReport) -> int:
    """0, 1, 4 or 130 from a run's outcomes (a fatal error is reported by the caller)."""
    if report.interrupted:
        return EXIT_INTERRUPTED
    failed = [o for o in report.outcomes if o.status == "failed"]
    if not failed:
        return EXIT_OK
    if len(failed) == report.total and all(isinstance(o.error, InputError) for o in failed):
        return EXIT_INPUT
    return EXIT_FAILED


def _emitter(fmt: OutputFormat, single: bool) -> Callable[[Document, SummaryResult, str], None]:
    """The function that prints one record to stdout in the chosen format."""

    def emit(document: Document, result: SummaryResult, text: str) -> None:
        if fmt is OutputFormat.table:
            Console(highlight=False).print(to_table(result, title=document.name))
        elif fmt is OutputFormat.markdown:
            typer.echo(to_markdown(result, title=document.name))
        elif fmt is OutputFormat.html:
            typer.echo(review_page(result, text, title=document.name), nl=False)
        else:
            # Several documents on stdout: JSON Lines, one record per line, in input order.
            typer.echo(to_json(result) if single else result.model_dump_json())

    return emit


@app.command(epilog="Example: summarizer summarize reports/ --out records/ --concurrency 4")
def summarize(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Report files, folders (every .txt/.md inside, sorted), glob patterns, "
            "or - for stdin.",
            metavar="PATH...",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output on stdout. Default: table on a terminal, JSON when piped. JSON of "
            "several documents is JSON Lines (one record per line, in input order). With "
            "--out, markdown also writes <name>.md files, and html a review page <name>.html "
            "per document plus index.html.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write <name>.json per document into this folder instead of stdout; "
            "documents already done there are skipped, so a stopped run resumes.",
            file_okay=False,
        ),
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(help="Append one JSON line per document to this file instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Summarize again documents already done.")
    ] = False,
    merge_them: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="The documents are reports of one agreement: print (or, with --out, write "
            "merged.json) one merged record instead of one record each.",
        ),
    ] = False,
    provider: Annotated[
        ProviderChoice | None, typer.Option(help="Model provider. Default: from environment.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name for a remote provider.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server URL, e.g. http://host:11434/v1.")
    ] = None,
    model_path: Annotated[
        Path | None, typer.Option(help="A local GGUF model file for the embedded provider.")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option(min=0, help="Validation re-asks per model call. [default: 2]")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Seconds per request, connect to last byte. [default: 300 for a server; none "
            "for the embedded model, which --document-timeout bounds]",
        ),
    ] = None,
    document_timeout: Annotated[
        float | None,
        typer.Option(
            min=1.0,
            help="Seconds per document, every call and retry included. [default: 1800]",
        ),
    ] = None,
    context_tokens: Annotated[
        int | None,
        typer.Option(
            min=4096,
            max=32768,
            help="Embedded model's context in tokens (up to 32768, and no more than the model "
            "file's own); a longer document is read in chunks. Remote providers are never "
            "chunked and ignore it. [default: 8192]",
        ),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(min=1, help="Documents in flight at once (remote providers only)."),
    ] = 1,
    source_url: Annotated[
        str | None,
        typer.Option(help="Where the report was published (the record's source block)."),
    ] = None,
    source_date: Annotated[
        str | None,
        typer.Option(help="When it was published, YYYY-MM-DD (the record's source block)."),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Keep only the articles, conditions and parties whose confidence (a "
            "calibrated probability of being right) is at least this; 0 keeps everything. "
            "[default: the threshold chosen on the dev split, shipped with the calibration]",
        ),
    ] = None,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Replay kept model answers for the very same requests (an unchanged document "
            "with unchanged settings comes back without a model call); --no-cache runs every "
            "call live. See `summarizer cache info`.",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Provider and per-document details.")
    ] = False,
) -> None:
    """Summarize reports into agreement records (one model load for all documents)."""
    if quiet and verbose:
        raise typer.BadParameter("use --quiet or --verbose, not both.")
    with handled():
        changes = {
            "provider": provider.value if provider else None,
            "model": model,
            "base_url": base_url,
            "model_path": model_path,
            "max_retries": max_retries,
            "timeout": timeout,
            "document_timeout": document_timeout,
            "context_tokens": context_tokens,
            "min_confidence": min_confidence,
        }
        settings = Settings(cache_answers=cache).with_changes(
            **{k: v for k, v in changes.items() if v is not None}
        )
        # Configuration errors first, before any document is read.
        resolved = resolve_settings(settings)
        if context_tokens is not None and resolved.provider != "embedded" and not quiet:
            err(f"note: --context-tokens is ignored by the {resolved.provider} provider.")
        documents = discover(paths, exclude=out)
        if fmt is OutputFormat.html and out is None and len(documents) > 1:
            raise typer.BadParameter("--format html of several documents needs --out DIR.")
        if source_date is not None and not _is_date(source_date):
            raise typer.BadParameter(f"--source-date {source_date!r} is not a YYYY-MM-DD date.")
        options = BatchOptions(
            out_dir=out,
            jsonl=jsonl,
            markdown=fmt is OutputFormat.markdown,
            html=fmt is OutputFormat.html,
            concurrency=concurrency,
            force=force,
            source_url=source_url,
            source_date=source_date,
        )
        # Before the model loads and before any request: an output over an input, or one
        # that cannot be written, would otherwise show only after records were paid for.
        check_output_locations(documents, options, merged=merge_them)
        stdin = sys.stdin.buffer
        if any(d.path is None and d.error is None for d in documents) and sys.stdin.isatty():
            err("reading a report from stdin; end it with Ctrl-D.")
        fmt = fmt or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.json)
        to_files = out is not None or jsonl is not None
        # A bar on the same terminal as the records would tear; keep to log lines then.
        bar = to_files or not sys.stdout.isatty()
        reporter = ProgressReporter(quiet=quiet, verbose=verbose, describe=format_error, bar=bar)
        try:
            report = run_batch(
                documents,
                lambda: Summarizer(settings),
                options,
                reporter,
                stdin=lambda: read_stream(stdin, name="<stdin>"),
                emit=None if to_files or merge_them else _emitter(fmt, len(documents) == 1),
            )
        finally:
            reporter.stop()
        reporter.close(report)
        if (
            out is not None
            and fmt is OutputFormat.html
            and report.count("done") + report.count("skipped")
        ):
            err(f"review pages: {write_index(out)}")
        if report.fatal is not None:
            raise report.fatal
        code = _batch_exit_code(report)
        if merge_them and not report.interrupted:
            code = max(code, _merge_outcomes(report, documents, out))
        raise typer.Exit(code)


def _merge_outcomes(report: BatchReport, documents: list[Document], out: Path | None) -> int:
    """Merge a run's records (done, or already done under --out) in input order; the exit
    code it adds."""
    order = {id(d): i for i, d in enumerate(documents)}
    inputs = []
    for outcome in sorted(report.outcomes, key=lambda o: order.get(id(o.document), 0)):
        if outcome.result is not None:
            inputs.append(MergeInput(outcome.result, record_file=outcome.document.name))
        elif outcome.status == "skipped" and out is not None:
            inputs.append(merge_input(str(output_paths(outcome.document, out)[0])))
    if not inputs:
        err("nothing to merge: no document was summarized.")
        return EXIT_FAILED
    text, left_out = merged_json(inputs)
    for item in left_out:
        err(f"left out of the merge: {item.record_file} (another agreement?)")
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out / "merged.json", text)
        err(f"merged {len(inputs) - len(left_out)} records into {out / 'merged.json'}")
    return EXIT_FAILED if left_out else EXIT_OK


def _is_date(value: str) -> bool:
    """Whether ``value`` is a calendar date written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
