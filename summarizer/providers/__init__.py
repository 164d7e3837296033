"""Model providers: the only place that knows openai, instructor and the llama.cpp runtime."""

from __future__ import annotations

from summarizer.config import Settings
from summarizer.providers.client import CallResult, CallStats, Provider, ProviderInfo

__all__ = ["CallResult", "CallStats", "Provider", "ProviderInfo", "open_provider"]


def open_provider(settings: Settings) -> Provider:
    """Open the provider that resolved settings name.

    Raises:
        ConfigurationError: the settings do not describe a usable provider.
        ModelUnavailableError: the embedded model cannot be assembled or loaded.
    """
    from summarizer.providers.client import open_embedded, open_remote

    if settings.provider == "embedded":
        return open_embedded(settings)
    return open_remote(settings)
