"""Verification: every item of a record restated as a yes/no statement about the report.

The model answers all of a document's statements in one constrained call (a grammar allows
only "yes" or "no" per statement), and the system reads, at the token where each answer is
chosen, the model's probability of "yes" (``providers.logprobs``). That raw probability is
what ``rules.confidence`` calibrates into an item's ``confidence``. Nothing the model writes as
a number is used, and the question is the same for any language: the statements quote the
report's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.errors import (
    DocumentTimeoutError,
    ExtractionError,
    ProviderError,
    ProviderUnreachableError,
)
from summarizer.extract.chunks import Chunk
from summarizer.extract.model.calls import Calls, pack_batches
from summarizer.extract.model.passes import CHARS_PER_TOKEN as _CHARS_PER_TOKEN
from summarizer.extract.rules.confidence import Kind
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import Agreement, Article, Condition, Party, PromptRef

#: Statements per call: one call reads a report once, and a list this long still fits an
#: 8k context beside a full chunk (about 9 generated tokens a statement).
MAX_STATEMENTS = 60
_TOKENS_PER_STATEMENT = 12
#: Tokens for the instructions around the report and the statements.
_INSTRUCTION_TOKENS = 250
#: Characters of an item's text quoted in its statement; enough to say which term it is.
_QUOTE_CHARS = 300
_ANSWER = ["yes", "no"]

_ROLE = {
    "signatory": "{name} signed the agreement or agreed to it as one of its parties.",
    "negotiator": "{name} negotiated the agreement as one of its parties.",
    "guarantor": "{name} guarantees or monitors the agreement.",
    "mediator": "{name} mediated or facilitated the talks.",
    "proposer": "{name} proposed the agreement or the plan.",
    "opponent": "{name} opposes the agreement from outside the talks.",
    "witness": "{name} witnessed or observed the signing of the agreement.",
    "other": "{name} has a part in the agreement other than signing, negotiating, "
    "guaranteeing, mediating, proposing or opposing it.",
}
_STANCE = {
    "accepts": "{name} accepts the agreement: agreed to it, signed it or carries it out.",
    "rejects": "{name} rejects the agreement.",
    "conditional": "{name} will accept the agreement only if its conditions are met.",
    "withdrew": "{name} took part in the talks but withdrew or walked out.",
    "unclear": "The report does not show whether {name} accepts or rejects the agreement.",
}
_STATUS = {
    "proposed": "The agreement is only proposed: it has not been signed or agreed.",
    "signed": "The agreement was signed or agreed.",
    "in_force": "The agreement is in force.",
    "collapsed": "The agreement collapsed or broke down.",
    "unclear": "The report does not make clear whether the agreement was agreed.",
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Statement:
    """One item of the record restated for the model to confirm or deny."""

    kind: Kind
    #: The item's index in its list (parties, articles or conditions); 0 for the agreement.
    index: int
    text: str
    #: Offset of the item's first evidence in the whole text (where its chunk is); 0 if none.
    at: int = 0


def statements_of(
    agreement: Agreement,
    parties: Sequence[Party],
    articles: Sequence[Article],
    conditions: Sequence[Condition],
) -> list[Statement]:
    """Every statement the record makes that has a confidence field, in a stable order.

    An empty record (no agreement spoken of) makes none: there is nothing to be sure of.
    """
    statements: list[Statement] = []
    for i, article in enumerate(articles):
        statements.append(
            Statement(
                "article",
                i,
                f'A term agreed in this agreement: "{_quoted(article.text)}"',
                _first(article.evidence),
            )
        )
    for i, condition in enumerate(conditions):
        quote = _quoted(condition.text)
        at = _first(condition.evidence)
        statements.append(
            Statement("condition", i, f'A demand or condition put forward: "{quote}"', at)
        )
        if condition.proposed_by:
            statements.append(
                Statement("proposer", i, f'{condition.proposed_by} put forward: "{quote}"', at)
            )
    for i, party in enumerate(parties):
        name, at = party.name, _first(party.evidence)
        statements += [
            Statement(
                "party",
                i,
                f"{name} is a party to this agreement or its talks, or "
                "mediated, guaranteed, proposed or opposed it.",
                at,
            ),
            Statement("role", i, _ROLE.get(party.role, _ROLE["other"]).format(name=name), at),
            Statement("stance", i, _STANCE[party.stance].format(name=name), at),
        ]
    if statements or agreement.status != "unclear":
        statements.append(Statement("status", 0, _STATUS[agreement.status]))
    if agreement.date:
        statements.append(
            Statement(
                "date", 0, f"The agreement was reached or signed {_date_words(agreement.date)}."
            )
        )
    return statements


@dataclass
class Verification:
    """The model's probability of "yes" for each statement, and what asking cost."""

    #: One per statement, in order; None where the provider gave no token probabilities.
    yes: list[float | None]
    stats: CallStats
    prompts: list[PromptRef]
    #: Statements whose call never gave a valid answer (their items keep no confidence).
    failed: int = 0

    @property
    def unanswered(self) -> bool:
        """True when the provider answered and gave no token probability for any statement."""
        return bool(self.yes) and not self.failed and all(p is None for p in self.yes)


