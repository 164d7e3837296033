"""The one provider layer: every model call goes openai client -> instructor -> an HTTP transport.

Only this package imports ``openai``, ``instructor`` and (in ``embedded``) the llama.cpp runtime.
The embedded model, OpenAI and any OpenAI-compatible server differ only in the transport under
the openai client, so retries, validation re-asks and usage accounting are the same for all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
import instructor
import openai
from instructor.core import InstructorRetryException
from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.errors import (
    ConfigurationError,
    DocumentTimeoutError,
    ExtractionError,
    ProviderError,
    ProviderUnreachableError,
    RunCancelledError,
    SummarizerError,
)
from summarizer.providers.control import RunControl
from summarizer.providers.logprobs import TokenChoice, choice_probabilities
from summarizer.providers.replay import CallCache
from summarizer.providers.secrets import redact_url, scrub
from summarizer.providers.transport import (
    MAX_ANSWER_BYTES,
    AnswerTooLargeError,
    InProcessTransport,
    RetryTransport,
)

T = TypeVar("T", bound=BaseModel)

_EMBEDDED_URL = "http://embedded.invalid/v1"
#: Alternatives asked per generated token: OpenAI's largest; a choice among a handful of
#: options always has them all listed when the model weighs them at all.
_TOP_LOGPROBS = 20
#: What of a failed answer and of its validation error a re-ask sends back. An answer within
#: the token cap of a pass fits; a runaway one is cut.
_REASK_ANSWER_CHARS = 12_000
_REASK_ERROR_CHARS = 2_000


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying that it was cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit:,} more characters cut]"


@dataclass
class CallStats:
    """Token usage and attempts of model calls, summed over every attempt."""

    calls: int = 0
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: CallStats) -> None:
        """Add another set of counts into this one."""
        self.calls += other.calls
        self.attempts += other.attempts
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass
class CallResult(Generic[T]):
    """A validated response and what it cost."""

    value: T
    stats: CallStats = field(default_factory=CallStats)
    #: For a call asked with ``choices``: field -> {option: probability}; None when the
    #: provider returned no token probabilities.
    probabilities: dict[str, dict[str, float]] | None = None


class _Recorder(threading.local):
    """Per-thread counters fed by instructor's hooks (hooks are client-wide)."""

    def __init__(self) -> None:
        self.stats = CallStats()
        self.last_output: str | None = None


@dataclass
class ProviderInfo:
    """What provenance records about the provider."""

    name: str
    model: str
    model_sha256: str | None = None
    base_url: str | None = None
    context_tokens: int | None = None
    #: The runtime and its version ("xllamacpp 2026.10.11549"); None for a remote server.
    runtime: str | None = None


