"""Provider layer: transport faults faked at the HTTP layer, re-asks counted, usage summed."""

from __future__ import annotations

import json

import httpx
import pytest
from fakes import completion, mock_remote
from pydantic import BaseModel

from summarizer.errors import (
    ConfigurationError,
    ExtractionError,
    ProviderError,
    ProviderUnreachableError,
)
from summarizer.providers.transport import RetryTransport


class Answer(BaseModel):
    value: int


MESSAGES = [{"role": "user", "content": "2+2?"}]


def _ok(content: str = '{"value": 4}') -> httpx.Response:
    return httpx.Response(200, json=completion(content, prompt_tokens=10, completion_tokens=5))


def test_server_errors_and_rate_limits_are_retried_then_succeed(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    replies = [httpx.Response(503), httpx.Response(429, headers={"Retry-After": "0"}), _ok()]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return replies.pop(0)

    result = mock_remote(handler, retries=3).structured(MESSAGES, Answer, max_tokens=10)
    assert result.value.value == 4
    assert len(seen) == 3
    assert json.loads(seen[-1].content)["messages"][0]["content"] == "2+2?"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ProviderError),
        (401, ConfigurationError),
        (403, ConfigurationError),
        (404, ConfigurationError),
    ],
)
def test_client_errors_are_never_retried(status, error):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(status, json={"error": {"message": "no"}})

    with pytest.raises(error):
        mock_remote(handler, retries=3).structured(MESSAGES, Answer, max_tokens=10)
    assert len(calls) == 1


def test_bad_key_says_which_variable_to_set():
    provider = mock_remote(lambda r: httpx.Response(401, json={"error": {"message": "bad key"}}))
    with pytest.raises(ConfigurationError) as info:
        provider.structured(MESSAGES, Answer, max_tokens=10)
    assert "OPENAI_API_KEY" in info.value.hint


