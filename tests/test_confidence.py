"""Confidence: token probabilities of a constrained choice, the verification statements, the
calibration, dropping unsure items, and the figures the eval reports on them."""

from __future__ import annotations

import math
from typing import Any

import pytest
from fakes import SEED, FakeChatServer, completion, fake_provider, schema_name

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.evaluation.confidence import (
    Labelled,
    auroc,
    confidence_metrics,
    expected_calibration_error,
    fit_platt,
    precision_kept,
)
from summarizer.extract.model.verify import (
    MAX_STATEMENTS,
    answer_model,
    batches,
    statements_of,
)
from summarizer.extract.rules.confidence import (
    RAW,
    Calibration,
    Platt,
    Scored,
    calibration_from_json,
    keep_sure,
    shipped_calibration,
    with_confidence,
)
from summarizer.providers.logprobs import TokenChoice, choice_probabilities
from summarizer.providers.replay import CallCache
from summarizer.record.schema import (
    Agreement,
    Article,
    Condition,
    Evidence,
    Party,
    SummaryResult,
)


def _tok(text: str, *alternatives: tuple[str, float]) -> TokenChoice:
    top = alternatives or ((text, 0.0),)
    return TokenChoice(token=text, logprob=top[0][1], top=tuple(top))


def _answer(*values: tuple[str, float, float]) -> list[TokenChoice]:
    """Tokens of '{"1": "yes", ...}' as llama.cpp lists them, with P(yes) and P(no) given."""
    tokens = [_tok("```"), _tok("json"), _tok("\n"), _tok("{\n")]
    for n, (chosen, p_yes, p_no) in enumerate(values, start=1):
        tokens += [_tok(" "), _tok(' "'), _tok(str(n)), _tok('":'), _tok(' "')]
        alts = sorted(
            [("yes", math.log(p_yes)), ("no", math.log(p_no)), ("Yes", math.log(0.01))],
            key=lambda t: -t[1],
        )
        tokens.append(
            TokenChoice(chosen, dict(alts)[chosen], tuple(alts)),
        )
        tokens.append(_tok('",\n'))
    return [*tokens, _tok("}\n"), _tok("```")]


# --- token probabilities ---------------------------------------------------------------------


def test_the_probability_of_each_option_is_read_where_the_choice_is_made():
    tokens = _answer(("no", 0.2, 0.7), ("yes", 0.9, 0.05))
    found = choice_probabilities(tokens, {"1": ["yes", "no"], "2": ["yes", "no"]})
    # "Yes" (0.01) counts for "yes": the grammar forbids the capital, the model meant yes.
    assert found["1"]["yes"] == pytest.approx(0.21 / 0.91)
    assert found["2"]["yes"] == pytest.approx(0.91 / 0.96)
    assert sum(found["1"].values()) == pytest.approx(1.0)


def test_a_token_that_carries_the_quote_and_the_value_is_read_after_the_quote():
    tokens = [
        _tok("{"),
        _tok('"1'),
        _tok('":'),
        TokenChoice(' "no', math.log(0.6), ((' "no', math.log(0.6)), (' "yes', math.log(0.3)))),
        _tok('"}'),
    ]
    found = choice_probabilities(tokens, {"1": ["yes", "no"]})
    assert found["1"]["no"] == pytest.approx(0.6 / 0.9)


def test_an_option_outside_the_listed_alternatives_weighs_at_most_the_smallest_listed():
    tokens = [
        _tok('{"1": "'),
        TokenChoice("yes", math.log(0.9), (("yes", math.log(0.9)), ("maybe", math.log(0.05)))),
        _tok('"}'),
    ]
    found = choice_probabilities(tokens, {"1": ["yes", "no"]})
    assert found["1"]["no"] == pytest.approx(0.05 / 0.95)


def test_a_field_that_is_not_in_the_answer_is_left_out_not_guessed():
    tokens = _answer(("yes", 0.9, 0.05))
    assert set(choice_probabilities(tokens, {"1": ["yes", "no"], "7": ["yes", "no"]})) == {"1"}


