"""Who put a condition forward: always a party of the record where the text says which."""

from __future__ import annotations

from summarizer.extract.rules.proposers import proposer_of
from summarizer.record.schema import Evidence, Party
from summarizer.text.segment import split_sentences

TEXT = (
    "The Salween Hills Democratic Army signed the deal with the government. "
    "The group had demanded the withdrawal of a battalion from the ridge. "
    "Liwa Ahl al-Ard would honour every article as long as the army frees its detainees. "
    "Meanwhile, opposition leaders are trying to secure guarantees from the government."
)
BOUNDS = [(s.start, s.end) for s in split_sentences(TEXT)]


def _party(name: str, *aliases: str) -> Party:
    evidence = Evidence(quote=TEXT[:3], start=0, end=3, alignment="exact")
    return Party(
        name=name,
        aliases=list(aliases),
        role="signatory",
        actor_type="rebel",
        stance="accepts",
        evidence=[evidence],
    )


PARTIES = [
    _party("Salween Hills Democratic Army (SHDA)", "Salween Hills Democratic Army"),
    _party("Myanmar government", "the government", "the army"),
    _party("Liwa Ahl al-Ard brigade", "Liwa Ahl al-Ard"),
]


def _span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def test_the_models_name_for_a_party_becomes_the_partys_name() -> None:
    span = _span("the withdrawal of a battalion from the ridge")
    assert proposer_of("SHDA", span, PARTIES, TEXT, BOUNDS) == PARTIES[0].name


def test_a_pronoun_subject_is_the_subject_of_the_sentence_before() -> None:
    span = _span("the withdrawal of a battalion from the ridge")
    # the sentence before names the government too, after its subject
    assert proposer_of("the group", span, PARTIES, TEXT, BOUNDS) == PARTIES[0].name


def test_the_subject_before_the_demand_wins_over_a_party_inside_it() -> None:
    span = _span(
        "Liwa Ahl al-Ard would honour every article as long as the army frees its detainees"
    )
    assert proposer_of("its office", span, PARTIES, TEXT, BOUNDS) == "Liwa Ahl al-Ard brigade"


def test_words_naming_no_party_give_no_proposer_never_free_text() -> None:
    span = _span("guarantees from the government")
    assert proposer_of("opposition leaders", span, PARTIES, TEXT, BOUNDS) is None
    assert proposer_of("", span, PARTIES, TEXT, BOUNDS) is None
