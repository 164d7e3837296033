"""Fitting the calibration on a split, choosing the default ``--min-confidence``, and the
reliability diagram.

``summarizer eval --fit-calibration`` predicts the dev split with raw probabilities, then:
1. fits Platt scaling per kind of item on the items it could label (``confidence.fit_platt``);
2. tries each threshold of ``THRESHOLDS`` on the recalibrated records and keeps the one with
   the best overall score (the lowest of equals: drop only what pays);
3. writes both, with the data they came from, to the package's ``calibration.json``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigurationError
from summarizer.evaluation.confidence import Labelled, fit_platt, recalibrated
from summarizer.evaluation.score import aggregate, score_document
from summarizer.extract.rules.confidence import KINDS, Calibration, Platt, Scored, keep_sure
from summarizer.io.files import write_atomic
from summarizer.record.schema import SummaryResult

#: Thresholds tried for the default ``--min-confidence``.
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(0, 19))
#: A kind needs this many labelled items, right and wrong both present, to be fitted;
#: otherwise its raw probabilities stand.
MIN_ITEMS = 12
#: The four headline metrics; their mean is the overall score the threshold is chosen on.
_HEADLINE = ("articles_f1", "conditions_f1", "parties_f1", "stance_accuracy")


@dataclass(frozen=True)
class Scorable:
    """One document of a split: its prediction (JSON), gold and source text."""

    pred: Mapping[str, Any]
    gold: Mapping[str, Any]
    source: str


def fit_calibration(
    items: Sequence[Labelled], documents: Sequence[Scorable], fitted_on: str
) -> tuple[Calibration, dict[float, float]]:
    """The calibration fitted on ``items`` and the threshold that scores best on ``documents``.

    Returns:
        The calibration, and the overall score at each threshold tried.
    """
    kinds: dict[str, Platt] = {}
    for kind in KINDS:
        mine = [i for i in items if i.kind == kind]
        if len(mine) >= MIN_ITEMS and 0 < sum(i.right for i in mine) < len(mine):
            kinds[kind] = fit_platt(mine)
    fitted = Calibration(kinds=kinds, fitted_on=fitted_on)
    scores = {t: overall_at(documents, fitted, t) for t in THRESHOLDS}
    best = max(scores.values())
    threshold = min(t for t, s in scores.items() if s == best)
    return Calibration(kinds=kinds, min_confidence=threshold, fitted_on=fitted_on), scores


def overall_at(documents: Sequence[Scorable], calibration: Calibration, threshold: float) -> float:
    """The split's overall score when the raw-confidence predictions are recalibrated and the
    items below ``threshold`` dropped."""
    scores = []
    for doc in documents:
        record = SummaryResult.model_validate(doc.pred)
        record = recalibrated(record, calibration)
        kept, _ = keep_sure(
            Scored(record.agreement, record.parties, record.articles, record.conditions),
            threshold,
        )
        pred = record.model_copy(
            update={
                "parties": kept.parties,
                "articles": kept.articles,
                "conditions": kept.conditions,
            }
        ).model_dump(mode="json")
        scores.append(score_document(pred, doc.gold, doc.source))
    macro = aggregate(scores)
    values = [
        macro.articles.f1,
        macro.conditions.f1,
        macro.parties.f1,
        macro.stance_accuracy if macro.stance_accuracy is not None else 0.0,
    ]
    return round(statistics.fmean(values), 4)


def write_calibration(calibration: Calibration, scores: Mapping[float, float], path: Path) -> None:
    """Store the calibration and the threshold scores it was chosen on (atomically)."""
    data = calibration.as_json()
    data["overall_by_threshold"] = {f"{t:.2f}": s for t, s in scores.items()}
    write_atomic(path, json.dumps(data, indent=2) + "\n")


def reliability_diagram(items_by_split: Mapping[str, Sequence[Labelled]], path: Path) -> None:
    """A PNG with one panel per kind of item: share right against confidence, per split.

    Raises:
        ConfigurationError: matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display on a server or in CI
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ConfigurationError(
            "Reliability diagrams need matplotlib.",
            hint='Install it: pip install "agreement-summarizer[plots]".',
        ) from e
    kinds = [k for k in KINDS if any(i.kind == k for s in items_by_split.values() for i in s)]
    if not kinds:
        return
    columns = 4
    rows = (len(kinds) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.2 * rows), squeeze=False)
    for n, kind in enumerate(kinds):
        axis = axes[n // columns][n % columns]
        axis.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, linestyle="--")
        for split, items in items_by_split.items():
            points = _bins([i for i in items if i.kind == kind])
            if points:
                xs, ys, _ = zip(*points, strict=True)
                axis.plot(xs, ys, marker="o", linewidth=1, label=split)
                for x, y, size in points:
                    axis.annotate(
                        str(size), (x, y), fontsize=6, xytext=(2, 2), textcoords="offset points"
                    )
        axis.set_title(kind)
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1.05)
        axis.set_xlabel("confidence")
        axis.set_ylabel("share right")
        axis.legend(fontsize=7, loc="lower right")
    for n in range(len(kinds), rows * columns):
        axes[n // columns][n % columns].axis("off")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _bins(items: Sequence[Labelled], bins: int = 5) -> list[tuple[float, float, int]]:
    """(mean confidence, share right, items) of each non-empty equal-width bin."""
    grouped: dict[int, list[Labelled]] = {}
    for item in items:
        grouped.setdefault(min(int(item.confidence * bins), bins - 1), []).append(item)
    return [
        (
            statistics.fmean(i.confidence for i in members),
            sum(i.right for i in members) / len(members),
            len(members),
        )
        for _, members in sorted(grouped.items())
    ]
