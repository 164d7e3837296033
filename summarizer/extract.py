"""The extraction pipeline: passes over the document, then grounding and assembly.

A report that never uses a word of agreement, proposal or demand gets an empty record without
a model call. Otherwise three passes read the report: ``articles`` (the agreed terms as
verbatim quotes, one per term), ``conditions`` (demands put forward, and the agreement fields)
and ``actors``. Asking for each in its own focused pass is what makes a small model list every
term instead of merging them. The first pass reads the report from scratch; the others reuse
its cached prompt prefix (system message + report), which is identical on every run, so
results still repeat exactly. Then ``actors`` finds refusing actors the passes missed and
decides each actor's stance, and ``demands`` asks about sentences that report a demand no
condition covers. The system aligns every quote to the source, splits enumerations, drops what
it cannot find, and derives numbers, categories and the date. It also takes terms the report
states under their own numbers itself, leaves out term quotes that report a demand or refusal,
keeps only conditions whose sentence reports a demand (narrowed to the demand), turns the
terms of an offer never agreed (status "proposed") into pending conditions of its proposer,
folds a capital named beside its government into it, and corrects status and stage where the
report's words settle them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.actors import (
    decide_stances,
    drop_places,
    find_dissenters,
    fold_spokespeople,
    merge_actors,
)
from summarizer.countries import fold_capitals
from summarizer.dates import agreement_date
from summarizer.demands import demand_sentences, find_demands
from summarizer.derive import (
    article_number,
    categories_for,
    demand_clause,
    demands_or_refuses,
    join_touching,
    numbered_terms,
    overlaps,
    reads_as_demand,
    speaks_of_an_agreement,
    split_across_sentences,
    split_enumeration,
)
from summarizer.drafts import (
    ActorsDraft,
    ArticlesDraft,
    ConditionDraft,
    ConditionsDraft,
)
from summarizer.errors import InputError
from summarizer.ground import SourceIndex
from summarizer.prompt import load_prompt
from summarizer.proposers import proposer_of
from summarizer.providers import CallStats, Provider
from summarizer.schema import (
    Agreement,
    Alignment,
    Article,
    Condition,
    Evidence,
    Party,
    PromptRef,
)
from summarizer.segment import split_sentences
from summarizer.status import checked_stage, checked_status

#: The prompt templates the pipeline uses, in call order.
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

D = TypeVar("D", bound=BaseModel)


@dataclass
class Extraction:
    """What the pipeline found, before provenance is attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]
    prompts: list[PromptRef]
    stats: CallStats = field(default_factory=CallStats)
    dropped: int = 0


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


class _Passes:
    """Runs the document passes, keeping their cost and the prompts used."""

    def __init__(self, provider: Provider, text: str) -> None:
        self.provider = provider
        # Tags that would close the data block are defused; offsets refer to the raw text.
        self.document = text.replace("<report>", "(report)").replace("</report>", "(/report)")
        self.stats = CallStats()
        self.prompts: list[PromptRef] = []

    def ask(self, prompt_id: str, model: type[D], max_tokens: int, **variables: Any) -> D:
        prompt = load_prompt(prompt_id)
        self.prompts.append(prompt.ref)
        result = self.provider.structured(
            prompt.render(document=self.document, **variables),
            model,
            max_tokens=max_tokens,
            reuse_prefix=len(self.prompts) > 1,
        )
        self.stats.add(result.stats)
        return result.value


def extract(text: str, provider: Provider) -> Extraction:
    """Run every pass over one document and assemble the grounded parts of the record.

    Raises:
        InputError: the document does not fit the model's context.
        ProviderError, ExtractionError, ConfigurationError: from the provider.
    """
    check_fits(text, provider.info.context_tokens)
    passes = _Passes(provider, text)
    if not speaks_of_an_agreement(text):
        return _no_agreement(passes)
    index = SourceIndex(text)
    sentences = split_sentences(text)
    bounds = [(s.start, s.end) for s in sentences]
    drafted_articles = passes.ask("articles", ArticlesDraft, ARTICLES_MAX_TOKENS)
    drafted = passes.ask("conditions", ConditionsDraft, CONDITIONS_MAX_TOKENS)
    drafted_actors = passes.ask("actors", ActorsDraft, ACTORS_MAX_TOKENS)

    dropped = 0
    term_evidence: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for term in drafted_articles.terms:
        spans = _term_spans(index, bounds, term.quote, seen)
        dropped += spans is None
        term_evidence += spans or []
    articles = _articles(text, bounds, term_evidence)

    label = drafted.name or "an agreement"
    actors = fold_capitals(drop_places(merge_actors(drafted_actors.parties, text), text))
    dissent_prompt, stance_prompt = load_prompt("dissent"), load_prompt("stance")
    extra, cost = find_dissenters(provider, dissent_prompt, sentences, actors, label)
    passes.stats.add(cost)
    actors = fold_capitals(merge_actors([*actors, *extra], text))
    parties, unnamed, cost = decide_stances(provider, stance_prompt, sentences, actors, label)
    passes.stats.add(cost)
    parties = fold_spokespeople(parties, text)
    dropped += unnamed

    # An offer nobody has agreed to has no agreed terms: what the articles pass found are the
    # terms put forward, by the proposer, and still open.
    offered: list[Condition] = []
    if drafted.status == "proposed":
        offered, articles = _offered(articles, parties), []
    offered_spans = [(c.evidence[0].start, c.evidence[0].end) for c in offered]
    demanded: list[tuple[ConditionDraft, Evidence]] = []
    seen = set()
    for cond in drafted.conditions:
        spans = _term_spans(index, bounds, cond.quote, seen, demand=True)
        dropped += spans is None
        demanded += [
            (cond, ev)
            for ev in spans or []
            if reads_as_demand(text, (ev.start, ev.end), bounds)
            and not any(overlaps((ev.start, ev.end), o) for o in offered_spans)
        ]
    conditions = offered + [
        Condition(
            text=ev.quote,
            proposed_by=proposer_of(
                demanded[first][0].by, (ev.start, ev.end), parties, text, bounds
            ),
            outcome=demanded[first][0].outcome,
            evidence=[ev],
        )
        for first, ev in _joined(text, bounds, [ev for _, ev in demanded])
    ]

    demand_prompt = load_prompt("demand")
    covered = [(c.evidence[0].start, c.evidence[0].end) for c in conditions]
    asked = demand_sentences(sentences, covered)
    demands, cost = find_demands(provider, demand_prompt, asked, label)
    passes.stats.add(cost)
    conditions += [
        Condition(
            text=ev.quote,
            proposed_by=proposer_of(draft.by, (ev.start, ev.end), parties, text, bounds),
            outcome=draft.outcome,
            evidence=[ev],
        )
        for draft, ev in demands
    ]

    # Nothing grounded at all means no agreement: say so rather than keep invented fields.
    empty = not articles and not conditions and not parties
    agreement = (
        _empty_agreement()
        if empty
        else Agreement(
            name=drafted.name,
            date=agreement_date(drafted.date, text, bounds),
            location=drafted.location,
            status=checked_status(drafted.status, [p.stance for p in parties], text),
            stage=checked_stage(drafted.stage, drafted.agreement_type),
            agreement_type=drafted.agreement_type,
            summary=None,
        )
    )
    return Extraction(
        agreement=agreement,
        parties=parties,
        articles=articles,
        conditions=conditions,
        prompts=[*passes.prompts, dissent_prompt.ref, stance_prompt.ref, demand_prompt.ref],
        stats=passes.stats,
        dropped=dropped,
    )


