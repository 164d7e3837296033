from __future__ import annotations

import pytest

from summarizer.derive import article_number, categories_for, supported_date


@pytest.mark.parametrize(
    ("value", "source", "expected"),
    [
        ("2018-07-07", "On Saturday, a meeting was held.", None),
        ("2022-03-14", "The deal was signed on 14 March 2022 in the town.", "2022-03-14"),
        ("2022-03-14", "It was signed on March 14, 2022.", "2022-03-14"),
        ("2022-03-14", "It was signed in March 2022.", "2022-03"),
        ("2022-03-14", "Talks began in 2022.", "2022"),
        ("2021-05", "The truce, agreed in May 2021, was renewed.", "2021-05"),
        ("2017-11-09", "on Thursday, 9 November 2017, the parties", "2017-11-09"),
        ("Saturday", "On Saturday", None),
        (None, "anything", None),
    ],
)
def test_date_is_kept_only_as_far_as_the_text_states_it(value, source, expected):
    assert supported_date(value, source) == expected


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


@pytest.mark.parametrize(
    "source",
    [
        "The mayor said the 2018 deal holds.",
        "In 2018 the parties may meet again under a 5-point plan.",
        "Augustine signed the 2018 deal; Article 5. applies.",
    ],
)
def test_month_words_that_are_not_months_do_not_support_a_month(source):
    assert supported_date("2018-05-12", source) == "2018"


def test_numbers_from_an_earlier_sentence_are_not_article_numbers():
    src = "The deal was signed on March 15. The talks ended and they agreed: fighters leave."
    q = "fighters leave"
    assert article_number(src, src.index(q), src.index(q) + len(q)) is None
