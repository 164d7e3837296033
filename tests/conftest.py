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
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Clear provider variables so a developer's key never reaches a test, and give each test
    its own folder of kept model answers: a fake server's answer must never be replayed to
    another test (the embedded model's files stay in the user cache, assembled once)."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    answers = tmp_path_factory.mktemp("answers")
    for where in ("summarizer.api.answers_dir", "summarizer.cli.admin.answers_dir"):
        monkeypatch.setattr(where, lambda cache_dir=None: answers)
