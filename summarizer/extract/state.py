"""The state a document carries through the pipeline.

Every step takes a ``Draft`` and returns a new one (``dataclasses.replace``); nothing is
changed in place, so a step can be switched off and the draft it would have changed flows on
untouched. Model steps also get the document's ``model.calls.Calls``; rules never do, and
this module imports nothing that calls a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from summarizer.errors import SummarizerError
from summarizer.extract.model.responses import (
    ActorDraft,
    ConditionDraft,
    ConditionsDraft,
    DemandDraft,
)
from summarizer.record.schema import Agreement, Article, Condition, Evidence, Party, Stance
from summarizer.text.align import SourceIndex, span_evidence
from summarizer.text.segment import Sentence
from summarizer.text.spans import split_across_sentences


class StepOrderError(SummarizerError):
    """A step ran before the step whose result it reads (a bug in ``steps.STEPS``)."""


@dataclass(frozen=True)
class NumberedSpan:
    """A provision the report states under its own number: the number as written, its span."""

    number: str
    start: int
    end: int


@dataclass(frozen=True)
class Demand:
    """A grounded demand span and the model's answer it came from (its proposer and outcome)."""

    answer: ConditionDraft | DemandDraft
    evidence: Evidence


@dataclass(frozen=True)
class Draft:
    """What is known about one document so far."""

    text: str
    sentences: list[Sentence]
    index: SourceIndex
    #: The report's language, by its English name (what a prompt may tell the model).
    language: str = "English"
    #: True when the document is an agreement's own text (``text.provisions``), not a report:
    #: its numbered provisions are the terms, and its parties come from its signature block.
    agreement_text: bool = False
    # What the model wrote, as it wrote it.
    term_quotes: list[str] = field(default_factory=list)
    fields: ConditionsDraft | None = None
    actors: list[ActorDraft] = field(default_factory=list)
    # Grounded pieces, before they become record items.
    term_spans: list[Evidence] = field(default_factory=list)
    numbered: list[NumberedSpan] = field(default_factory=list)
    demand_spans: list[Demand] = field(default_factory=list)
    #: The model's quotes that are not in the text, each once: ``model.requote`` counts them
    #: to tell whether the model wrote in its own words.
    unfound_terms: list[str] = field(default_factory=list)
    unfound_demands: list[str] = field(default_factory=list)
    #: Parties whose stance a rule settled before the stance calls, by actor name.
    settled: dict[str, Party] = field(default_factory=dict)
    #: Stances the stance step may choose for an actor, by name (absent: any).
    allowed_stances: dict[str, tuple[Stance, ...]] = field(default_factory=dict)
    # The record's items.
    articles: list[Article] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    agreement: Agreement | None = None
    #: Items the model gave that the system could not find in the text.
    dropped: int = 0

    @cached_property
    def bounds(self) -> list[tuple[int, int]]:
        """(start, end) of every sentence (computed once per draft: rules read it per span)."""
        return [(s.start, s.end) for s in self.sentences]

    @property
    def label(self) -> str:
        """How later prompts name the agreement: its grounded name, else a neutral phrase."""
        agreement = self.agreement
        return (agreement.name if agreement is not None else None) or "an agreement"

    def read_fields(self) -> ConditionsDraft:
        """The conditions pass's answer (demands and the agreement's fields).

        Raises:
            StepOrderError: the conditions pass has not run yet.
        """
        if self.fields is None:
            raise StepOrderError("A step needs the conditions pass (read_conditions) first.")
        return self.fields

    def read_agreement(self) -> Agreement:
        """The grounded agreement block.

        Raises:
            StepOrderError: the agreement's fields have not been grounded yet.
        """
        if self.agreement is None:
            raise StepOrderError("A step needs the agreement block (ground_fields) first.")
        return self.agreement

    def spans_of(self, quote: str) -> list[Evidence] | None:
        """Where the model's quote stands in the text, one span per sentence it covers (a term
        or a demand is stated within one sentence: a quote across a break has run two
        together); None when the quote is not in the text."""
        ev = self.index.align(quote)
        if ev is None:
            return None
        return [
            span_evidence(self.text, a, b, ev.alignment)
            for a, b in split_across_sentences(self.text, ev.start, ev.end, self.bounds)
        ]
