"""The extraction pipeline: the ordered steps are in ``steps``; ``extract`` runs them.

Three whole-document passes read the report (terms, conditions and agreement fields, actors);
short constrained calls then ask about refusing actors, each actor's stance and uncovered
demands; rules ground, split, join, fold and check between them. ``steps.STEPS`` lists them
all in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from summarizer.errors import ConfigurationError
from summarizer.extract.chunks import (
    CHUNK_CHARS,
    Chunk,
    ChunkFindings,
    combine_agreement,
    combine_items,
    combine_parties,
    plan_chunks,
    shifted,
)
from summarizer.extract.model.passes import check_fits, context_chars
from summarizer.extract.model.translate import Translation, translate
from summarizer.extract.model.verify import Verification, statements_of, verify
from summarizer.extract.rules.confidence import (
    Calibration,
    Scored,
    keep_sure,
    shipped_calibration,
    with_confidence,
)
from summarizer.extract.steps import PROMPT_IDS, STEPS, SWITCHABLE, run_pipeline
from summarizer.extract.summary import compose_summary
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import Agreement, Article, Condition, Party, PromptRef
from summarizer.text.language import SURE, Language, detect_language
from summarizer.text.provisions import is_agreement_text
from summarizer.text.similarity import party_named

__all__ = [
    "PROMPT_IDS",
    "STEPS",
    "SWITCHABLE",
    "Extraction",
    "check_fits",
    "chunks_of",
    "extract",
]


@dataclass
class Extraction:
    """What the pipeline found, before provenance is attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]
    prompts: list[PromptRef]
    stats: CallStats = field(default_factory=CallStats)
    #: The same per prompt id (each pass and kind of question).
    by_prompt: dict[str, CallStats] = field(default_factory=dict)
    dropped: int = 0
    #: ISO 639-1 code of the document's language (None when it could not be told).
    language: str | None = None
    #: What the reader of the record should know about how it was read.
    warnings: list[str] = field(default_factory=list)
    #: How the items' confidence was computed, or why there is none.
    confidence: str | None = None
    #: For a report not in English: how its English renderings were made, or why there are none.
    translation: str | None = None
    #: "agreement_text" when the document is laid out as an agreement's own text, else "report".
    kind: Literal["report", "agreement_text"] = "report"


#: Below this much room for text a chunk could not hold a paragraph.
_MIN_CONTEXT_CHARS = 2000


def chunks_of(text: str, context_tokens: int | None) -> list[Chunk]:
    """The chunks a document is read in: one when the model's context holds it whole."""
    room = context_chars(context_tokens)
    if room is None or len(text) <= room:
        return [Chunk(0, len(text))]
    if room < _MIN_CONTEXT_CHARS:
        raise ConfigurationError(
            f"The model's context ({context_tokens:,} tokens) leaves no room for a report.",
            hint="Use a model or setting with a context of at least 4,096 tokens.",
        )
    return plan_chunks(text, max_chars=min(CHUNK_CHARS, room))


def extract(
    text: str,
    provider: Provider,
    disabled: frozenset[str] = frozenset(),
    *,
    calibration: Calibration | None = None,
    min_confidence: float | None = None,
) -> Extraction:
    """Run the pipeline over one document and return the grounded parts of its record.

    A document longer than the model's context is read in chunks (``extract.chunks``): the
    pipeline runs on each, and the findings are combined with every offset in the whole text.
    Then every item is verified (``model.verify``): its calibrated confidence is attached and
    the articles, conditions and parties below ``min_confidence`` are dropped. A report not in
    English then gets an English rendering of its agreement's name and of every article and
    condition (``model.translate``), which the summary uses.

    Args:
        text: the report.
        provider: the model.
        disabled: names of switchable steps to skip (see ``steps.SWITCHABLE``).
        calibration: raw to calibrated probability; None: the one shipped with the package.
        min_confidence: keep items at or above this confidence; None: the calibration's
            default; 0 keeps everything.

    Raises:
        ConfigurationError: ``disabled`` names an unknown step.
        ProviderError, ExtractionError: from the provider.
    """
    chunks = chunks_of(text, provider.info.context_tokens)
    language = detect_language(text)
    # Told from the whole text's layout: a chunk of an agreement is still read as one.
    agreement_text = is_agreement_text(text)
    found: list[ChunkFindings] = []
    prompts: list[PromptRef] = []
    stats = CallStats()
    by_prompt: dict[str, CallStats] = {}
    dropped = 0
    for chunk in chunks:
        draft, calls = run_pipeline(
            text[chunk.start : chunk.end],
            provider,
            disabled,
            language=None if language.is_english else language.name,
            agreement_text=agreement_text,
        )
        at = chunk.start
        found.append(
            ChunkFindings(
                agreement=draft.read_agreement(),
                parties=[shifted(p, at) for p in draft.parties],
                articles=[shifted(a, at) for a in draft.articles],
                conditions=[shifted(c, at) for c in draft.conditions],
            )
        )
        prompts += [ref for ref in calls.prompts if ref not in prompts]
        stats.add(calls.stats)
        for prompt_id, cost in calls.by_prompt.items():
            by_prompt.setdefault(prompt_id, CallStats()).add(cost)
        dropped += draft.dropped
    if len(found) == 1:
        agreement, parties = found[0].agreement, found[0].parties
        articles, conditions = found[0].articles, found[0].conditions
    else:
        agreement = combine_agreement(found)
        parties = combine_parties(found)
        articles = [a for a in combine_items([f.articles for f in found]) if isinstance(a, Article)]
        conditions = [
            _with_party_name(c, parties)
            for c in combine_items([f.conditions for f in found])
            if isinstance(c, Condition)
        ]
    scored = Scored(agreement, parties, articles, conditions)
    warnings = language_warnings(language, disabled, agreement_text=agreement_text)
    note = "not computed: the verify step was switched off"
    if "verify" not in disabled:
        scored, note, asked = _verified(scored, text, chunks, provider, calibration, min_confidence)
        if asked.unanswered:
            warnings.append(note)
        if asked.failed:
            warnings.append(
                f"{asked.failed} statements of the verification question got no valid answer "
                "(or the server refused it): their items have no confidence and were not "
                "dropped for it."
            )
        prompts += [ref for ref in asked.prompts if ref not in prompts]
        stats.add(asked.stats)
        if asked.stats.calls:
            by_prompt.setdefault("verify", CallStats()).add(asked.stats)
    translation = None
    if not language.is_english:
        translation = "not made: the translate step was switched off"
        if "translate" not in disabled:
            scored, translation, rendered = _rendered(scored, language.name, provider)
            if rendered.failed:
                warnings.append(translation)
            prompts += [ref for ref in rendered.prompts if ref not in prompts]
            stats.add(rendered.stats)
            if rendered.stats.calls:
                by_prompt.setdefault("translate", CallStats()).add(rendered.stats)
    summary = compose_summary(scored.agreement, scored.parties, scored.articles, scored.conditions)
    return Extraction(
        agreement=scored.agreement.model_copy(update={"summary": summary}),
        parties=scored.parties,
        articles=scored.articles,
        conditions=scored.conditions,
        prompts=prompts,
        stats=stats,
        by_prompt=by_prompt,
        dropped=dropped,
        language=language.code,
        warnings=warnings,
        confidence=note,
        translation=translation,
        kind="agreement_text" if agreement_text else "report",
    )


