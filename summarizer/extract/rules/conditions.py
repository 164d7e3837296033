"""Stage: the conditions. The terms of an offer never agreed become its pending conditions;
the model's demand quotes are grounded and kept where their sentence reports a demand;
sentences that report a demand no condition covers get a question of their own; each
condition gets a proposer among the record's parties, or none."""

from __future__ import annotations

import re
from dataclasses import replace

from summarizer.extract.model.responses import DemandDraft
from summarizer.extract.rules.derive import (
    demand_clause,
    join_touching,
    reads_as_demand,
)
from summarizer.extract.rules.proposers import party_meant, proposer_of
from summarizer.extract.state import Demand, Draft
from summarizer.lexicon import english as lexicon
from summarizer.record.schema import Article, Condition, Evidence
from summarizer.text.align import SourceIndex, span_evidence
from summarizer.text.segment import Sentence
from summarizer.text.spans import overlaps


def offer_terms(draft: Draft) -> Draft:
    """Rule: terms put forward in an offer never agreed are the proposer's pending conditions.

    Acts term by term, on what the text says of each: only a term whose sentence puts it
    forward ("would", "proposes", "the plan") moves; a term its sentence does not offer stays
    an article. A status "proposed" that no term's sentence bears out, in a report that says
    an agreement was signed or agreed, is read as "signed", so one misreading of the status
    cannot empty the agreed terms.
    """
    agreement = draft.agreement
    if agreement is None or agreement.status != "proposed" or not draft.articles:
        return draft
    sentences = draft.sentences
    offered: list[Article] = []
    kept: list[Article] = []
    for article in draft.articles:
        start = article.evidence[0].start
        sentence = next((s.text for s in sentences if s.start <= start < s.end), "")
        (offered if lexicon.OFFER_WORDS.search(sentence) else kept).append(article)
    if not offered and any(lexicon.AGREEMENT_MADE.search(s.text) for s in sentences):
        return replace(draft, agreement=agreement.model_copy(update={"status": "signed"}))
    proposer = next((p.name for p in draft.parties if p.role == "proposer"), None)
    conditions = [
        Condition(text=a.text, proposed_by=proposer, outcome="pending", evidence=a.evidence)
        for a in offered
    ]
    return replace(draft, articles=kept, conditions=[*draft.conditions, *conditions])


def ground_conditions(draft: Draft) -> Draft:
    """Locate every quoted demand, one span per sentence; a quote not in the text is dropped
    (and kept, each once, for ``requote_demands``)."""
    found: list[Demand] = []
    unfound: list[str] = []
    dropped = draft.dropped
    for cond in draft.read_fields().conditions:
        spans = draft.spans_of(cond.quote)
        if spans is None:
            dropped += 1
            if cond.quote not in unfound:
                unfound.append(cond.quote)
            continue
        found += [Demand(cond, ev) for ev in spans]
    return replace(draft, demand_spans=_unique(found), unfound_demands=unfound, dropped=dropped)


def keep_reported_demands(draft: Draft) -> Draft:
    """Rule: a condition stays only where its sentence reports a demand, offer or refusal.

    A small model asked for demands also copies agreed terms, reactions and background.
    """
    kept = [
        d
        for d in draft.demand_spans
        if reads_as_demand(draft.text, (d.evidence.start, d.evidence.end), draft.bounds)
    ]
    return replace(draft, demand_spans=kept)


def proposal_points(draft: Draft) -> Draft:
    """Rule, on an agreement's own text that the model read as a proposal (status
    "proposed"): its provisions are conditions one side puts forward, not agreed terms.

    Each article becomes a condition with the same text and evidence, outcome "pending",
    proposed by the one party the actors pass named proposer (null when it named none or
    several).
    """
    if draft.read_fields().status != "proposed" or not draft.articles:
        return draft
    proposers = [p.name for p in draft.parties if p.role == "proposer"]
    proposer = proposers[0] if len(proposers) == 1 else None
    points = [
        Condition(text=a.text, proposed_by=proposer, outcome="pending", evidence=a.evidence)
        for a in draft.articles
    ]
    return replace(draft, articles=[], conditions=[*draft.conditions, *points])


