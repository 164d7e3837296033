"""The state a document carries through the pipeline, and the model calls' bookkeeping.

Every step takes a ``Draft`` and returns a new one (``dataclasses.replace``); nothing is
changed in place, so a step can be switched off and the draft it would have changed flows on
untouched. Model steps also get the ``Calls`` of the document, which knows the provider,
sums the cost and lists the prompts used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.extract.model.prompt import PromptTemplate, load_prompt
from summarizer.extract.model.responses import (
    ActorDraft,
    ConditionDraft,
    ConditionsDraft,
    DemandDraft,
)
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import (
    Agreement,
    Article,
    Condition,
    Evidence,
    Party,
    PromptRef,
    Stance,
)
from summarizer.text.align import SourceIndex
from summarizer.text.segment import Sentence

D = TypeVar("D", bound=BaseModel)

#: A numbered provision the system found: (number as written, start, end).
Numbered = tuple[str, int, int]
#: A grounded demand span and the model's answer it came from (its ``by`` and ``outcome``).
DemandPair = tuple[ConditionDraft | DemandDraft, Evidence]


@dataclass(frozen=True)
class Draft:
    """What is known about one document so far."""

    text: str
    sentences: list[Sentence]
    index: SourceIndex
    # What the model wrote, as it wrote it.
    term_quotes: list[str] = field(default_factory=list)
    fields: ConditionsDraft | None = None
    actors: list[ActorDraft] = field(default_factory=list)
    # Grounded pieces, before they become record items.
    term_spans: list[Evidence] = field(default_factory=list)
    numbered: list[Numbered] = field(default_factory=list)
    demand_spans: list[DemandPair] = field(default_factory=list)
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


class Calls:
    """The model calls of one document: provider, summed cost, prompts used in order."""

    def __init__(self, provider: Provider, text: str) -> None:
        self.provider = provider
        # Tags that would close the data block are defused, in any letter case; offsets
        # refer to the raw text, which the model never has to reproduce.
        self.document = _defused(text)
        self.stats = CallStats()
        self.prompts: list[PromptRef] = []

    def prompt(self, prompt_id: str) -> PromptTemplate:
        """Load a prompt and list it among those this record used (once)."""
        template = load_prompt(prompt_id)
        if template.ref not in self.prompts:
            self.prompts.append(template.ref)
        return template

    def ask(self, prompt_id: str, model: type[D], max_tokens: int, **variables: Any) -> D:
        """One whole-document pass; the first of a document computes its prefix afresh."""
        first = not self.prompts
        template = self.prompt(prompt_id)
        result = self.provider.structured(
            template.render(document=self.document, **variables),
            model,
            max_tokens=max_tokens,
            reuse_prefix=not first,
        )
        self.stats.add(result.stats)
        return result.value

    def add(self, cost: CallStats) -> None:
        """Count the cost of calls a stage module made itself."""
        self.stats.add(cost)


def _defused(text: str) -> str:
    """The text with every <report> / </report> tag, in any case, made harmless."""
    return re.sub(
        r"<(/?)report>",
        lambda m: f"({m.group(1)}report)",
        text,
        flags=re.IGNORECASE,
    )
