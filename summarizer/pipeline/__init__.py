"""The extraction pipeline: the ordered steps are in ``steps``; ``extract`` runs them.

Three whole-document passes read the report (terms, conditions and agreement fields, actors);
short constrained calls then ask about refusing actors, each actor's stance and uncovered
demands; rules ground, split, join, fold and check between them. ``steps.STEPS`` lists them
all in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.pipeline.steps import PROMPT_IDS, STEPS, SWITCHABLE, check_fits, run_pipeline
from summarizer.pipeline.summary import compose_summary
from summarizer.providers import CallStats, Provider
from summarizer.schema import Agreement, Article, Condition, Party, PromptRef

__all__ = ["PROMPT_IDS", "STEPS", "SWITCHABLE", "Extraction", "check_fits", "extract"]


@dataclass
class Extraction:
    """What the pipeline found, before provenance is attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]
    prompts: list[PromptRef]
    stats: CallStats = field(default_factory=CallStats)
    dropped: int = 0


def extract(text: str, provider: Provider, disabled: frozenset[str] = frozenset()) -> Extraction:
    """Run the pipeline over one document and return the grounded parts of its record.

    Args:
        text: the report.
        provider: the model.
        disabled: names of switchable steps to skip (see ``steps.SWITCHABLE``).

    Raises:
        ConfigurationError: ``disabled`` names an unknown step.
        InputError: the document does not fit the model's context.
        ProviderError, ExtractionError: from the provider.
    """
    draft, calls = run_pipeline(text, provider, disabled)
    assert draft.agreement is not None
    summary = compose_summary(draft.agreement, draft.parties, draft.articles, draft.conditions)
    return Extraction(
        agreement=draft.agreement.model_copy(update={"summary": summary}),
        parties=draft.parties,
        articles=draft.articles,
        conditions=draft.conditions,
        prompts=calls.prompts,
        stats=calls.stats,
        dropped=draft.dropped,
    )
