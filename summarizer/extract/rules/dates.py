"""The agreement's date, kept only as far as the source states it.

The model proposes a date; the system keeps the year, month and day only where the text
states each, and does not take the day the agreement took effect for the day it was agreed.
"""

from __future__ import annotations

import re

from summarizer.lexicon import english as lexicon
from summarizer.text.segment import split_sentences


def _month_pattern(month: int) -> str:
    """A month by name or abbreviation, case-sensitive, so the verb "may" is not May."""
    name = lexicon.MONTHS[month - 1].capitalize()
    return rf"\b(?:{name}|{name.upper()}|{name[:3]}\.?)\b"


def _day_pattern(year: str, month: int, day: int) -> str:
    """A day written next to its month ("4 April", "April 4th") or in a numeric date."""
    m = _month_pattern(month)
    return (
        rf"(?<!\d)0?{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{m}|{m}\s+0?{day}(?:st|nd|rd|th)?(?!\d)"
        rf"|{year}-{month:02d}-{day:02d}|(?<!\d)0?{day}[/.]0?{month}[/.]{year}"
    )


def supported_date(value: str | None, source: str) -> str | None:
    """Keep as much of an ISO date as one sentence of its making states; drop the rest.

    Only a sentence that reports an agreement being made ("signed", "agreed", "concluded")
    supports a date, and its parts must stand together there: the month and day count only
    beside the year (a report dated "May 21" that mentions next year's election elsewhere does
    not date its deal to May of that year), and a year alone only where the sentence says when
    ("signed in 2006"), with the month it gives, if any. A model that turns "on Saturday" into a
    full date gets null back.
    """
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    # Only sentences that report an agreement being made date it: a report's own dateline,
    # the date of the fighting or of an older deal recalled in passing do not.
    with_year = [
        s.text
        for s in split_sentences(source)
        if re.search(rf"(?<!\d){year}(?!\d)", s.text) and lexicon.AGREEMENT_MADE.search(s.text)
    ]
    if month is not None and 1 <= int(month) <= 12:
        numeric_date = rf"{year}-{month}\b|(?<!\d)\d{{1,2}}[/.]0?{int(month)}[/.]{year}\b"
        with_month = [
            s
            for s in with_year
            if re.search(_month_pattern(int(month)), s) or re.search(numeric_date, s)
        ]
        if with_month:
            if day is not None and 1 <= int(day) <= 31:
                day_words = _day_pattern(year, int(month), int(day))
                if any(re.search(day_words, s) for s in with_month):
                    return f"{year}-{month}-{day}"
            return f"{year}-{month}"
    for stated in (m for s in with_year for m in lexicon.MONTH_YEAR.finditer(s)):
        # "agreed in the last week of May 2021": the month the text gives the making.
        if stated.group(2) == year:
            abbreviation = stated.group(1)[:3].lower()
            number = next(
                i for i, name in enumerate(lexicon.MONTHS, 1) if name.startswith(abbreviation)
            )
            return f"{year}-{number:02d}"
    # A year alone dates the deal when it says when: "signed in 2006", not "for the 2009
    # election" (an attribute of something else).
    when = rf"\bin\s+(?:(?:early|late|mid)-?\s*)?{year}(?!\d)"
    return year if any(re.search(when, s) for s in with_year) else None
