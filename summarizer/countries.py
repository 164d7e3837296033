"""Governments named by their capital or country: "Kampala" for the Ugandan government.

Reports name a government by its capital ("Nairobi refused") or its country, and a small
model then lists that name as an actor of its own beside the government it stands for, a
duplicate that also costs a stance call. The country facts (names, capitals, demonyms) come
from ``countryinfo``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from countryinfo import all_countries

from summarizer.drafts import ActorDraft

# What may follow the country's name or demonym in the name of its government: "Ugandan
# government", "Kenyan army", "Ghana's armed forces". A word in between ("Ugandan rebel
# forces", "Kenyan-backed militias") makes it another actor.
_GOVERNMENT = (
    r"(?:['\u2019]s)?\s+(?:government|authorities|administration|regime|state|army|armed forces"
    r"|military|forces|ministry)\b"
)


@dataclass(frozen=True)
class _Country:
    """The names a report may use for one country and its government."""

    # The country's name and its capital, as keys (see ``_key``).
    names: frozenset[str]
    # Matches the name of the country's government.
    government: re.Pattern[str]


def _key(name: str) -> str:
    """Case-, accent- and punctuation-blind form of a name: "Brasília" is "brasilia"."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c for c in plain if c.isalnum() or c.isspace())
    return " ".join(kept.split()).removeprefix("the ")


@cache
def _by_name() -> dict[str, _Country]:
    """Every country, under its own name and under its capital's."""
    countries: dict[str, _Country] = {}
    for info in all_countries():
        name = info.name()
        # The data holds a list for one country (Vatican City State) despite its type.
        capitals: object = info.capital()
        listed = capitals if isinstance(capitals, list) else [capitals or ""]
        # "Washington D.C." is "Washington" in a report.
        names = {_key(name), *(_key(str(c).removesuffix(" D.C.")) for c in listed)} - {""}
        adjectives = [name, *(d.strip() for d in (info.demonym() or "").split(",") if d.strip())]
        words = "|".join(re.escape(a) for a in adjectives)
        country = _Country(
            frozenset(names), re.compile(rf"\b(?:{words}){_GOVERNMENT}", re.IGNORECASE)
        )
        for key in names:
            countries.setdefault(key, country)
    return countries


def fold_capitals(drafts: list[ActorDraft]) -> list[ActorDraft]:
    """Fold an actor named only by a capital or a country into that country's government.

    "Kampala" beside "Ugandan government" becomes one of its aliases. An actor named by a
    capital or country with no government of that country among the others stays as it is:
    "Lima" may be the only name a report gives Peru.
    """
    folded = list(drafts)
    for draft in drafts:
        country = _by_name().get(_key(draft.name))
        if country is None:
            continue
        targets = [
            i
            for i, other in enumerate(folded)
            if other is not draft and country.government.search(other.name)
        ]
        if not targets:
            continue
        target = folded[targets[0]]
        known = {_key(target.name), *(_key(a) for a in target.aliases)}
        added = [n for n in (draft.name, *draft.aliases) if _key(n) not in known]
        folded[targets[0]] = target.model_copy(update={"aliases": [*target.aliases, *added]})
        folded.remove(draft)
    return folded
