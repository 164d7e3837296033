"""How alike two names or two clauses are: the one notion of "the same actor" and "the same
term" that the pipeline (combining chunks, merging reports) and the scorer share.

Imports nothing from the rest of the package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from rapidfuzz import fuzz

# Character-level Indel similarity between unrelated clauses of similar length sits around
# 0.35-0.5 for English, while a reworded clause about the same term sits around 0.55-0.7 and
# gets a further lift from overlapping evidence; 0.6 separates the two with a margin.
ITEM_THRESHOLD = 0.6
# Names are short, so one or two letters already move the ratio a lot; 0.85 still accepts
# transliteration variants of a full name ("Mahmud Teral" / "Mahmoud Teral": 0.96) but not
# related actors ("Uganda" / "Ugandan army": 0.67), which gold lists as aliases when they are one.
PARTY_THRESHOLD = 0.85
_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Return `text` folded for comparison.

    Lower-cases, strips diacritics (so "Ḥasan" equals "Hasan"), turns punctuation and symbols
    (curly quotes included) into spaces and collapses whitespace.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PS" else char)
    return _WHITESPACE.sub(" ", "".join(kept).casefold()).strip()


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def text_similarity(left: str, right: str) -> float:
    """Similarity in [0, 1] of two clauses after `normalise_text`.

    The larger of rapidfuzz's plain and token-sorted ratios, so that reordered wording
    ("weapons handed over" / "handing over weapons") is not penalised.
    """
    a, b = normalise_text(left), normalise_text(right)
    if not a and not b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def _strip_article(name: str) -> str:
    """Drop a leading English definite article from a normalised name."""
    return name[4:] if name.startswith("the ") else name


def name_similarity(left: str, right: str) -> float:
    """Similarity in [0, 1] of two party names after `normalise_text`.

    1.0 when the names are equal once a leading "the " is dropped, else rapidfuzz's ratio.
    """
    a, b = normalise_text(left), normalise_text(right)
    if not a or not b:
        return 0.0
    if _strip_article(a) == _strip_article(b):
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def _as_str(value: object) -> str:
    """Return `value` if it is a string, else the empty string."""
    return value if isinstance(value, str) else ""


def party_names(party: Mapping[str, Any]) -> list[str]:
    """Return a party's name followed by its aliases, skipping empty or non-string entries."""
    aliases = party.get("aliases")
    candidates = [party.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return [name for name in candidates if isinstance(name, str) and name.strip()]


def names_similarity(left: Sequence[str], right: Sequence[str]) -> float:
    """Best `name_similarity` over all pairs from `left` and `right`; 0.0 if either is empty."""
    return max((name_similarity(a, b) for a in left for b in right), default=0.0)


def party_similarity(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> float:
    """Best name similarity over the names and aliases of two parties."""
    return names_similarity(party_names(pred), party_names(gold))


class Named(Protocol):
    """Anything with a name and aliases: a party of a record or of a merged record."""

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> list[str]: ...


N = TypeVar("N", bound=Named)


def party_named(name: str, parties: Sequence[N]) -> N | None:
    """The first party that ``name`` names (its name or an alias, by ``names_similarity``)."""
    for party in parties:
        if names_similarity([name], [party.name, *party.aliases]) >= PARTY_THRESHOLD:
            return party
    return None


def with_names(aliases: Sequence[str], names: Sequence[str], name: str) -> list[str]:
    """``aliases`` plus each of ``names`` that is not ``name`` and not yet among them (case
    folded): the aliases of one actor gathered from several records or chunks."""
    gathered = list(aliases)
    for other in names:
        if other != name and other.casefold() not in {a.casefold() for a in gathered}:
            gathered.append(other)
    return gathered


def name_key(name: str) -> str:
    """A name as rules compare names: case folded, white space collapsed, no leading "the "."""
    return _strip_article(" ".join(name.casefold().split()))


# A token holding a digit ("25", "25th", "Unit0", "M23") or an upper-case Roman numeral of
# two letters or more ("XIV"): what tells two otherwise alike names apart.
_CODE_TOKEN = re.compile(r"[^\W_]*\d[^\W_]*|\b[IVXLC]{2,}\b")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN = re.compile(r"^(?=.)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def distinguishing_codes(name: str) -> tuple[str, ...]:
    """The numbers and codes in a name, sorted: ("25",) for "Army Division 25", ("unit0",)
    for "Unit0-Omega Front", ("xiv",) for "Corps XIV".

    Two names whose codes differ name different actors however alike the rest is, which
    ``name_similarity`` alone cannot see ("Division 25" / "Division 26": 0.91). "25th" and
    "25" are one code; leading zeros do not count.
    """
    codes: list[str] = []
    for token in _CODE_TOKEN.findall(unicodedata.normalize("NFKC", name)):
        if token.isupper() and token.isalpha() and not _ROMAN.match(token):
            continue  # an acronym of Roman letters ("CIC"), not a numeral
        folded = token.casefold()
        if ordinal := _ORDINAL.match(folded):
            folded = ordinal.group(1)
        codes.append(re.sub(r"\d+", lambda m: str(int(m.group())), folded))
    return tuple(sorted(codes))
