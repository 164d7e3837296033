"""Stage: the agreement block. Only what the text bears out is kept (a name or place it
contains, a date as far as a sentence of its making states it); status, stage and type are
the model's, from closed sets; a record with nothing grounded is empty."""

from __future__ import annotations

import re
from dataclasses import replace

from summarizer.extract.rules.dates import supported_date
from summarizer.extract.state import Draft
from summarizer.record.schema import Agreement
from summarizer.text.fold import fold_words


def _in_text(value: str | None, source: str) -> str | None:
    """The text's own words for ``value`` when it contains them, else None.

    Matched with case, accents and punctuation folded, whole words only; what is returned is
    the span of the text (from its first word to its last), never the model's spelling, so
    the record holds only strings of the document.
    """
    if not value or not value.strip():
        return None
    wanted = fold_words(value).split()
    if not wanted:
        return None
    words = [(m.start(), m.end(), fold_words(m.group())) for m in _WORD.finditer(source)]
    folded = [w for _, _, w in words]
    for i in range(len(words) - len(wanted) + 1):
        if folded[i : i + len(wanted)] == wanted:
            return source[words[i][0] : words[i + len(wanted) - 1][1]]
    return None


#: A word as ``fold_words`` sees one: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")


def ground_fields(draft: Draft) -> Draft:
    """The agreement block as far as the text bears it out.

    A name or location is kept only when the text contains it, so nothing the model made up
    (or a report's injected text made it write) reaches the record or a later prompt; a date
    keeps only the parts the text states.
    """
    fields = draft.read_fields()
    agreement = Agreement(
        name=_in_text(fields.name, draft.text),
        date=supported_date(fields.date, draft.text),
        location=_in_text(fields.location, draft.text),
        status=fields.status,
        stage=fields.stage,
        agreement_type=fields.agreement_type,
        summary=None,
    )
    return replace(draft, agreement=agreement)


def empty_agreement() -> Agreement:
    """The agreement fields of a record that found no agreement: nothing is claimed."""
    return Agreement(
        name=None,
        date=None,
        location=None,
        status="unclear",
        stage=None,
        agreement_type=None,
        summary=None,
    )


def empty_when_nothing_found(draft: Draft) -> Draft:
    """Nothing grounded at all means no agreement: an honest empty record, no invented fields."""
    if draft.articles or draft.conditions or draft.parties:
        return draft
    return replace(draft, agreement=empty_agreement())
