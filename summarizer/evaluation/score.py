"""Score one extraction record against its gold file, and average scores over documents.

Both inputs are plain dicts parsed from JSON; nothing here imports the rest of the package, so
the scorer can judge records written by any version of the pipeline.

Empty lists follow one rule for every kind (articles, conditions, parties): precision is 1.0
when there are no predictions (nothing was falsely alarmed), recall is 1.0 when there is no
gold (nothing was missed), and F1 is their harmonic mean (0.0 when both are 0.0). Hence both
empty gives P = R = F1 = 1.0; gold empty with predictions gives P = 0.0, R = 1.0, F1 = 0.0;
gold present with no predictions gives P = 1.0, R = 0.0, F1 = 0.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from statistics import fmean
from typing import Any

from summarizer.evaluation.matching import (
    is_grounded,
    item_similarity,
    match_one_to_one,
    proposer_matches,
)
from summarizer.text.similarity import ITEM_THRESHOLD, PARTY_THRESHOLD, party_similarity

AGREEMENT_FIELDS = ("date", "status", "stage")
LIST_KINDS = ("articles", "conditions", "parties")
_KIND_BY_MUST_NOT_APPEAR = {"article": "articles", "condition": "conditions", "party": "parties"}
_MISSING_STANCE = "missing"


def _ratio(numerator: int, denominator: int, empty: float) -> float:
    """`numerator / denominator`, or `empty` when the denominator is zero."""
    return numerator / denominator if denominator else empty


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall; 0.0 when both are 0.0."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class ListScore:
    """Matching result for one kind of list item in one document.

    `fp` counts false alarms (unmatched predictions), `fn` misses (unmatched gold items);
    `pairs` holds (prediction index, gold index, similarity) for each match.
    """

    tp: int
    fp: int
    fn: int
    pairs: tuple[tuple[int, int, float], ...]

    @property
    def precision(self) -> float:
        """Matched share of predictions; 1.0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp, empty=1.0)

    @property
    def recall(self) -> float:
        """Matched share of gold items; 1.0 when the gold list is empty."""
        return _ratio(self.tp, self.tp + self.fn, empty=1.0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the metrics and counts."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "pairs": [list(pair) for pair in self.pairs],
        }


@dataclass(frozen=True)
class DocumentScore:
    """All metrics for one document.

    Accuracies and the grounded share are None when there is nothing to judge (no matched
    parties, no matched conditions, no predicted evidence). `stance_confusion[gold][pred]`
    counts matched parties by gold and predicted stance.
    """

    document: str | None
    articles: ListScore
    conditions: ListScore
    parties: ListScore
    stance_accuracy: float | None
    stance_confusion: Mapping[str, Mapping[str, int]]
    proposer_accuracy: float | None
    evidence_total: int
    evidence_grounded: int
    grounded_share: float | None
    agreement_fields: Mapping[str, bool]
    date_fabricated: bool
    leaks: int
    leaked: tuple[str, ...]

    @property
    def false_alarms(self) -> dict[str, int]:
        """Unmatched predictions per kind."""
        return {kind: self._list(kind).fp for kind in LIST_KINDS}

    def _list(self, kind: str) -> ListScore:
        """Return the `ListScore` for `kind`."""
        score: ListScore = getattr(self, kind)
        return score

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of every metric."""
        return {
            **asdict(self),
            **{kind: self._list(kind).to_dict() for kind in LIST_KINDS},
            "false_alarms": self.false_alarms,
        }


@dataclass(frozen=True)
class MacroListScore:
    """Macro-averaged precision, recall and F1 for one kind, with counts summed over documents."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one stance label; `support` is its gold count."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class MacroScore:
    """Metrics over a set of documents.

    Per-kind P/R/F1, accuracies and the grounded share are macro means over documents, skipping
    documents where the value is None (a mean is None when every document is None). Per-stance
    scores are micro: the confusion counts of all documents are pooled first, because a single
    document rarely has more than a handful of parties.
    """

    documents: int
    articles: MacroListScore
    conditions: MacroListScore
    parties: MacroListScore
    stance_accuracy: float | None
    per_stance: Mapping[str, LabelScore]
    proposer_accuracy: float | None
    grounded_share: float | None
    agreement_field_accuracy: Mapping[str, float]
    fabricated_dates: int
    leaks: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of every metric (nested results become dicts too)."""
        return {
            **asdict(self),
            "per_stance": {label: asdict(score) for label, score in self.per_stance.items()},
            "agreement_field_accuracy": dict(self.agreement_field_accuracy),
        }


def _items(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """Return the mapping entries of list `record[key]`, or an empty list."""
    value = record.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _match(
    kind: str, preds: Sequence[Mapping[str, Any]], golds: Sequence[Mapping[str, Any]], source: str
) -> ListScore:
    """Match one kind of list item and count hits, false alarms and misses."""
    if kind == "parties":
        pairs = match_one_to_one(preds, golds, party_similarity, PARTY_THRESHOLD)
    else:
        pairs = match_one_to_one(
            preds, golds, lambda p, g: item_similarity(p, g, source), ITEM_THRESHOLD
        )
    return ListScore(
        tp=len(pairs), fp=len(preds) - len(pairs), fn=len(golds) - len(pairs), pairs=tuple(pairs)
    )


def _stance(party: Mapping[str, Any]) -> str:
    """Return a party's stance label, or a placeholder when it is missing."""
    stance = party.get("stance")
    return stance if isinstance(stance, str) and stance else _MISSING_STANCE


