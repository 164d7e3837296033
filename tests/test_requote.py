"""A pass asked again when it wrote its quotes in its own words (a translation, a
paraphrase). Every text here is invented."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import FakeChatServer, fake_provider, schema_name

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.errors import ConfigurationError
from summarizer.extract.model.prompt import PromptTemplate, load_prompt
from summarizer.extract.rules.requote import wrote_own_words
from summarizer.text.segment import split_sentences

# A French report of four sentences: the signing, two terms, then background.
TEXT = (
    "Les deux camps ont signé mardi un accord de cessez-le-feu à Goma. "
    "Les combattants quitteront la ville dans un délai de dix jours. "
    "Une commission mixte surveillera le retrait. "
    "Les combats avaient fait des centaines de morts depuis janvier."
)
SENTENCES = split_sentences(TEXT)
# What a model that translates writes instead of the report's words.
ENGLISH = [
    "fighters will leave the city within ten days",
    "a joint commission will monitor the withdrawal",
    "fighters will leave the city within ten days",
]
FRENCH = [
    "Les combattants quitteront la ville dans un délai de dix jours",
    "Une commission mixte surveillera le retrait",
    "the parties will hold elections",
]
NOTE = "The report is in French"


def _asked_again(request: dict[str, Any]) -> bool:
    return NOTE in request["messages"][-1]["content"]


def _fields(conditions: list[dict[str, str]], name: str | None = None) -> dict[str, Any]:
    return {
        "conditions": conditions,
        "name": name,
        "date": None,
        "location": None,
        "status": "signed",
        "stage": "ceasefire",
        "agreement_type": "intrastate",
    }


def _server(first: list[str], again: list[str]) -> FakeChatServer:
    def terms(request: dict[str, Any]) -> dict[str, Any]:
        quotes = again if _asked_again(request) else first
        return {"terms": [{"quote": q} for q in quotes]}

    return FakeChatServer(
        answers={
            "ArticlesDraft": terms,
            "ConditionsDraft": _fields([]),
            "ActorsDraft": {"parties": []},
            "DissentDraft": {"actor": None, "actor_type": "other"},
            "DemandDraft": {"demand": None, "by": "", "outcome": "unclear"},
            "StanceDraft": {"sentence": 1, "stance": "accepts"},
        }
    )


def _summarize(server: FakeChatServer, settings: Settings | None = None) -> Any:
    settings = settings or Settings()
    with Summarizer(settings, provider=fake_provider(server, settings=settings)) as s:
        return s.summarize(TEXT)


def _requests(server: FakeChatServer, name: str) -> list[dict[str, Any]]:
    return [r for r in server.requests if schema_name(r) == name]


def test_a_pass_is_asked_again_only_when_most_of_its_quotes_are_not_in_the_text():
    assert wrote_own_words(found=0, unfound=2)
    assert wrote_own_words(found=2, unfound=3)
    assert not wrote_own_words(found=0, unfound=1), "one slip is not the model's own words"
    assert not wrote_own_words(found=3, unfound=3)
    assert not wrote_own_words(found=5, unfound=0)


def test_translated_terms_are_asked_again_in_the_reports_language():
    server = _server(ENGLISH, FRENCH)
    record = _summarize(server)
    assert [a.text for a in record.articles] == [SENTENCES[1].text[:-1], SENTENCES[2].text[:-1]]
    for article in record.articles:
        ev = article.evidence[0]
        assert TEXT[ev.start : ev.end] == ev.quote
    first, again = _requests(server, "ArticlesDraft")
    assert not _asked_again(first)
    # The same request with the note after the instructions: the report is read once.
    assert again["messages"][0] == first["messages"][0]
    assert again["messages"][-1]["content"].startswith(first["messages"][-1]["content"])
    assert "never translate" in again["messages"][-1]["content"]
    assert "fighters will leave" not in again["messages"][-1]["content"]
    # Only the second answer's miss counts as dropped: the first answer's were replaced.
    assert record.provenance.dropped_items == 1
    assert "requote" in [p.id for p in record.provenance.prompts]


def test_copied_quotes_are_not_asked_again():
    server = _server(FRENCH[:2], ENGLISH)
    record = _summarize(server)
    assert len(_requests(server, "ArticlesDraft")) == 1
    assert len(record.articles) == 2
    assert "requote" not in [p.id for p in record.provenance.prompts]


def test_switched_off_the_translated_terms_stay_dropped():
    server = _server(ENGLISH, FRENCH)
    record = _summarize(server, Settings(disabled_steps=frozenset({"requote_terms"})))
    assert len(_requests(server, "ArticlesDraft")) == 1
    assert not record.articles
    assert record.provenance.dropped_items == 3


def test_translated_demands_are_asked_again_and_the_fields_keep_the_first_answer():
    english = [
        {"quote": "the fighters demand an amnesty", "by": "", "outcome": "pending"},
        {"quote": "a commission must watch the withdrawal", "by": "", "outcome": "accepted"},
    ]
    french = [
        {"quote": "Une commission mixte surveillera le retrait", "by": "", "outcome": "accepted"}
    ]

    def conditions(request: dict[str, Any]) -> dict[str, Any]:
        if _asked_again(request):
            return _fields(french, name="Goma")
        return _fields(english, name="accord de cessez-le-feu")

    server = _server(FRENCH[:2], [])
    server.answers["ConditionsDraft"] = conditions
    record = _summarize(server)
    assert len(_requests(server, "ConditionsDraft")) == 2
    assert [(c.text, c.outcome) for c in record.conditions] == [
        ("Une commission mixte surveillera le retrait", "accepted")
    ]
    assert record.agreement.name == "accord de cessez-le-feu"


def test_a_note_renders_alone_and_a_whole_prompt_is_no_note():
    note = load_prompt("requote").render_note(language="Russian")
    assert "in Russian" in note and "===" not in note
    whole = PromptTemplate("x", "1", "System.\n=== user ===\nUser.")
    with pytest.raises(ConfigurationError):
        whole.render_note()