def _verified(
    scored: Scored,
    text: str,
    chunks: list[Chunk],
    provider: Provider,
    calibration: Calibration | None,
    min_confidence: float | None,
) -> tuple[Scored, str, Verification]:
    """The record with every item's confidence, the unsure items dropped, and a note on how."""
    calibration = calibration or shipped_calibration()
    threshold = calibration.min_confidence if min_confidence is None else min_confidence
    statements = statements_of(scored.agreement, scored.parties, scored.articles, scored.conditions)
    asked = verify(text, chunks, statements, provider)
    if asked.unanswered:
        note = (
            f"Confidence is none: the provider ({provider.info.name}) returned no token "
            "probabilities, so no item has a confidence and none was dropped for it."
        )
        return scored, note, asked
    raw: dict[tuple[str, int], float | None] = {
        (s.kind, s.index): p for s, p in zip(statements, asked.yes, strict=True)
    }
    kept, removed = keep_sure(
        with_confidence(
            scored.agreement, scored.parties, scored.articles, scored.conditions, raw, calibration
        ),
        threshold,
    )
    note = (
        f"verification question, calibration {calibration.fitted_on}; items below "
        f"{threshold:g} dropped ({removed})"
    )
    return kept, note, asked


def _rendered(scored: Scored, language: str, provider: Provider) -> tuple[Scored, str, Translation]:
    """The record with the English rendering of its name, articles and conditions, and a note
    on how they were made (or why some are missing)."""
    agreement, articles, conditions = scored.agreement, scored.articles, scored.conditions
    named = [agreement.name] if agreement.name else []
    passages = named + [a.text for a in articles] + [c.text for c in conditions]
    if not passages:
        return scored, "not needed: the record has no name, article or condition", Translation([])
    rendered = translate(passages, language, provider)
    english = iter(rendered.english)
    if named:
        agreement = agreement.model_copy(update={"name_en": next(english)})
    articles = [a.model_copy(update={"text_en": next(english)}) for a in articles]
    conditions = [c.model_copy(update={"text_en": next(english)}) for c in conditions]
    note = f"the model's translation ({provider.info.model}) from {language}"
    if rendered.failed:
        note = (
            f"{rendered.failed} of {len(passages)} passages got no English rendering (the "
            f"translation call failed or was refused); the rest are {note}."
        )
    translated = replace(scored, agreement=agreement, articles=articles, conditions=conditions)
    return translated, note, rendered


def language_warnings(
    language: Language, disabled: frozenset[str] = frozenset(), *, agreement_text: bool = False
) -> list[str]:
    """What a record read in another language (or an unsure one) should say about itself; the
    rules it names as not run are those that would have run on this kind of document."""
    warnings: list[str] = []
    if language.confidence < SURE:
        warnings.append(
            f"The language could not be told for sure (best guess {language.name}, "
            f"{language.confidence:.2f}); the record may be incomplete."
        )
    if not language.is_english:
        skipped = [
            s.name
            for s in STEPS
            if s.english_only and s.name not in disabled and s.runs_on(agreement_text)
        ]
        warnings.append(
            f"The report is in {language.name}: the model read it, and the rules that read "
            f"English words did not run ({', '.join(skipped)}); dates are kept only where an "
            "English sentence of the agreement's making states them. Check the record."
        )
    return warnings


def _with_party_name(condition: Condition, parties: list[Party]) -> Condition:
    """A condition whose proposer is named as the combined party is (a party or null)."""
    if condition.proposed_by is None:
        return condition
    party = party_named(condition.proposed_by, parties)
    return condition.model_copy(update={"proposed_by": party.name if party else None})
