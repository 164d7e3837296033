"""Shared fixtures: every test runs offline with no provider configured from the environment."""

from __future__ import annotations

import pytest

_PROVIDER_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "SUMMARIZER_PROVIDER",
    "SUMMARIZER_MODEL",
    "SUMMARIZER_MODEL_PATH",
    "SUMMARIZER_DEBUG",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear provider variables so a developer's key never reaches a test."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
