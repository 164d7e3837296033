"""The pipeline's named steps: one ordered list, switchable rules that really switch."""

from __future__ import annotations

import pytest
from fakes import SEED_CONDITIONS, FakeChatServer, fake_provider

from summarizer import ConfigurationError, Summarizer
from summarizer.config import Settings
from summarizer.extract.run import STEPS, SWITCHABLE

NUMBERED = (
    "The two sides signed the accord in the town on 3 May 2021. Article 1 declares a "
    "ceasefire across the valley. Article 2 obliges the brigade to hand over its heavy "
    "weapons. Article 3 provides for the return of displaced families, the reopening of the "
    "road to the market, and the release of all detainees held since March."
)


def _record(text: str, terms: list[str], disabled: frozenset[str] = frozenset()):
    server = FakeChatServer(
        {
            **FakeChatServer().answers,
            "ArticlesDraft": {"terms": [{"quote": q} for q in terms]},
            "ConditionsDraft": {**SEED_CONDITIONS, "conditions": []},
        }
    )
    settings = Settings(disabled_steps=disabled)
    return Summarizer(settings, provider=fake_provider(server, settings=settings)).summarize(text)


def test_step_names_are_unique_and_the_contract_steps_cannot_be_switched_off():
    names = [s.name for s in STEPS]
    assert len(names) == len(set(names))
    for always in ("ground_terms", "ground_conditions", "build_articles", "closed_proposers"):
        assert always not in SWITCHABLE
    assert all(s.summary for s in STEPS)


def test_numbered_provisions_are_taken_whole_unless_the_rule_is_off():
    quote = "the return of displaced families"
    on = _record(NUMBERED, [quote])
    assert [a.number for a in on.articles] == ["1", "2", "3"]
    assert all(a.evidence[0].origin == "rule" for a in on.articles)
    off = _record(NUMBERED, [quote], frozenset({"numbered_terms"}))
    assert [a.text for a in off.articles] == [quote]
    assert off.articles[0].evidence[0].origin == "model"
    assert off.provenance.disabled_steps == ["numbered_terms"]


def test_an_unknown_or_contract_step_cannot_be_switched_off():
    with pytest.raises(ConfigurationError, match="ground_terms"):
        _record(NUMBERED, [], frozenset({"ground_terms"}))


def test_a_long_report_gets_longer_lists_and_a_short_one_the_fixed_caps():
    short = NUMBERED
    long = (NUMBERED + " ") * 40  # well over 1,200 words
    caps = []
    for text in (short, long):
        server = FakeChatServer({**FakeChatServer().answers, "ArticlesDraft": {"terms": []}})
        Summarizer(provider=fake_provider(server, context_tokens=32768)).summarize(text)
        request = next(r for r in server.requests if "ArticlesDraft" in str(r["response_format"]))
        caps.append(
            request["response_format"]["json_schema"]["schema"]["properties"]["terms"]["maxItems"]
        )
    assert caps == [16, 24]
