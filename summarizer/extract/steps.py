"""The pipeline, top to bottom: every model call and every rule a report goes through.

Each step is a function from draft to draft in the module of its stage (``terms``,
``parties``, ``conditions``, ``agreement``); model steps also get the document's ``Calls``.
A step marked switchable can be turned off by name (``Settings.disabled_steps``), and
``summarizer eval --ablate`` measures what each one is worth on dev and on test. The other
steps are the record's contract (grounding, closed sets, assembly) and always run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, TypeVar, cast

from pydantic import BaseModel

from summarizer.errors import ConfigurationError, InputError
from summarizer.extract.model.responses import (
    LONG_FACTOR,
    LONG_REPORT_WORDS,
    MAX_ACTORS,
    MAX_ARTICLES,
    MAX_CONDITIONS,
    ActorsDraft,
    ArticlesDraft,
    ConditionsDraft,
    scaled,
)
from summarizer.extract.rules import agreement, conditions, parties, terms
from summarizer.extract.rules.derive import speaks_of_an_agreement
from summarizer.extract.state import Calls, Draft
from summarizer.providers import Provider
from summarizer.text.align import SourceIndex
from summarizer.text.segment import split_sentences

D = TypeVar("D", bound=BaseModel)

#: The prompt templates the pipeline may use, in call order.
PROMPT_IDS = ("articles", "conditions", "actors", "dissent", "stance", "demand")
#: Generation caps per pass, above the most the schema's list and string caps allow (about
#: 4 characters a token plus indentation), so the grammar always closes the answer before the
#: cap cuts it off: a model that repeats itself costs time, never the document.
ARTICLES_MAX_TOKENS = 1800
CONDITIONS_MAX_TOKENS = 1800
ACTORS_MAX_TOKENS = 2200
#: Tokens reserved in the context for instructions and the answer.
_RESERVED_TOKENS = 2200
#: A conservative characters-per-token figure for English news text.
_CHARS_PER_TOKEN = 3.0
#: Tokens of a pass's instructions around the report.
_INSTRUCTION_TOKENS = 600


def _pass(
    draft: Draft, calls: Calls, prompt_id: str, model: type[D], field: str, cap: int, tokens: int
) -> D:
    """One whole-document pass; on a long report the list cap and the token cap are raised
    by half, the token cap no further than the context leaves room for."""
    if len(draft.text.split()) <= LONG_REPORT_WORDS:
        return calls.ask(prompt_id, model, tokens)
    longer = cast(type[D], scaled(model, field, int(cap * LONG_FACTOR)))
    context = calls.provider.info.context_tokens
    room = (
        tokens * 2
        if context is None
        else context - int(len(draft.text) / _CHARS_PER_TOKEN) - _INSTRUCTION_TOKENS
    )
    return calls.ask(prompt_id, longer, max(tokens, min(int(tokens * LONG_FACTOR), room)))


def read_terms(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 1: the agreed terms, one verbatim quote per term."""
    found = _pass(
        draft, calls, "articles", ArticlesDraft, "terms", MAX_ARTICLES, ARTICLES_MAX_TOKENS
    )
    return replace(draft, term_quotes=[t.quote for t in found.terms])


