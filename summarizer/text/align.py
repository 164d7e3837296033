"""Align the model's evidence quotes to the source: the system, not the model, sets offsets.

A quote is looked for three ways, in order: verbatim; after normalising white space, case and
typographic quotes and dashes; and fuzzily (rapidfuzz's best partial alignment). Offsets are
Python ``str`` indices (code points), so they are right for curly quotes and Arabic names, and
``source[start:end]`` is always the returned quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from summarizer.record.schema import Alignment, Evidence, Origin
from summarizer.text.segment import Sentence

#: Minimum rapidfuzz partial-ratio score (0-100) for a fuzzy alignment to count as grounded.
FUZZY_MIN_SCORE = 88.0
#: Quotes shorter than this (after normalising) are too ambiguous to align fuzzily.
FUZZY_MIN_CHARS = 12

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class _Normalised:
    """A normalised text and, for each of its characters, the index in the original."""

    text: str
    origin: list[int]


def _normalise(text: str) -> _Normalised:
    """Fold case, quotes and dashes; collapse white space; keep a map back to the original."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(i)
            continue
        for out in ch.translate(_CHAR_MAP).lower():
            chars.append(out)
            origin.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return _Normalised("".join(chars), origin)


def _span_from_normalised(norm: _Normalised, start: int, end: int) -> tuple[int, int]:
    """Map a normalised [start, end) span back to original offsets."""
    return norm.origin[start], norm.origin[end - 1] + 1


def _snap_span(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy match to whole words, then trim white space and stray punctuation."""
    while start > 0 and source[start - 1].isalnum() and source[start].isalnum():
        start -= 1
    while end < len(source) and source[end - 1].isalnum() and source[end].isalnum():
        end += 1
    while start < end and (source[start].isspace() or source[start] in ",;:"):
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end


def align_quote(
    source: str, quote: str, *, normalised_source: _Normalised | None = None
) -> Evidence | None:
    """Find a model-supplied quote in the source.

    Args:
        source: the document text.
        quote: the passage the model says it took from the source.
        normalised_source: a cached ``_normalise(source)`` when aligning many quotes.

    Returns:
        Evidence whose ``quote`` is ``source[start:end]``, with alignment ``exact`` or ``fuzzy``;
        None when the quote cannot be found well enough to count as grounded.
    """
    wanted = quote.strip().strip('"').strip()
    if not wanted:
        return None
    pos = source.find(wanted)
    if pos >= 0:
        return span_evidence(source, pos, pos + len(wanted), "exact")
    norm_src = normalised_source or _normalise(source)
    norm_q = _normalise(wanted).text.strip(" \"'.")
    if not norm_q:
        return None
    pos = norm_src.text.find(norm_q)
    if pos >= 0:
        start, end = _span_from_normalised(norm_src, pos, pos + len(norm_q))
        return span_evidence(
            source, start, end, "exact" if source[start:end] == wanted else "fuzzy"
        )
    if len(norm_q) < FUZZY_MIN_CHARS:
        return None
    match = fuzz.partial_ratio_alignment(norm_q, norm_src.text)
    if match is None or match.score < FUZZY_MIN_SCORE or match.dest_end <= match.dest_start:
        return None
    start, end = _span_from_normalised(norm_src, match.dest_start, match.dest_end)
    start, end = _snap_span(source, start, end)
    if end <= start:
        return None
    return span_evidence(source, start, end, "fuzzy")


def span_evidence(
    source: str, start: int, end: int, alignment: Alignment = "exact", origin: Origin = "model"
) -> Evidence:
    """The evidence for ``source[start:end]``: the one way every item's evidence is built."""
    return Evidence(
        quote=source[start:end], start=start, end=end, alignment=alignment, origin=origin
    )


def sentence_evidence(sentence: Sentence, origin: Origin = "model") -> Evidence:
    """A whole sentence of the source as evidence; its offsets are the segmenter's."""
    return Evidence(
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        alignment="exact",
        origin=origin,
    )


class SourceIndex:
    """A document prepared once for aligning many quotes against it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._norm = _normalise(source)

    def align(self, quote: str) -> Evidence | None:
        """Align one quote; see ``align_quote``."""
        return align_quote(self.source, quote, normalised_source=self._norm)