def build_conditions(draft: Draft) -> Draft:
    """The conditions: touching pieces of one clause joined, each with the model's proposer
    where it names a party of the record and its outcome; spans of offered terms left out."""
    offered = [(c.evidence[0].start, c.evidence[0].end) for c in draft.conditions]
    pairs = [
        d
        for d in draft.demand_spans
        if not any(overlaps((d.evidence.start, d.evidence.end), o) for o in offered)
    ]
    built = [
        Condition(
            text=ev.quote,
            proposed_by=party_meant(pairs[first].answer.by, draft.parties),
            outcome=pairs[first].answer.outcome,
            evidence=[ev],
        )
        for first, ev in _joined(draft, [d.evidence for d in pairs])
    ]
    return replace(draft, conditions=[*draft.conditions, *built], demand_spans=pairs)


def resolve_proposers(draft: Draft) -> Draft:
    """Rule: a condition whose proposer the model did not name as a party gets the party its
    sentence names before the demand (or, after "The group ...", the sentence before)."""
    source, bounds = draft.text, draft.bounds
    by_span = {(d.evidence.start, d.evidence.end): d.answer.by for d in draft.demand_spans}
    conditions = []
    for c in draft.conditions:
        if c.proposed_by is None:
            ev = c.evidence[0]
            words = by_span.get((ev.start, ev.end), "")
            c = c.model_copy(
                update={
                    "proposed_by": proposer_of(
                        words, (ev.start, ev.end), draft.parties, source, bounds
                    )
                }
            )
        conditions.append(c)
    return replace(draft, conditions=conditions)


def closed_proposers(draft: Draft) -> Draft:
    """A proposer is the name of a party of this record, or null: never free model text."""
    names = {p.name for p in draft.parties}
    conditions = [
        c
        if c.proposed_by in names or c.proposed_by is None
        else c.model_copy(update={"proposed_by": None})
        for c in draft.conditions
    ]
    return replace(draft, conditions=conditions)


def _unique(demands: list[Demand]) -> list[Demand]:
    """The demands with each span once (the first), empty spans left out."""
    seen: set[tuple[int, int]] = set()
    out: list[Demand] = []
    for d in demands:
        key = (d.evidence.start, d.evidence.end)
        if key in seen or d.evidence.end <= d.evidence.start:
            continue
        seen.add(key)
        out.append(d)
    return out


def _joined(draft: Draft, spans: list[Evidence]) -> list[tuple[int, Evidence]]:
    """The spans with those touching inside one sentence joined (see ``join_touching``).

    Each joined span comes with the index in ``spans`` of the first piece it was joined from.
    """
    pairs = [(ev.start, ev.end) for ev in spans]
    return [
        (first, span_evidence(draft.text, start, end, spans[first].alignment, spans[first].origin))
        for first, start, end in join_touching(pairs, draft.text, draft.bounds)
    ]


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


def demand_evidence(answer: DemandDraft, sentence: Sentence) -> Evidence | None:
    """The evidence of the demand an answer names in a sentence (offsets in the whole
    source), or None when the answer names none or one made up of other words.

    When the model's words for the demand are the sentence's words reworded, the evidence is
    the sentence's own demand clause (see ``demand_clause``).
    """
    demand = (answer.demand or "").strip()
    if not demand or demand.casefold() == "null":
        return None
    ev = SourceIndex(sentence.text).align(demand)
    if ev is None and _reworded(demand, sentence.text):
        # The model found the demand but dropped or reordered words; the sentence has a
        # word of demand, so the words after it are the demand, in the source's words.
        a, b = demand_clause(sentence.text, 0, len(sentence.text))
        ev = span_evidence(sentence.text, a, b)
    if ev is None:
        return None
    return ev.model_copy(
        update={"start": sentence.start + ev.start, "end": sentence.start + ev.end}
    )
