"""Stage: the agreement block. Only what the text bears out is kept (a name or place it
contains, a date as far as a sentence of its making states it); status, stage and type are
the model's, from closed sets; a record with nothing grounded is empty."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from summarizer.dates import supported_date
from summarizer.pipeline.state import Draft
from summarizer.schema import Agreement


def _folded(text: str) -> str:
    """Lower case, accents dropped, every run of non-letters one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def _in_text(value: str | None, source: str) -> str | None:
    """``value`` when the text contains it (case, accents and punctuation folded), else None."""
    if not value or not value.strip():
        return None
    wanted = _folded(value)
    return value.strip() if wanted and f" {wanted} " in f" {_folded(source)} " else None


def ground_fields(draft: Draft) -> Draft:
    """The agreement block as far as the text bears it out.

    A name or location is kept only when the text contains it, so nothing the model made up
    (or a report's injected text made it write) reaches the record or a later prompt; a date
    keeps only the parts the text states.
    """
    fields = draft.fields
    assert fields is not None
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
