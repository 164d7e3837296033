"""Slow tests on the real embedded model (minutes on 2 cores). Marked slow; CI runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pydantic import BaseModel

from summarizer import Settings, Summarizer
from summarizer.config import resolve_settings
from summarizer.providers.client import open_remote
from summarizer.providers.transport import compact_json_grammar

pytestmark = pytest.mark.slow
SHORT = (Path(__file__).parent / "data" / "short-report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def embedded() -> Iterator[Summarizer]:
    with Summarizer(Settings(provider="embedded")) as summarizer:
        yield summarizer


@pytest.mark.parametrize("compact", [False, True], ids=["response_format", "compact_grammar"])
def test_runtime_really_enforces_the_json_schema(embedded: Summarizer, compact: bool):
    # Only one string is valid under this schema; an unconstrained model would answer "4".
    # Checked both as the runtime gets a plain response_format and as the embedded transport
    # sends it (an llguidance grammar for compact JSON), so neither path is let through
    # unconstrained.
    request = {
        "messages": [{"role": "user", "content": "What is 2+2? Answer in JSON."}],
        "max_tokens": 20,
        "temperature": 0,
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "A",
                "schema": {
                    "type": "object",
                    "properties": {"answer": {"type": "string", "enum": ["banana"]}},
                    "required": ["answer"],
                    "additionalProperties": False,
                },
            },
        },
    }
    if compact:
        request = compact_json_grammar(request)
    reply = embedded.provider.runtime.handle_chat_completions(request)
    content = reply["choices"][0]["message"]["content"]
    assert json.loads(content) == {"answer": "banana"}
    if compact:
        assert content == '{"answer": "banana"}'


def test_short_report_is_grounded_and_repeatable(embedded: Summarizer):
    first = embedded.summarize(SHORT)
    second = embedded.summarize(SHORT)
    for item in [*first.parties, *first.articles, *first.conditions]:
        for ev in item.evidence:
            assert SHORT[ev.start : ev.end] == ev.quote
    assert first.articles, "the short report has agreed terms"
    assert first.provenance.provider == "embedded"
    assert first.provenance.model_sha256 == (
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    )
    assert first.provenance.usage.completion_tokens > 0
    a = first.model_dump(exclude={"provenance": {"duration_s"}})
    b = second.model_dump(exclude={"provenance": {"duration_s"}})
    assert a == b, "temperature 0 with a fixed prompt order must repeat exactly"


class Capital(BaseModel):
    city: str


def test_openai_compatible_provider_against_the_runtimes_own_http_endpoint(embedded: Summarizer):
    address = embedded.provider.runtime.listening_address
    assert urlparse(address).hostname == "127.0.0.1", "the endpoint must bind loopback only"
    settings = resolve_settings(
        Settings(provider="openai-compatible", base_url=f"{address}/v1", model="local")
    )
    remote = open_remote(settings)
    try:
        answer = remote.structured(
            [{"role": "user", "content": "What is the capital of France?"}], Capital, max_tokens=30
        )
        assert "paris" in answer.value.city.lower()
        assert answer.stats.completion_tokens > 0
        record = Summarizer(provider=remote).summarize(SHORT)
        assert record.provenance.provider == "openai-compatible"
        assert record.provenance.base_url == f"{address}/v1"
        assert record.articles or record.parties
    finally:
        remote.close()


def test_cli_runs_the_embedded_model_on_the_seed(tmp_path: Path):
    from typer.testing import CliRunner

    from summarizer.cli import app

    seed = Path(__file__).resolve().parent.parent / "seeds" / "busra-al-sham-2018.txt"
    text = seed.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        app, ["summarize", str(seed), "--format", "json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads((tmp_path / "busra-al-sham-2018.json").read_text(encoding="utf-8"))
    assert record["schema_version"] == "1.4"
    assert record["provenance"]["provider"] == "embedded"
    items = [*record["parties"], *record["articles"], *record["conditions"]]
    assert len(items) >= 5, "the seed report has parties, terms and conditions"
    for item in items:
        for ev in item["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]
    assert record["agreement"]["date"] is None, "the seed states no date, only weekdays"


def test_the_runtime_reports_the_probability_of_a_constrained_answer(embedded: Summarizer):
    from summarizer.extract.model.verify import answer_model

    statements = [
        {"role": "system", "content": "Answer each numbered statement yes or no, in JSON."},
        {"role": "user", "content": "1. Two plus two is four.\n2. Paris is in Peru."},
    ]
    answer = embedded.provider.structured(
        statements,
        answer_model(2),
        max_tokens=40,
        choices={"1": ["yes", "no"], "2": ["yes", "no"]},
    )
    assert answer.probabilities is not None
    assert set(answer.probabilities) == {"1", "2"}
    for field in ("1", "2"):
        assert sum(answer.probabilities[field].values()) == pytest.approx(1.0)
    # The model's probability agrees with the answer the grammar let it write.
    chosen = answer.value.model_dump(by_alias=True)
    for field, word in chosen.items():
        assert answer.probabilities[field][word] >= 0.5