def test_a_prefix_shared_by_two_options_is_shared_between_them():
    tokens = [
        _tok('{"role": "'),
        TokenChoice("sign", math.log(0.8), (("sign", math.log(0.8)), ("med", math.log(0.2)))),
        _tok('ed"}'),
    ]
    found = choice_probabilities(tokens, {"role": ["signed", "signatory", "mediator"]})
    assert found["role"]["signed"] == pytest.approx(found["role"]["signatory"])
    assert found["role"]["mediator"] == pytest.approx(0.2)


# --- statements ------------------------------------------------------------------------------


def _ev(start: int) -> list[Evidence]:
    return [Evidence(quote="x", start=start, end=start + 1, alignment="exact")]


AGREEMENT = Agreement(status="signed", date="2019-07-14")
PARTIES = [
    Party(
        name="Northern Front",
        role="signatory",
        actor_type="rebel",
        stance="rejects",
        evidence=_ev(40),
    )
]
ARTICLES = [Article(text='a "truce" from Monday', categories=["ceasefire"], evidence=_ev(10))]
CONDITIONS = [
    Condition(
        text="prisoners freed", proposed_by="Northern Front", outcome="pending", evidence=_ev(5)
    ),
    Condition(text="roads opened", proposed_by=None, outcome="pending", evidence=_ev(7)),
]


def test_every_item_with_a_confidence_field_is_restated_once_in_a_stable_order():
    statements = statements_of(AGREEMENT, PARTIES, ARTICLES, CONDITIONS)
    kinds = [(s.kind, s.index) for s in statements]
    assert kinds == [
        ("article", 0),
        ("condition", 0),
        ("proposer", 0),
        ("condition", 1),
        ("party", 0),
        ("role", 0),
        ("stance", 0),
        ("status", 0),
        ("date", 0),
    ]
    texts = {(s.kind, s.index): s.text for s in statements}
    # The item's own words, with its quote marks made harmless; the closed sets in words.
    assert "a 'truce' from Monday" in texts[("article", 0)]
    assert "rejects" in texts[("stance", 0)]
    assert "14 July 2019" in texts[("date", 0)]
    assert statements[0].at == 10


def test_an_empty_record_asks_nothing():
    assert statements_of(Agreement(), [], [], []) == []


def test_statements_are_cut_into_calls_that_fit_the_context():
    texts = ["x" * 300] * 10
    assert batches(texts, None) == [list(range(10))]
    cut = batches(texts, room=300)
    assert [i for b in cut for i in b] == list(range(10))
    assert all(1 <= len(b) < 10 for b in cut)
    many = batches(["s"] * (MAX_STATEMENTS + 1), None)
    assert [len(b) for b in many] == [MAX_STATEMENTS, 1]
    # A statement longer than the room is still asked, alone.
    assert batches(["x" * 3000], room=10) == [[0]]


def test_the_answer_schema_allows_yes_or_no_for_each_numbered_statement_only():
    schema = answer_model(3).model_json_schema()
    assert list(schema["properties"]) == ["1", "2", "3"]
    assert all(p["enum"] == ["yes", "no"] for p in schema["properties"].values())
    assert schema["required"] == ["1", "2", "3"]
    assert schema["additionalProperties"] is False


# --- calibration and keeping ----------------------------------------------------------------


