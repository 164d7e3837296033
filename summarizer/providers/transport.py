"""HTTP transports under the openai client: in-process llama.cpp, and transport retries.

Putting both at the HTTP layer keeps one code path (openai client -> instructor) for every
provider, and keeps transport retries (here, tenacity) apart from validation re-asks
(instructor), so a re-ask never retries a 400 and a transport retry never re-asks.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import random
import threading
import time
from collections import deque
from typing import Any, Protocol

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    stop_after_delay,
)

from summarizer.providers.control import RunControl

#: Status codes worth retrying: rate limits and server-side failures.
RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_BACKOFF_S = 30.0
#: Largest answer (or error body) read from a server. An answer within a pass's token cap is
#: a few tens of kilobytes; the margin lets a runaway answer be re-asked, but a server that
#: streams tens of megabytes per answer cannot fill the memory.
MAX_ANSWER_BYTES = 8_000_000


class AnswerTooLargeError(Exception):
    """A server's answer passed ``MAX_ANSWER_BYTES``; reading stopped there. Never retried:
    the same request would bring the same answer."""


class ChatServer(Protocol):
    """What the in-process runtime offers: OpenAI-shaped chat completions."""

    def handle_chat_completions(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one chat completion request."""
        ...


#: Requests kept in the timing log: enough for a benchmark, bounded for a long batch.
_LOG_ENTRIES = 10_000
#: llguidance options for compact JSON: one space after ":" and ",", no newlines or indents.
_COMPACT_JSON = {"whitespace_flexible": False, "key_separator": ": ", "item_separator": ", "}


def compact_json_grammar(body: dict[str, Any]) -> dict[str, Any]:
    """Turn a ``json_schema`` response format into an llguidance grammar for compact JSON.

    The runtime's own conversion lets the model indent its JSON, and every newline and indent
    is a generated token (about 45 ms each on 2 cores): pretty-printed answers cost 40 % more
    tokens than the same JSON on one line. The schema's constraints stay as they are. Not used
    by default: the 1.5B default model returns emptier lists in compact form (see
    ``open_embedded``); a larger model may not.
    """
    fmt = body.get("response_format") or {}
    if fmt.get("type") != "json_schema" or "schema" not in fmt.get("json_schema", {}):
        return body
    schema = dict(fmt["json_schema"]["schema"])
    schema["x-guidance"] = _COMPACT_JSON
    rewritten = {k: v for k, v in body.items() if k != "response_format"}
    rewritten["grammar"] = "%llguidance {}\nstart: %json " + json.dumps(schema)
    return rewritten


class InProcessTransport(httpx.BaseTransport):
    """Answers ``POST .../chat/completions`` by calling the in-process llama.cpp server."""

    def __init__(
        self,
        server: ChatServer,
        *,
        extra_body: dict[str, Any] | None = None,
        compact_json: bool = False,
    ) -> None:
        self._server = server
        self._extra = dict(extra_body or {})
        self._compact = compact_json
        # llama.cpp's in-process server handles one request at a time per slot.
        self._lock = threading.Lock()
        #: Per request: response-model name, wall seconds and the runtime's own timings, so
        #: a benchmark can say where the time goes.
        self.log: deque[dict[str, Any]] = deque(maxlen=_LOG_ENTRIES)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Route one request to the runtime and wrap its answer as an HTTP response."""
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404, json={"error": {"message": "not found", "code": 404}})
        body = json.loads(request.read() or b"{}")
        body.update(self._extra)
        if self._compact:
            body = compact_json_grammar(body)
        with self._lock:
            started = time.perf_counter()
            try:
                result = self._server.handle_chat_completions(body)
            except Exception as e:  # the binding raises plain RuntimeError/ValueError
                # Answer as a server would, so it is reported as the runtime's failure and
                # not as an unreachable network server; 422, because the same request would
                # fail the same way again and must not be retried.
                message = f"embedded runtime failed: {type(e).__name__}: {e}"
                return httpx.Response(422, json={"error": {"message": message, "code": 422}})
            seconds = time.perf_counter() - started
        fmt = json.loads(request.content or b"{}").get("response_format") or {}
        self.log.append(
            {
                "schema": fmt.get("json_schema", {}).get("name", ""),
                "seconds": round(seconds, 3),
                "timings": result.get("timings", {}) if isinstance(result, dict) else {},
            }
        )
        if isinstance(result, dict) and "error" in result:
            error = result["error"]
            code = error.get("code", 500) if isinstance(error, dict) else 500
            return httpx.Response(code if isinstance(code, int) else 500, json=result)
        return httpx.Response(200, json=result)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    """Read a Retry-After header given in seconds or as an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unreadable header: fall back to our own backoff
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return max(0.0, parsed.timestamp() - time.time())


