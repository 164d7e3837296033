"""The three whole-document passes: terms, conditions with the agreement's fields, actors.

Each reads the whole report under its own prompt and a response model whose list caps the
grammar enforces; on a long report the caps are raised by half.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar, cast

from pydantic import BaseModel

from summarizer.errors import InputError
from summarizer.extract.model.calls import Calls
from summarizer.extract.model.responses import (
    LONG_FACTOR,
    LONG_REPORT_WORDS,
    MAX_ACTORS,
    MAX_ARTICLES,
    MAX_CONDITIONS,
    MAX_TEXT_ACTORS,
    ActorsDraft,
    ArticlesDraft,
    ConditionsDraft,
    TextActorsDraft,
    TextFieldsDraft,
    scaled,
)
from summarizer.extract.state import Draft

D = TypeVar("D", bound=BaseModel)

#: Generation caps per pass, above the most the schema's list and string caps allow (about
#: 4 characters a token plus indentation), so the grammar always closes the answer before the
#: cap cuts it off: a model that repeats itself costs time, never the document. The actors
#: pass on an agreement text keeps the actors cap although its list may hold 24 parties (36
#: on a long text): a list that long can be cut off (not raised yet: it would change the
#: recorded answers).
ARTICLES_MAX_TOKENS = 1800
CONDITIONS_MAX_TOKENS = 1800
ACTORS_MAX_TOKENS = 2200
#: Tokens reserved in the context for instructions and the answer.
_RESERVED_TOKENS = 2200
#: A conservative characters-per-token figure for English news text.
CHARS_PER_TOKEN = 3.0
#: Tokens of a pass's instructions around the report.
_INSTRUCTION_TOKENS = 600


def _pass(
    draft: Draft,
    calls: Calls,
    prompt_id: str,
    model: type[D],
    field: str,
    cap: int,
    tokens: int,
    note: str | None = None,
) -> D:
    """One whole-document pass (with ``note`` added when it is asked again); on a long report
    the list cap and the token cap are raised by half, the token cap no further than the
    context leaves room for."""
    if len(draft.text.split()) <= LONG_REPORT_WORDS:
        return calls.ask(prompt_id, model, tokens, note)
    longer = cast(type[D], scaled(model, field, int(cap * LONG_FACTOR)))
    context = calls.context_tokens
    room = (
        tokens * 2
        if context is None
        else context - int(len(draft.text) / CHARS_PER_TOKEN) - _INSTRUCTION_TOKENS
    )
    return calls.ask(prompt_id, longer, max(tokens, min(int(tokens * LONG_FACTOR), room)), note)


def terms_pass(draft: Draft, calls: Calls, note: str | None = None) -> ArticlesDraft:
    """The terms pass's answer (asked again with ``note``)."""
    return _pass(
        draft, calls, "articles", ArticlesDraft, "terms", MAX_ARTICLES, ARTICLES_MAX_TOKENS, note
    )


def conditions_pass(draft: Draft, calls: Calls, note: str | None = None) -> ConditionsDraft:
    """The conditions pass's answer (asked again with ``note``)."""
    return _pass(
        draft,
        calls,
        "conditions",
        ConditionsDraft,
        "conditions",
        MAX_CONDITIONS,
        CONDITIONS_MAX_TOKENS,
        note,
    )


def read_terms(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 1: the agreed terms, one verbatim quote per term."""
    return replace(draft, term_quotes=[t.quote for t in terms_pass(draft, calls).terms])


#: Tokens for the fields of an agreement text: a name, a date, a place and three choices.
FIELDS_MAX_TOKENS = 200


def read_conditions(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 2: the demands put forward, and the agreement's fields.

    An agreement's own text is asked for its fields only: the model writes no demand, so it
    cannot copy the text's provisions as demands (measured on real agreement texts: five of
    seven that set no condition got some), and a proposal's points come from its layout.
    """
    if draft.agreement_text:
        fields = calls.ask("fields_text", TextFieldsDraft, FIELDS_MAX_TOKENS)
        return replace(draft, fields=fields)
    return replace(draft, fields=conditions_pass(draft, calls))


def read_actors(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 3: the actors, with every name the report uses for each.

    An agreement's own text is asked for its parties from its body and signature block,
    under a prompt that knows signing persons, witnesses and the bodies the text creates.
    """
    if draft.agreement_text:
        found: ActorsDraft | TextActorsDraft = _pass(
            draft,
            calls,
            "actors_text",
            TextActorsDraft,
            "parties",
            MAX_TEXT_ACTORS,
            ACTORS_MAX_TOKENS,
        )
    else:
        found = _pass(draft, calls, "actors", ActorsDraft, "parties", MAX_ACTORS, ACTORS_MAX_TOKENS)
    return replace(draft, actors=list(found.parties))


def context_chars(context_tokens: int | None) -> int | None:
    """Characters of report the model's context holds beside instructions and answer."""
    if context_tokens is None:
        return None
    return int((context_tokens - _RESERVED_TOKENS) * CHARS_PER_TOKEN)


def check_fits(text: str, context_tokens: int | None) -> None:
    """Refuse a chunk too long for the model's context (``run.chunks_of`` plans chunks that fit).

    Raises:
        InputError: the estimated token count exceeds what the context leaves for the text.
    """
    if context_tokens is None:
        return
    budget = context_tokens - _RESERVED_TOKENS
    estimate = int(len(text) / CHARS_PER_TOKEN)
    if estimate > budget:
        raise InputError(
            f"The document is about {estimate:,} tokens; the model's context leaves room for "
            f"{budget:,}.",
            hint="Split the report, or use a provider with a longer context.",
        )
