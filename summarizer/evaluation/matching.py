"""One-to-one matching and grounding checks used by the scorer; the similarity functions come
from ``summarizer.text.similarity`` (re-exported here).

Imports nothing else from the package, so the scorer stays a pure function that can judge any
version of the pipeline's output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from summarizer.text.similarity import (
    PARTY_THRESHOLD,
    names_similarity,
    normalise_whitespace,
    party_names,
    text_similarity,
)
from summarizer.text.spans import shared_chars

# Share of a quote that must agree with the source slice it points at to count as grounded.
GROUNDED_THRESHOLD = 0.9


def _as_str(value: object) -> str:
    """Return `value` if it is a string, else the empty string."""
    return value if isinstance(value, str) else ""


def valid_span(evidence: Mapping[str, Any], source: str) -> tuple[int, int] | None:
    """Return the evidence item's (start, end) when both are ints inside `source`, else None."""
    start: object = evidence.get("start")
    end: object = evidence.get("end")
    # bool is an int subclass; JSON true/false must not pass as offsets.
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    if isinstance(start, bool) or isinstance(end, bool):
        return None
    return (start, end) if 0 <= start < end <= len(source) else None


def evidence_spans(item: Mapping[str, Any], source: str) -> list[tuple[int, int]]:
    """Character spans in `source` of an item's evidence.

    Uses an item's own offsets when they are valid, else the first exact occurrence of its
    quote; gold evidence has quotes only, so it always takes the second path. Quotes that
    cannot be located contribute no span.
    """
    evidence = item.get("evidence")
    spans: list[tuple[int, int]] = []
    for entry in evidence if isinstance(evidence, list) else []:
        if not isinstance(entry, Mapping):
            continue
        span = valid_span(entry, source)
        if span is None:
            quote = _as_str(entry.get("quote"))
            position = source.find(quote) if quote else -1
            if position >= 0:
                span = (position, position + len(quote))
        if span is not None:
            spans.append(span)
    return spans


def span_overlap(left: Sequence[tuple[int, int]], right: Sequence[tuple[int, int]]) -> float:
    """Best overlap of any two spans, as overlapping characters over the shorter span's length.

    Dividing by the shorter span means a short gold quote inside a long predicted quote counts
    as full agreement: the prediction did cite the right place, only more generously.
    """
    best = 0.0
    for a_start, a_end in left:
        for b_start, b_end in right:
            shared = shared_chars((a_start, a_end), (b_start, b_end))
            shorter = min(a_end - a_start, b_end - b_start)
            if shared > 0 and shorter > 0:
                best = max(best, shared / shorter)
    return best


def item_similarity(pred: Mapping[str, Any], gold: Mapping[str, Any], source: str) -> float:
    """Similarity in [0, 1] of a predicted and a gold article or condition.

    `max(text, 0.5 * text + 0.5 * evidence)`, where `text` is the best of the item's words
    against the gold's and (for a report not in English) against the gold's English line:
    texts are compared as Unicode words of any script (`normalise_text`). Evidence that
    points at the same passage can lift a reworded item over the threshold, but missing or
    differing evidence never lowers the score that the wording alone earns.
    """
    text = text_similarity(_as_str(pred.get("text")), _as_str(gold.get("text")))
    english = _as_str(gold.get("text_en"))
    if english:
        # A report not in English: its gold item also has an English line, which a record's
        # item (or its English rendering, when it has one) may match instead.
        said = _as_str(pred.get("text_en")) or _as_str(pred.get("text"))
        text = max(text, text_similarity(said, english))
    evidence = span_overlap(evidence_spans(pred, source), evidence_spans(gold, source))
    return max(text, 0.5 * text + 0.5 * evidence)


def match_one_to_one(
    preds: Sequence[Mapping[str, Any]],
    golds: Sequence[Mapping[str, Any]],
    similarity: Callable[[Mapping[str, Any], Mapping[str, Any]], float],
    threshold: float,
) -> list[tuple[int, int, float]]:
    """Pair predictions with gold items one-to-one so that total similarity is largest.

    Pairs scoring below `threshold` are zeroed before the assignment, so they neither count as
    matches nor pull the assignment away from pairs that do clear it.

    Returns:
        (prediction index, gold index, similarity) for each match, sorted by gold index.
    """
    if not preds or not golds:
        return []
    scores = np.array([[similarity(pred, gold) for gold in golds] for pred in preds], dtype=float)
    eligible = np.where(scores >= threshold, scores, 0.0)
    rows, cols = linear_sum_assignment(eligible, maximize=True)
    pairs = [
        (int(row), int(col), float(scores[row, col]))
        for row, col in zip(rows, cols, strict=True)
        if scores[row, col] >= threshold
    ]
    return sorted(pairs, key=lambda pair: pair[1])


def proposer_matches(
    pred: Mapping[str, Any], gold: Mapping[str, Any], gold_parties: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether a predicted condition names the gold condition's proposer.

    The predicted `proposed_by` may match (by `name_similarity`) the gold proposer's name or any
    name or alias of the gold parties that the gold proposer names. Two missing proposers agree;
    one missing proposer does not.
    """
    pred_name, gold_name = pred.get("proposed_by"), gold.get("proposed_by")
    pred_name = pred_name if isinstance(pred_name, str) and pred_name.strip() else None
    gold_name = gold_name if isinstance(gold_name, str) and gold_name.strip() else None
    if pred_name is None or gold_name is None:
        return pred_name is None and gold_name is None
    accepted = [gold_name]
    for party in gold_parties:
        names = party_names(party)
        if names_similarity([gold_name], names) >= PARTY_THRESHOLD:
            accepted.extend(names)
    return names_similarity([pred_name], accepted) >= PARTY_THRESHOLD


def is_grounded(evidence: Mapping[str, Any], source: str) -> bool:
    """Whether evidence offsets are valid and `source[start:end]` reads like the quote.

    "Reads like" is a rapidfuzz ratio of at least `GROUNDED_THRESHOLD` after whitespace is
    collapsed, so re-wrapped lines do not count against the tool.
    """
    span = valid_span(evidence, source)
    quote = evidence.get("quote")
    if span is None or not isinstance(quote, str):
        return False
    sliced = normalise_whitespace(source[span[0] : span[1]])
    return fuzz.ratio(sliced, normalise_whitespace(quote)) / 100.0 >= GROUNDED_THRESHOLD
