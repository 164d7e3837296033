"""Fields the system derives instead of asking the model: cheaper, and checkable.

Provision categories come from keywords, article numbers from the text around the quote;
terms are split, joined and narrowed by the shape of the sentence they sit in.
"""

from __future__ import annotations

import re
import unicodedata

from summarizer.lexicon import english as lexicon
from summarizer.record.schema import Category
from summarizer.text.spans import overlaps, word_count

_COMPILED = tuple((c, re.compile(p, re.IGNORECASE)) for c, p in lexicon.CATEGORY_PATTERNS)

_NUMBER_BEFORE = re.compile(
    r"(?:article|point|clause|item|paragraph|term|provision|section)\s+(\d+|[ivxlc]+)\b[^.\n]{0,40}$",
    re.IGNORECASE,
)
_NUMBER_AT_START = re.compile(
    r"^\s*(?:(?:article|point|clause|item|paragraph|term|provision|section)\s+)?\(?(\d{1,2}|[ivx]{1,4})[.):]\s",
    re.IGNORECASE,
)


def categories_for(text: str) -> list[Category]:
    """PA-X-style provision tags for a term, from keywords; ``["other"]`` when none fit."""
    found = [category for category, pattern in _COMPILED if pattern.search(text)]
    return found or ["other"]


def article_number(source: str, start: int, end: int) -> str | None:
    """The number the text gives a term ("Article 11", "3.", "(iii)"), if any."""
    quote = source[start:end]
    if m := _NUMBER_AT_START.match(quote):
        return m.group(1)
    line_start = source.rfind("\n", 0, start) + 1
    if start - line_start <= 80 and (m := _NUMBER_AT_START.match(source[line_start:end])):
        return m.group(1)
    if m := _NUMBER_BEFORE.search(source[max(line_start, start - 80) : start]):
        return m.group(1)
    return None


