from __future__ import annotations

from collections.abc import Callable

import pytest

from summarizer.extract.rules.derive import (
    article_number,
    categories_for,
    demand_clause,
    join_touching,
    numbered_terms,
    reads_as_demand,
)
from summarizer.text.segment import split_sentences
from summarizer.text.spans import split_across_sentences


def test_article_numbers_come_from_the_text():
    src = "The accord says:\nArticle 3: fighters leave the town.\n4. Roads reopen."
    q = "fighters leave the town"
    assert article_number(src, src.index(q), src.index(q) + len(q)) == "3"
    q2 = "Roads reopen"
    assert article_number(src, src.index(q2), src.index(q2) + len(q2)) == "4"
    plain = "The deal includes a prisoner swap."
    assert article_number(plain, 18, 33) is None


def test_categories_from_keywords():
    assert "weapons_handover" in categories_for("handing over heavy weapons")
    assert "prisoner_release" in categories_for("the release of 40 detainees")
    assert categories_for("the municipal council resumes work") == ["state_institutions"]
    assert categories_for("something else entirely") == ["other"]


def test_numbers_from_an_earlier_sentence_are_not_article_numbers():
    src = "The deal was signed on March 15. The talks ended and they agreed: fighters leave."
    q = "fighters leave"
    assert article_number(src, src.index(q), src.index(q) + len(q)) is None


def test_a_span_over_several_sentences_is_cut_per_sentence_and_fragments_dropped():
    source = (
        "Statements came from both governments. The first provides for a ceasefire from "
        "midnight. The second obliges both sides to withdraw their troops."
    )
    sentences = split_sentences(source)
    bounds = [(s.start, s.end) for s in sentences]
    start = source.index("governments")
    pieces = split_across_sentences(source, start, source.index(" to withdraw"), bounds)
    assert [source[a:b] for a, b in pieces] == [
        "The first provides for a ceasefire from midnight.",
        "The second obliges both sides",
    ]


def test_a_span_inside_one_sentence_is_kept_whole_however_short():
    source = "They agreed on a ceasefire. Talks go on."
    bounds = [(s.start, s.end) for s in split_sentences(source)]
    start = source.index("ceasefire")
    assert split_across_sentences(source, start, start + 9, bounds) == [(start, start + 9)]


def _bounds_and_span(
    source: str,
) -> tuple[list[tuple[int, int]], Callable[[str], tuple[int, int]]]:
    """The sentence bounds of ``source``, and a function giving a quote's span in it."""

    def span(quote: str) -> tuple[int, int]:
        start = source.index(quote)
        return start, start + len(quote)

    return [(s.start, s.end) for s in split_sentences(source)], span


def test_a_condition_is_kept_only_when_its_sentence_reports_a_demand():
    source = (
        "The government will free 14 prisoners. "
        "The 2015 accord provided for a joint committee. "
        "Blood has a price, and the price has been agreed. "
        "The group demanded that the army leave the ridge. "
        "The militia will hold fire only if monitors stay. "
        "Their conditions include a new school. The terms also cover a clinic. "
        "The rebels wanted a bridge. The elders were less effusive."
    )
    bounds, span = _bounds_and_span(source)

    assert reads_as_demand(source, span("the army leave the ridge"), bounds)
    assert reads_as_demand(source, span("monitors stay"), bounds)
    assert not reads_as_demand(source, span("will free 14 prisoners"), bounds)
    assert not reads_as_demand(source, span("a joint committee"), bounds)
    assert not reads_as_demand(source, span("the price has been agreed"), bounds)
    assert reads_as_demand(source, span("a clinic"), bounds)
    assert not reads_as_demand(source, span("The elders were less effusive"), bounds)


def test_pieces_of_one_clause_are_joined_but_not_across_sentences_or_words():
    source = (
        "Each side will hand over the citizens of the other country it detained. "
        "Troops withdraw, and mines are cleared."
    )
    bounds, span = _bounds_and_span(source)

    spans = [
        span("hand over the citizens of the other"),
        span("Troops withdraw"),
        span("country it detained"),
        span("of the other country"),
        span("mines are cleared"),
        span("detained."),
    ]
    joined = [(first, source[a:b]) for first, a, b in join_touching(spans, source, bounds)]
    assert joined == [
        (0, "hand over the citizens of the other country it detained."),
        (1, "Troops withdraw"),
        (4, "mines are cleared"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The leadership also wanted the repair window extended to ten days.",
            "the repair window extended to ten days",
        ),
        (
            "He said his side would abide by it “provided the road is open within a week”, adding "
            "that it had raised the issue in March.",
            "the road is open within a week",
        ),
        (
            "A committee the elders had demanded from the first day of talks.",
            "A committee the elders had demanded from the first day of talks.",
        ),
        ("The two sides signed a truce on Monday.", "The two sides signed a truce on Monday."),
        (
            "Damascus insisted that fighters be bussed north, but dropped the demand after talks.",
            "fighters be bussed north, but dropped the demand after talks",
        ),
    ],
)
def test_a_condition_is_narrowed_to_the_demand_after_its_reporting_words(sentence, expected):
    start, end = demand_clause(sentence, 0, len(sentence))
    assert sentence[start:end] == expected


def test_terms_stated_under_their_own_numbers_are_found_whole():
    source = (
        "The deal has four points. Article 1 declares a ceasefire from noon. "
        "Article 2 obliges the brigade to hand over its weapons; a committee checks. "
        "Under the third, each side frees its prisoners. "
        "The first joint patrol took place on Monday."
    )
    bounds = [(s.start, s.end) for s in split_sentences(source)]
    found = [(n, source[a:b]) for n, a, b in numbered_terms(source, bounds)]
    assert found == [
        ("1", "a ceasefire from noon"),
        ("2", "the brigade to hand over its weapons; a committee checks"),
        ("3", "each side frees its prisoners"),
    ]


def test_a_single_numbered_mention_is_not_a_list_of_terms():
    source = "Article 5 of the old accord provides for elections. The truce holds."
    bounds = [(s.start, s.end) for s in split_sentences(source)]
    assert numbered_terms(source, bounds) == []


def test_items_of_a_list_under_a_lead_in_announcing_terms_are_taken():
    from summarizer.extract.rules.derive import listed_terms
    from summarizer.text.segment import split_sentences

    text = (
        "The two sides signed the memorandum. Under its terms:\n\n"
        "- Fighters will hand in their weapons. Those who do will be pardoned.\n\n"
        "- Displaced families will return home.\n\n"
        "Reactions:\n\n- The mayor welcomed it.\n- A cleric criticised it.\n"
    )
    bounds = [(s.start, s.end) for s in split_sentences(text)]
    items = [text[a:b] for a, b in listed_terms(text, bounds)]
    assert items == [
        "Fighters will hand in their weapons.",
        "Those who do will be pardoned.",
        "Displaced families will return home.",
    ]


def test_a_report_in_another_script_is_never_called_empty_unread():
    from summarizer.extract.rules.derive import speaks_of_an_agreement

    assert speaks_of_an_agreement("Стороны подписали соглашение о прекращении огня.")  # noqa: RUF001
    assert speaks_of_an_agreement("وقع الطرفان اتفاق وقف إطلاق النار في المدينة")
    assert not speaks_of_an_agreement("Shelling continued overnight in the north of the city.")
