"""Confidence: the model's raw probability of "yes" for each item, calibrated and attached.

A raw probability is what the verification question's answer token weighed; it is not the
share of items that are right (measured on dev: the model says "no" to most statements with
a probability of "yes" far below how often they are right). A calibration maps it, per kind of
item, to the precision observed on labelled reports: Platt scaling, ``p = 1 / (1 + exp(-(a *
logit(raw) + b)))``, two parameters per kind, fitted on the dev split by ``summarizer eval
--fit-calibration`` and shipped in ``calibration.json`` with the data they came from.

Pure functions: no provider, no model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from summarizer.record.schema import Agreement, Article, Condition, Party

#: Raw probabilities are clipped this far from 0 and 1 before the logit: a token probability
#: of exactly 1.0 (every listed alternative agreed) must not become an infinite score.
_EPSILON = 1e-4
_DIGITS = 3


@dataclass(frozen=True)
class Platt:
    """``p = sigmoid(a * logit(raw) + b)`` for one kind of item."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: float) -> float:
        """The calibrated probability of a raw one."""
        raw = min(max(raw, _EPSILON), 1.0 - _EPSILON)
        score = self.a * math.log(raw / (1.0 - raw)) + self.b
        return 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0


@dataclass(frozen=True)
class Calibration:
    """The maps from raw to calibrated probability, and the default threshold to keep items."""

    kinds: Mapping[str, Platt] = field(default_factory=dict)
    #: Items (articles, conditions, parties) below this calibrated confidence are dropped
    #: unless ``--min-confidence`` says otherwise.
    min_confidence: float = 0.0
    #: Where the parameters came from ("dev split, 32 reports, 2026-12-07"), for provenance.
    fitted_on: str = "not fitted: raw probabilities"

    def __call__(self, kind: str, raw: float | None) -> float | None:
        """The calibrated probability of an item of ``kind`` (None stays None)."""
        if raw is None:
            return None
        return round(self.kinds.get(kind, Platt())(raw), _DIGITS)

    def as_json(self) -> dict[str, Any]:
        """The calibration as stored in ``calibration.json``."""
        return {
            "fitted_on": self.fitted_on,
            "min_confidence": self.min_confidence,
            "kinds": {k: {"a": p.a, "b": p.b} for k, p in sorted(self.kinds.items())},
        }


#: No calibration: raw probabilities pass through (what the eval fits calibrations on).
RAW = Calibration()


def calibration_from_json(data: Mapping[str, Any]) -> Calibration:
    """A calibration from its stored form.

    Raises:
        ValueError: the data is not a calibration.
    """
    try:
        kinds = {str(k): Platt(float(v["a"]), float(v["b"])) for k, v in data["kinds"].items()}
        return Calibration(
            kinds=kinds,
            min_confidence=float(data.get("min_confidence", 0.0)),
            fitted_on=str(data.get("fitted_on", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"not a calibration: {e}") from e


def shipped_calibration() -> Calibration:
    """The calibration shipped with the package (raw probabilities if there is none)."""
    path = resources.files("summarizer.extract.rules").joinpath("calibration.json")
    if not path.is_file():
        return RAW
    return calibration_from_json(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Scored:
    """A record's items with their confidence attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]


def with_confidence(
    agreement: Agreement,
    parties: Sequence[Party],
    articles: Sequence[Article],
    conditions: Sequence[Condition],
    raw: Mapping[tuple[str, int], float | None],
    calibration: Calibration,
) -> Scored:
    """Every item with its calibrated confidence, from raw probabilities keyed (kind, index).

    An item with no raw probability (no statement, or none returned) keeps ``None``.
    """

    def conf(kind: str, index: int) -> float | None:
        return calibration(kind, raw.get((kind, index)))

    return Scored(
        agreement=agreement.model_copy(
            update={"status_confidence": conf("status", 0), "date_confidence": conf("date", 0)}
        ),
        parties=[
            p.model_copy(
                update={
                    "confidence": conf("party", i),
                    "role_confidence": conf("role", i),
                    "stance_confidence": conf("stance", i),
                }
            )
            for i, p in enumerate(parties)
        ],
        articles=[
            a.model_copy(update={"confidence": conf("article", i)}) for i, a in enumerate(articles)
        ],
        conditions=[
            c.model_copy(
                update={
                    "confidence": conf("condition", i),
                    "proposer_confidence": conf("proposer", i),
                }
            )
            for i, c in enumerate(conditions)
        ],
    )


def keep_sure(scored: Scored, min_confidence: float) -> tuple[Scored, int]:
    """The record without the articles, conditions and parties below ``min_confidence``.

    Stance, role, status and date confidences are shown, never used to drop: a party whose
    stance is unsure is still a party. An item with no confidence is kept (nothing measured
    it). A condition whose proposer was dropped keeps its text with no proposer.

    Returns:
        The kept record and how many items were dropped.
    """

    def sure(item: Party | Article | Condition) -> bool:
        return item.confidence is None or item.confidence >= min_confidence

    parties = [p for p in scored.parties if sure(p)]
    names = {p.name for p in parties}
    articles = [a for a in scored.articles if sure(a)]
    conditions = [
        c
        if c.proposed_by is None or c.proposed_by in names
        else c.model_copy(update={"proposed_by": None, "proposer_confidence": None})
        for c in scored.conditions
        if sure(c)
    ]
    dropped = (
        len(scored.parties)
        - len(parties)
        + len(scored.articles)
        - len(articles)
        + len(scored.conditions)
        - len(conditions)
    )
    return Scored(scored.agreement, parties, articles, conditions), dropped
