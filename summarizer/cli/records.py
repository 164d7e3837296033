"""Commands on records: ``review`` (the HTML page, gold import), ``merge`` and ``export``."""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from summarizer import (
    InputError,
    __version__,
)
from summarizer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    app,
    err,
    format_error,
    handled,
)
from summarizer.io.files import check_output_file, write_atomic
from summarizer.io.load import read_document, read_record
from summarizer.merge import Input as MergeInput
from summarizer.merge import merge_records
from summarizer.outputs.review import import_gold, review_page
from summarizer.outputs.review.gold import word_count_note


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
    with handled():
        if import_file is not None:
            if into is None:
                raise typer.BadParameter("--import needs --into FOLDER.")
            target = import_gold(import_file, into, document, force=force)
            err(f"filed {target}")
            if document is not None and (note := word_count_note(read_document(document))):
                err(f"note: {note}")
            return
        if record is None:
            raise typer.BadParameter("give a RECORD.json, or --import FILE --into FOLDER.")
        target = output or record.with_suffix(".html")
        check_output_file(target, [record, *([document] if document else [])], option="--output")
        result = read_record(record)
        text = read_document(document) if document is not None else None
        write_atomic(target, review_page(result, text, title=(document or record).name))
        err(f"review page: {target}")


def merge_input(arg: str) -> MergeInput:
    """Read ``RECORD.json`` or ``RECORD.json@YYYY-MM-DD`` (the report's date) for merging.

    Raises:
        InputError: the file is not a record of this schema version, or the date is not ISO.
    """
    path, day = _record_path(arg)
    if day and not _real_date(day):
        raise InputError(
            f"{arg}: {day} is not a date.", hint="Give the report's date as YYYY-MM-DD or YYYY-MM."
        )
    return MergeInput(read_record(path), record_file=path.name, report_date=day or None)


def _record_path(arg: str) -> tuple[Path, str]:
    """The record file of ``RECORD.json[@YYYY-MM-DD]`` and the date given ("" when none)."""
    # Only a trailing "@date" is a date: a path may hold "@" of its own.
    dated = re.search(r"@(\d{4}-\d\d(?:-\d\d)?)$", arg)
    path_text, day = (arg[: dated.start()], dated.group(1)) if dated else (arg, "")
    return Path(path_text), day


def _real_date(day: str) -> bool:
    """Whether ``YYYY-MM-DD`` or ``YYYY-MM`` is a day or month of the calendar (not 2020-13-45)."""
    try:
        datetime.date.fromisoformat(day if len(day) == 10 else f"{day}-01")
    except ValueError:
        return False
    return True


def merged_json(inputs: list[MergeInput]) -> tuple[str, list[MergeInput]]:
    """The merged record as JSON, and the inputs left out as another agreement's."""
    outcome = merge_records(inputs, tool_version=__version__)
    return outcome.merged.model_dump_json(indent=2) + "\n", outcome.left_out


@app.command(epilog="Example: summarizer merge a.json b.json@2020-05-06 c.json -o merged.json")
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
    with handled():
        if output is not None:
            check_output_file(output, [_record_path(a)[0] for a in records], option="--output")
        inputs: list[MergeInput] = []
        bad = 0
        for arg in records:
            try:
                inputs.append(merge_input(arg))
            except InputError as e:
                bad += 1
                err(format_error(e))
        if not inputs:
            raise InputError("no readable record to merge.", hint="Check the files named above.")
        text, left_out = merged_json(inputs)
        for item in left_out:
            err(
                f"left out {item.record_file}: it shares no party, term or name with the others "
                "(another agreement?)"
            )
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text)
            err(f"merged {len(inputs) - len(left_out)} records into {output}")
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
    from summarizer.outputs.export import read_corpus, write_corpus

    with handled():
        corpus = read_corpus(records)
        for path, reason in corpus.skipped:
            err(f"skipped {path}: {reason}")
        if not corpus.records:
            raise InputError(f"{records}: no readable record.", hint="Check the files named above.")
        for path in write_corpus(corpus, fmt.value, output):
            err(f"wrote {path}")
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in corpus.tables.items())
        notes = "".join(f"; {note}" for note in corpus.changes.notes())
        err(f"export: {counts}; {len(corpus.skipped)} file(s) skipped{notes}")
    raise typer.Exit(EXIT_FAILED if corpus.skipped else EXIT_OK)
