"""The library entry point: ``summarize(text)`` and a reusable ``Summarizer``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from summarizer.config import Settings, answers_dir, resolve_settings
from summarizer.extract.rules.confidence import RAW
from summarizer.extract.run import Extraction, chunks_of, extract
from summarizer.io.formats import load_document, with_pages
from summarizer.io.load import check_text, sha256_text
from summarizer.providers import Provider, open_provider
from summarizer.providers.replay import CallCache
from summarizer.record.schema import (
    SCHEMA_VERSION,
    PromptUsage,
    Provenance,
    Source,
    SummaryResult,
    Usage,
)
from summarizer.version import tool_version


class Summarizer:
    """A loaded provider that summarizes many documents (the model loads once).

    Use as a context manager, or call ``close()`` when done::

        with Summarizer() as s:
            for text in texts:
                record = s.summarize(text)
    """

    def __init__(
        self, settings: Settings | None = None, *, provider: Provider | None = None
    ) -> None:
        """Resolve settings and open the provider (loading the embedded model if it is used).

        Raises:
            ConfigurationError: settings or environment are incomplete.
            ModelUnavailableError: the embedded model cannot be assembled or loaded.
        """
        self.settings = resolve_settings(settings)
        self.provider = provider or open_provider(self.settings)
        if self.settings.cache_answers and self.provider.cache is None:
            self.provider.cache = CallCache(
                answers_dir(self.settings.cache_dir), max_bytes=self.settings.answer_cache_bytes
            )

    def summarize(
        self, text: str, *, source: Source | None = None, page_starts: Sequence[int] = ()
    ) -> SummaryResult:
        """Extract the agreement record of one report.

        Args:
            text: the report's text.
            source: what is known of the file it came from (kind, title, outlet, URL, date).
            page_starts: for a PDF's text, the offset where each page starts: each evidence
                then says its page.

        Returns:
            The validated, source-grounded record with provenance. A report with no agreement
            gives an empty record with status "unclear".

        Raises:
            InputError: empty or binary-looking text.
            ProviderError: the provider failed (unreachable, timed out, refused).
            DocumentTimeoutError: the document ran past ``settings.document_timeout`` (once per
                chunk for a document read in chunks).
            ExtractionError: the model's output never validated within the attempts.
            RunCancelledError: ``cancel()`` was called while the document was in flight.
        """
        check_text(text)
        started = time.perf_counter()
        # A long document read in chunks gets the deadline once per chunk: its cost grows
        # with its length.
        deadline = self.settings.document_timeout
        if deadline is not None:
            deadline *= len(chunks_of(text, self.provider.info.context_tokens))
        with self.provider.control.document(deadline):
            found = extract(
                text,
                self.provider,
                self.settings.disabled_steps,
                calibration=None if self.settings.calibrated else RAW,
                # Raw probabilities (fitting a calibration) keep every item unless told.
                min_confidence=0.0
                if self.settings.min_confidence is None and not self.settings.calibrated
                else self.settings.min_confidence,
            )
        record = SummaryResult(
            agreement=found.agreement,
            parties=found.parties,
            articles=found.articles,
            conditions=found.conditions,
            source=source,
            provenance=self._provenance(found, text, started),
        )
        return with_pages(record, page_starts)

    def summarize_file(self, path: Path | str) -> SummaryResult:
        """Read a .txt, .md, .pdf, .docx or .html file and extract its record (see
        ``summarize``); offsets are into the text the file gives (``io.formats``).

        Raises:
            InputError: the file cannot be read as text (an encrypted or scanned PDF, ...).
            And what ``summarize`` raises.
        """
        loaded = load_document(Path(path))
        return self.summarize(loaded.text, source=loaded.source, page_starts=loaded.page_starts)

    def _provenance(self, found: Extraction, text: str, started: float) -> Provenance:
        """How the record was made."""
        info = self.provider.info
        stats = found.stats
        return Provenance(
            provider=info.name,
            model=info.model,
            model_sha256=info.model_sha256,
            base_url=info.base_url if info.name != "embedded" else None,
            prompts=found.prompts,
            schema_version=SCHEMA_VERSION,
            calls=stats.calls,
            attempts=stats.attempts,
            usage=Usage(
                prompt_tokens=stats.prompt_tokens,
                completion_tokens=stats.completion_tokens,
                total_tokens=stats.prompt_tokens + stats.completion_tokens,
            ),
            usage_by_prompt={
                prompt_id: PromptUsage(
                    calls=cost.calls,
                    prompt_tokens=cost.prompt_tokens,
                    completion_tokens=cost.completion_tokens,
                )
                for prompt_id, cost in found.by_prompt.items()
            },
            duration_s=round(time.perf_counter() - started, 3),
            source_sha256=sha256_text(text),
            dropped_items=found.dropped,
            disabled_steps=sorted(self.settings.disabled_steps),
            tool_version=tool_version(),
            language=found.language,
            warnings=found.warnings,
            confidence=found.confidence,
            translation=found.translation,
            document_kind=found.kind,
        )

    def cancel(self) -> None:
        """Stop all work of this Summarizer, from any thread: requests in flight are abandoned
        at their next chunk or retry wait, and no new request goes out. Cannot be undone."""
        self.provider.cancel()

    def close(self) -> None:
        """Release the provider."""
        self.provider.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def summarize(text: str, *, settings: Settings | None = None) -> SummaryResult:
    """Extract the agreement record of one report (loads the provider for this call only).

    To summarize many reports with one loaded model, use ``Summarizer``.

    Raises:
        SummarizerError: any of its subclasses; see ``Summarizer.summarize``.
    """
    with Summarizer(settings) as summarizer:
        return summarizer.summarize(text)
