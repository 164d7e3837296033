"""Character spans ``(start, end)`` of a text: whether two overlap, and by how much."""

from __future__ import annotations

import re

Span = tuple[int, int]


def shared_chars(span: Span, other: Span) -> int:
    """Characters the two spans have in common (zero or less when they are apart)."""
    return min(span[1], other[1]) - max(span[0], other[0])


def overlaps(span: Span, other: Span) -> bool:
    """Whether two spans share at least one character."""
    return shared_chars(span, other) > 0


_MIN_PIECE_WORDS = 4


def word_count(text: str) -> int:
    """Words (runs of letters and digits) in ``text``."""
    return len(re.findall(r"\w+", text))


def split_across_sentences(
    source: str, start: int, end: int, bounds: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Cut a span that runs over several sentences into one span per sentence.

    A term is stated within one sentence; a small model that quotes across a sentence break
    has run two terms together, or dragged in the tail of the previous sentence. Within one
    sentence the span comes back as it is; across sentences, pieces shorter than four words
    ("officials.") are dropped as fragments.

    Args:
        bounds: (start, end) of every sentence of the source, in order.
    """
    inside = [(max(start, a), min(end, b)) for a, b in bounds if overlaps((start, end), (a, b))]
    if len(inside) <= 1:
        return [(start, end)]
    return [(a, b) for a, b in inside if word_count(source[a:b]) >= _MIN_PIECE_WORDS]
