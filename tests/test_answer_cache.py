"""A repeated summarize of an unchanged document replays the kept model answers: no model
call, the same record, in well under a second; --no-cache runs live; the cache has a cap and
`summarizer cache info|clear`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fakes import SEED, FakeChatServer, fake_provider
from typer.testing import CliRunner

from summarizer import Settings, Summarizer
from summarizer.cli import app
from summarizer.extract.model.responses import TermDraft
from summarizer.providers.replay import CallCache

runner = CliRunner()


def _without_duration(record: dict[str, object]) -> dict[str, object]:
    record = json.loads(json.dumps(record))
    record["provenance"].pop("duration_s")  # type: ignore[union-attr]
    return record


def test_a_repeat_makes_no_model_call_and_gives_the_same_record():
    server = FakeChatServer()
    settings = Settings(cache_answers=True)
    text = SEED.read_text(encoding="utf-8")
    with Summarizer(settings, provider=fake_provider(server)) as s:
        first = s.summarize(text).model_dump(mode="json")
    calls = len(server.requests)
    assert calls > 0
    with Summarizer(settings, provider=fake_provider(server)) as s:
        started = time.perf_counter()
        second = s.summarize(text).model_dump(mode="json")
        seconds = time.perf_counter() - started
    assert len(server.requests) == calls  # nothing asked again
    assert _without_duration(second) == _without_duration(first)
    assert seconds < 1.0


def test_the_library_keeps_no_answers_unless_asked():
    server = FakeChatServer()
    text = SEED.read_text(encoding="utf-8")
    counts = []
    for _ in range(2):
        with Summarizer(provider=fake_provider(server)) as s:
            s.summarize(text)
        counts.append(len(server.requests))
    assert counts[0] > 0
    assert counts[1] == 2 * counts[0]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeChatServer:
    fake = FakeChatServer()
    monkeypatch.setattr("summarizer.api.open_provider", lambda settings: fake_provider(fake))
    return fake


def test_the_cli_replays_by_default_and_runs_live_with_no_cache(
    server: FakeChatServer, tmp_path: Path
):
    report = tmp_path / "report.txt"
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first = runner.invoke(app, ["summarize", str(report), "--format", "json"])
    assert first.exit_code == 0, first.output
    calls = len(server.requests)
    again = runner.invoke(app, ["summarize", str(report), "--format", "json"])
    assert again.exit_code == 0
    assert len(server.requests) == calls
    assert _without_duration(json.loads(again.stdout)) == _without_duration(
        json.loads(first.stdout)
    )
    live = runner.invoke(app, ["summarize", str(report), "--format", "json", "--no-cache"])
    assert live.exit_code == 0
    assert len(server.requests) == 2 * calls

    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0
    assert f"answers: {calls:,}" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert f"deleted {calls:,}" in cleared.stdout
    assert "answers: 0" in runner.invoke(app, ["cache", "info"]).stdout


def test_the_cap_removes_the_least_recently_used_answers(tmp_path: Path):
    cache = CallCache(tmp_path, max_bytes=4000)
    entry = {"content": "x" * 900, "seconds": 1.0}
    for i in range(10):
        cache.put(CallCache.key({"i": i}), entry)
        time.sleep(0.01)  # distinct modification times
    assert cache.size() <= 4000
    assert cache.get(CallCache.key({"i": 9})) is not None  # the newest stays
    assert cache.get(CallCache.key({"i": 0})) is None  # the oldest went


def test_a_repeat_does_not_load_the_embedded_model(monkeypatch: pytest.MonkeyPatch):
    from summarizer.providers import embedded

    loads: list[Path] = []
    fake = FakeChatServer()

    def start(model: Path, **_: object) -> FakeChatServer:
        loads.append(model)
        return fake

    monkeypatch.setattr(
        embedded,
        "resolve_model_file",
        lambda path, cache_dir: embedded.LocalModelInfo(Path("m.gguf"), "m", "0" * 64, 8192),
    )
    monkeypatch.setattr(embedded, "start_runtime", start)
    settings = Settings(provider="embedded", cache_answers=True)
    text = SEED.read_text(encoding="utf-8")
    with Summarizer(settings) as s:
        assert not s.provider.runtime.loaded  # opening loads nothing
        first = s.summarize(text).model_dump(mode="json")
    assert len(loads) == 1
    with Summarizer(settings) as s:
        second = s.summarize(text).model_dump(mode="json")
        assert not s.provider.runtime.loaded
    assert len(loads) == 1  # every answer replayed: the model never loaded
    assert _without_duration(second) == _without_duration(first)


def test_an_answer_over_a_reused_prefix_is_recorded_apart_only_with_probabilities():
    provider = fake_provider()
    messages = [{"role": "user", "content": "Is it so?"}]
    model = TermDraft  # any response model: only its schema goes into the key
    fresh = provider._cache_key(messages, model, 16, logprobs=True)
    reused = provider._cache_key(messages, model, 16, logprobs=True, reuse_prefix=True)
    assert fresh != reused
    # A pass's text answer keeps its key whichever way the runtime read the prefix.
    assert provider._cache_key(messages, model, 16) == provider._cache_key(
        messages, model, 16, reuse_prefix=True
    )
