"""Stage: the agreed terms. The model's quotes are grounded, cut into one span per term, and
assembled into articles with numbers and provision categories the system derives."""

from __future__ import annotations

from dataclasses import replace

from summarizer.derive import (
    article_number,
    categories_for,
    demands_or_refuses,
    join_touching,
    listed_terms,
    numbered_terms,
    overlaps,
    split_across_sentences,
    split_enumeration,
)
from summarizer.pipeline.state import Draft
from summarizer.schema import Alignment, Article, Evidence, Origin


def evidence(
    source: str, start: int, end: int, alignment: Alignment, origin: Origin = "model"
) -> Evidence:
    """The evidence for ``source[start:end]``."""
    return Evidence(
        quote=source[start:end], start=start, end=end, alignment=alignment, origin=origin
    )


def ground_terms(draft: Draft) -> Draft:
    """Locate every quoted term in the source; a quote that is not there is dropped."""
    spans: list[Evidence] = []
    dropped = draft.dropped
    seen: set[tuple[int, int]] = set()
    for quote in draft.term_quotes:
        ev = draft.index.align(quote)
        if ev is None:
            dropped += 1
        elif (ev.start, ev.end) not in seen:
            seen.add((ev.start, ev.end))
            spans.append(ev)
    return replace(draft, term_spans=spans, dropped=dropped)


def take_listed_terms(draft: Draft) -> Draft:
    """Rule: the items of a list set out under a lead-in announcing the terms are terms.

    "Under the truce's terms:" followed by bullets: every item's sentences become term spans (origin
    rule), and a model quote inside one is left out so each term is found once.
    """
    listed = listed_terms(draft.text, draft.bounds)
    if not listed:
        return draft
    kept = [
        ev
        for ev in draft.term_spans
        if not any(overlaps((ev.start, ev.end), span) for span in listed)
    ]
    spans = [evidence(draft.text, a, b, "exact", "rule") for a, b in listed]
    return replace(draft, term_spans=sorted([*kept, *spans], key=lambda ev: ev.start))


def split_terms(draft: Draft) -> Draft:
    """Rule: one span per sentence and per enumerated term (see ``split_enumeration``).

    A small model quotes a sentence that lists three terms as one item, or runs a quote over a
    sentence break; the record wants one item per term.
    """
    return replace(draft, term_spans=split_spans(draft, draft.term_spans))


def split_spans(draft: Draft, spans: list[Evidence]) -> list[Evidence]:
    """Each span cut at sentence breaks and enumerations; pieces seen already left out."""
    source, bounds = draft.text, draft.bounds
    out: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for ev in spans:
        for a, b in split_across_sentences(source, ev.start, ev.end, bounds):
            for start, end in split_enumeration(source, a, b):
                if (start, end) in seen or end <= start:
                    continue
                seen.add((start, end))
                out.append(evidence(source, start, end, ev.alignment, ev.origin))
    return out


def take_numbered_terms(draft: Draft) -> Draft:
    """Rule: provisions the report states one by one under their own numbers are taken whole.

    "Article 4 obliges ...", "Under the third point, ...": the system takes each such sentence
    as one term, and a model quote overlapping it is left out, so a term is one item.
    """
    numbered = numbered_terms(draft.text, draft.bounds)
    kept = [
        ev
        for ev in draft.term_spans
        if not any(overlaps((ev.start, ev.end), (a, b)) for _, a, b in numbered)
    ]
    return replace(draft, numbered=numbered, term_spans=kept)


def drop_demand_terms(draft: Draft) -> Draft:
    """Rule: a quote that reports a demand or a refusal is not an agreed term."""
    return replace(
        draft, term_spans=[ev for ev in draft.term_spans if not demands_or_refuses(ev.quote)]
    )


def join_terms(draft: Draft) -> Draft:
    """Rule: pieces of one clause that touch inside a sentence are one term."""
    return replace(draft, term_spans=[ev for _, ev in joined(draft, draft.term_spans)])


def joined(draft: Draft, spans: list[Evidence]) -> list[tuple[int, Evidence]]:
    """The spans with those touching inside one sentence joined (see ``join_touching``).

    Each joined span comes with the index in ``spans`` of the first piece it was joined from.
    """
    pairs = [(ev.start, ev.end) for ev in spans]
    return [
        (first, evidence(draft.text, start, end, spans[first].alignment, spans[first].origin))
        for first, start, end in join_touching(pairs, draft.text, draft.bounds)
    ]


def build_articles(draft: Draft) -> Draft:
    """The articles, in document order: numbered provisions, then the model's other terms.

    Numbers come from the text around each term ("Article 11"), categories from its words.
    """
    source = draft.text
    articles = [
        Article(
            number=number,
            text=source[start:end],
            categories=categories_for(source[start:end]),
            evidence=[evidence(source, start, end, "exact", "rule")],
        )
        for number, start, end in draft.numbered
    ] + [
        Article(
            number=article_number(source, ev.start, ev.end),
            text=ev.quote,
            categories=categories_for(ev.quote),
            evidence=[ev],
        )
        for ev in draft.term_spans
    ]
    return replace(draft, articles=sorted(articles, key=lambda a: a.evidence[0].start))
