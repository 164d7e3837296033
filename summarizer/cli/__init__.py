"""The ``summarizer`` command line: a thin skin over the library.

Data goes to stdout, diagnostics to stderr. Errors are mapped to a message and a hint in one
place (``format_error`` and ``exit_code_for``); tracebacks only with ``SUMMARIZER_DEBUG=1``.

Exit codes:
    0    every document was summarized (or skipped as already done)
    1    some documents failed (a failed extraction, or an unreadable file among others)
    2    usage error (bad option or argument; an output that would replace an input)
    3    configuration or provider error: no key, unreachable server, model unavailable
    4    input error: missing, empty, binary or too large file, folder without .txt/.md files
         (when every document given fails that way, e.g. a single bad file)
    130  interrupted with Ctrl-C (finished outputs are kept)
"""

from __future__ import annotations

# The command modules register themselves on ``app`` when imported.
from summarizer.cli import admin, records, summarize
from summarizer.cli.common import EXIT_INTERRUPTED, app, exit_code_for, format_error

__all__ = [
    "EXIT_INTERRUPTED",
    "admin",
    "app",
    "exit_code_for",
    "format_error",
    "records",
    "summarize",
]
