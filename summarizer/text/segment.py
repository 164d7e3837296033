"""Split a document into sentences with character offsets, and find the ones naming an actor.

Written by hand: the sentence splitters on PyPI either drop offsets, have known offset bugs
with repeated sentences, or know a fixed list of languages; the stance step needs exact
offsets because the chosen sentence becomes the party's evidence. The rule holds for any
script: a sentence ends at a full stop, question or exclamation mark of any script (Latin,
Greek, Arabic, Devanagari danda, an ellipsis) before white space and a letter that is not
lower case (an upper-case letter of any alphabet, or a letter of a script without case) or a
digit; after a CJK full stop no space is needed; a line break always ends one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.lexicon import english as lexicon
from summarizer.text.fold import fold

# Sentence ends: . ! ? … (ellipsis), ؟ (Arabic question mark), । ॥ (Devanagari
# danda), U+037E (Greek question mark); CJK full stop, exclamation and question marks.
_ENDS = ".!?\u2026\u061f\u0964\u0965\u037e"
_CJK_ENDS = "\u3002\uff01\uff1f"
# Closing quotes and brackets that may follow an end, opening ones that may precede a start.
_CLOSING = "\"'\u201d\u2019)\\]\u00bb\u300d\u300f"
_OPENING = "\"'\u201c\u2018(\\[\u00ab\u00bf\u00a1\u201e\u300c\u300e"
_BOUNDARY = re.compile(
    rf"(?<=[{_ENDS}])[{_CLOSING}]*\s+(?=[{_OPENING}]?(?P<first>[^\W_]))"
    rf"|(?<=[{_CJK_ENDS}])[{_CLOSING}]*\s*(?=\S)"
    r"|\n+"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence and where it sits in the source."""

    text: str
    start: int
    end: int


def split_sentences(source: str) -> list[Sentence]:
    """Split a text into sentences; ``source[s.start:s.end] == s.text`` for each."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(source):
        first = m.group("first")
        if first is not None and first.islower():
            continue  # "e.g. the army": a lower-case word goes on the same sentence
        if m.group(0).strip() == "" and source[: m.start()].endswith(lexicon.ABBREVIATIONS):
            continue
        _append(sentences, source, start, m.start())
        start = m.end()
    _append(sentences, source, start, len(source))
    return sentences


def _append(out: list[Sentence], source: str, start: int, end: int) -> None:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(source[start:end], start, end))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _content_words(name: str) -> list[str]:
    return [w for w in _words(name) if len(w) >= 4 and w not in ("with", "from", "that")]


def _same_word(a: str, b: str) -> bool:
    """Equal, or one a stem of the other ("Kenya"/"Kenyan", "Uganda"/"Ugandan")."""
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def mentions(sentence: str, names: list[str]) -> int:
    """How strongly a sentence names an actor.

    2: one of its names stands in the sentence whole. 1: a distinctive word of a name does
    ("Dolan" for "Marek Dolan"), or most words of a name made of generic words do ("the
    opposition members of the council" for "opposition council"). 0: none.
    """
    words = _words(sentence)
    joined = f" {' '.join(words)} "
    if any(f" {' '.join(_words(n))} " in joined for n in names if _words(n)):
        return 2
    for name in names:
        content = _content_words(name)
        distinctive = [w for w in content if w not in lexicon.GENERIC]
        if any(_same_word(d, w) for d in distinctive for w in words):
            return 1
        present = sum(1 for c in content if any(_same_word(c, w) for w in words))
        if len(content) >= 2 and present * 3 >= len(content) * 2:
            return 1
    return 0


def sentences_naming(sentences: list[Sentence], names: list[str], limit: int) -> list[Sentence]:
    """The sentences that name an actor, full-name matches first, in document order."""
    scored = [(mentions(s.text, names), i) for i, s in enumerate(sentences)]
    chosen = sorted((i for score, i in scored if score), key=lambda i: (-scored[i][0], i))[:limit]
    return [sentences[i] for i in sorted(chosen)]
