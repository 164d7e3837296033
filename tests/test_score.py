"""Unit tests for the extraction scorer on small hand-made records."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from summarizer.evaluation.matching import item_similarity
from summarizer.evaluation.score import DocumentScore, aggregate, score_document
from summarizer.text.similarity import (
    ITEM_THRESHOLD,
    PARTY_THRESHOLD,
    name_similarity,
    normalise_text,
    text_similarity,
)

SOURCE = (
    "On Saturday the Syrian government and the “Shabab al-Sunna” faction of Aḥmad al-Ḥasan "
    "met in Busra al-Sham. "
    "The agreement included handing over heavy weapons as of Sunday. "
    "Later the factions would start handing over medium weapons included in the ceasefire. "
    "Civilians return to the towns where there is no army. "
    "Damascus demanded the hoisting of the Syrian flag over state institutions. "
    "Al-Ḥasan rejected the offer, saying: “Death with honour.”"
)

HEAVY = "handing over heavy weapons as of Sunday"
MEDIUM = "handing over medium weapons included in the ceasefire"
RETURN = "Civilians return to the towns where there is no army"
FLAG = "the hoisting of the Syrian flag over state institutions"
MET = "the Syrian government and the “Shabab al-Sunna” faction of Aḥmad al-Ḥasan"
REJECTED = "Al-Ḥasan rejected the offer"


def pred_evidence(quote: str) -> dict[str, Any]:
    """Evidence as the tool writes it, with correct offsets into SOURCE."""
    start = SOURCE.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote), "alignment": "exact"}


def gold_evidence(quote: str) -> dict[str, Any]:
    """Evidence as gold files write it: the quote only."""
    assert quote in SOURCE
    return {"quote": quote}


def make_gold() -> dict[str, Any]:
    """A gold file for SOURCE with three parties, three articles and one condition."""
    return {
        "document": "busra-test",
        "agreement": {
            "name": "Busra al-Sham reconciliation",
            "date": "2018-07-01",
            "location": "Busra al-Sham",
            "status": "signed",
            "stage": "implementation",
            "agreement_type": "local",
        },
        "parties": [
            {
                "name": "Syrian government",
                "aliases": ["Damascus"],
                "role": "signatory",
                "actor_type": "state",
                "stance": "accepts",
                "evidence": [gold_evidence(MET)],
            },
            {
                "name": "Shabab al-Sunna",
                "aliases": ["the “Shabab al-Sunna” faction"],
                "role": "signatory",
                "actor_type": "armed_group",
                "stance": "conditional",
                "evidence": [gold_evidence(MET)],
            },
            {
                "name": "Aḥmad al-Ḥasan",
                "aliases": ["Al-Ḥasan"],
                "role": "negotiator",
                "actor_type": "person",
                "stance": "rejects",
                "evidence": [gold_evidence(REJECTED)],
            },
        ],
        "articles": [
            {
                "number": "1",
                "text": "Handing over heavy weapons as of Sunday",
                "categories": ["disarmament"],
                "evidence": [gold_evidence(HEAVY)],
            },
            {
                "number": "2",
                "text": "Handing over medium weapons included in the ceasefire",
                "categories": ["disarmament"],
                "evidence": [gold_evidence(MEDIUM)],
            },
            {
                "number": "3",
                "text": "Civilians return to towns where there is no army",
                "categories": ["civilians"],
                "evidence": [gold_evidence(RETURN)],
            },
        ],
        "conditions": [
            {
                "text": "Hoisting the Syrian flag over state institutions",
                "proposed_by": "Syrian government",
                "outcome": "accepted",
                "evidence": [gold_evidence(FLAG)],
            }
        ],
        "must_not_appear": [
            {"kind": "article", "text": "Evacuation of fighters to Idlib"},
            {"kind": "party", "text": "Jordan"},
        ],
        "tests": [],
        "notes": "hand-made for unit tests",
    }


def make_pred() -> dict[str, Any]:
    """A prediction that agrees with make_gold() in every scored respect."""
    gold = make_gold()
    pred: dict[str, Any] = {
        "schema_version": "1",
        "agreement": {**gold["agreement"], "summary": "Factions hand over weapons."},
        "provenance": {"model": "test"},
    }
    for kind in ("parties", "articles", "conditions"):
        items = copy.deepcopy(gold[kind])
        for item in items:
            item["evidence"] = [pred_evidence(e["quote"]) for e in item["evidence"]]
        pred[kind] = items
    return pred


def score(pred: dict[str, Any], gold: dict[str, Any] | None = None) -> DocumentScore:
    """Score `pred` against `gold` (make_gold() by default) over SOURCE."""
    return score_document(pred, make_gold() if gold is None else gold, SOURCE)


def assert_perfect(result: DocumentScore) -> None:
    """Every metric of `result` is at its best value."""
    for kind in (result.articles, result.conditions, result.parties):
        assert (kind.precision, kind.recall, kind.f1) == (1.0, 1.0, 1.0)
        assert kind.fp == kind.fn == 0
    assert result.stance_accuracy == 1.0
    assert result.proposer_accuracy == 1.0
    assert result.grounded_share == 1.0
    assert all(result.agreement_fields.values())
    assert not result.date_fabricated
    assert result.leaks == 0


# --- similarity and threshold ------------------------------------------------------------


def test_normalise_text_folds_case_punctuation_and_diacritics() -> None:
    assert normalise_text("The “Shabab al-Sunna” faction of Aḥmad al-Ḥasan!") == (
        "the shabab al sunna faction of ahmad al hasan"
    )


def test_paraphrase_with_shared_evidence_matches_but_wording_alone_does_not() -> None:
    gold_text = "Handing over heavy weapons as of Sunday"
    gold = {"text": gold_text, "evidence": [gold_evidence(HEAVY)]}
    paraphrase = "The fighters hand over their heavy arsenal"
    # The wording alone is too far from the gold term to clear the threshold ...
    assert text_similarity(paraphrase, gold_text) < ITEM_THRESHOLD
    # ... but citing the same passage lifts it over.
    cited = {"text": paraphrase, "evidence": [pred_evidence("handing over heavy weapons")]}
    assert item_similarity(cited, gold, SOURCE) >= ITEM_THRESHOLD


def test_reworded_term_matches_on_wording_alone() -> None:
    pred = {"text": "Heavy weapons handed over from Sunday", "evidence": []}
    gold = {"text": "Handing over heavy weapons as of Sunday", "evidence": []}
    assert item_similarity(pred, gold, SOURCE) >= ITEM_THRESHOLD


def test_unrelated_term_does_not_match() -> None:
    pred = make_pred()
    pred["articles"] = [
        {
            "number": "1",
            "text": "Russia is the guarantor of this agreement",
            "categories": [],
            "evidence": [pred_evidence("met in Busra al-Sham")],
        }
    ]
    result = score(pred)
    assert result.articles.tp == 0
    assert result.articles.fp == 1
    assert result.articles.fn == 3


def test_heavy_and_medium_weapons_pair_with_their_own_gold() -> None:
    gold = make_gold()
    pred = make_pred()
    # Predicted in the opposite order to gold: Hungarian must still pair like with like.
    pred["articles"] = [pred["articles"][1], pred["articles"][0]]
    gold["articles"] = gold["articles"][:2]
    result = score(pred, gold)
    assert sorted(pair[:2] for pair in result.articles.pairs) == [(0, 1), (1, 0)]
    heavy_vs_medium = item_similarity(pred["articles"][1], gold["articles"][1], SOURCE)
    heavy_vs_heavy = item_similarity(pred["articles"][1], gold["articles"][0], SOURCE)
    assert heavy_vs_medium < heavy_vs_heavy


# --- per-document metrics ---------------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere() -> None:
    assert_perfect(score(make_pred()))


def test_order_of_items_and_aliases_does_not_matter() -> None:
    pred = make_pred()
    for kind in ("parties", "articles", "conditions"):
        pred[kind] = list(reversed(pred[kind]))
    pred["parties"][0]["aliases"] = list(reversed(pred["parties"][0]["aliases"]))
    assert_perfect(score(pred))


def test_one_item_for_two_gold_terms_gives_half_recall() -> None:
    pred = make_pred()
    pred["articles"] = [
        {
            "number": "1",
            "text": "Handing over heavy and medium weapons",
            "categories": ["disarmament"],
            "evidence": [pred_evidence(HEAVY), pred_evidence(MEDIUM)],
        }
    ]
    gold = make_gold()
    gold["articles"] = gold["articles"][:2]
    result = score(pred, gold)
    assert result.articles.tp == 1
    assert result.articles.fn == 1
    assert result.articles.precision == 1.0
    assert result.articles.recall == 0.5


def test_party_found_by_alias_is_matched() -> None:
    pred = make_pred()
    pred["parties"][0] = {**pred["parties"][0], "name": "Damascus", "aliases": []}
    result = score(pred)
    assert result.parties.tp == 3
    assert (0, 0) in [pair[:2] for pair in result.parties.pairs]


def test_party_names_match_across_diacritics_and_leading_article() -> None:
    assert name_similarity("Ahmad al-Hasan", "Aḥmad al-Ḥasan") == 1.0
    assert name_similarity("The Syrian government", "Syrian government") == 1.0
    assert name_similarity("Ahmed al-Awdeh", "Ahmad al-Awdeh") >= PARTY_THRESHOLD
    assert name_similarity("Russia", "Russian army") < PARTY_THRESHOLD


def test_wrong_stance_lowers_stance_accuracy() -> None:
    pred = make_pred()
    pred["parties"][2]["stance"] = "accepts"
    result = score(pred)
    assert result.parties.f1 == 1.0
    assert result.stance_accuracy == pytest.approx(2 / 3)
    assert result.stance_confusion["rejects"] == {"accepts": 1}


def test_proposer_named_by_gold_alias_counts_correct() -> None:
    pred = make_pred()
    pred["conditions"][0]["proposed_by"] = "Damascus"
    assert score(pred).proposer_accuracy == 1.0


def test_wrong_or_missing_proposer_counts_wrong() -> None:
    pred = make_pred()
    pred["conditions"][0]["proposed_by"] = "Russia"
    assert score(pred).proposer_accuracy == 0.0
    pred["conditions"][0]["proposed_by"] = None
    assert score(pred).proposer_accuracy == 0.0


def test_proposer_accuracy_is_none_without_matched_conditions() -> None:
    pred = make_pred()
    pred["conditions"] = []
    assert score(pred).proposer_accuracy is None


def test_bad_offsets_lower_grounded_share() -> None:
    pred = make_pred()
    shifted = pred["articles"][0]["evidence"][0]
    shifted["start"] += 40
    shifted["end"] += 40
    out_of_range = pred["articles"][1]["evidence"][0]
    out_of_range["end"] = len(SOURCE) + 5
    pred["articles"][2]["evidence"][0].update(start=True, end=10)
    result = score(pred)
    total = 7  # three parties, three articles, one condition, one quote each
    assert result.evidence_total == total
    assert result.evidence_grounded == total - 3
    assert result.grounded_share == pytest.approx((total - 3) / total)
    # Offsets are only one way to find evidence: the quotes still locate the right passages.
    assert result.articles.tp == 3


def test_grounding_tolerates_whitespace_differences() -> None:
    pred = make_pred()
    pred["articles"][0]["evidence"][0]["quote"] = "handing  over heavy\nweapons as of Sunday"
    assert score(pred).grounded_share == 1.0


def test_grounded_share_is_none_without_evidence() -> None:
    pred = make_pred()
    for kind in ("parties", "articles", "conditions"):
        for item in pred[kind]:
            item["evidence"] = []
    assert score(pred).grounded_share is None


@pytest.mark.parametrize(
    ("gold_date", "pred_date", "fabricated"),
    [
        (None, "2018-07-01", True),
        ("2018-07-01", "2018-07", False),
        ("2018-07", "2018-07-01", False),
        ("2018-07-01", "2018-08", True),
        ("2018-07-01", None, False),
        (None, None, False),
    ],
)
def test_date_fabrication(gold_date: str | None, pred_date: str | None, fabricated: bool) -> None:
    gold = make_gold()
    gold["agreement"]["date"] = gold_date
    pred = make_pred()
    pred["agreement"]["date"] = pred_date
    result = score(pred, gold)
    assert result.date_fabricated is fabricated
    assert result.agreement_fields["date"] is (gold_date == pred_date)


def test_agreement_fields_compare_exactly() -> None:
    pred = make_pred()
    pred["agreement"]["stage"] = "negotiation"
    assert score(pred).agreement_fields == {"date": True, "status": True, "stage": False}


def test_must_not_appear_items_are_counted_as_leaks() -> None:
    pred = make_pred()
    pred["articles"].append(
        {"number": "4", "text": "“Evacuation” of fighters to Idlib", "evidence": []}
    )
    pred["parties"].append(
        {"name": "the Jordan", "aliases": [], "stance": "unclear", "evidence": []}
    )
    result = score(pred)
    assert result.leaks == 2
    assert result.leaked == ("article: Evacuation of fighters to Idlib", "party: Jordan")
    assert result.false_alarms == {"articles": 1, "conditions": 0, "parties": 1}


def test_unrelated_article_is_not_a_leak() -> None:
    pred = make_pred()
    pred["articles"].append(
        {"number": "4", "text": "Release of detainees", "categories": [], "evidence": []}
    )
    assert score(pred).leaks == 0


def test_empty_gold_and_empty_prediction_are_perfect() -> None:
    gold = make_gold()
    pred = make_pred()
    for kind in ("articles", "conditions"):
        gold[kind] = []
        pred[kind] = []
    result = score(pred, gold)
    assert (result.articles.precision, result.articles.recall, result.articles.f1) == (1, 1, 1)
    assert result.conditions.f1 == 1.0


def test_empty_gold_with_predictions_has_zero_precision() -> None:
    gold = make_gold()
    gold["conditions"] = []
    result = score(make_pred(), gold)
    assert (result.conditions.precision, result.conditions.recall) == (0.0, 1.0)
    assert result.conditions.f1 == 0.0
    assert result.conditions.fp == 1


def test_gold_with_empty_prediction_has_zero_recall() -> None:
    pred = make_pred()
    pred["articles"] = []
    result = score(pred)
    assert (result.articles.precision, result.articles.recall, result.articles.f1) == (1, 0, 0)
    assert result.articles.fn == 3


# --- aggregation -------------------------------------------------------------------------


def test_aggregate_macro_averages_over_documents() -> None:
    perfect = score(make_pred())
    weak_pred = make_pred()
    weak_pred["articles"] = weak_pred["articles"][:1]  # recall 1/3
    weak_pred["parties"][2]["stance"] = "accepts"  # stance accuracy 2/3
    weak_pred["agreement"]["date"] = "2019"  # wrong and fabricated
    weak_pred["conditions"] = []  # proposer accuracy None, skipped by the mean
    weak = score(weak_pred)

    macro = aggregate([perfect, weak])

    assert macro.documents == 2
    assert macro.articles.recall == pytest.approx((1 + 1 / 3) / 2)
    assert macro.articles.precision == 1.0
    assert (macro.articles.tp, macro.articles.fp, macro.articles.fn) == (4, 0, 2)
    assert macro.stance_accuracy == pytest.approx((1 + 2 / 3) / 2)
    assert macro.proposer_accuracy == 1.0
    assert macro.agreement_field_accuracy == {"date": 0.5, "status": 1.0, "stage": 1.0}
    assert macro.fabricated_dates == 1
    assert macro.leaks == 0
    # Micro over both documents: gold "accepts" 2x, predicted "accepts" 3x (one was "rejects").
    accepts = macro.per_stance["accepts"]
    assert accepts.precision == pytest.approx(2 / 3)
    assert (accepts.recall, accepts.support) == (1.0, 2)
    rejects = macro.per_stance["rejects"]
    assert (rejects.precision, rejects.recall) == (1.0, 0.5)
    assert rejects.f1 == pytest.approx(2 / 3)


def test_aggregate_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        aggregate([])


def test_reports_are_json_serialisable() -> None:
    pred = make_pred()
    pred["parties"][2]["stance"] = "withdrew"
    document = score(pred)
    report = json.loads(json.dumps(aggregate([document]).to_dict(), ensure_ascii=False))
    assert report["per_stance"]["rejects"]["recall"] == 0.0
    single = json.loads(json.dumps(document.to_dict(), ensure_ascii=False))
    assert single["stance_confusion"]["rejects"] == {"withdrew": 1}
    assert single["articles"]["f1"] == 1.0