class Provider:
    """A configured model endpoint that returns validated pydantic objects."""

    def __init__(
        self,
        info: ProviderInfo,
        transport: httpx.BaseTransport,
        settings: Settings,
        *,
        base_url: str,
        api_key: str,
        extra_body: dict[str, Any] | None = None,
        runtime: Any = None,
    ) -> None:
        self.info = info
        self.runtime = runtime  # keeps the in-process model alive as long as the provider
        #: Recorded answers to replay (the eval sets one); None: every call runs live.
        self.cache: CallCache | None = None
        self.transport = transport
        self._settings = settings
        self._extra_body = dict(extra_body or {})
        #: Cancel switch of every thread's requests, and each thread's document deadline.
        self.control = RunControl()
        retrying = RetryTransport(
            transport,
            attempts=settings.transport_retries + 1,
            max_seconds=settings.timeout,
            control=self.control,
            # The in-process runtime is no network: a request past --timeout was slow because
            # of its work or the machine's load, and the same request again would be as slow.
            retry_timeouts=info.name != "embedded",
        )
        self._http = httpx.Client(transport=retrying, timeout=settings.timeout)
        self._openai = openai.OpenAI(
            api_key=api_key,
            base_url=base_url,
            http_client=self._http,
            max_retries=0,  # transport retries live in RetryTransport
            timeout=settings.timeout,
        )
        self._client = instructor.from_openai(self._openai, mode=instructor.Mode.JSON_SCHEMA)
        self._recorder = _Recorder()
        self._client.on("completion:kwargs", self._on_kwargs)
        self._client.on("completion:response", self._on_response)

    def _on_kwargs(self, *args: Any, **kwargs: Any) -> None:
        self._recorder.stats.attempts += 1

    def _on_response(self, response: Any, **kwargs: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self._recorder.stats.prompt_tokens += int(usage.prompt_tokens or 0)
            self._recorder.stats.completion_tokens += int(usage.completion_tokens or 0)
        try:
            self._recorder.last_output = response.choices[0].message.content
        except (AttributeError, IndexError):
            self._recorder.last_output = None

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int,
        reuse_prefix: bool = False,
        choices: Mapping[str, Sequence[str]] | None = None,
    ) -> CallResult[T]:
        """Ask the model for one ``response_model`` object.

        ``choices`` (field -> allowed values, in schema order) asks for token probabilities
        too: the result's ``probabilities`` then hold, for each such field, the model's
        probability of each allowed value at the token where it chose (``logprobs``).

        ``reuse_prefix`` lets the embedded runtime reuse the cached prompt prefix of the
        previous call (other providers ignore it). The first call for a document must pass
        False: it recomputes from scratch, so the cache the later calls reuse is the same
        whatever ran before, and results repeat exactly.

        Validation errors are re-asked (at most ``settings.max_retries`` times, each re-ask
        carrying the previous answer and the error); transport faults are retried below.

        Raises:
            ExtractionError: no valid answer within the attempts, or the answer was cut off.
            ProviderUnreachableError: the server cannot be reached.
            ProviderError: any other provider failure.
            ConfigurationError: the provider refused the key or does not know the model.
        """
        self._stop_if_asked()
        key = (
            self._cache_key(messages, response_model, max_tokens, choices is not None, reuse_prefix)
            if self.cache
            else ""
        )
        if self.cache is not None and (entry := self.cache.get(key)) is not None:
            return CallResult(
                value=response_model.model_validate(entry["value"]),
                stats=CallStats(**entry["stats"]),
                probabilities=entry.get("probabilities"),
            )
        load = getattr(self.runtime, "load", None)
        if callable(load):
            load()  # a runtime loaded on first use: its load error reaches the user as it is
        self._recorder.stats = CallStats(calls=1)
        self._recorder.last_output = None
        started = time.perf_counter()
        attempt_messages = list(messages)
        probabilities: dict[str, dict[str, float]] | None = None
        asked: dict[str, Any] = (
            {"logprobs": True, "top_logprobs": _TOP_LOGPROBS} if choices is not None else {}
        )
        for reasks_left in range(self._settings.max_retries, -1, -1):
            try:
                value, completion = self._client.chat.completions.create_with_completion(
                    model=self.info.model,
                    messages=attempt_messages,  # type: ignore[arg-type]
                    response_model=response_model,
                    max_retries=0,  # re-asks are made here, see _reask
                    max_tokens=max_tokens,
                    temperature=0.0,
                    seed=0,
                    extra_body=self._body(reuse_prefix),
                    **asked,
                )
                if choices is not None:
                    probabilities = _probabilities(completion, choices)
                break
            except InstructorRetryException as e:
                if not e.failed_attempts or reasks_left == 0 or self._stopped() is not None:
                    raise self._translate(e) from e
                attempt_messages = [*messages, *self._reask(e)]
            except Exception as e:
                raise self._translate(e) from e
        if self.cache is not None:
            self.cache.put(
                key,
                {
                    "schema": response_model.__name__,
                    "value": value.model_dump(mode="json"),
                    "probabilities": probabilities,
                    "stats": vars(self._recorder.stats).copy(),
                    "seconds": round(time.perf_counter() - started, 3),
                },
            )
        return CallResult(value=value, stats=self._recorder.stats, probabilities=probabilities)

    def _cache_key(
        self,
        messages: list[dict[str, str]],
        response_model: type[BaseModel],
        max_tokens: int,
        logprobs: bool = False,
        reuse_prefix: bool = False,
    ) -> str:
        """Everything that decides the model's answer to this request, hashed."""
        info = self.info
        # Token probabilities change nothing in the answer, but an answer recorded without
        # them cannot serve a call that needs them; calls without keep their old keys.
        extra: dict[str, Any] = {"logprobs": _TOP_LOGPROBS} if logprobs else {}
        if logprobs and reuse_prefix:
            # Probabilities read over a reused prefix may differ in the last digits from those
            # of a prefix computed afresh: such an answer is recorded apart. Other calls keep
            # their keys (their text answer is what is recorded, and it was checked the same).
            extra["reuse_prefix"] = True
        return CallCache.key(
            {
                **extra,
                "provider": info.name,
                "model": info.model,
                "model_sha256": info.model_sha256,
                "runtime": info.runtime,
                "context_tokens": info.context_tokens,
                "base_url": info.base_url,
                "messages": messages,
                "schema": response_model.model_json_schema(),
                "max_tokens": max_tokens,
                "max_retries": self._settings.max_retries,
            }
        )

    def _reask(self, error: Exception) -> list[dict[str, str]]:
        """The two messages a re-ask adds to the original request: the answer, and what was wrong.

        instructor's own re-ask appends to the conversation, so each attempt resends every
        earlier answer whole (a server that ignores the token cap made 5 MB, then 10 MB
        requests). Here each re-ask is the original request plus the last answer and error
        only, each cut to a bound: the request stays the same size however many attempts.
        """
        answer = self._recorder.last_output or ""
        problem = str(error.__cause__ or error)
        return [
            {"role": "assistant", "content": _clip(answer, _REASK_ANSWER_CHARS)},
            {
                "role": "user",
                "content": "Correct your JSON ONLY RESPONSE, based on the following errors:\n"
                + _clip(problem, _REASK_ERROR_CHARS),
            },
        ]

    def cancel(self) -> None:
        """Stop every request of every thread: the next one, a retry wait, an answer half read."""
        self.control.cancel()

    def _stopped(self) -> SummarizerError | None:
        """The error to raise when the run is cancelled or this document out of time."""
        if self.control.cancelled:
            return RunCancelledError("The run was cancelled before this document was done.")
        if self.control.out_of_time():
            seconds = self.control.document_seconds or 0.0
            return DocumentTimeoutError(
                f"The document was not done within its {seconds:g} s deadline "
                "(--document-timeout).",
                hint="Raise --document-timeout, or split the report.",
            )
        return None

    def _stop_if_asked(self) -> None:
        """Raise before a call when the run is cancelled or the document out of time."""
        if (error := self._stopped()) is not None:
            raise error

    def _body(self, reuse_prefix: bool) -> dict[str, Any] | None:
        """Extra request fields: llama.cpp's prompt-cache switch for the embedded runtime."""
        body = dict(self._extra_body)
        if self.info.name == "embedded":
            body["cache_prompt"] = reuse_prefix
        return body or None

    def _translate(self, error: Exception) -> Exception:
        """Map openai/instructor failures to this package's typed errors."""
        if (stopped := self._stopped()) is not None:
            return stopped
        # instructor wraps provider errors; the openai error, if any, is down the cause chain.
        cause: BaseException = error
        while not isinstance(cause, openai.OpenAIError) and cause.__cause__ is not None:
            cause = cause.__cause__
        stats = self._recorder.stats
        usage = {"prompt_tokens": stats.prompt_tokens, "completion_tokens": stats.completion_tokens}
        where = self.info.base_url or self.info.name
        if isinstance(cause, openai.OpenAIError):
            return self._provider_error(cause, where)
        return ExtractionError(
            f"The model's answer did not validate after {stats.attempts} attempt(s): "
            f"{str(error.__cause__ or error).splitlines()[0][:300]}",
            last_output=self._recorder.last_output,
            usage=usage,
            attempts=stats.attempts,
            hint="Try a larger model (SUMMARIZER_MODEL_PATH or a server) or raise --max-retries.",
        )

    def _provider_error(self, cause: openai.OpenAIError, where: str) -> Exception:
        """This package's error for an openai failure: too large an answer, a timeout, no
        connection, a refused key or model, an overloaded server, a refused request."""
        if isinstance(cause, openai.APIConnectionError) and _caused_by(cause, AnswerTooLargeError):
            return ProviderError(
                f"The model server at {where} sent an answer of more than "
                f"{MAX_ANSWER_BYTES:,} bytes; it was not read further.",
                hint="The server ignores the token cap: check its settings or try another model.",
            )
        if isinstance(cause, openai.APITimeoutError) and self.info.name == "embedded":
            # The runtime in this process is not a server that went away: only this document
            # ran long (a busy machine, a long report), so only this document fails.
            return DocumentTimeoutError(
                f"The embedded model did not answer one request within --timeout "
                f"{self._settings.timeout or 0:g} s; this document is left out.",
                hint="Raise --timeout, or leave it unset: the embedded model then has no "
                "per-request deadline, only --document-timeout.",
            )
        if isinstance(cause, openai.APITimeoutError):
            # openai's own text is a bare "Request timed out."; the transport's says which
            # deadline fired.
            detail = str(cause.__cause__ or "")
            if "(--timeout)" not in detail:  # httpx's socket timeout, between two bytes
                detail = f"no answer within --timeout {self._settings.timeout or 0:g} s" + (
                    f" ({detail})" if detail else ""
                )
            return ProviderUnreachableError(
                f"The model server at {where} timed out: {scrub(detail)}",
                hint="Raise --timeout for a slow server, or check that it is not overloaded.",
            )
        if isinstance(cause, openai.APIConnectionError):
            return ProviderUnreachableError(
                f"The model server at {where} is unreachable: {scrub(str(cause))}",
                hint="Check that the server runs and the URL (OPENAI_BASE_URL / --base-url).",
            )
        if isinstance(cause, openai.AuthenticationError | openai.PermissionDeniedError):
            return ConfigurationError(
                f"The provider refused the API key ({cause.status_code}).",
                hint="Set a valid OPENAI_API_KEY.",
            )
        if isinstance(cause, openai.NotFoundError):
            return ConfigurationError(
                f"The provider does not know model {self.info.model!r} or the URL is wrong.",
                hint="Set --model / SUMMARIZER_MODEL to a model the server serves.",
            )
        if isinstance(cause, openai.APIStatusError) and (
            cause.status_code == 429 or cause.status_code >= 500
        ):
            # Still failing after every transport retry: the provider is unavailable, and
            # every other document would fail the same way.
            return ProviderUnreachableError(
                f"The model server at {where} kept answering HTTP {cause.status_code} after "
                f"{self._settings.transport_retries} retries: {scrub(cause.message)}",
                hint="The server is overloaded or failing: try again later, or raise the "
                "transport retries.",
            )
        if isinstance(cause, openai.APIStatusError):
            refused = cause.status_code in (400, 413, 422)
            return ProviderError(
                f"The provider answered HTTP {cause.status_code}: {scrub(cause.message)}",
                hint="The request was refused: the report may be too long for the model, or the "
                "server may not support JSON-schema output."
                if refused
                else "Check the request and the server's logs.",
            )
        return ProviderError(f"The provider failed: {scrub(str(cause))}", hint="Try again later.")

    def close(self) -> None:
        """Release the HTTP client (the in-process model is freed with the object)."""
        self._http.close()


