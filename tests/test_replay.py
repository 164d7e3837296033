"""Recorded model answers: an identical request is replayed, any change runs live."""

from __future__ import annotations

import json
from pathlib import Path

from fakes import SEED, FakeChatServer, fake_provider

from summarizer import Summarizer
from summarizer.providers.replay import CallCache

TEXT = SEED.read_text(encoding="utf-8")


def _summarizer(server: FakeChatServer, cache: CallCache) -> Summarizer:
    provider = fake_provider(server)
    provider.cache = cache
    return Summarizer(provider=provider)


def test_a_second_run_replays_every_call_and_gives_the_same_record(tmp_path: Path):
    server = FakeChatServer()
    first = _summarizer(server, CallCache(tmp_path)).summarize(TEXT)
    asked = len(server.requests)
    assert asked > 0
    cache = CallCache(tmp_path)
    second = _summarizer(server, cache).summarize(TEXT)
    assert len(server.requests) == asked  # nothing new reached the model
    assert cache.replayed_calls == first.provenance.calls and cache.live_calls == 0
    strip = ("duration_s",)
    a, b = first.model_dump(mode="json"), second.model_dump(mode="json")
    for record in (a, b):
        for key in strip:
            record["provenance"].pop(key)
    assert a == b  # tokens and attempts are the recorded ones too


def test_a_changed_document_runs_live_and_a_read_off_cache_only_records(tmp_path: Path):
    server = FakeChatServer()
    _summarizer(server, CallCache(tmp_path)).summarize(TEXT)
    asked = len(server.requests)
    changed = TEXT.replace("Busra", "Bosra", 1)
    cache = CallCache(tmp_path)
    _summarizer(server, cache).summarize(changed)
    assert len(server.requests) > asked and cache.live_calls > 0
    live = CallCache(tmp_path, read=False)
    before = len(server.requests)
    _summarizer(server, live).summarize(TEXT)
    assert live.replayed_calls == 0 and len(server.requests) > before


def test_prune_keeps_only_the_entries_a_run_used(tmp_path: Path):
    server = FakeChatServer()
    _summarizer(server, CallCache(tmp_path)).summarize(TEXT.replace("Busra", "Bosra", 1))
    cache = CallCache(tmp_path)
    _summarizer(server, cache).summarize(TEXT)
    total = len(list(tmp_path.glob("*/*.json")))
    removed = cache.prune()
    assert removed > 0 and len(list(tmp_path.glob("*/*.json"))) == total - removed
    for path in tmp_path.glob("*/*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        assert {"value", "stats", "seconds"} <= set(entry)
