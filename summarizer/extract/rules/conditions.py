"""Stage: the conditions. The terms of an offer never agreed become its pending conditions;
the model's demand quotes are grounded and kept where their sentence reports a demand;
sentences that report a demand no condition covers get a question of their own; each
condition gets a proposer among the record's parties, or none."""

from __future__ import annotations

from dataclasses import replace

from summarizer.extract.lexicon import english as lexicon
from summarizer.extract.rules.demands import demand_sentences, find_demands
from summarizer.extract.rules.derive import overlaps, reads_as_demand, split_across_sentences
from summarizer.extract.rules.proposers import party_meant, proposer_of
from summarizer.extract.rules.terms import evidence, joined
from summarizer.extract.state import Calls, DemandPair, Draft
from summarizer.record.schema import Article, Condition


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
    """Locate every quoted demand, one span per sentence; a quote not in the text is dropped."""
    assert draft.fields is not None
    found: list[DemandPair] = []
    dropped = draft.dropped
    for cond in draft.fields.conditions:
        ev = draft.index.align(cond.quote)
        if ev is None:
            dropped += 1
            continue
        for a, b in split_across_sentences(draft.text, ev.start, ev.end, draft.bounds):
            found.append((cond, evidence(draft.text, a, b, ev.alignment)))
    return replace(draft, demand_spans=_unique(found), dropped=dropped)


def keep_reported_demands(draft: Draft) -> Draft:
    """Rule: a condition stays only where its sentence reports a demand, offer or refusal.

    A small model asked for demands also copies agreed terms, reactions and background.
    """
    kept = [
        (cond, ev)
        for cond, ev in draft.demand_spans
        if reads_as_demand(draft.text, (ev.start, ev.end), draft.bounds)
    ]
    return replace(draft, demand_spans=kept)


def build_conditions(draft: Draft) -> Draft:
    """The conditions: touching pieces of one clause joined, each with the model's proposer
    where it names a party of the record and its outcome; spans of offered terms left out."""
    offered = [(c.evidence[0].start, c.evidence[0].end) for c in draft.conditions]
    pairs = [
        (cond, ev)
        for cond, ev in draft.demand_spans
        if not any(overlaps((ev.start, ev.end), o) for o in offered)
    ]
    built = [
        Condition(
            text=ev.quote,
            proposed_by=party_meant(pairs[first][0].by, draft.parties),
            outcome=pairs[first][0].outcome,
            evidence=[ev],
        )
        for first, ev in joined(draft, [ev for _, ev in pairs])
    ]
    return replace(draft, conditions=[*draft.conditions, *built], demand_spans=pairs)


def resolve_proposers(draft: Draft) -> Draft:
    """Rule: a condition whose proposer the model did not name as a party gets the party its
    sentence names before the demand (or, after "The group ...", the sentence before)."""
    source, bounds = draft.text, draft.bounds
    by_span = {(ev.start, ev.end): cond.by for cond, ev in draft.demand_spans}
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


def ask_demands(draft: Draft, calls: Calls) -> Draft:
    """Model: sentences with a word of demand that no condition covers ask which demand."""
    covered = [(c.evidence[0].start, c.evidence[0].end) for c in draft.conditions]
    asked = demand_sentences(draft.sentences, covered)
    demands, cost = find_demands(calls.provider, calls.prompt("demand"), asked, draft.label)
    calls.add(cost)
    added = [
        Condition(
            text=ev.quote,
            proposed_by=party_meant(found.by, draft.parties),
            outcome=found.outcome,
            evidence=[ev],
        )
        for found, ev in demands
    ]
    pairs: list[DemandPair] = [*draft.demand_spans, *demands]
    return replace(draft, conditions=[*draft.conditions, *added], demand_spans=pairs)


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


def _unique(pairs: list[DemandPair]) -> list[DemandPair]:
    """The pairs with each span once (the first), empty spans left out."""
    seen: set[tuple[int, int]] = set()
    out: list[DemandPair] = []
    for cond, ev in pairs:
        key = (ev.start, ev.end)
        if key in seen or ev.end <= ev.start:
            continue
        seen.add(key)
        out.append((cond, ev))
    return out