def read_conditions(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 2: the demands put forward, and the agreement's fields."""
    found = _pass(
        draft,
        calls,
        "conditions",
        ConditionsDraft,
        "conditions",
        MAX_CONDITIONS,
        CONDITIONS_MAX_TOKENS,
    )
    return replace(draft, fields=found)


def read_actors(draft: Draft, calls: Calls) -> Draft:
    """Model, pass 3: the actors, with every name the report uses for each."""
    found = _pass(draft, calls, "actors", ActorsDraft, "parties", MAX_ACTORS, ACTORS_MAX_TOKENS)
    return replace(draft, actors=found.parties)


Rule = Callable[[Draft], Draft]
ModelStep = Callable[[Draft, Calls], Draft]


@dataclass(frozen=True)
class Step:
    """One named step: a model call or a rule, and whether settings may switch it off."""

    name: str
    kind: Literal["model", "rule"]
    run: Rule | ModelStep
    switchable: bool

    def apply(self, draft: Draft, calls: Calls) -> Draft:
        """Run the step on a draft; a model step also gets the document's calls."""
        if self.kind == "model":
            return cast(ModelStep, self.run)(draft, calls)
        return cast(Rule, self.run)(draft)

    @property
    def summary(self) -> str:
        """The first paragraph of the step function's docstring, on one line."""
        doc = (self.run.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


def _model(name: str, run: ModelStep, *, switchable: bool = False) -> Step:
    return Step(name, "model", run, switchable)


def _rule(name: str, run: Rule, *, switchable: bool = True) -> Step:
    return Step(name, "rule", run, switchable)


#: The pipeline, in order. Names are what ``disabled_steps`` and the ablation table use.
STEPS: tuple[Step, ...] = (
    # The three whole-document passes; the first computes the document's prompt prefix.
    _model("read_terms", read_terms),
    _model("read_conditions", read_conditions),
    _model("read_actors", read_actors),
    _rule("ground_fields", agreement.ground_fields, switchable=False),
    # Terms.
    _rule("ground_terms", terms.ground_terms, switchable=False),
    _rule("listed_terms", terms.take_listed_terms),
    _rule("numbered_terms", terms.take_numbered_terms),
    _rule("build_articles", terms.build_articles, switchable=False),
    # Parties.
    _rule("clean_actors", parties.clean_actors, switchable=False),
    _rule("leave_out_places", parties.leave_out_places),
    _model("ask_dissenters", parties.ask_dissenters, switchable=True),
    _rule("mediators_accept", parties.mediators_accept),
    _rule("stance_fits_role", parties.stance_fits_role),
    _model("ask_stances", parties.ask_stances),
    _rule("stated_stances", parties.stated_stances),
    _rule("fold_spokespeople", parties.fold_spokespeople_into_parties),
    # Conditions.
    _rule("offer_terms", conditions.offer_terms),
    _rule("ground_conditions", conditions.ground_conditions, switchable=False),
    _rule("keep_reported_demands", conditions.keep_reported_demands),
    _rule("build_conditions", conditions.build_conditions, switchable=False),
    _model("ask_demands", conditions.ask_demands, switchable=True),
    _rule("resolve_proposers", conditions.resolve_proposers),
    _rule("closed_proposers", conditions.closed_proposers, switchable=False),
    # The agreement block.
    _rule("empty_when_nothing_found", agreement.empty_when_nothing_found, switchable=False),
)

#: Names of the steps settings may switch off, in pipeline order.
SWITCHABLE: tuple[str, ...] = tuple(s.name for s in STEPS if s.switchable)


def context_chars(context_tokens: int | None) -> int | None:
    """Characters of report the model's context holds beside instructions and answer."""
    if context_tokens is None:
        return None
    return int((context_tokens - _RESERVED_TOKENS) * _CHARS_PER_TOKEN)


def check_fits(text: str, context_tokens: int | None) -> None:
    """Refuse a document too long for the model's context (chunking is not built yet).

    Raises:
        InputError: the estimated token count exceeds what the context leaves for the text.
    """
    if context_tokens is None:
        return
    budget = context_tokens - _RESERVED_TOKENS
    estimate = int(len(text) / _CHARS_PER_TOKEN)
    if estimate > budget:
        raise InputError(
            f"The document is about {estimate:,} tokens; the model's context leaves room for "
            f"{budget:,}.",
            hint="Split the report, or use a provider with a longer context.",
        )


def run_pipeline(
    text: str, provider: Provider, disabled: frozenset[str] = frozenset()
) -> tuple[Draft, Calls]:
    """Run every step over one document, skipping the switchable steps named in ``disabled``.

    A report that never uses a word of agreement, proposal or demand is not sent to the model:
    its record is empty.

    Raises:
        ConfigurationError: ``disabled`` names a step that does not exist or cannot be off.
        InputError: the document does not fit the model's context.
        ProviderError, ExtractionError: from the provider.
    """
    unknown = sorted(disabled - set(SWITCHABLE))
    if unknown:
        raise ConfigurationError(
            f"No switchable step named {', '.join(unknown)}.",
            hint=f"Steps that can be switched off: {', '.join(SWITCHABLE)}.",
        )
    check_fits(text, provider.info.context_tokens)
    calls = Calls(provider, text)
    draft = Draft(text=text, sentences=split_sentences(text), index=SourceIndex(text))
    if not speaks_of_an_agreement(text):
        return replace(draft, agreement=agreement.empty_agreement()), calls
    for step in STEPS:
        if step.name in disabled:
            continue
        draft = step.apply(draft, calls)
    return draft, calls
