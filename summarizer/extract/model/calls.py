"""The one place the pipeline calls the model: whole-document passes and short questions.

``Calls`` belongs to one document: it knows the provider, sums the cost of every call and
lists the prompts the record used, in order. Rules never see it; model steps (``passes``,
``questions``) get it beside the draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.extract.model.prompt import PromptTemplate, load_prompt
from summarizer.providers import CallStats, Provider
from summarizer.record.schema import PromptRef

D = TypeVar("D", bound=BaseModel)


class Calls:
    """The model calls of one document: provider, summed cost, prompts used in order."""

    def __init__(self, provider: Provider, text: str) -> None:
        self._provider = provider
        # Tags that would close the data block are defused, in any letter case; offsets
        # refer to the raw text, which the model never has to reproduce.
        self.document = _defused(text)
        self.stats = CallStats()
        #: The same sums per prompt id: what each pass and kind of question costs.
        self.by_prompt: dict[str, CallStats] = {}
        self.prompts: list[PromptRef] = []

    @property
    def context_tokens(self) -> int | None:
        """The model's context window in tokens, when the provider knows it."""
        return self._provider.info.context_tokens

    def prompt(self, prompt_id: str) -> PromptTemplate:
        """Load a prompt and list it among those this record used (once)."""
        template = load_prompt(prompt_id)
        if template.ref not in self.prompts:
            self.prompts.append(template.ref)
        return template

    def ask(
        self,
        prompt_id: str,
        model: type[D],
        max_tokens: int,
        note: str | None = None,
        **variables: Any,
    ) -> D:
        """One whole-document pass; the first of a document computes its prefix afresh.

        ``note`` (a rendered note template) is added after the pass's instructions: the pass
        asked again, with what was wrong the first time.
        """
        first = not self.prompts
        template = self.prompt(prompt_id)
        messages = template.render(document=self.document, **variables)
        if note is not None:
            messages[-1]["content"] += "\n\n" + note
        return self._call(prompt_id, messages, model, max_tokens, reuse_prefix=not first)

    def ask_choices(
        self,
        prompt_id: str,
        model: type[D],
        max_tokens: int,
        choices: dict[str, list[str]],
        *,
        reuse_prefix: bool = False,
        **variables: Any,
    ) -> tuple[D, dict[str, dict[str, float]] | None]:
        """A whole-document question of closed choices, with the model's probability of each
        option of each field (None when the provider returns no token probabilities).

        The document is computed afresh unless ``reuse_prefix``: the answer's probabilities
        must not depend on what the runtime had cached, so only a question asked right after
        another one on the same document (whose prefix that one computed afresh) reuses it.
        """
        template = self.prompt(prompt_id)
        messages = template.render(document=self.document, **variables)
        result = self._provider.structured(
            messages, model, max_tokens=max_tokens, reuse_prefix=reuse_prefix, choices=choices
        )
        self._count(prompt_id, result.stats)
        return result.value, result.probabilities

    def ask_about(
        self, template: PromptTemplate, model: type[D], max_tokens: int, **variables: Any
    ) -> D:
        """One short question (a sentence, an actor) that does not carry the document."""
        return self._call(
            template.id, template.render(**variables), model, max_tokens, reuse_prefix=True
        )

    def _call(
        self,
        prompt_id: str,
        messages: list[dict[str, str]],
        model: type[D],
        max_tokens: int,
        *,
        reuse_prefix: bool,
    ) -> D:
        result = self._provider.structured(
            messages, model, max_tokens=max_tokens, reuse_prefix=reuse_prefix
        )
        self._count(prompt_id, result.stats)
        return result.value

    def _count(self, prompt_id: str, stats: CallStats) -> None:
        """Add a call's cost to the document's sums and to its prompt's."""
        self.stats.add(stats)
        self.by_prompt.setdefault(prompt_id, CallStats()).add(stats)


def pack_batches(costs: Sequence[int], most: int, room: int | None) -> list[list[int]]:
    """Items cut, in order, into the batches of one call each: at most ``most`` items, whose
    token ``costs`` sum within ``room`` (None: no limit known); every batch holds at least one
    item, so one too large for the room still gets a call of its own."""
    cut: list[list[int]] = []
    tokens = 0
    for i, cost in enumerate(costs):
        full = cut and (len(cut[-1]) >= most or (room is not None and tokens + cost > room))
        if not cut or full:
            cut.append([])
            tokens = 0
        cut[-1].append(i)
        tokens += cost
    return cut


def _defused(text: str) -> str:
    """The text with every <report> / </report> tag, in any case, made harmless."""
    return re.sub(
        r"<(/?)report>",
        lambda m: f"({m.group(1)}report)",
        text,
        flags=re.IGNORECASE,
    )
