"""The probability of each constrained choice in an answer, from the runtime's token log-probs.

A JSON-schema answer whose fields are closed choices ("yes"/"no", a stance label) makes each
choice at one token: the first token of the field's value. llama.cpp (and OpenAI-compatible
servers) report, for every generated token, the top alternatives the model weighed there. The
list is the model's own distribution before the grammar (measured: the runtime may even list a
code fence the grammar removed), so the probability of an option is the mass of the listed
alternatives that begin it, renormalised over the allowed options only.

Pure functions: no provider, no network. The token list is the OpenAI ``logprobs.content``
shape, reduced to plain tuples by the caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: What the characters that may sit before a value's first letter in a token look like: the
#: opening quote and spaces (tokenisers fold them into the value's first token).
_LEAD = ' \t\n"'


@dataclass(frozen=True)
class TokenChoice:
    """One generated token and the alternatives the model weighed at its position."""

    token: str
    logprob: float
    #: (token, log-probability) of the top alternatives, the generated one among them.
    top: tuple[tuple[str, float], ...]


def choice_probabilities(
    tokens: Sequence[TokenChoice], options: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, float]]:
    """The renormalised probability of every allowed option of every choice field.

    Args:
        tokens: the generated tokens, in order, with their alternatives.
        options: field name -> its allowed values, in the order the answer writes the fields
            (a JSON-schema grammar writes them in schema order).

    Returns:
        field -> {option: probability}, summing to 1, for each field whose value was found
        in the token stream; a field that cannot be located is left out (never guessed).
    """
    text, starts = _joined(tokens)
    found: dict[str, dict[str, float]] = {}
    cursor = 0
    for name, allowed in options.items():
        match = re.compile(r'"' + re.escape(name) + r'"\s*:\s*"').search(text, cursor)
        if match is None:
            continue
        value_at = match.end()
        cursor = value_at
        index = _token_at(starts, value_at)
        if index is None:
            continue
        # The part of each alternative that stands where the value starts: a token that began
        # at the opening quote carries it and perhaps a space before the value's letters.
        offset = value_at - starts[index]
        top = tokens[index].top or ((tokens[index].token, tokens[index].logprob),)
        distribution = _renormalised(top, offset, list(allowed))
        if distribution is not None:
            found[name] = distribution
    return found


def _joined(tokens: Sequence[TokenChoice]) -> tuple[str, list[int]]:
    """The generated text and the character offset at which each token starts."""
    starts: list[int] = []
    at = 0
    for token in tokens:
        starts.append(at)
        at += len(token.token)
    return "".join(t.token for t in tokens), starts


def _token_at(starts: Sequence[int], offset: int) -> int | None:
    """The index of the token that holds character ``offset`` (None past the end)."""
    index = None
    for i, start in enumerate(starts):
        if start > offset:
            break
        index = i
    return index


def _renormalised(
    top: Sequence[tuple[str, float]], offset: int, allowed: list[str]
) -> dict[str, float] | None:
    """Mass of the alternatives that begin each allowed option, renormalised over them.

    An alternative whose value part begins two options (say "sign" for "signed" and
    "signatory") is shared between them equally. An option that no listed alternative begins
    gets the smallest listed probability: it lay outside the top list, so it weighed at most
    that much, and counting it as zero would make every unlisted doubt a certainty.
    """
    mass = dict.fromkeys(allowed, 0.0)
    for token, logprob in top:
        # The characters before the value in a token that began earlier are the quote and
        # spaces; an alternative that differs there (a different key, a bracket) is no option.
        head, value = token[:offset], token[offset:]
        if head.strip(_LEAD):
            continue
        # A token may also carry what follows the value ('no",'): cut it off.
        piece = value.strip(_LEAD + ",}").lower()
        matching = [o for o in allowed if piece and o.lower().startswith(piece)]
        for option in matching:
            mass[option] += math.exp(logprob) / len(matching)
    if not any(mass.values()):
        return None
    floor = min(math.exp(lp) for _, lp in top)
    for option, weight in mass.items():
        if weight == 0.0:
            mass[option] = floor
    total = sum(mass.values())
    return {option: weight / total for option, weight in mass.items()}
