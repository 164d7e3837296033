"""The agreement date: only as far as the text states it, and not the day it took effect."""

from __future__ import annotations

import pytest

from summarizer.dates import agreement_date, supported_date
from summarizer.segment import split_sentences


@pytest.mark.parametrize(
    ("value", "source", "expected"),
    [
        ("2018-07-07", "On Saturday, a meeting was held.", None),
        ("2022-03-14", "The deal was signed on 14 March 2022 in the town.", "2022-03-14"),
        ("2022-03-14", "It was signed on March 14, 2022.", "2022-03-14"),
        ("2022-03-14", "It was signed in March 2022.", "2022-03"),
        ("2022-03-14", "Fighting began on 14 March 2022. A deal was signed on Friday.", None),
        ("2022-03-14", "Talks began in 2022.", None),
        ("2022-03-14", "The deal was signed in 2022.", "2022"),
        ("2009-05-21", "For the 2009 election, the parties agreed on a law.", None),
        ("2009-05-21", "DOHA, May 21 - A deal was signed. The 2009 election is next.", None),
        ("2021-05", "The truce, agreed in May 2021, was renewed.", "2021-05"),
        ("2017-11-09", "on Thursday, 9 November 2017, the parties signed", "2017-11-09"),
        ("Saturday", "On Saturday", None),
        (None, "anything", None),
    ],
)
def test_date_is_kept_only_as_far_as_the_text_states_it(value, source, expected):
    assert supported_date(value, source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("The mayor said the 2018 deal holds.", None),
        ("In 2018 the parties may meet again under a 5-point plan.", None),
        ("Augustine signed the deal in 2018; Article 5. applies.", "2018"),
    ],
)
def test_month_words_that_are_not_months_do_not_support_a_month(source, expected):
    # Neither "may" nor "Augustine" nor "5." is May; a year alone needs words of signing.
    assert supported_date("2018-05-12", source) == expected


def _bounds(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split_sentences(text)]


def test_the_day_it_took_effect_is_not_the_day_it_was_agreed() -> None:
    text = (
        "The truce was agreed in the last week of May 2021 after talks in the village. "
        "It took effect on 1 June. No violations have been reported since 1 June."
    )
    assert agreement_date("2021-06-01", text, _bounds(text)) == "2021-05"
    # no sentence that reports the agreement gives a month: only the year is known
    vague = "The truce was agreed after talks in 2021. It took effect on 1 June."
    assert agreement_date("2021-06-01", vague, _bounds(vague)) == "2021"


def test_a_day_stated_where_the_deal_is_signed_is_kept() -> None:
    text = "The deal was signed on 14 March 2022 and took effect on 14 March 2022 at noon."
    assert agreement_date("2022-03-14", text, _bounds(text)) == "2022-03-14"
    plain = "The ceasefire agreed on 3 April 2019 holds."
    assert agreement_date("2019-04-03", plain, _bounds(plain)) == "2019-04-03"
