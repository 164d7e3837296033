"""Folding text for comparison: the one place that decides when two spellings are the same.

``fold`` lower-cases (Unicode case folding) and drops combining marks, so "Ḥasan" finds
"Hasan" and "Gouvernement" finds "gouvernement"; ``fold_words`` also turns every run of
characters that are not letters or digits into one space, for comparing names and phrases
word by word.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` case-folded, with combining marks (accents, dots below) dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold_words(text: str) -> str:
    """``fold(text)`` with every run of non-word characters one space, trimmed."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())
