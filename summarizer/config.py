"""Settings, resolved in one place: explicit argument > environment > default.

This is the only module that reads environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

import platformdirs

from summarizer.errors import ConfigurationError

ProviderName = Literal["embedded", "openai", "openai-compatible"]
PROVIDERS: tuple[ProviderName, ...] = ("embedded", "openai", "openai-compatible")

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
#: Model name sent to OpenAI-compatible servers when none is given; most serve one model.
DEFAULT_COMPATIBLE_MODEL = "default"
APP_NAME = "agreement-summarizer"
#: Seconds one request to a server may take when no timeout is given.
SERVER_TIMEOUT = 300.0


@dataclass(frozen=True)
class Settings:
    """Every option of an extraction, in one frozen object.

    Leave a field ``None`` to take it from the environment or the default; see
    ``resolve_settings``.
    """

    provider: ProviderName | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    model_path: Path | None = None
    cache_dir: Path | None = None
    #: Validation re-asks per model call (instructor); 0 means a single attempt.
    max_retries: int = 2
    #: Transport retries per request (timeouts, connection errors, 429, 5xx).
    transport_retries: int = 4
    #: Seconds allowed for one request, and the cap on all transport retries of one request.
    #: None: the provider's default, 300 s for a server and no deadline for the embedded
    #: model, whose in-process call cannot be stopped midway and whose speed follows the
    #: machine's load (the per-document deadline still bounds it, between calls).
    timeout: float | None = None
    #: Seconds allowed for one whole document, every call and retry included; None: no limit.
    #: The embedded runtime cannot stop inside a call, so there it is checked between calls.
    document_timeout: float | None = 1800.0
    threads: int | None = None
    context_tokens: int = 8192
    #: Switchable pipeline steps to skip, by name (``summarizer.extract.run.SWITCHABLE``): for
    #: ablation, never needed for normal use.
    disabled_steps: frozenset[str] = frozenset()
    #: Keep only articles, conditions and parties whose calibrated confidence is at least
    #: this; None: the default chosen on the dev split (shipped with the calibration); 0
    #: keeps everything.
    min_confidence: float | None = None
    #: Calibrate the model's raw probabilities (False only to fit a calibration: the eval).
    calibrated: bool = True
    #: Keep every model answer in the user cache (``answers_dir``) and replay it for the very
    #: same request: an unchanged document with unchanged settings comes back without a call.
    #: The CLI's ``summarize`` sets it (``--no-cache`` does not); the library leaves it off.
    cache_answers: bool = False
    #: Bytes the answer cache may hold; the least recently used answers go first.
    answer_cache_bytes: int = 500 * 1024 * 1024
    #: Why this provider was chosen; filled in by ``resolve_settings``.
    reason: str = ""

    def with_changes(self, **changes: object) -> Settings:
        """Return a copy with the given fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def default_cache_dir() -> Path:
    """Return the user cache directory (honours ``XDG_CACHE_HOME``)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def answers_dir(cache_dir: Path | None = None) -> Path:
    """The folder of kept model answers (``summarize``'s cache), under the user cache."""
    return (cache_dir or default_cache_dir()) / "answers"


def resolve_settings(settings: Settings | None = None) -> Settings:
    """Fill unset fields from the environment, then defaults, and pick the provider.

    Provider choice when none is given: ``SUMMARIZER_PROVIDER``; else openai-compatible when a
    base URL is set (argument or ``OPENAI_BASE_URL``); else openai when ``OPENAI_API_KEY`` is
    set; else the embedded model.

    Raises:
        ConfigurationError: an unknown provider, or a remote provider with nothing to reach.
    """
    s = settings or Settings()
    base_url = s.base_url or _env("OPENAI_BASE_URL")
    api_key = s.api_key or _env("OPENAI_API_KEY")
    model_path_env = _env("SUMMARIZER_MODEL_PATH")
    model_path = s.model_path or (Path(model_path_env) if model_path_env else None)
    provider, reason = _chosen_provider(s, base_url, api_key, model_path)
    _check_reachable(provider, base_url, api_key)
    model = s.model or _env("SUMMARIZER_MODEL")
    if model is None and provider == "openai":
        model = DEFAULT_OPENAI_MODEL
    if model is None and provider == "openai-compatible":
        model = DEFAULT_COMPATIBLE_MODEL
    if (
        s.max_retries < 0
        or s.transport_retries < 0
        or (s.timeout is not None and s.timeout <= 0)
        or (s.document_timeout is not None and s.document_timeout <= 0)
    ):
        raise ConfigurationError(
            "Retries must be >= 0 and the timeouts > 0.",
            hint="Check --max-retries, --timeout and --document-timeout.",
        )
    if s.min_confidence is not None and not 0.0 <= s.min_confidence <= 1.0:
        raise ConfigurationError(
            f"--min-confidence must be between 0 and 1, not {s.min_confidence:g}.",
            hint="0 keeps every item; the default is the threshold chosen on the dev split.",
        )
    return replace(
        s,
        provider=cast(ProviderName, provider),  # one of PROVIDERS: checked above
        model=model,
        base_url=base_url if provider == "openai-compatible" else None,
        api_key=api_key if provider != "embedded" else None,
        model_path=model_path,
        cache_dir=s.cache_dir or default_cache_dir(),
        timeout=s.timeout if s.timeout is not None or provider == "embedded" else SERVER_TIMEOUT,
        threads=s.threads or _available_cores(),
        reason=reason,
    )


def _chosen_provider(
    s: Settings, base_url: str | None, api_key: str | None, model_path: Path | None
) -> tuple[str, str]:
    """The provider and why: explicit arguments first, then the environment, then the
    default."""
    provider: str | None = s.provider
    reason = "given explicitly" if provider else ""
    if provider is None and s.base_url:
        provider, reason = "openai-compatible", "a base URL was given"
    elif provider is None and s.model_path is not None:
        provider, reason = "embedded", "a local model file was given"
    if provider is None and (env_provider := _env("SUMMARIZER_PROVIDER")):
        provider, reason = env_provider, "SUMMARIZER_PROVIDER is set"
    if provider is None:
        if model_path is not None:
            provider, reason = "embedded", "SUMMARIZER_MODEL_PATH is set"
        elif base_url:
            provider, reason = "openai-compatible", "OPENAI_BASE_URL is set"
        elif api_key:
            provider, reason = "openai", "OPENAI_API_KEY is set"
        else:
            provider, reason = (
                "embedded",
                "the default: no OPENAI_API_KEY or OPENAI_BASE_URL is set",
            )
    return provider, reason


def _check_reachable(provider: str, base_url: str | None, api_key: str | None) -> None:
    """Refuse an unknown provider, or a remote one with nothing to reach."""
    if provider not in PROVIDERS:
        raise ConfigurationError(
            f"Unknown provider {provider!r}.", hint=f"Use one of: {', '.join(PROVIDERS)}."
        )
    if provider == "openai-compatible" and not base_url:
        raise ConfigurationError(
            "The openai-compatible provider needs a server URL.",
            hint="Set OPENAI_BASE_URL (e.g. http://localhost:11434/v1) or pass --base-url.",
        )
    if provider == "openai-compatible" and not _usable_url(base_url or ""):
        # Caught here, a garbage URL costs nothing; at the first request it cost 15-17 s of
        # connection retries before the same message.
        raise ConfigurationError(
            "The server URL is not an http(s) URL with a host.",
            hint="Pass --base-url / OPENAI_BASE_URL like http://localhost:11434/v1.",
        )
    if provider == "openai" and not api_key:
        raise ConfigurationError(
            "No OpenAI API key found.",
            hint="Set OPENAI_API_KEY, or use the embedded model (unset SUMMARIZER_PROVIDER).",
        )


def _usable_url(url: str) -> bool:
    """Whether ``url`` is http(s) with a host and a valid port: something a request can reach."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _available_cores() -> int:
    """Cores this process may use (the affinity mask on Linux, else the CPU count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def debug_enabled() -> bool:
    """Return True when ``SUMMARIZER_DEBUG`` asks for tracebacks."""
    return _env("SUMMARIZER_DEBUG") not in (None, "0", "false")
