"""Scoring a merged record (several reports of one agreement) against its merged gold file.

Items are matched one-to-one as in ``score``: parties by name or alias, terms and conditions
by text (merged gold carries no quotes, only which reports state each item). Beyond the lists:
for each matched item, how well the reports it is credited to agree with the gold's
(Jaccard); the conflicts, matched by field and party (precision, recall, F1); and for matched
parties and the agreement block, whether each value is right (null where the gold has a
conflict).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from summarizer.evaluation.matching import match_one_to_one
from summarizer.text.similarity import (
    ITEM_THRESHOLD,
    PARTY_THRESHOLD,
    name_similarity,
    party_names,
    party_similarity,
    text_similarity,
)

#: Conflict fields merged gold files do not list as conflicts (they are scored as values).
_UNLISTED = frozenset({"proposed_by", "outcome", "stage", "agreement_type", "actor_type"})
MERGED_METRICS = (
    "merged_articles_f1",
    "merged_conditions_f1",
    "merged_parties_f1",
    "merged_sources_jaccard",
    "merged_conflicts_precision",
    "merged_conflicts_recall",
    "merged_conflicts_f1",
    "merged_values_accuracy",
)


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _value(field: Any) -> Any:
    """A merged field's value (merged records nest it; gold files give it plainly)."""
    return field.get("value") if isinstance(field, Mapping) else field


def _documents(pred: Mapping[str, Any], item: Mapping[str, Any]) -> set[str]:
    """The report files a predicted item is credited to."""
    files = {s["id"]: s.get("record_file") or s["id"] for s in pred.get("sources", [])}
    return {str(files.get(s, s)).rsplit("/", 1)[-1] for s in item.get("sources", [])}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def score_merged(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, float]:
    """Score one merged record against one merged gold file (see the module docstring)."""
    scores: dict[str, float] = {}
    jaccards: list[float] = []
    values: list[bool] = []
    matched_parties: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    kinds = {
        "articles": lambda p, g: text_similarity(str(p["text"]), str(g["text"])),
        "conditions": lambda p, g: text_similarity(str(p["text"]), str(g["text"])),
        "parties": party_similarity,
    }
    for kind, similarity in kinds.items():
        preds: Sequence[Mapping[str, Any]] = pred.get(kind, [])
        golds: Sequence[Mapping[str, Any]] = gold.get(kind, [])
        threshold = PARTY_THRESHOLD if kind == "parties" else ITEM_THRESHOLD
        pairs = match_one_to_one(preds, golds, similarity, threshold)
        _, _, f1 = _f1(len(pairs), len(preds) - len(pairs), len(golds) - len(pairs))
        scores[f"merged_{kind}_f1"] = f1
        for p, g, _ in pairs:
            jaccards.append(
                _jaccard(_documents(pred, preds[p]), set(golds[g].get("documents", [])))
            )
            if kind == "parties":
                matched_parties.append((preds[p], golds[g]))
    for party, gold_party in matched_parties:
        values += [_value(party.get(f)) == gold_party.get(f) for f in ("role", "stance")]
    agreement, gold_agreement = pred.get("agreement", {}), gold.get("agreement", {})
    for f in ("date", "status"):
        values.append(_value(agreement.get(f)) == gold_agreement.get(f))

    def same_party(pred_name: str | None, gold_name: str | None) -> bool:
        if pred_name is None or gold_name is None:
            return pred_name is None and gold_name is None
        gold_party = next((g for g in gold.get("parties", []) if g.get("name") == gold_name), None)
        names = party_names(gold_party) if gold_party else [gold_name]
        return max(name_similarity(pred_name, n) for n in names) >= PARTY_THRESHOLD

    gold_conflicts = list(gold.get("conflicts", []))
    unmatched = list(gold_conflicts)
    tp = 0
    counted = [c for c in pred.get("conflicts", []) if c.get("field") not in _UNLISTED]
    for c in counted:
        hit = next(
            (
                g
                for g in unmatched
                if g.get("field") == c.get("field") and same_party(c.get("party"), g.get("party"))
            ),
            None,
        )
        if hit is not None:
            unmatched.remove(hit)
            tp += 1
    precision, recall, f1 = _f1(tp, len(counted) - tp, len(unmatched))
    scores["merged_conflicts_precision"] = precision
    scores["merged_conflicts_recall"] = recall
    scores["merged_conflicts_f1"] = f1
    scores["merged_sources_jaccard"] = sum(jaccards) / len(jaccards) if jaccards else 0.0
    scores["merged_values_accuracy"] = sum(values) / len(values) if values else 0.0
    return scores
