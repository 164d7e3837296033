"""Demands the conditions pass missed: one short question per sentence that reports one.

The conditions pass reads the whole report and a small model often returns the agreed terms
there instead of the demands. Sentences with a word of demand ("demanded", "insisted",
"only if") that no condition covers get a question of their own, as refusing actors do.
"""

from __future__ import annotations

import re

from summarizer.extract.lexicon import english as lexicon
from summarizer.extract.model.prompt import PromptTemplate
from summarizer.extract.model.responses import DemandDraft
from summarizer.extract.rules.derive import demand_clause, overlaps
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import Evidence
from summarizer.text.align import SourceIndex
from summarizer.text.segment import Sentence

DEMAND_MAX_TOKENS = 120
#: Sentences asked about per document, first in document order. Six, not three: a long
#: analysis piece reports more demands than a wire story (dev replay: conditions F1 0.728 ->
#: 0.736, proposer 0.57 -> 0.60, six more calls over 16 reports).
DEMAND_SENTENCES = 6


def demand_sentences(
    sentences: list[Sentence], covered: list[tuple[int, int]], limit: int = DEMAND_SENTENCES
) -> list[Sentence]:
    """Sentences with a word of demand that no span in ``covered`` overlaps, at most ``limit``."""
    return [
        s
        for s in sentences
        if lexicon.DEMAND_SWEEP_CUE.search(s.text)
        and not any(overlaps((s.start, s.end), c) for c in covered)
    ][:limit]


# Share of the model's words for a demand that must stand in the sentence for the answer to
# count as the sentence's demand reworded, not one the model made up.
_REWORDED_SHARE = 0.8


def _reworded(demand: str, sentence: str) -> bool:
    """Whether nearly every word of the model's demand is a word of the sentence."""
    words = re.findall(r"\w+", demand.casefold())
    present = set(re.findall(r"\w+", sentence.casefold()))
    return bool(words) and sum(w in present for w in words) >= _REWORDED_SHARE * len(words)


def find_demands(
    provider: Provider,
    prompt: PromptTemplate,
    sentences: list[Sentence],
    agreement_label: str,
) -> tuple[list[tuple[DemandDraft, Evidence]], CallStats]:
    """Ask, for each sentence given, which demand it reports; keep answers found in it.

    Returns each demand the model named with its evidence (offsets in the whole source), and
    the cost. When the model's words for the demand are the sentence's words reworded, the
    evidence is the sentence's own demand clause (see ``demand_clause``); a demand made up of
    other words is left out.
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
        if not demand or demand.casefold() == "null":
            continue
        ev = SourceIndex(sentence.text).align(demand)
        if ev is None and _reworded(demand, sentence.text):
            # The model found the demand but dropped or reordered words; the sentence has a
            # word of demand, so the words after it are the demand, in the source's words.
            a, b = demand_clause(sentence.text, 0, len(sentence.text))
            ev = Evidence(quote=sentence.text[a:b], start=a, end=b, alignment="exact")
        if ev is None:
            continue
        start, end = sentence.start + ev.start, sentence.start + ev.end
        found.append((result.value, ev.model_copy(update={"start": start, "end": end})))
    return found, stats
