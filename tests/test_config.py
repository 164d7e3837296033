from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import Settings, resolve_settings
from summarizer.errors import ConfigurationError


def test_default_is_embedded_with_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    s = resolve_settings()
    assert s.provider == "embedded"
    assert "the default" in s.reason
    assert s.cache_dir == tmp_path / "agreement-summarizer"
    assert s.threads and s.threads >= 1


def test_key_selects_openai_and_base_url_selects_compatible(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert resolve_settings().provider == "openai"
    assert resolve_settings().model == "gpt-4o-mini"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    s = resolve_settings()
    assert (s.provider, s.base_url) == ("openai-compatible", "http://localhost:11434/v1")


def test_explicit_argument_beats_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    s = resolve_settings(Settings(provider="embedded"))
    assert s.provider == "embedded"
    assert s.api_key is None  # the key is not carried to a provider that does not use it
    assert resolve_settings(Settings(model="arg-model")).model == "arg-model"
    assert resolve_settings().model == "env-model"


def test_model_path_from_environment_selects_embedded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SUMMARIZER_MODEL_PATH", "/models/qwen7b.gguf")
    s = resolve_settings()
    assert s.provider == "embedded"
    assert s.model_path == Path("/models/qwen7b.gguf")


def test_missing_pieces_are_typed_errors_that_say_what_to_set():
    with pytest.raises(ConfigurationError) as info:
        resolve_settings(Settings(provider="openai"))
    assert "OPENAI_API_KEY" in info.value.hint
    with pytest.raises(ConfigurationError) as info:
        resolve_settings(Settings(provider="openai-compatible"))
    assert "OPENAI_BASE_URL" in info.value.hint
    with pytest.raises(ConfigurationError, match="Unknown provider"):
        resolve_settings(Settings(provider="bogus"))  # type: ignore[arg-type]


def test_explicit_base_url_beats_the_provider_from_the_environment(monkeypatch):
    monkeypatch.setenv("SUMMARIZER_PROVIDER", "embedded")
    s = resolve_settings(Settings(base_url="http://localhost:8000/v1"))
    assert (s.provider, s.base_url) == ("openai-compatible", "http://localhost:8000/v1")
