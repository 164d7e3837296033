"""English renderings of a record read from a report in another language.

The name of the agreement and the text of every article and condition stay in the report's
own words (their quotes and offsets are the evidence); each also gets an English rendering,
which is the model's translation and is stored in a field that says so (``name_en``,
``text_en``). One call translates a batch of numbered passages; it does not carry the report,
as the passages are what is translated. A call that never validates, or that the server
refuses, costs only its renderings (they stay null), not the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.errors import (
    DocumentTimeoutError,
    ExtractionError,
    ProviderError,
    ProviderUnreachableError,
)
from summarizer.extract.model.calls import Calls, pack_batches
from summarizer.extract.model.passes import CHARS_PER_TOKEN
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import PromptRef

#: Passages per call: enough for a report's record in one call, few enough that a call that
#: fails (a cap, a bad answer) loses a handful of renderings, not all of them.
MAX_PASSAGES = 20
#: An English rendering is about as long as its source, in tokens; this room per passage
#: covers the JSON around it and a language whose tokens carry fewer characters.
_TOKENS_PER_PASSAGE = 16
_GROWTH = 1.6
#: Longest rendering the answer may hold: a term or a condition, not an essay. The answer's
#: schema bounds it (a longer one is re-asked), so an answer is never unbounded.
MAX_CHARS = 1200
#: Tokens for the instructions around the passages.
_INSTRUCTION_TOKENS = 200


@dataclass
class Translation:
    """An English rendering per passage (None where there is none), and what it cost."""

    english: list[str | None]
    stats: CallStats = field(default_factory=CallStats)
    prompts: list[PromptRef] = field(default_factory=list)
    #: Passages whose call never gave a valid answer (or that the server refused).
    failed: int = 0


def translate(passages: Sequence[str], language: str, provider: Provider) -> Translation:
    """Render each passage in English (the report is in ``language``, an English name).

    Raises:
        ProviderUnreachableError, DocumentTimeoutError: from the provider (the document fails).
    """
    english: list[str | None] = [None] * len(passages)
    calls = Calls(provider, "")
    failed = 0
    flat = [" ".join(p.split()) for p in passages]
    context = provider.info.context_tokens
    room = None if context is None else context - _INSTRUCTION_TOKENS
    for batch in batches(flat, room):
        lines = [flat[i] for i in batch]
        try:
            answer = calls.ask_about(
                calls.prompt("translate"),
                rendering_model(len(batch)),
                max_tokens(lines),
                language=language,
                passages=lines,
            )
        except (ProviderUnreachableError, DocumentTimeoutError):
            raise
        except (ExtractionError, ProviderError):
            failed += len(batch)
            continue
        said: dict[str, str] = answer.model_dump(by_alias=True)
        for n, i in enumerate(batch):
            english[i] = rendering(said[str(n + 1)])
    return Translation(english=english, stats=calls.stats, prompts=calls.prompts, failed=failed)


def batches(lines: Sequence[str], room: int | None) -> list[list[int]]:
    """The passages' indices cut into calls of at most ``MAX_PASSAGES`` whose passages and
    answers fit ``room`` context tokens (None: no limit known); every call asks at least one."""
    costs = [int(len(line) / CHARS_PER_TOKEN) + max_tokens([line]) for line in lines]
    return pack_batches(costs, MAX_PASSAGES, room)


def max_tokens(lines: Sequence[str]) -> int:
    """The generation cap of one call: each passage's length grown by ``_GROWTH``, plus room."""
    return sum(int(len(line) / CHARS_PER_TOKEN * _GROWTH) + _TOKENS_PER_PASSAGE for line in lines)


def rendering(value: str) -> str | None:
    """A rendering as kept: one line of words; None when the model left it blank."""
    return " ".join(value.split()) or None


def rendering_model(count: int) -> type[BaseModel]:
    """The response model of ``count`` passages: keys "1".."count", each an English string."""
    fields: dict[str, Any] = {
        f"p{n}": (
            str,
            Field(alias=str(n), max_length=MAX_CHARS, description=f"Passage {n} in English."),
        )
        for n in range(1, count + 1)
    }
    return create_model(
        f"Translation{count}",
        __config__=ConfigDict(extra="forbid", populate_by_name=True),
        **fields,
    )
