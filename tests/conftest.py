"""Shared fixtures: every test runs offline with no provider configured from the environment."""

from __future__ import annotations

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a red run is reproducible and CI
# never passes or fails by the luck of the draw; HYPOTHESIS_PROFILE=explore draws afresh.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))

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
