"""Stage: the agreed terms. The model's quotes are grounded (one span per sentence), terms the
report lists or numbers are taken by the system, and all are assembled into articles with
numbers and provision categories the system derives."""

from __future__ import annotations

from dataclasses import replace

from summarizer.extract.rules.derive import (
    article_number,
    categories_for,
    listed_terms,
    numbered_terms,
)
from summarizer.extract.state import Draft, NumberedSpan
from summarizer.record.schema import Article, Evidence
from summarizer.text.align import span_evidence
from summarizer.text.provisions import provisions
from summarizer.text.spans import overlaps


def ground_terms(draft: Draft) -> Draft:
    """Locate every quoted term in the source, one span per sentence it covers; a quote that
    is not there is dropped (a term is stated within one sentence: a quote across a break
    has run two together, and pieces under four words are fragments). The quotes not found
    are kept, each once, for ``requote_terms``."""
    spans: list[Evidence] = []
    unfound: list[str] = []
    dropped = draft.dropped
    seen: set[tuple[int, int]] = set()
    for quote in draft.term_quotes:
        found = draft.spans_of(quote)
        if found is None:
            dropped += 1
            if quote not in unfound:
                unfound.append(quote)
            continue
        for ev in found:
            if (ev.start, ev.end) not in seen:
                seen.add((ev.start, ev.end))
                spans.append(ev)
    return replace(draft, term_spans=spans, unfound_terms=unfound, dropped=dropped)


def take_listed_terms(draft: Draft) -> Draft:
    """Rule: the items of a list set out under a lead-in announcing the terms are terms.

    "Under the truce's terms:" followed by bullets: every item's sentences become term spans (origin
    rule), and a model quote inside one is left out so each term is found once.
    """
    listed = listed_terms(draft.text, draft.bounds)
    if not listed:
        return draft
    kept = _outside(draft.term_spans, listed)
    spans = [span_evidence(draft.text, a, b, "exact", "rule") for a, b in listed]
    return replace(draft, term_spans=sorted([*kept, *spans], key=lambda ev: ev.start))


def take_numbered_terms(draft: Draft) -> Draft:
    """Rule: provisions the report states one by one under their own numbers are taken whole.

    "Article 4 obliges ...", "Under the third point, ...": the system takes each such sentence
    as one term, and a model quote overlapping it is left out, so a term is one item.
    """
    numbered = [NumberedSpan(*found) for found in numbered_terms(draft.text, draft.bounds)]
    kept = _outside(draft.term_spans, [(n.start, n.end) for n in numbered])
    return replace(draft, numbered=numbered, term_spans=kept)


def take_provisions(draft: Draft) -> Draft:
    """Rule, on an agreement's own text: every provision its layout sets out is a term.

    The system finds the numbered paragraphs (``text.provisions``, from numbers and line
    breaks, in any language; preamble, lead-ins and definitions left out) and the model
    writes no quote for them: a list of a hundred provisions is read whole. Each then gets the
    verification question's confidence (``model.verify``) like any article.
    """
    found = [NumberedSpan(p.number or "", p.start, p.end) for p in provisions(draft.text)]
    return replace(draft, numbered=found)


def _outside(spans: list[Evidence], taken: list[tuple[int, int]]) -> list[Evidence]:
    """The spans that overlap none of ``taken`` (terms a rule has already taken whole)."""
    return [ev for ev in spans if not any(overlaps((ev.start, ev.end), t) for t in taken)]


def build_articles(draft: Draft) -> Draft:
    """The articles, in document order: numbered provisions, then the model's other terms.

    Numbers come from the text around each term ("Article 11"), categories from its words.
    """
    source = draft.text
    articles = [
        Article(
            number=n.number or None,
            text=source[n.start : n.end],
            categories=categories_for(source[n.start : n.end]),
            evidence=[span_evidence(source, n.start, n.end, "exact", "rule")],
        )
        for n in draft.numbered
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
