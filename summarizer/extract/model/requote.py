"""A pass asked again when it wrote its quotes in its own words.

``rules.requote`` decides when (most of a pass's different quotes are not in the text: the
model translated the report into English, or paraphrased it); this module asks the same pass
again, with a note that names the report's language and asks for its words
(``prompts/requote``). The note does not show the failed quotes: shown them, the model wrote
them again. The question after the report changes, not the report, so the runtime
reuses what it computed of the report for the first answer. The new answer's quotes are
grounded like the first's; the ones found join the record, and the ones still not in the text
are what the document drops.
"""

from __future__ import annotations

from dataclasses import replace

from summarizer.extract.model.calls import Calls
from summarizer.extract.model.passes import conditions_pass, terms_pass
from summarizer.extract.rules.requote import wrote_own_words
from summarizer.extract.state import Demand, Draft
from summarizer.record.schema import Evidence
from summarizer.text.spans import overlaps


def requote_terms(draft: Draft, calls: Calls) -> Draft:
    """Model: when most term quotes are not in the text, the terms pass is asked again for
    the report's own words; the new quotes that are found join the terms."""
    unfound = draft.unfound_terms
    if not wrote_own_words(len(set(draft.term_quotes)) - len(unfound), len(unfound)):
        return draft
    answer = terms_pass(draft, calls, _note(draft, calls))
    hits, missed = _grounded(draft, [t.quote for t in answer.terms])
    spans = list(draft.term_spans)
    for _, found in hits:
        spans += _new(found, spans)
    return replace(
        draft,
        term_spans=sorted(spans, key=lambda ev: ev.start),
        dropped=_redropped(draft.dropped, draft.term_quotes, unfound, missed),
    )


def requote_demands(draft: Draft, calls: Calls) -> Draft:
    """Model: when most demand quotes are not in the text, the conditions pass is asked again
    for the report's own words; the new demands that are found join the others (the
    agreement's fields keep the first answer)."""
    unfound = draft.unfound_demands
    quotes = [c.quote for c in draft.read_fields().conditions]
    if not wrote_own_words(len(set(quotes)) - len(unfound), len(unfound)):
        return draft
    answer = conditions_pass(draft, calls, _note(draft, calls))
    hits, missed = _grounded(draft, [c.quote for c in answer.conditions])
    demands = list(draft.demand_spans)
    for i, found in hits:
        condition = answer.conditions[i]
        demands += [Demand(condition, ev) for ev in _new(found, [d.evidence for d in demands])]
    return replace(
        draft,
        demand_spans=demands,
        dropped=_redropped(draft.dropped, quotes, unfound, missed),
    )


def _grounded(draft: Draft, quotes: list[str]) -> tuple[list[tuple[int, list[Evidence]]], int]:
    """The second answer's quotes located as the first's were: each found quote's index and
    spans, in order, and how many are not in the text."""
    hits: list[tuple[int, list[Evidence]]] = []
    for i, quote in enumerate(quotes):
        found = draft.spans_of(quote)
        if found is not None:
            hits.append((i, found))
    return hits, len(quotes) - len(hits)


def _note(draft: Draft, calls: Calls) -> str:
    """The note that names the report's language (``prompts/requote``)."""
    return calls.prompt("requote").render_note(language=draft.language)


def _new(found: list[Evidence], spans: list[Evidence]) -> list[Evidence]:
    """The spans of ``found`` that overlap none of ``spans`` (an item already there)."""
    return [
        ev for ev in found if not any(overlaps((ev.start, ev.end), (s.start, s.end)) for s in spans)
    ]


def _redropped(dropped: int, quotes: list[str], unfound: list[str], missed: int) -> int:
    """The document's drop count with the second answer's misses in place of the first's."""
    return dropped - sum(1 for q in quotes if q in unfound) + missed
