"""Who put a condition forward: a party of the record, not the model's free text.

The model names a condition's proposer in its own words ("the movement", "its press wing",
"Uganda" for "Ugandan army"). The record names parties, so the system maps those words onto a
party; where they name none, the party the condition's own sentence names before the demand
is taken, as the subject that makes it ("The Northern Brigade would keep the truce as long
as ...").
"""

from __future__ import annotations

from summarizer.extract.rules.derive import demand_clause
from summarizer.lexicon import english as lexicon
from summarizer.record.schema import Party
from summarizer.text.segment import mentions


def party_meant(name: str, parties: list[Party]) -> str | None:
    """The name of the party that free-text ``name`` refers to most strongly, or None."""
    if not name.strip():
        return None
    best, best_score = None, 0
    for party in parties:
        score = mentions(name, [party.name, *party.aliases])
        if score > best_score:
            best, best_score = party.name, score
    return best


def proposer_of(
    name: str,
    span: tuple[int, int],
    parties: list[Party],
    source: str,
    bounds: list[tuple[int, int]],
) -> str | None:
    """The party that put forward the condition at ``span``.

    The model's ``name`` if it refers to a party; otherwise the party named last in the
    condition's sentence before the demand itself begins, or, when that part opens with a
    pronoun ("The movement had insisted"), the party the sentence before names first; otherwise
    None: a proposer is a party of the record or nobody, never the model's free text.
    """
    words = name.strip() or None
    if words and (meant := party_meant(words, parties)):
        return meant
    start, end = span
    i = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), None)
    if i is None:
        return None
    # Up to where the demand itself begins: "X would keep it as long as <the road reopens>".
    before = source[bounds[i][0] : max(start, demand_clause(source, start, end)[0])]
    named = _named(before, parties, last=True)
    if named is None and i and lexicon.ANAPHOR.match(before):
        # "The movement had insisted ...", "She said her fighters would ...": the group is the
        # subject of the sentence before, the party it names first.
        named = _named(source[bounds[i - 1][0] : bounds[i - 1][1]], parties, last=False)
    return named


def _named(text: str, parties: list[Party], *, last: bool) -> str | None:
    """The party whose name or alias stands last (or first) in ``text``, whole words only."""
    found: list[tuple[int, str]] = []
    for party in parties:
        for alias in (party.name, *party.aliases):
            at = text.rfind(alias) if last else text.find(alias)
            if at >= 0 and mentions(text[at:], [alias]) == 2:
                found.append((at, party.name))
    if not found:
        return None
    return (max(found) if last else min(found))[1]
