"""Which sentences get a demand question of their own."""

from __future__ import annotations

from summarizer.extract.rules.conditions import demand_sentences
from summarizer.text.segment import split_sentences

TEXT = (
    "The council had asked the militia to leave the market. "
    "The families asked for the detainees to be freed. "
    "“It is a start,” said a trader who asked not to be named. "
    "When asked about the talks, the governor smiled. "
    "The militia demanded a new road."
)


def test_asking_for_something_or_asking_a_side_to_act_is_a_demand_asked_not_to_be_named_is_not():
    asked = demand_sentences(split_sentences(TEXT), covered=[], limit=10)
    assert [s.text.split()[1] for s in asked] == ["council", "families", "militia"]


def test_sentences_a_condition_already_covers_are_not_asked_again():
    sentences = split_sentences(TEXT)
    first = sentences[0]
    asked = demand_sentences(sentences, covered=[(first.start, first.end)], limit=10)
    assert first not in asked
    assert len(asked) == 2
