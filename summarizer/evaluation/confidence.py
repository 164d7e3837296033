"""How far an item's confidence can be trusted: each predicted item labelled right or wrong
against the gold, and the figures of its confidence on them.

- AUROC: the chance that a right item has a higher confidence than a wrong one (0.5: the
  confidence says nothing).
- ECE (expected calibration error): over ten equal-width bins of confidence, the mean gap
  between the confidence and the share of right items, weighted by the bin's size.
- Precision at 80 % kept: the share of right items among the 80 % most confident.

Platt scaling (``fit_platt``) fits the calibration that ``rules.confidence`` applies. Pure
functions over JSON records, like the scorer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.evaluation.matching import proposer_matches
from summarizer.evaluation.score import DocumentScore
from summarizer.extract.rules.confidence import (
    KINDS,
    Calibration,
    Platt,
    Scored,
    logit,
    map_confidence,
    sigmoid,
)
from summarizer.record.schema import SummaryResult

#: Share of items kept for "precision at 80 % kept".
KEPT_SHARE = 0.8
_BINS = 10


@dataclass(frozen=True)
class Labelled:
    """One predicted item's confidence and whether the gold says it is right."""

    kind: str
    confidence: float
    right: bool


def _list(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = record.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def labelled_items(
    pred: Mapping[str, Any], gold: Mapping[str, Any], score: DocumentScore
) -> list[Labelled]:
    """Every item of ``pred`` that has a confidence, labelled right or wrong.

    Articles, conditions and parties are right when the scorer matched them to a gold item;
    a role, stance or proposer is judged only on a matched item (as the scorer's accuracies
    are); the status and the date are right when they equal the gold's.
    """
    found: list[Labelled] = []

    def add(kind: str, confidence: object, right: bool) -> None:
        if isinstance(confidence, int | float):
            found.append(Labelled(kind, float(confidence), right))

    matched = {
        kind: {p: g for p, g, _ in getattr(score, kind).pairs}
        for kind in ("articles", "conditions", "parties")
    }
    gold_parties = _list(gold, "parties")
    for i, article in enumerate(_list(pred, "articles")):
        add("article", article.get("confidence"), i in matched["articles"])
    gold_conditions = _list(gold, "conditions")
    for i, condition in enumerate(_list(pred, "conditions")):
        add("condition", condition.get("confidence"), i in matched["conditions"])
        g = matched["conditions"].get(i)
        if g is not None and condition.get("proposed_by"):
            right = proposer_matches(condition, gold_conditions[g], gold_parties)
            add("proposer", condition.get("proposer_confidence"), right)
    for i, party in enumerate(_list(pred, "parties")):
        g = matched["parties"].get(i)
        add("party", party.get("confidence"), g is not None)
        if g is not None:
            add(
                "role",
                party.get("role_confidence"),
                party.get("role") == gold_parties[g].get("role"),
            )
            add(
                "stance",
                party.get("stance_confidence"),
                party.get("stance") == gold_parties[g].get("stance"),
            )
    agreement = pred.get("agreement") if isinstance(pred.get("agreement"), Mapping) else {}
    gold_agreement = gold.get("agreement") if isinstance(gold.get("agreement"), Mapping) else {}
    assert isinstance(agreement, Mapping) and isinstance(gold_agreement, Mapping)
    add(
        "status",
        agreement.get("status_confidence"),
        agreement.get("status") == gold_agreement.get("status"),
    )
    if agreement.get("date"):
        add(
            "date",
            agreement.get("date_confidence"),
            agreement.get("date") == gold_agreement.get("date"),
        )
    return found


def auroc(items: Sequence[Labelled]) -> float | None:
    """The chance a right item outranks a wrong one (ties count half); None without both."""
    right = [i.confidence for i in items if i.right]
    wrong = [i.confidence for i in items if not i.right]
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


def expected_calibration_error(items: Sequence[Labelled]) -> float | None:
    """Mean |confidence - share right| over ten equal-width bins, weighted by size."""
    if not items:
        return None
    bins: dict[int, list[Labelled]] = {}
    for item in items:
        bins.setdefault(min(int(item.confidence * _BINS), _BINS - 1), []).append(item)
    gap = 0.0
    for members in bins.values():
        mean = sum(m.confidence for m in members) / len(members)
        share = sum(m.right for m in members) / len(members)
        gap += len(members) * abs(mean - share)
    return gap / len(items)


def precision_kept(items: Sequence[Labelled], share: float = KEPT_SHARE) -> float | None:
    """The share of right items among the ``share`` most confident (None with no items)."""
    if not items:
        return None
    ranked = sorted(items, key=lambda i: -i.confidence)
    kept = ranked[: max(1, math.ceil(share * len(ranked)))]
    return sum(i.right for i in kept) / len(kept)


def confidence_metrics(items: Iterable[Labelled]) -> dict[str, float | int | None]:
    """Per kind (and over all kinds): items, share right, AUROC, ECE, precision at 80 % kept."""
    items = list(items)
    out: dict[str, float | int | None] = {}
    for kind in (*KINDS, "all"):
        mine = items if kind == "all" else [i for i in items if i.kind == kind]
        out[f"confidence_{kind}_items"] = len(mine)
        out[f"confidence_{kind}_right"] = sum(i.right for i in mine) / len(mine) if mine else None
        out[f"confidence_{kind}_auroc"] = auroc(mine)
        out[f"confidence_{kind}_ece"] = expected_calibration_error(mine)
        out[f"confidence_{kind}_p80"] = precision_kept(mine)
    return out


def fit_platt(items: Sequence[Labelled], *, iterations: int = 50) -> Platt:
    """Platt scaling fitted by Newton's method on logit(raw confidence).

    Uses Platt's smoothed targets ((n+ + 1) / (n+ + 2) and 1 / (n- + 2)), so a kind whose
    items are all right (or all wrong) gets a finite fit, and a small ridge on the slope keeps
    a kind with few items close to the raw probabilities.
    """
    n_right = sum(i.right for i in items)
    n_wrong = len(items) - n_right
    if not items:
        return Platt()
    hi, lo = (n_right + 1) / (n_right + 2), 1 / (n_wrong + 2)
    xs = [logit(i.confidence) for i in items]
    ts = [hi if i.right else lo for i in items]
    ridge = 1.0  # pulls the slope toward 1 (the raw probabilities) with the weight of ~1 item

    def loss(a: float, b: float) -> float:
        total = 0.5 * ridge * (a - 1.0) ** 2
        for x, t in zip(xs, ts, strict=True):
            z = a * x + b
            # log(1 + e^z) - t z, written to stay finite for large |z|
            total += max(z, 0.0) + math.log1p(math.exp(-abs(z))) - t * z
        return total

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(iterations):
        ga = ridge * (a - 1.0)
        gb = 0.0
        haa, hab, hbb = ridge, 0.0, 1e-9
        for x, t in zip(xs, ts, strict=True):
            p = sigmoid(a * x + b)
            ga += (p - t) * x
            gb += p - t
            w = p * (1.0 - p)
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        # Newton's step, halved until the loss falls: a full step can overshoot on data
        # that two bins of confidence nearly separate.
        step = 1.0
        while step > 1e-6 and loss(a - step * da, b - step * db) > current:
            step /= 2
        if step <= 1e-6:
            break
        a, b = a - step * da, b - step * db
        previous, current = current, loss(a, b)
        if previous - current < 1e-10:
            break
    return Platt(round(a, 4), round(b, 4))


def recalibrated(record: SummaryResult, calibration: Calibration) -> SummaryResult:
    """A record whose raw confidences (a ``calibrated=False`` run) are mapped by ``calibration``."""
    mapped = map_confidence(
        Scored(record.agreement, record.parties, record.articles, record.conditions),
        lambda kind, _, raw: calibration(kind, raw),
    )
    return record.model_copy(
        update={
            "agreement": mapped.agreement,
            "parties": mapped.parties,
            "articles": mapped.articles,
            "conditions": mapped.conditions,
        }
    )
