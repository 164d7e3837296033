"""The provisions of an agreement's own text, found from its layout alone.

An agreement text (a ceasefire with numbered articles, a memorandum, a framework accord) sets
out its terms one per numbered paragraph or under numbered headings; a news report about an
agreement is running prose. Both facts are read from numbers, brackets and line breaks only:
no word of any language is looked for here, so they hold in any language that writes spaces
between its words (Latin, Cyrillic, Greek, Arabic, Devanagari scripts). A text in Chinese,
Japanese or Thai counts each line as one word and gives no provision: it is read as a report.

Imports nothing from the rest of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A paragraph's own number at its start: "4.", "4)", "(4)", "4.2", "4.2.1.", "(a)", "a)",
# "(iv)", "IV.", "iv)". A bare "4 " is not one: a line may start with a year or a count.
_ENUMERATOR = re.compile(
    r"""\s*(?P<number>
        \(\d{1,3}[a-z]?\)                     # (4) (4a)
      | \d{1,3}(?:\.\d{1,3})+\.?(?=\s)         # 4.2  4.2.1.
      | \d{1,3}[.)](?=\s)                      # 4.  4)
      | \([a-z]{1,2}\)|[a-z][)](?=\s)          # (a) (aa) a)
      | \((?:[ivxlc]{1,6}|[IVXLC]{1,6})\)      # (iv) (IV)
      | (?:[ivxlc]{1,6}|[IVXLC]{1,6})[.)](?=\s) # IV. iv)
    )\s+""",
    re.VERBOSE,
)
# A heading's number ("Article 4", "ARTICLE 2: ...", "Part IV", "Section 3.1"), looked for in
# its first words only: a title or headline with a year or a count in it numbers nothing.
_HEADING_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})(?![\w])")
_HEADING_NUMBER_WORDS = 3
#: Marks that end a sentence in the scripts the splitter knows; a heading ends with none.
_SENTENCE_END = (
    ".", ";", ":", "!", "?", "\u3002", "\uff01", "\uff1f", "\u0964", "\u061f", "\u2026", '"',
    "\u00bb", "\u201d",
)  # fmt: skip
#: Opening quotation marks: a provision that opens with a quoted term defines it ("(b) 'the
#: Mission' means ..."), and a definition is no term the parties agree to.
_QUOTES = ('"', "'", "\u201c", "\u2018", "\u00ab", "\u201e", "\u300c", "\u2039")
#: A heading is a short line: "Article 12", "CHAPTER TWO: SECURITY ARRANGEMENTS".
_HEADING_WORDS = 12
#: A provision carries at least a clause; shorter numbered lines are list fragments.
_MIN_PROVISION_WORDS = 4

#: Provisions needed before a text counts as an agreement text, and the share of its
#: characters they must cover: a report that quotes a numbered list of three or four points
#: is still a report, while an agreement's provisions are most of its body.
MIN_PROVISIONS = 5
MIN_SHARE = 0.4
#: A provision is a clause or two; a long-form report cut into numbered sections has
#: paragraphs of a hundred words and more under its headings (measured on the dev and news
#: splits: provisions' median 21-42 words, a feature's paragraphs 100).
MAX_MEDIAN_WORDS = 60


@dataclass(frozen=True)
class Provision:
    """One operative paragraph: its number as written (or its heading's), and its span."""

    number: str | None
    start: int
    end: int


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def heading(self) -> bool:
        """A short line that ends no sentence: a title, a heading, a name in a signature block."""
        text = self.text.rstrip()
        return self.words <= _HEADING_WORDS and not text.endswith(_SENTENCE_END)


def _lines(text: str) -> list[_Line]:
    """Every paragraph, trimmed, with its offsets in ``text``: each non-blank line, joined to
    the line just before it (no blank line between) when that one is a full line that ends no
    sentence and this one has no number of its own: a PDF's text layer breaks a paragraph at
    every line of the page."""
    lines: list[_Line] = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        line = _Line(start, start + len(stripped), stripped)
        last = lines[-1] if lines else None
        if (
            last is not None
            # Only blanks lie between two lines: two line breaks there make a blank line.
            and text.count("\n", last.end, line.start) < 2
            and last.words > _HEADING_WORDS
            and not last.text.endswith(_SENTENCE_END)
            and _ENUMERATOR.match(stripped) is None
        ):
            lines[-1] = _Line(last.start, line.end, text[last.start : line.end])
            continue
        lines.append(line)
    return lines


def provisions(text: str) -> list[Provision]:
    """The operative provisions of an agreement text, in order.

    A paragraph that starts with its own number ("4.2 ...", "(b) ...") is a provision under
    that number; a paragraph under a numbered heading ("Article 4") is one under the
    heading's number. A paragraph that only leads into the sub-provisions after it (it ends
    with a colon and the next paragraph has a number of its own) is left out: the
    sub-provisions are the terms. So is a definition, a paragraph that opens with the quoted
    term it defines. What comes before the first number (title, preamble) is
    not a provision, nor is a heading, nor a line that ends no sentence (a signature block's
    names and titles).
    """
    lines = _lines(text)
    found: list[Provision] = []
    heading_number: str | None = None
    for i, line in enumerate(lines):
        match = _ENUMERATOR.match(line.text)
        if line.heading:
            # A heading without a number ("PREAMBLE", a party's name) ends the last one's reach.
            heading_number = _heading_number(line.text, match)
            continue
        if line.words < _MIN_PROVISION_WORDS or not line.text.endswith(_SENTENCE_END):
            # A fragment, or a line that ends no sentence: a name and title in a signature
            # block ("4. Gen. X, Chairman, Front for Y"), not a provision.
            continue
        following = lines[i + 1] if i + 1 < len(lines) else None
        leads_in = line.text.endswith(":") and (
            following is not None and _ENUMERATOR.match(following.text) is not None
        )
        body = line.text[match.end() :] if match is not None else line.text
        if leads_in or body.startswith(_QUOTES):
            continue
        if match is not None:
            found.append(Provision(match.group("number"), line.start, line.end))
        elif heading_number is not None:
            found.append(Provision(heading_number, line.start, line.end))
    return found


def _heading_number(heading: str, enumerator: re.Match[str] | None) -> str | None:
    """The number a heading gives the paragraphs under it: its own enumerator ("4. PURPOSE"),
    else a number that stands alone among its first words ("Article 4", "PART IV:"), else None.

    A date line ("Kumasa, 18 August 2003") is no heading of provisions: a number after a
    comma, or beside a second number, numbers nothing.
    """
    if enumerator is not None:
        return enumerator.group("number").strip("().")
    if len(re.findall(r"\d+", heading)) > 1:
        return None
    words = heading.split()[:_HEADING_NUMBER_WORDS]
    for i, word in enumerate(words):
        bare = word.strip(":.()-\u2013")
        if _HEADING_NUMBER.fullmatch(bare) and (i == 0 or words[i - 1][-1].isalnum()):
            return bare
    return None


def is_agreement_text(text: str, found: list[Provision] | None = None) -> bool:
    """Whether ``text`` is laid out as an agreement's own text: at least ``MIN_PROVISIONS``
    provisions, of a median length within ``MAX_MEDIAN_WORDS``, that together cover
    ``MIN_SHARE`` of its characters."""
    found = provisions(text) if found is None else found
    if len(found) < MIN_PROVISIONS:
        return False
    covered = sum(p.end - p.start for p in found)
    words = sorted(len(text[p.start : p.end].split()) for p in found)
    return covered >= MIN_SHARE * len(text.strip()) and words[len(words) // 2] <= MAX_MEDIAN_WORDS
