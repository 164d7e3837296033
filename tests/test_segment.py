from __future__ import annotations

from summarizer.text.segment import mentions, sentences_naming, split_sentences

TEXT = (
    "Gen. Ivanov met the delegation in Busra. Zoubi rejected the offer, saying: \u201cNo.\u201d "
    "The civilian half of the opposition\u2019s delegation said they withdrew.\nRussia is the "
    "guarantor."
)


def test_sentences_carry_exact_offsets():
    sentences = split_sentences(TEXT)
    assert [s.text[:12] for s in sentences] == [
        "Gen. Ivanov ",
        "Zoubi reject",
        "The civilian",
        "Russia is th",
    ]
    for s in sentences:
        assert TEXT[s.start : s.end] == s.text


def test_mentions_by_full_name_distinctive_word_or_most_words():
    assert mentions("Zoubi rejected the offer", ["Bashar al-Zoubi"]) == 1
    assert mentions("Bashar al-Zoubi spoke", ["Bashar al-Zoubi"]) == 2
    assert mentions("Russian army agreed", ["Russia"]) == 1
    assert (
        mentions("the civilian half of the delegation withdrew", ["civilian opposition delegation"])
        == 1
    )
    assert mentions("the government met", ["civilian opposition delegation"]) == 0


def test_sentences_naming_prefers_full_names_and_keeps_order():
    sentences = split_sentences(TEXT)
    chosen = sentences_naming(sentences, ["Zoubi"], limit=3)
    assert [s.text[:5] for s in chosen] == ["Zoubi"]
    assert sentences_naming(sentences, ["Nobody Atall"], limit=3) == []
