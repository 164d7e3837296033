"""agreement-summarizer: source-grounded records of political agreements from news reports.

>>> from summarizer import summarize
>>> record = summarize(open("seeds/busra-al-sham-2018.txt").read())  # doctest: +SKIP
"""

from __future__ import annotations

from summarizer.api import Summarizer, summarize
from summarizer.api import tool_version as _tool_version
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

__version__ = _tool_version()

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