def _probabilities(
    completion: Any, choices: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, float]] | None:
    """The choice probabilities of a completion, or None when it carries no token log-probs."""
    try:
        content = completion.choices[0].logprobs.content
    except (AttributeError, IndexError):
        return None
    if not content:
        return None
    tokens = [
        TokenChoice(
            token=str(t.token),
            logprob=float(t.logprob),
            top=tuple((str(a.token), float(a.logprob)) for a in (t.top_logprobs or [])),
        )
        for t in content
    ]
    return choice_probabilities(tokens, choices)


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is anywhere down ``error``'s chain of causes."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def open_remote(settings: Settings, *, transport: httpx.BaseTransport | None = None) -> Provider:
    """Open the openai or openai-compatible provider described by resolved settings."""
    if settings.provider == "openai":
        base_url = "https://api.openai.com/v1"
        api_key = settings.api_key or ""
        if not api_key:
            raise ConfigurationError("No OpenAI API key found.", hint="Set OPENAI_API_KEY.")
    else:
        base_url = (settings.base_url or "").rstrip("/")
        # Local servers ignore the key, but the openai client insists on one.
        api_key = settings.api_key or "not-needed"
    info = ProviderInfo(
        name=settings.provider or "openai",
        model=settings.model or "default",
        # What is recorded and printed: never the user info or query a key may hide in.
        base_url=redact_url(base_url),
    )
    return Provider(
        info,
        transport or httpx.HTTPTransport(),
        settings,
        base_url=base_url,
        api_key=api_key,
    )


def open_embedded(settings: Settings) -> Provider:
    """Load the embedded model (assembling the default weights on first use)."""
    from summarizer.providers.embedded import LazyRuntime, resolve_model_file, runtime_version

    assert settings.cache_dir is not None and settings.threads is not None
    model = resolve_model_file(settings.model_path, settings.cache_dir)
    context = min(settings.context_tokens, model.context_length or settings.context_tokens)
    # Loaded on the first call that is not replayed from the answer cache.
    runtime = LazyRuntime(model.path, threads=settings.threads, context_tokens=context)
    info = ProviderInfo(
        name="embedded",
        model=model.name,
        model_sha256=model.sha256,
        context_tokens=context,
        runtime=runtime_version(),
    )
    return Provider(
        info,
        # Compact JSON is off: measured on the seed report, it cut the conditions pass from
        # 383 to 77 generated tokens but the model then returned no conditions at all (8
        # before), so the saved time is not worth it with this model.
        InProcessTransport(runtime, compact_json=False),
        settings,
        base_url=_EMBEDDED_URL,
        api_key="embedded",
        runtime=runtime,
    )
