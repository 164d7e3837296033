"""Progress of a batch on stderr: a rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from summarizer import Summarizer
from summarizer.cli.batch import BatchReport, Events, Outcome
from summarizer.cli.documents import Document


def printable(text: str) -> str:
    """``text`` with control and format characters shown as escapes (``\\x1b``), line breaks
    kept: a file name or a server's message must not move the cursor, retitle the terminal or
    reorder the line on stderr."""
    return "".join(
        ch
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else ascii(ch)[1:-1]
        for ch in text
    )


def duration(seconds: float) -> str:
    """Seconds as ``1m 02s`` or ``3.4s``."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m {rest:02.0f}s" if minutes else f"{rest:.1f}s"


class ProgressReporter(Events):
    """Progress on stderr: a rich bar on a terminal, plain log lines otherwise."""

    def __init__(
        self, *, quiet: bool, verbose: bool, describe: Callable[..., str], bar: bool = True
    ) -> None:
        """Args: quiet and verbose flags; ``describe(error, name=...)`` formats a failure;
        ``bar`` False keeps to log lines (e.g. when records also go to the terminal)."""
        self.quiet, self.verbose, self.describe, self.bar = quiet, verbose, describe, bar
        self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.finished = 0
        self.total = 0

    def log(self, text: str) -> None:
        """A line on stderr, above the progress bar if one is shown."""
        text = printable(text)
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(text, err=True)

    def started(self, total: int) -> None:
        """Show the progress bar for several documents on a terminal."""
        self.total = total
        if total > 1 and self.bar and not self.quiet and self.console.is_terminal:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                redirect_stdout=False,  # records on stdout must never be routed to stderr
            )
            self.task = self.progress.add_task("starting", total=total)
            self.progress.start()

    def provider_ready(self, summarizer: Summarizer) -> None:
        """Say which provider and model run, when verbose."""
        if self.verbose:
            s, info = summarizer.settings, summarizer.provider.info
            self.log(f"provider: {info.name} ({s.reason}); model: {info.model}")

    def note(self, message: str) -> None:
        """A notice that is not an error."""
        if not self.quiet:
            self.log(f"note: {message}")

    def document_started(self, document: Document) -> None:
        """Show the current file."""
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description=escape(printable(document.name)))
        elif self.verbose:
            self.log(f"[{self.finished + 1}/{self.total}] summarizing {document.name}")

    def document_finished(self, outcome: Outcome) -> None:
        """Report a failure always; a success or skip as a log line when useful."""
        self.finished += 1
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task)
        step, name = f"[{self.finished}/{self.total}]", outcome.document.name
        if outcome.status == "failed" and outcome.error is not None:
            if self.total > 1:
                self.log(f"{step} failed  {name}")
            self.log(self.describe(outcome.error, name=name))
            return
        if outcome.result is not None and not self.quiet:
            # A record read in another language, or unsure: said always, not only verbosely.
            for warning in outcome.result.provenance.warnings:
                self.log(f"warning: {name}: {warning}")
        if self.quiet or (self.progress is not None and not self.verbose):
            return
        if outcome.status == "skipped" and (self.total > 1 or self.verbose):
            self.log(f"{step} skipped {name} (already done)")
        elif outcome.result is not None and (self.total > 1 or self.verbose):
            tokens = outcome.result.provenance.usage.total_tokens
            self.log(f"{step} done    {name} ({duration(outcome.seconds)}, {tokens:,} tokens)")

    def stop(self) -> None:
        """Remove the progress bar, if shown."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def close(self, report: BatchReport) -> None:
        """Stop the bar and print the summary line."""
        self.stop()
        if report.interrupted:
            self.log("interrupted: stopped early; outputs of finished documents are kept.")
        if not self.quiet and (report.total > 1 or self.verbose or report.interrupted):
            # Documents cut off by Ctrl-C or a fatal error have no outcome: say how many.
            not_run = report.total - len(report.outcomes)
            self.log(
                f"summary: {report.count('done')} done, {report.count('skipped')} skipped, "
                f"{report.count('failed')} failed"
                + (f", {not_run} not run" if not_run else "")
                + f" · {report.tokens:,} tokens · {duration(report.seconds)}"
            )
