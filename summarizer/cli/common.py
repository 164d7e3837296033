"""What every command shares: the app, exit codes, and the one place errors become messages."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import click
import typer

from summarizer import (
    ConfigurationError,
    InputError,
    ProviderError,
    SummarizerError,
    __version__,
)
from summarizer.cli.progress import printable
from summarizer.config import debug_enabled
from summarizer.errors import UsageError
from summarizer.providers.secrets import scrub

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CONFIG, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


def _click_exits() -> tuple[type[BaseException], ...]:
    """click's exceptions that end a command (exits, aborts, usage errors), and typer's copies.

    typer up to 0.2x re-exports click's classes; later releases carry their own copy of click,
    whose ``BadParameter`` is no subclass of ``click.ClickException``. Both must pass through
    ``handled`` untouched so typer prints its usage message and exits 2.
    """
    found: set[type[BaseException]] = {
        click.ClickException,
        click.exceptions.Exit,
        click.Abort,
        typer.Exit,
        typer.Abort,
    }
    for cls in (typer.BadParameter, typer.Exit, typer.Abort):
        found.update(b for b in cls.__mro__ if b.__name__ in ("ClickException", "Exit", "Abort"))
    return tuple(found)


_CLICK_EXITS = _click_exits()
#: Longest traceback shown with SUMMARIZER_DEBUG=1.
_TRACE_CHARS = 20_000

app = typer.Typer(
    name="summarizer",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
models_app = typer.Typer(help="The embedded model and the provider this environment would use.")
app.add_typer(models_app, name="models")
cache_app = typer.Typer(help="The kept model answers that make a repeated summarize instant.")
app.add_typer(cache_app, name="cache")


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
    if isinstance(error, UsageError):
        return EXIT_USAGE
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
        # A server may echo a key into an error the traceback quotes: mask it here too.
        trace = "".join(traceback.format_exception(error)).rstrip()
        lines.append(scrub(trace, limit=_TRACE_CHARS, keep_lines=True))
    return "\n".join(lines)


def err(text: str) -> None:
    """Write a diagnostic line to stderr, control characters of names shown as escapes."""
    click.echo(printable(text), err=True)


@contextmanager
def handled() -> Iterator[None]:
    """Turn library errors into a message and an exit code; leave click's own exits alone."""
    try:
        yield
    except _CLICK_EXITS:
        raise
    except BrokenPipeError:
        raise  # the reader of stdout went away: typer exits 1 quietly
    except KeyboardInterrupt:
        err("interrupted.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception as e:
        err(format_error(e))
        raise typer.Exit(exit_code_for(e)) from None


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
      2    usage error (also: an output that would replace an input)
      3    configuration or provider error (key, server, model)
      4    input error (missing, empty, binary or too large file; folder without .txt/.md)
      130  interrupted (finished outputs are kept)

    Example: summarizer summarize report.txt --format markdown
    """
    if not debug_enabled():
        # instructor logs every failed attempt; the CLI reports the outcome once, with a hint.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
