"""Fields the system derives instead of asking the model: cheaper, and checkable.

Provision categories come from keywords, article numbers from the text around the quote, and
the agreement date is kept only as far as the source itself states it.
"""

from __future__ import annotations

import re

from summarizer.schema import Category

_CATEGORY_PATTERNS: tuple[tuple[Category, str], ...] = (
    (
        "ceasefire",
        r"cease-?fire|truce|hostilities|stop(ping)? the (shelling|fighting|attacks)|shelling",
    ),
    ("weapons_handover", r"weapon|arms\b|arsenal|disarm|ammunition|heavy equipment"),
    ("withdrawal", r"withdraw|pull(ed|ing)? (out|back)|retreat|redeploy|evacuat"),
    ("security_guarantee", r"guarantee|protect|not be (pursued|prosecuted|arrested)|safety of"),
    (
        "amnesty_legal_status",
        r"amnesty|settle|status|pardon|prosecut|wanted|legaliz|legalis|dissident|deserter",
    ),
    ("prisoner_release", r"prisoner|detainee|captive|hostage|release"),
    ("remains_exchange", r"bodies|remains|corpse|missing person"),
    ("return_of_displaced", r"return|displaced|refugee|resettle"),
    ("freedom_of_movement", r"movement|checkpoint|roads?\b|passage|corridor|travel"),
    ("humanitarian_access", r"humanitarian|aid\b|relief|red crescent|red cross|medical|food"),
    (
        "state_institutions",
        r"institution|flag|administration|municipal|council|governance|services|election",
    ),
    ("territory_and_borders", r"border|crossing|territor|boundary|region from|area from"),
    (
        "monitoring_and_implementation",
        r"monitor|observer|military police|peacekeep|implement|commission|guarantor|verify",
    ),
    (
        "military_integration",
        r"enrol|enlist|integrat|recruit|join the (army|forces)|conscript|military service",
    ),
)
_COMPILED = tuple((c, re.compile(p, re.IGNORECASE)) for c, p in _CATEGORY_PATTERNS)

_NUMBER_BEFORE = re.compile(
    r"(?:article|point|clause|item|paragraph|term|provision|section)\s+(\d+|[ivxlc]+)\b[^.\n]{0,40}$",
    re.IGNORECASE,
)
_NUMBER_AT_START = re.compile(
    r"^\s*(?:(?:article|point|clause|item|paragraph|term|provision|section)\s+)?\(?(\d{1,2}|[ivx]{1,4})[.):]\s",
    re.IGNORECASE,
)
_LINE_NUMBER = re.compile(r"(?:^|\n)\s*\(?(\d{1,2})[.)]\s+[^\n]*$")

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def categories_for(text: str) -> list[Category]:
    """PA-X-style provision tags for a term, from keywords; ``["other"]`` when none fit."""
    found = [category for category, pattern in _COMPILED if pattern.search(text)]
    return found or ["other"]


def article_number(source: str, start: int, end: int) -> str | None:
    """The number the text gives a term ("Article 3", "3.", "(iii)"), if any."""
    quote = source[start:end]
    if m := _NUMBER_AT_START.match(quote):
        return m.group(1)
    before = source[max(0, start - 80) : start]
    line_start = before.rfind("\n")
    if (m := _NUMBER_AT_START.match(before[line_start + 1 :] + quote)) and line_start >= 0:
        return m.group(1)
    if m := _NUMBER_BEFORE.search(before):
        return m.group(1)
    if m := _LINE_NUMBER.search(before):
        return m.group(1)
    return None


def supported_date(value: str | None, source: str) -> str | None:
    """Keep as much of an ISO date as the source states; drop the rest.

    The year must appear in the text; the month must appear by name (or abbreviation) or as
    a number in a date; the day must appear as a number next to that month. A model that
    turns "on Saturday" into a full date gets null back.
    """
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not re.search(rf"(?<!\d){year}(?!\d)", source):
        return None
    if month is None or not 1 <= int(month) <= 12:
        return year
    name = _MONTHS[int(month) - 1]
    month_pattern = rf"(?:{name}|{name[:3]}\.?(?![a-z]))"
    numeric = rf"(?<!\d)0?{int(month)}[/.-]"
    if not re.search(month_pattern, source, re.IGNORECASE) and not re.search(
        rf"{numeric}|{year}-{month}", source
    ):
        return year
    if day is None or not 1 <= int(day) <= 31:
        return f"{year}-{month}"
    d = int(day)
    near_month = (
        rf"(?<!\d)0?{d}(?:st|nd|rd|th)?\s+(?:of\s+)?{month_pattern}"
        rf"|{month_pattern}\s+0?{d}(?:st|nd|rd|th)?(?!\d)"
        rf"|{year}-{month}-{day}|(?<!\d)0?{d}[/.]0?{int(month)}[/.]{year}"
    )
    if re.search(near_month, source, re.IGNORECASE):
        return f"{year}-{month}-{day}"
    return f"{year}-{month}"
