"""agreement-summarizer: source-grounded records of political agreements from news reports.

>>> from summarizer import summarize
>>> record = summarize(open("seeds/busra-al-sham-2018.txt").read())  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.config import Settings
from summarizer.errors import (
    ConfigurationError,
    DocumentTimeoutError,
    ExtractionError,
    InputError,
    ModelUnavailableError,
    ProviderError,
    ProviderUnreachableError,
    RunCancelledError,
    SummarizerError,
)
from summarizer.record.schema import (
    Agreement,
    Article,
    Condition,
    Evidence,
    Party,
    Provenance,
    SummaryResult,
)
from summarizer.version import tool_version

if TYPE_CHECKING:
    from summarizer.api import Summarizer, summarize

__version__ = tool_version()

__all__ = [
    "Agreement",
    "Article",
    "Condition",
    "ConfigurationError",
    "DocumentTimeoutError",
    "Evidence",
    "ExtractionError",
    "InputError",
    "ModelUnavailableError",
    "Party",
    "Provenance",
    "ProviderError",
    "ProviderUnreachableError",
    "RunCancelledError",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "SummaryResult",
    "__version__",
    "summarize",
]


def __getattr__(name: str) -> object:
    """``Summarizer`` and ``summarize`` load the provider layer (openai, instructor) on first
    use, so importing a part of the package (the rules, the record schema) does not."""
    if name in ("Summarizer", "summarize"):
        from summarizer import api

        return getattr(api, name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public surface (``__all__``), the lazy names included."""
    return list(__all__)
