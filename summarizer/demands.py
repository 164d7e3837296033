"""Demands the conditions pass missed: one short question per sentence that reports one.

The conditions pass reads the whole report and a small model often returns the agreed terms
there instead of the demands. Sentences with a word of demand ("demanded", "insisted",
"only if") that no condition covers get a question of their own, as refusing actors do.
"""

from __future__ import annotations

import re

from summarizer.derive import overlaps
from summarizer.drafts import DemandDraft
from summarizer.ground import SourceIndex
from summarizer.prompt import PromptTemplate
from summarizer.providers import CallStats, Provider
from summarizer.schema import Evidence
from summarizer.segment import Sentence

DEMAND_MAX_TOKENS = 120
#: Sentences asked about per document, first in document order.
DEMAND_SENTENCES = 3
# Not "calls for": reports use it for what an agreement provides ("the 2015 package called
# for ..."), which would bring older agreements' terms in as demands.
_DEMAND = re.compile(
    r"\b(?:demand(?:s|ed|ing)?|insist(?:s|ed|ing)?|condition(?:s|ed)?|ultimatum|"
    r"want(?:s|ed)|sought|seek(?:s|ing)?|only if|unless|on condition)\b",
    re.IGNORECASE,
)


def demand_sentences(
    sentences: list[Sentence], covered: list[tuple[int, int]], limit: int = DEMAND_SENTENCES
) -> list[Sentence]:
    """Sentences with a word of demand that no span in ``covered`` overlaps, at most ``limit``."""
    return [
        s
        for s in sentences
        if _DEMAND.search(s.text) and not any(overlaps((s.start, s.end), c) for c in covered)
    ][:limit]


def find_demands(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    agreement_label: str,
) -> tuple[list[tuple[DemandDraft, Evidence]], CallStats]:
    """Ask, for each sentence given, which demand it reports; keep answers found in it.

    Returns each demand the model named with its evidence (offsets in the whole source), and
    the cost. A demand whose words cannot be found in its own sentence is left out.
    """
    stats = CallStats()
    found: list[tuple[DemandDraft, Evidence]] = []
    for sentence in sentences:
        messages = prompt.render(agreement=agreement_label, sentence=sentence.text)
        result = provider.structured(
            messages, DemandDraft, max_tokens=DEMAND_MAX_TOKENS, reuse_prefix=True
        )
        stats.add(result.stats)
        demand = (result.value.demand or "").strip()
        ev = SourceIndex(sentence.text).align(demand) if demand else None
        if ev is not None:
            start, end = sentence.start + ev.start, sentence.start + ev.end
            found.append((result.value, ev.model_copy(update={"start": start, "end": end})))
    return found, stats
