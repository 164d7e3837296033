"""Errors raised by agreement-summarizer.

Every error derives from one base, so callers can catch everything with one clause::

    SummarizerError
    ├── ConfigurationError        settings or environment are wrong or incomplete
    │   └── ModelUnavailableError the embedded model cannot be assembled or loaded
    ├── InputError                the document cannot be processed (empty, binary, too long)
    ├── UsageError                the arguments contradict each other (an output over an input)
    ├── ProviderError             the model provider failed (transport, auth, timeout)
    │   ├── ProviderUnreachableError  the server could not be reached at all
    │   └── DocumentTimeoutError  one document ran past its own deadline
    ├── ExtractionError           the model's output never passed validation
    └── RunCancelledError         the run was cancelled (Ctrl-C, or a fatal error elsewhere)
"""

from __future__ import annotations

from typing import Any


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose."""

    #: One line telling the user what to do about it; the CLI prints it.
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class ConfigurationError(SummarizerError):
    """Settings or environment are wrong or incomplete."""


class ModelUnavailableError(ConfigurationError):
    """The embedded model cannot be assembled, verified or loaded."""


class InputError(SummarizerError):
    """The input document cannot be processed as given."""


class UsageError(SummarizerError):
    """The command's arguments cannot be carried out as given: an output would replace one of
    the command's own inputs, or an output location cannot be written. Found before any
    model call, so nothing is spent and nothing is changed."""


class ProviderError(SummarizerError):
    """The model provider failed: transport, authentication, timeout or a bad answer."""


class ProviderUnreachableError(ProviderError):
    """The provider's server could not be reached at all."""


class DocumentTimeoutError(ProviderError):
    """One document took longer than its overall deadline (``Settings.document_timeout``).

    A failure of that document only: the next document gets a deadline of its own.
    """


class RunCancelledError(SummarizerError):
    """The run was cancelled while this document was in flight; nothing of it is kept."""


class ExtractionError(SummarizerError):
    """The model's output never passed validation within the allowed attempts.

    Carries the last raw output and the token usage summed over every attempt, so a caller
    can see what the model said and what it cost.
    """

    def __init__(
        self,
        message: str,
        *,
        last_output: str | None = None,
        usage: dict[str, int] | None = None,
        attempts: int = 0,
        hint: str = "",
    ) -> None:
        super().__init__(message, hint=hint)
        self.last_output = last_output
        self.usage: dict[str, Any] = dict(usage or {})
        self.attempts = attempts
