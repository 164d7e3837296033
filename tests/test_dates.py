"""The agreement date: only as far as a sentence of its making states it."""

from __future__ import annotations

import pytest

from summarizer.extract.rules.dates import supported_date


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
