"""The installed version of the package (one place, read by the record's provenance too)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def tool_version() -> str:
    """The installed version of agreement-summarizer ("0+unknown" when not installed)."""
    try:
        return version("agreement-summarizer")
    except PackageNotFoundError:
        return "0+unknown"