class RetryTransport(httpx.BaseTransport):
    """Retries timeouts, connection errors, 429 and 5xx with jittered exponential backoff.

    Honours ``Retry-After``; never retries 400, 401, 403 or 404. Bounded both in attempts and
    in total time. With a ``RunControl``, a cancelled run or a document past its deadline
    stops before the next attempt, during a retry wait and between chunks of an answer
    (``RequestStopped``, never retried).
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        attempts: int,
        max_seconds: float | None,
        base_delay: float = 1.0,
        sleep: Any = None,
        control: RunControl | None = None,
        retry_timeouts: bool = True,
    ) -> None:
        self._inner = inner
        self._retry_timeouts = retry_timeouts
        self._attempts = max(1, attempts)
        #: None: no deadline (the embedded runtime, unless --timeout is set).
        self._max_seconds = max_seconds
        self._base = base_delay
        self._control = control or RunControl()
        self._sleep = sleep or self._control.sleep

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            hinted = _retry_after_seconds(outcome.result())
            if hinted is not None:
                return min(hinted, _MAX_BACKOFF_S)
        backoff = self._base * 2 ** (state.attempt_number - 1)
        return float(min(_MAX_BACKOFF_S, backoff * (0.5 + random.random())))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request, retrying transient failures."""
        request.read()  # the body must be replayable across attempts
        retrying = Retrying(
            retry=retry_if_exception(self._worth_retrying)
            | retry_if_result(lambda r: r.status_code in RETRY_STATUS),
            stop=stop_after_attempt(self._attempts)
            | stop_after_delay(self._max_seconds if self._max_seconds is not None else math.inf),
            wait=self._wait,
            sleep=self._sleep,
            retry_error_callback=lambda state: state.outcome.result(),  # type: ignore[union-attr]
            reraise=True,
        )
        response: httpx.Response = retrying(self._send, request)
        return response

    def _worth_retrying(self, error: BaseException) -> bool:
        """Transport failures are retried; timeouts only where another try may be faster."""
        if isinstance(error, httpx.TimeoutException):
            return self._retry_timeouts
        return isinstance(error, httpx.TransportError)

    def _send(self, request: httpx.Request) -> httpx.Response:
        self._control.check()
        started = time.monotonic()
        response = self._inner.handle_request(request)
        # httpx's timeout bounds each wait between bytes, not the request: a server that
        # trickles a byte every few seconds would hold it forever. The body is read here
        # against a deadline for the whole attempt, connect to last byte.
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.stream:  # type: ignore[union-attr]
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise AnswerTooLargeError(
                        f"the answer passed {MAX_ANSWER_BYTES:,} bytes and was not read further"
                    )
                self._control.check()
                if self._max_seconds is not None and time.monotonic() - started > self._max_seconds:
                    raise httpx.ReadTimeout(
                        f"no complete answer within the {self._max_seconds:g} s deadline of "
                        "one request (--timeout)",
                        request=request,
                    )
        finally:
            response.close()
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=b"".join(chunks),
            request=request,
            extensions=response.extensions,
        )

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()
