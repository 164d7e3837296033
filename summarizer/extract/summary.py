"""The record's prose summary, composed by the system from the record's grounded fields.

No model writes it: every name, place and term in it is a string of the record (and so of
the document), joined by fixed English words that the closed sets (status, role, stance,
outcome) choose. For a report not in English the agreement's name and the terms are given in
their English renderings where the record has them, each marked "(tr.)": the model's
translation, never passed off as the document's words. A reader gets what was agreed, by
whom, who refused or walked out, and where the agreement stands, in a few short sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.record.schema import Agreement, Article, Condition, Party, Status

#: How each status reads after the agreement's name.
_STATUS_WORDS: dict[Status, str] = {
    "proposed": "was proposed but not agreed",
    "signed": "was signed",
    "in_force": "is in force",
    "collapsed": "was agreed and has since collapsed",
    "unclear": "is reported, its status unclear",
}
#: What marks a string as the model's English translation, not the document's words (the
#: summary writes it in brackets after the rendering; the Markdown and the table too).
TRANSLATED = "tr."
#: Terms named in the summary before "and N more".
_TERMS_SHOWN = 3
#: What is trimmed from a term's ends: punctuation, and quote marks left open by the cut.
_TRIM = " .;,:\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
#: Longest term quoted whole; a longer one is cut at a word and marked.
_TERM_CHARS = 90


def _names(parties: Sequence[Party]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [" ".join(p.name.split()) for p in parties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _term(text: str) -> str:
    """A term's words on one line, cut at a word boundary when long."""
    words = " ".join(text.split()).strip(_TRIM)
    if len(words) <= _TERM_CHARS:
        return words
    return words[:_TERM_CHARS].rsplit(" ", 1)[0] + " …"


def _opening(agreement: Agreement) -> str:
    """What the agreement is, where and when, and where it stands."""
    # A report not in English: the English rendering (the model's translation) stands in,
    # marked as such.
    named = agreement.name_en or agreement.name
    name = " ".join(named.split()) if named else "An agreement"
    if agreement.name_en:
        name = f"{name} ({TRANSLATED})"
    if name[:1].islower():  # "ceasefire protocol": the text's words, led in by an article
        name = f"The {name}"
    where = [" ".join(agreement.location.split())] if agreement.location else []
    when = [agreement.date] if agreement.date else []
    about = f" ({', '.join(where + when)})" if where or when else ""
    return f"{name}{about} {_STATUS_WORDS[agreement.status]}."


def _terms(articles: Sequence[Article]) -> str | None:
    """The first terms, and how many more there are."""
    if not articles:
        return None
    shown = "; ".join(
        f"{_term(a.text_en)} ({TRANSLATED})" if a.text_en else _term(a.text)
        for a in articles[:_TERMS_SHOWN]
    )
    more = len(articles) - _TERMS_SHOWN
    return f"Terms: {shown}" + (f"; and {more} more." if more > 0 else ".")


def _who(parties: Sequence[Party]) -> list[str]:
    """Who signed, guaranteed, mediated or witnessed, and who refused or walked out."""
    sentences: list[str] = []
    by_role = [
        ("Signed by", [p for p in parties if p.role == "signatory" and p.stance != "withdrew"]),
        ("Guaranteed by", [p for p in parties if p.role == "guarantor"]),
        ("Mediated by", [p for p in parties if p.role == "mediator"]),
        ("Witnessed by", [p for p in parties if p.role == "witness"]),
    ]
    by_stance = [
        ("Accepted with conditions by", [p for p in parties if p.stance == "conditional"]),
        ("Rejected by", [p for p in parties if p.stance == "rejects"]),
        ("Withdrawn from by", [p for p in parties if p.stance == "withdrew"]),
    ]
    for words, group in by_role + by_stance:
        if group:
            sentences.append(f"{words} {_names(group)}.")
    return sentences


def _conditions(conditions: Sequence[Condition]) -> str | None:
    """How many conditions were put forward, by whom, and how many were met."""
    if not conditions:
        return None
    count = len(conditions)
    proposers = sorted({c.proposed_by for c in conditions if c.proposed_by})
    by = (
        f" by {', '.join(proposers[:-1]) + ' and ' + proposers[-1]}"
        if len(proposers) > 1
        else (f" by {proposers[0]}" if proposers else "")
    )
    accepted = sum(c.outcome == "accepted" for c in conditions)
    rejected = sum(c.outcome == "rejected" for c in conditions)
    outcome = [f"{accepted} accepted"] if accepted else []
    outcome += [f"{rejected} rejected"] if rejected else []
    tail = f" ({', '.join(outcome)})" if outcome else ""
    plural = "condition was" if count == 1 else "conditions were"
    return f"{count} {plural} put forward{by}{tail}."


def compose_summary(
    agreement: Agreement,
    parties: Sequence[Party],
    articles: Sequence[Article],
    conditions: Sequence[Condition],
) -> str | None:
    """A short prose summary of a record, from its grounded fields only.

    Args:
        agreement: the agreement block (name and location are the document's own words).
        parties, articles, conditions: the record's grounded lists.

    Returns:
        A few short sentences; None for an empty record (a report with no agreement).
    """
    if not (parties or articles or conditions or agreement.name):
        return None
    parts = [_opening(agreement), _terms(articles), *_who(parties), _conditions(conditions)]
    return " ".join(p for p in parts if p)