def test_platt_scaling_is_monotone_and_raw_when_unfitted():
    assert RAW("article", 0.37) == 0.37
    assert RAW("article", None) is None
    sharp = Platt(a=2.0, b=0.5)
    values = [sharp(p) for p in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert values == sorted(values)
    assert sharp(1.0) < 1.0 and sharp(0.0) > 0.0  # clipped: never a certainty


def test_a_calibration_round_trips_and_a_broken_one_is_refused():
    calibration = Calibration(
        kinds={"article": Platt(1.5, -0.2)}, min_confidence=0.3, fitted_on="x"
    )
    assert calibration_from_json(calibration.as_json()) == calibration
    with pytest.raises(ValueError, match="not a calibration"):
        calibration_from_json({"kinds": {"article": {"a": "?"}}})
    assert isinstance(shipped_calibration(), Calibration)


def _scored(raw: dict[tuple[str, int], float | None]) -> Scored:
    return with_confidence(AGREEMENT, PARTIES, ARTICLES, CONDITIONS, raw, RAW)


def test_each_item_gets_the_calibrated_probability_of_its_own_statement():
    scored = _scored(
        {("article", 0): 0.9, ("party", 0): 0.2, ("stance", 0): 0.6, ("condition", 1): 0.4}
    )
    assert scored.articles[0].confidence == 0.9
    assert scored.parties[0].confidence == 0.2
    assert scored.parties[0].stance_confidence == 0.6
    assert scored.parties[0].role_confidence is None  # no probability: no number
    assert scored.conditions[1].confidence == 0.4
    assert scored.agreement.status_confidence is None


def test_unsure_items_are_dropped_and_unmeasured_ones_kept():
    scored = _scored({("article", 0): 0.9, ("party", 0): 0.2, ("condition", 0): 0.3})
    kept, dropped = keep_sure(scored, 0.5)
    assert dropped == 2  # the party and the first condition
    assert [a.text for a in kept.articles] == [ARTICLES[0].text]
    assert kept.parties == []
    assert [c.text for c in kept.conditions] == ["roads opened"]  # no confidence: kept
    everything, none = keep_sure(scored, 0.0)
    assert none == 0 and len(everything.conditions) == 2


def test_a_condition_whose_proposer_was_dropped_keeps_no_proposer():
    scored = _scored({("party", 0): 0.1, ("condition", 0): 0.9, ("proposer", 0): 0.9})
    kept, _ = keep_sure(scored, 0.5)
    assert kept.conditions[0].proposed_by is None
    assert kept.conditions[0].proposer_confidence is None


# --- the eval's figures -----------------------------------------------------------------------


def _items(pairs: list[tuple[float, bool]], kind: str = "article") -> list[Labelled]:
    return [Labelled(kind, c, r) for c, r in pairs]


def test_auroc_ranks_right_items_above_wrong_ones():
    assert auroc(_items([(0.9, True), (0.8, True), (0.2, False)])) == 1.0
    assert auroc(_items([(0.1, True), (0.9, False)])) == 0.0
    assert auroc(_items([(0.5, True), (0.5, False)])) == 0.5
    assert auroc(_items([(0.5, True)])) is None


def test_calibration_error_is_the_gap_between_confidence_and_share_right():
    assert expected_calibration_error(_items([(0.95, True)] * 10)) == pytest.approx(0.05)
    half = _items([(0.55, True), (0.55, False)])
    assert expected_calibration_error(half) == pytest.approx(0.05)
    assert expected_calibration_error([]) is None


def test_precision_at_eighty_percent_keeps_the_most_confident():
    items = _items([(0.9, True)] * 8 + [(0.1, False)] * 2)
    assert precision_kept(items) == 1.0
    assert precision_kept(_items([(0.1, True)] * 8 + [(0.9, False)] * 2)) == pytest.approx(6 / 8)


def test_metrics_are_given_per_kind_and_over_all():
    metrics = confidence_metrics(
        _items([(0.9, True), (0.2, False)]) + _items([(0.7, True)], "stance")
    )
    assert metrics["confidence_article_items"] == 2
    assert metrics["confidence_article_auroc"] == 1.0
    assert metrics["confidence_stance_auroc"] is None
    assert metrics["confidence_all_items"] == 3
    assert metrics["confidence_date_items"] == 0


def test_platt_fit_makes_overconfident_probabilities_honest():
    # Raw 0.9 right only half the time, raw 0.1 never right: the fit must pull 0.9 down.
    items = _items([(0.9, True)] * 20 + [(0.9, False)] * 20 + [(0.1, False)] * 40)
    fitted = fit_platt(items)
    assert 0.4 < fitted(0.9) < 0.6
    assert fitted(0.1) < 0.1
    assert fit_platt([]) == Platt()


# --- through the provider and the pipeline ----------------------------------------------------


def _summarize(server: FakeChatServer, **settings: object) -> SummaryResult:
    chosen = Settings(provider="embedded", **settings)  # type: ignore[arg-type]
    return Summarizer(chosen, provider=fake_provider(server, settings=chosen)).summarize(
        SEED.read_text(encoding="utf-8")
    )


def test_every_item_of_a_record_gets_a_confidence_from_the_verification_answer():
    server = FakeChatServer(verify_yes=0.8)
    record = _summarize(server, calibrated=False, min_confidence=0.0)
    verify = [r for r in server.requests if schema_name(r).startswith("Verification")]
    assert len(verify) == 1 and verify[0]["logprobs"] is True
    items = [*record.parties, *record.articles, *record.conditions]
    assert items
    # Raw: P("yes") renormalised over yes and no, with "Yes" counted for yes.
    assert all(i.confidence == pytest.approx(0.81, abs=1e-3) for i in items)
    assert record.agreement.status_confidence is not None
    assert all(p.stance_confidence is not None for p in record.parties)
    assert "verification question" in (record.provenance.confidence or "")


def test_items_the_model_doubts_are_dropped_at_the_threshold_and_kept_at_zero():
    doubted = _summarize(FakeChatServer(verify_yes=0.3), calibrated=False, min_confidence=0.5)
    assert not (doubted.parties or doubted.articles or doubted.conditions)
    assert "dropped (" in (doubted.provenance.confidence or "")
    kept = _summarize(FakeChatServer(verify_yes=0.3), calibrated=False, min_confidence=0.0)
    assert kept.articles and kept.parties


def test_a_server_without_token_probabilities_gives_null_confidence_and_says_why():
    record = _summarize(FakeChatServer(logprobs=False), min_confidence=0.9)
    items = [*record.parties, *record.articles, *record.conditions]
    assert items and all(i.confidence is None for i in items)  # nothing dropped for it either
    assert any("no token probabilities" in w for w in record.provenance.warnings)


def test_verification_can_be_switched_off():
    server = FakeChatServer()
    record = _summarize(server, disabled_steps=frozenset({"verify"}))
    assert not any(schema_name(r).startswith("Verification") for r in server.requests)
    assert all(a.confidence is None for a in record.articles)
    assert "switched off" in (record.provenance.confidence or "")


def test_recorded_answers_replay_their_probabilities(tmp_path):
    server = FakeChatServer(verify_yes=0.7)
    chosen = Settings(provider="embedded", calibrated=False, min_confidence=0.0)
    provider = fake_provider(server, settings=chosen)
    provider.cache = CallCache(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    first = Summarizer(chosen, provider=provider).summarize(text)
    asked = len(server.requests)
    again = Summarizer(chosen, provider=provider).summarize(text)
    assert len(server.requests) == asked  # every call replayed
    assert [a.confidence for a in again.articles] == [a.confidence for a in first.articles]
    assert first.articles[0].confidence is not None


def test_old_records_without_confidence_still_load():
    record = _summarize(FakeChatServer(), disabled_steps=frozenset({"verify"}))
    data = record.model_dump(mode="json")
    data["schema_version"] = "1.1"
    for party in data["parties"]:
        for key in ("confidence", "role_confidence", "stance_confidence"):
            party.pop(key)
    assert SummaryResult.model_validate(data).parties[0].confidence is None


def test_a_verification_answer_that_never_validates_costs_only_the_confidence():
    def broken(request: dict[str, object]) -> dict[str, object]:
        return completion("not json at all")

    server = FakeChatServer()
    server.answers = {**server.answers, **{f"Verification{n}": broken for n in range(1, 61)}}
    record = _summarize(server, min_confidence=0.9)
    assert record.articles and all(a.confidence is None for a in record.articles)
    assert any("no valid answer" in w for w in record.provenance.warnings)


def test_a_server_that_refuses_the_verification_request_costs_only_the_confidence():
    class NoLogprobs(FakeChatServer):
        def handle_chat_completions(self, request: dict[str, Any]) -> dict[str, Any]:
            if request.get("logprobs"):
                self.requests.append(request)
                return {"error": {"code": 400, "message": "logprobs are not supported"}}
            return super().handle_chat_completions(request)

    record = _summarize(NoLogprobs(), min_confidence=0.9)
    assert record.articles and all(a.confidence is None for a in record.articles)
    assert any("refused" in w for w in record.provenance.warnings)


def test_a_broken_shipped_calibration_is_a_configuration_error(monkeypatch, tmp_path):
    from summarizer import ConfigurationError
    from summarizer.extract.rules import confidence

    broken = tmp_path / "calibration.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(confidence.resources, "files", lambda _: tmp_path)
    with pytest.raises(ConfigurationError, match="calibration is unreadable"):
        shipped_calibration()