def test_unreachable_server_is_retried_a_bounded_number_of_times(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("connection refused")

    with pytest.raises(ProviderUnreachableError) as info:
        mock_remote(handler, retries=2).structured(MESSAGES, Answer, max_tokens=10)
    assert len(calls) == 3
    assert "OPENAI_BASE_URL" in info.value.hint


def test_timeouts_are_retried_then_reported(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadTimeout("slow")

    with pytest.raises(ProviderUnreachableError, match="timed out"):
        mock_remote(handler, retries=1).structured(MESSAGES, Answer, max_tokens=10)
    assert len(calls) == 2


def _retry_once(first: httpx.Response) -> tuple[httpx.Response, list[float]]:
    """Send one request whose first answer is ``first`` and second a success; return the waits."""
    waits: list[float] = []
    replies = [first, _ok()]
    transport = RetryTransport(
        httpx.MockTransport(lambda r: replies.pop(0)),
        attempts=3,
        max_seconds=60,
        sleep=waits.append,
    )
    response = transport.handle_request(httpx.Request("POST", "http://x/v1/chat/completions"))
    return response, waits


def test_retry_after_header_sets_the_wait():
    response, waits = _retry_once(httpx.Response(429, headers={"Retry-After": "7"}))
    assert response.status_code == 200
    assert waits == [7.0]


def test_invalid_then_valid_answer_is_reasked_and_usage_summed_over_attempts():
    bodies = []
    replies = ['{"value": "four"}', '{"value": 4}']

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return _ok(replies.pop(0))

    result = mock_remote(handler).structured(MESSAGES, Answer, max_tokens=10)
    assert result.value.value == 4
    assert result.stats.attempts == 2
    assert (result.stats.prompt_tokens, result.stats.completion_tokens) == (20, 10)
    # The re-ask carries the failed answer and the error, and nothing more.
    assert len(bodies[1]["messages"]) == len(bodies[0]["messages"]) + 2


def test_garbage_until_attempts_run_out_raises_with_last_output_and_usage():
    from summarizer.config import Settings

    settings = Settings(
        provider="openai-compatible", base_url="http://mock.invalid/v1", max_retries=1
    )
    provider = mock_remote(lambda r: _ok("this is not json"), settings=settings)
    with pytest.raises(ExtractionError) as info:
        provider.structured(MESSAGES, Answer, max_tokens=10)
    assert info.value.attempts == 2
    assert info.value.last_output == "this is not json"
    assert info.value.usage == {"prompt_tokens": 20, "completion_tokens": 10}


def test_compact_json_grammar_keeps_the_schema_and_drops_the_response_format():
    from summarizer.providers.transport import compact_json_grammar

    schema = {"type": "object", "properties": {"a": {"enum": ["x"]}}, "required": ["a"]}
    body = {
        "messages": [],
        "response_format": {"type": "json_schema", "json_schema": {"name": "A", "schema": schema}},
    }
    out = compact_json_grammar(body)
    assert "response_format" not in out
    header, _, grammar_schema = out["grammar"].partition("start: %json ")
    assert header == "%llguidance {}\n"
    parsed = json.loads(grammar_schema)
    assert parsed["properties"] == schema["properties"]
    assert parsed["x-guidance"]["whitespace_flexible"] is False
    assert compact_json_grammar({"messages": []}) == {"messages": []}


@pytest.mark.parametrize("header", ["soon", "Wed, 21 Oct 2015 07:28:00"])
def test_unreadable_or_naive_retry_after_falls_back_to_backoff(header):
    response, waits = _retry_once(httpx.Response(503, headers={"Retry-After": header}))
    assert response.status_code == 200
    assert len(waits) == 1 and 0 <= waits[0] <= 30


def test_a_failing_embedded_runtime_is_a_provider_error_not_unreachable():
    from fakes import FakeChatServer, fake_provider

    def boom(request):
        raise RuntimeError("llama_decode failed")

    provider = fake_provider(FakeChatServer(answer_fn=boom))
    with pytest.raises(ProviderError, match="embedded runtime failed") as info:
        provider.structured(MESSAGES, Answer, max_tokens=10)
    assert not isinstance(info.value, ProviderUnreachableError)


def test_runtime_features_lists_the_instruction_sets_llama_cpp_reports_as_on(monkeypatch):
    import xllamacpp  # the quick start's test line installs the [local] extra

    from summarizer.providers.embedded import runtime_features

    report = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | REPACK = 1 | "
    monkeypatch.setattr(xllamacpp, "get_system_info", lambda: report)
    assert runtime_features() == "SSE3 AVX AVX2 REPACK"


def test_keys_in_a_server_url_or_an_error_body_are_never_shown():
    from summarizer.providers.secrets import redact_url, scrub

    assert redact_url("http://user:KEY123@host:8080/v1?api-key=KEY123#x") == "http://host:8080/v1"
    body = "denied for Authorization: Bearer sk-abcdefghijklmnop " + "x" * 5000
    shown = scrub(body)
    assert "sk-abcdefghijklmnop" not in shown and len(shown) < 400
    assert "api_key=***" in scrub("bad api_key=SECRETVALUE here")


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_server_that_keeps_failing_is_unavailable_not_a_document_failure(monkeypatch, status):
    monkeypatch.setattr("time.sleep", lambda s: None)
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            status, headers={"Retry-After": "0"}, json={"error": {"message": "busy"}}
        )

    with pytest.raises(ProviderUnreachableError, match=f"kept answering HTTP {status}"):
        mock_remote(handler, retries=2).structured(MESSAGES, Answer, max_tokens=10)
    assert len(calls) == 3


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_request_deadline():
    import time as clock

    class Trickle(httpx.SyncByteStream):
        def __iter__(self):
            for _ in range(50):
                clock.sleep(0.05)
                yield b" "

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Trickle())

    transport = RetryTransport(httpx.MockTransport(handler), attempts=1, max_seconds=0.5)
    started = clock.monotonic()
    with pytest.raises(httpx.ReadTimeout, match="deadline"):
        transport.handle_request(httpx.Request("POST", "http://x/v1/chat/completions"))
    assert clock.monotonic() - started < 1.5  # not the 2.5 s the trickle would take