def _articles(
    source: str, bounds: list[tuple[int, int]], term_evidence: list[Evidence]
) -> list[Article]:
    """The articles: terms stated under their own numbers, then the model's other terms.

    Numbered terms are taken whole by the system (see ``numbered_terms``); a model quote that
    overlaps one is left out, so a term is one item, and so is one that reports a demand or a
    refusal (those are conditions). In document order.
    """
    numbered = numbered_terms(source, bounds)
    elsewhere = [
        ev
        for ev in term_evidence
        if not any(overlaps((ev.start, ev.end), (a, b)) for _, a, b in numbered)
        and not demands_or_refuses(ev.quote)
    ]
    articles = [
        Article(
            number=number,
            text=source[start:end],
            categories=categories_for(source[start:end]),
            evidence=[_evidence(source, start, end, "exact")],
        )
        for number, start, end in numbered
    ] + [
        Article(
            number=article_number(source, ev.start, ev.end),
            text=ev.quote,
            categories=categories_for(ev.quote),
            evidence=[ev],
        )
        for _, ev in _joined(source, bounds, elsewhere)
    ]
    return sorted(articles, key=lambda a: a.evidence[0].start)


def _offered(articles: list[Article], parties: list[Party]) -> list[Condition]:
    """The terms of an offer never agreed, as pending conditions of its proposer."""
    proposer = next((p.name for p in parties if p.role == "proposer"), None)
    return [
        Condition(text=a.text, proposed_by=proposer, outcome="pending", evidence=a.evidence)
        for a in articles
    ]


def _no_agreement(passes: _Passes) -> Extraction:
    """The honest record of a report that describes no agreement or proposal."""
    return Extraction(
        agreement=_empty_agreement(),
        parties=[],
        articles=[],
        conditions=[],
        prompts=passes.prompts,
        stats=passes.stats,
    )


def _empty_agreement() -> Agreement:
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


def _evidence(source: str, start: int, end: int, alignment: Alignment) -> Evidence:
    return Evidence(quote=source[start:end], start=start, end=end, alignment=alignment)


def _joined(
    source: str, bounds: list[tuple[int, int]], found: list[Evidence]
) -> list[tuple[int, Evidence]]:
    """The evidence with touching spans of one sentence joined (see ``join_touching``).

    Each joined span comes with the index in ``found`` of the first piece it was joined from.
    """
    spans = [(ev.start, ev.end) for ev in found]
    return [
        (first, _evidence(source, start, end, found[first].alignment))
        for first, start, end in join_touching(spans, source, bounds)
    ]


def _term_spans(
    index: SourceIndex,
    bounds: list[tuple[int, int]],
    quote: str,
    seen: set[tuple[int, int]],
    *,
    demand: bool = False,
) -> list[Evidence] | None:
    """Ground a quoted term and split it into one span per sentence and per enumerated term.

    With ``demand``, each sentence's piece is first narrowed to the demand after the words
    that report it (see ``demand_clause``). Returns None when the quote is not in the
    source; spans already taken are left out, so a term quoted twice is one item.
    """
    ev = index.align(quote)
    if ev is None:
        return None
    found: list[Evidence] = []
    source = index.source
    sentence_pieces = split_across_sentences(source, ev.start, ev.end, bounds)
    if demand:
        sentence_pieces = [demand_clause(source, a, b) for a, b in sentence_pieces]
    pieces = [piece for a, b in sentence_pieces for piece in split_enumeration(source, a, b)]
    for start, end in pieces:
        if (start, end) in seen or end <= start:
            continue
        seen.add((start, end))
        found.append(_evidence(index.source, start, end, ev.alignment))
    return found