def numbered_terms(source: str, bounds: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """The terms a report states one by one under their own numbers, as (number, start, end).

    A report that walks through an agreement's numbered articles ("Article 1 sets up a
    joint committee ... Article 2 obliges the militia to ...") states every term itself; the system
    takes each sentence that opens with a numbered provision and a verb of providing (or
    "Under Article 6, ...") as one term: the clause after those words, up to the sentence's
    end. A small model asked for the terms lists some of them and stops. Fewer than two such
    sentences is not a list, and nothing is returned.
    """
    found: list[tuple[str, int, int]] = []
    for start, end in bounds:
        m = lexicon.NUMBERED_TERM.match(source, start, end)
        if m is None or not (m.group("verb") or m.group("under")):
            continue
        ordinal = m.group("ordinal")
        number = m.group("digits") or str(lexicon.ORDINALS.index(ordinal.casefold()) + 1)
        stop = end
        while stop > m.end() and source[stop - 1] in ".;:, ":
            stop -= 1
        found.append((number, m.end(), stop))
    return found if len(found) >= 2 else []


# A line that is an item of a bulleted or numbered list: "- ...", "• ...", "1. ...", "(a) ...".
_LIST_ITEM = re.compile(
    r"^[ \t]*(?:[-\u2013\u2022*\u25aa]|\(?\d{1,2}[.)]|\(?[a-h][.)])[ \t]+(?=\S)", re.MULTILINE
)


def listed_terms(source: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The items of a list the report sets out under a lead-in announcing the terms.

    A press release or a wire story often lists an agreement's terms as bullets or numbers
    after "Under the truce's terms:" or "The memorandum provides:"; each item states its terms
    itself, and a small model quotes some and stops. Returns the (start, end) of every sentence
    of every item of such a list (the rules after it cut them into one span per term); nothing
    for a list whose lead-in does not speak of terms, or for fewer than two items.
    """
    items = list(_LIST_ITEM.finditer(source))
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(items):
        # A block: items with only blank lines between them.
        block = [items[i]]
        while i + 1 < len(items):
            line_end = source.find("\n", block[-1].end())
            following = source[line_end : items[i + 1].start()] if line_end >= 0 else "x"
            if following.strip():
                break
            block.append(items[i + 1])
            i += 1
        i += 1
        head = source[: block[0].start()].rstrip()
        lead_in = head[head.rfind("\n") + 1 :]
        if len(block) < 2 or not lexicon.TERMS_LEAD_IN.search(lead_in):
            continue
        for item in block:
            line_end = source.find("\n", item.end())
            stop = len(source) if line_end < 0 else line_end
            found += [
                (max(a, item.end()), min(b, stop))
                for a, b in bounds
                if overlaps((a, b), (item.end(), stop))
            ]
    return found


def join_touching(
    spans: list[tuple[int, int]], source: str, bounds: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Join spans that overlap or touch inside one sentence; each joined span is one term.

    A small model sometimes cuts one clause into two quotes ("will reopen the road between
    the two" / "villages within a week") or quotes overlapping pieces of it. Spans that overlap,
    or that only white space separates, and that lie in the same sentence are joined.

    Returns:
        (index of the group's first span, start, end) per joined span, in order of first
        appearance.
    """
    joined: list[tuple[int, int, int]] = []
    for i, (start, end) in enumerate(spans):
        for g, (first, a, b) in enumerate(joined):
            gap = source[b:start] if b <= start else source[end:a] if end <= a else ""
            lo, hi = min(a, start), max(b, end)
            if not gap.strip() and any(x <= lo and hi <= y for x, y in bounds):
                joined[g] = (first, lo, hi)
                break
        else:
            joined.append((i, start, end))
    return joined


def speaks_of_an_agreement(source: str) -> bool:
    """Whether a report uses any word of agreement, proposal or demand at all.

    A small model asked for terms finds some in fighting news too, and asked whether there
    is an agreement it says yes (or, as often, no to a real one). A report that never
    writes "agreed", "deal", "truce", "signed", "offer", "demand" and the like describes no
    agreement, and the system gives it an empty record without asking the model.
    """
    if not _mostly_latin(source):
        # The cue words are English and French; a report in another script cannot be judged
        # by them, so it goes to the model rather than being called empty unread.
        return True
    return lexicon.AGREEMENT_WORDS.search(source) is not None


def _mostly_latin(source: str) -> bool:
    """Whether most letters of the text are Latin letters (with or without diacritics)."""
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin >= len(letters) / 2


def demand_clause(source: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a condition's span to the demand itself, after the words that report it.

    "The council also wanted the curfew lifted within two weeks" states the demand
    "the curfew lifted within two weeks"; the record's condition is that demand, and
    cutting the reporting words first keeps the commas of "Its spokesman, X, said ..." from
    being read as a list. A quoted demand ends where its quotation closes. A span with no
    such word, with fewer than three words after the first one, or where those words only
    say when or from whom ("had demanded from the start") comes back unchanged.
    """
    text = source[start:end]
    cue = lexicon.DEMAND_CUE.search(text)
    if cue is None:
        return start, end
    after = text[cue.end() :]
    # A quoted demand ends where the quotation closes.
    closing = re.search(r"[\u201d\"]", after)
    if closing and word_count(after[: closing.start()]) >= 3:
        after = after[: closing.start()]
    # "a road the villagers had demanded from the start": the demand came before.
    if word_count(after) < 3 or lexicon.AFTER_THE_DEMAND.match(after):
        return start, end
    new_start = start + cue.end()
    end = new_start + len(after)
    while end > new_start and source[end - 1] in "\u201d\"\u2019'.,;: ":
        end -= 1
    return new_start, end


def reads_as_demand(source: str, span: tuple[int, int], bounds: list[tuple[int, int]]) -> bool:
    """Whether the sentence of a condition's span speaks of a demand, offer or refusal.

    A small model asked for demands also copies agreed terms, reactions and background
    ("The guns are silent, and the market has reopened"). A demand is reported as one:
    "demanded that ...", "wanted ...", "will lay down arms only if ...". A list of demands may
    run on into the next sentence ("Its conditions include ... The terms also cover ..."),
    so the sentence before counts too when this one says it goes on ("also", "in
    addition"). A condition with no such word in either is dropped; a demand that was
    written into the deal is both a condition and an article, and stays both.

    Args:
        span: the condition's (start, end).
        bounds: (start, end) of every sentence of the source.
    """
    touched = [i for i, (a, b) in enumerate(bounds) if overlaps(span, (a, b))]
    if not touched:
        return False
    own = [source[a:b] for a, b in bounds[touched[0] : touched[-1] + 1]]
    if any(lexicon.DEMAND_WORDS.search(sentence) for sentence in own):
        return True
    before = source[slice(*bounds[touched[0] - 1])] if touched[0] > 0 else ""
    return bool(lexicon.CONTINUES.search(own[0]) and lexicon.DEMAND_WORDS.search(before))