def _all_evidence(pred: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every evidence item of every party, article and condition in a prediction."""
    return [
        evidence
        for kind in LIST_KINDS
        for item in _items(pred, kind)
        for evidence in _items(item, "evidence")
    ]


def _date_fabricated(pred_date: object, gold_date: object) -> bool:
    """True when a date is predicted that the gold lacks or that disagrees at every precision."""
    if pred_date is None:
        return False
    if not isinstance(pred_date, str) or not isinstance(gold_date, str):
        return True
    return not (pred_date.startswith(gold_date) or gold_date.startswith(pred_date))


def _leaked(pred: Mapping[str, Any], gold: Mapping[str, Any], source: str) -> tuple[str, ...]:
    """Return "kind: text" for each must_not_appear entry that some prediction matches."""
    leaked: list[str] = []
    for entry in _items(gold, "must_not_appear"):
        kind, text = entry.get("kind"), entry.get("text")
        if kind not in _KIND_BY_MUST_NOT_APPEAR or not isinstance(text, str):
            continue
        preds = _items(pred, _KIND_BY_MUST_NOT_APPEAR[kind])
        if kind == "party":
            forbidden: Mapping[str, Any] = {"name": text, "aliases": []}
            hit = any(party_similarity(p, forbidden) >= PARTY_THRESHOLD for p in preds)
        else:
            forbidden = {"text": text, "evidence": []}
            hit = any(item_similarity(p, forbidden, source) >= ITEM_THRESHOLD for p in preds)
        if hit:
            leaked.append(f"{kind}: {text}")
    return tuple(leaked)


def score_document(pred: Mapping[str, Any], gold: Mapping[str, Any], source: str) -> DocumentScore:
    """Score one extraction record against its gold file.

    Articles, conditions and parties are matched one-to-one by Hungarian assignment on a
    similarity score (see `summarizer.evaluation.matching`); list order never matters.

    Args:
        pred: the tool's output record.
        gold: the hand-labelled gold record (quotes only in its evidence, plus
            `must_not_appear`).
        source: the document text both records describe; evidence is located in it.

    Returns:
        A `DocumentScore`; see the module docstring for how empty lists are scored.
    """
    golds = {kind: _items(gold, kind) for kind in LIST_KINDS}
    preds = {kind: _items(pred, kind) for kind in LIST_KINDS}
    lists = {kind: _match(kind, preds[kind], golds[kind], source) for kind in LIST_KINDS}

    confusion: dict[str, Counter[str]] = {}
    for p, g, _ in lists["parties"].pairs:
        gold_stance = _stance(golds["parties"][g])
        confusion.setdefault(gold_stance, Counter())[_stance(preds["parties"][p])] += 1
    stance_hits = sum(row[label] for label, row in confusion.items())
    stance_total = lists["parties"].tp

    proposer_hits = sum(
        proposer_matches(preds["conditions"][p], golds["conditions"][g], golds["parties"])
        for p, g, _ in lists["conditions"].pairs
    )
    proposer_total = lists["conditions"].tp

    evidence = _all_evidence(pred)
    grounded = sum(is_grounded(item, source) for item in evidence)

    pred_agreement = pred.get("agreement")
    gold_agreement = gold.get("agreement")
    pred_fields = pred_agreement if isinstance(pred_agreement, Mapping) else {}
    gold_fields = gold_agreement if isinstance(gold_agreement, Mapping) else {}

    leaked = _leaked(pred, gold, source)
    document = gold.get("document")
    return DocumentScore(
        document=document if isinstance(document, str) else None,
        articles=lists["articles"],
        conditions=lists["conditions"],
        parties=lists["parties"],
        stance_accuracy=stance_hits / stance_total if stance_total else None,
        stance_confusion={label: dict(row) for label, row in confusion.items()},
        proposer_accuracy=proposer_hits / proposer_total if proposer_total else None,
        evidence_total=len(evidence),
        evidence_grounded=grounded,
        grounded_share=grounded / len(evidence) if evidence else None,
        agreement_fields={
            field: pred_fields.get(field) == gold_fields.get(field) for field in AGREEMENT_FIELDS
        },
        date_fabricated=_date_fabricated(pred_fields.get("date"), gold_fields.get("date")),
        leaks=len(leaked),
        leaked=leaked,
    )


def _mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [value for value in values if value is not None]
    return fmean(present) if present else None


def _macro_list(scores: Sequence[ListScore]) -> MacroListScore:
    """Average P/R/F1 over documents and sum the counts."""
    return MacroListScore(
        precision=fmean(score.precision for score in scores),
        recall=fmean(score.recall for score in scores),
        f1=fmean(score.f1 for score in scores),
        tp=sum(score.tp for score in scores),
        fp=sum(score.fp for score in scores),
        fn=sum(score.fn for score in scores),
    )


def _per_stance(scores: Sequence[DocumentScore]) -> dict[str, LabelScore]:
    """Micro precision, recall and F1 per stance label from the pooled confusion counts."""
    pooled: Counter[tuple[str, str]] = Counter()
    for score in scores:
        for gold_label, row in score.stance_confusion.items():
            for pred_label, count in row.items():
                pooled[gold_label, pred_label] += count
    labels = sorted({label for pair in pooled for label in pair})
    result: dict[str, LabelScore] = {}
    for label in labels:
        tp = pooled[label, label]
        predicted = sum(count for (_, p), count in pooled.items() if p == label)
        support = sum(count for (g, _), count in pooled.items() if g == label)
        precision = _ratio(tp, predicted, empty=1.0)
        recall = _ratio(tp, support, empty=1.0)
        result[label] = LabelScore(precision, recall, _f1(precision, recall), support)
    return result


def aggregate(scores: Sequence[DocumentScore]) -> MacroScore:
    """Combine per-document scores into one `MacroScore`.

    Per-kind P/R/F1, accuracies and the grounded share are macro means (each document weighs
    the same); None values are skipped. Counts, fabricated dates and leaks are summed.
    Per-stance P/R/F1 is micro, over the pooled stance confusion of matched parties. A label
    that is never predicted gets precision 1.0, one never in gold recall 1.0 (as for lists).

    Raises:
        ValueError: if `scores` is empty, since a mean over no documents is meaningless.
    """
    if not scores:
        raise ValueError("aggregate() needs at least one DocumentScore")
    return MacroScore(
        documents=len(scores),
        articles=_macro_list([score.articles for score in scores]),
        conditions=_macro_list([score.conditions for score in scores]),
        parties=_macro_list([score.parties for score in scores]),
        stance_accuracy=_mean(score.stance_accuracy for score in scores),
        per_stance=_per_stance(scores),
        proposer_accuracy=_mean(score.proposer_accuracy for score in scores),
        grounded_share=_mean(score.grounded_share for score in scores),
        agreement_field_accuracy={
            field: fmean(float(score.agreement_fields[field]) for score in scores)
            for field in AGREEMENT_FIELDS
        },
        fabricated_dates=sum(score.date_fabricated for score in scores),
        leaks=sum(score.leaks for score in scores),
    )
