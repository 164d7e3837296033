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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from summarizer.errors import ConfigurationError
from summarizer.record.schema import Agreement, Article, Condition, Party

#: Raw probabilities are clipped this far from 0 and 1 before the logit: a token probability
#: of exactly 1.0 (every listed alternative agreed) must not become an infinite score.
_EPSILON = 1e-4
_DIGITS = 3

#: The kinds of item with a confidence, one per confidence field of the record.
Kind = Literal["article", "condition", "proposer", "party", "role", "stance", "status", "date"]
KINDS: tuple[Kind, ...] = (
    "article",
    "condition",
    "proposer",
    "party",
    "role",
    "stance",
    "status",
    "date",
)


def logit(p: float) -> float:
    """log(p / (1 - p)), with p clipped away from 0 and 1 (see ``_EPSILON``)."""
    p = min(max(p, _EPSILON), 1.0 - _EPSILON)
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x), 0 where e^-x would overflow."""
    return 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0


@dataclass(frozen=True)
class Platt:
    """``p = sigmoid(a * logit(raw) + b)`` for one kind of item."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: float) -> float:
        """The calibrated probability of a raw one."""
        return sigmoid(self.a * logit(raw) + self.b)


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
    """The calibration shipped with the package (raw probabilities if there is none).

    Raises:
        ConfigurationError: the shipped file is not a calibration.
    """
    path = resources.files("summarizer.extract.rules").joinpath("calibration.json")
    if not path.is_file():
        return RAW
    try:
        return calibration_from_json(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as e:  # a broken installation, never the user's document
        raise ConfigurationError(
            f"The shipped calibration is unreadable: {e}",
            hint="Reinstall agreement-summarizer (pip install --force-reinstall "
            "agreement-summarizer).",
        ) from e


@dataclass(frozen=True)
class Scored:
    """A record's items with their confidence attached."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]


def map_confidence(
    scored: Scored, value: Callable[[Kind, int, float | None], float | None]
) -> Scored:
    """Every confidence field of a record set to ``value(kind, index, current)``: the one
    place that knows which field holds which kind's confidence (index 0 for the agreement)."""
    agreement = scored.agreement
    return Scored(
        agreement=agreement.model_copy(
            update={
                "status_confidence": value("status", 0, agreement.status_confidence),
                "date_confidence": value("date", 0, agreement.date_confidence),
            }
        ),
        parties=[
            p.model_copy(
                update={
                    "confidence": value("party", i, p.confidence),
                    "role_confidence": value("role", i, p.role_confidence),
                    "stance_confidence": value("stance", i, p.stance_confidence),
                }
            )
            for i, p in enumerate(scored.parties)
        ],
        articles=[
            a.model_copy(update={"confidence": value("article", i, a.confidence)})
            for i, a in enumerate(scored.articles)
        ],
        conditions=[
            c.model_copy(
                update={
                    "confidence": value("condition", i, c.confidence),
                    "proposer_confidence": value("proposer", i, c.proposer_confidence),
                }
            )
            for i, c in enumerate(scored.conditions)
        ],
    )


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
    return map_confidence(
        Scored(agreement, list(parties), list(articles), list(conditions)),
        lambda kind, index, _: calibration(kind, raw.get((kind, index))),
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