def verify(
    text: str, chunks: Sequence[Chunk], statements: Sequence[Statement], provider: Provider
) -> Verification:
    """Ask the model about every statement, with the chunk its item was found in as context.

    An answer that never validates, or a request the server refuses, costs only its
    statements' confidence (counted in ``failed``): the record was made before this question.

    Raises:
        ProviderUnreachableError, DocumentTimeoutError: from the provider.
    """
    yes: list[float | None] = [None] * len(statements)
    stats = CallStats()
    prompts: list[PromptRef] = []
    failed = 0
    for chunk in chunks:
        mine = [i for i, s in enumerate(statements) if _chunk_of(s.at, chunks) is chunk]
        if not mine:
            continue
        calls = Calls(provider, text[chunk.start : chunk.end])
        room = _room(provider.info.context_tokens, chunk.end - chunk.start)
        for k, batch in enumerate(batches([statements[i].text for i in mine], room)):
            batch = [mine[n] for n in batch]
            try:
                # The first question on a chunk computes it afresh; the next ones, asked right
                # after it, reuse that prefix (system text, chunk, instructions): a chunk with
                # a hundred provisions is read once, not once per batch.
                _, probabilities = calls.ask_choices(
                    "verify",
                    answer_model(len(batch)),
                    _TOKENS_PER_STATEMENT * len(batch) + 16,
                    {str(n + 1): _ANSWER for n in range(len(batch))},
                    reuse_prefix=k > 0,
                    statements=[statements[i].text for i in batch],
                )
            except ExtractionError:
                failed += len(batch)
                continue
            except (ProviderUnreachableError, DocumentTimeoutError):
                raise  # the server or the document's time is gone: the document fails
            except ProviderError:
                # A server that refuses the question (some refuse logprobs with a 400) costs
                # the confidence, not the record.
                failed += len(batch)
                continue
            for n, i in enumerate(batch):
                if probabilities is not None and str(n + 1) in probabilities:
                    yes[i] = probabilities[str(n + 1)]["yes"]
        stats.add(calls.stats)
        prompts += [ref for ref in calls.prompts if ref not in prompts]
    return Verification(yes=yes, stats=stats, prompts=prompts, failed=failed)


def batches(texts: Sequence[str], room: int | None) -> list[list[int]]:
    """The statements' indices cut into calls: at most ``MAX_STATEMENTS`` each, and within
    ``room`` context tokens (each statement's line and answer); every call asks at least one."""
    costs = [int(len(text) / _CHARS_PER_TOKEN) + 2 * _TOKENS_PER_STATEMENT for text in texts]
    return pack_batches(costs, MAX_STATEMENTS, room)


def _room(context_tokens: int | None, chunk_chars: int) -> int | None:
    """Context tokens left for statements and answers beside a chunk (None: no limit known)."""
    if context_tokens is None:
        return None
    return context_tokens - _INSTRUCTION_TOKENS - int(chunk_chars / _CHARS_PER_TOKEN)


def answer_model(count: int) -> type[BaseModel]:
    """The response model of ``count`` statements: keys "1".."count", each "yes" or "no"."""
    fields: dict[str, Any] = {
        f"s{n}": (Literal["yes", "no"], Field(alias=str(n), description=f"Statement {n}."))
        for n in range(1, count + 1)
    }
    return create_model(
        f"Verification{count}",
        __config__=ConfigDict(extra="forbid", populate_by_name=True),
        **fields,
    )


def _chunk_of(at: int, chunks: Sequence[Chunk]) -> Chunk:
    """The chunk that holds offset ``at`` (the first one when none does)."""
    for chunk in chunks:
        if chunk.start <= at < chunk.end:
            return chunk
    return chunks[0]


def _first(evidence: Sequence[Any]) -> int:
    """Where an item's first evidence starts (0 when it has none)."""
    return min((e.start for e in evidence), default=0)


def _quoted(text: str) -> str:
    """An item's text, cut to a length that names it, without breaking the quote marks."""
    text = " ".join(text.split()).replace('"', "'")
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"


def _date_words(date: str) -> str:
    """An ISO date prefix in words: "on 14 July 2019", "in July 2019", "in 2019"."""
    parts = date.split("-")
    if len(parts) == 3:
        return f"on {int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"in {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"in {parts[0]}"
