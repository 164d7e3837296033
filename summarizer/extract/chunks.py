"""Long documents: split into chunks the model's context holds, run the pipeline on each, and
combine the chunks' findings into one record with every offset in the whole document.

A chunk ends at a paragraph break where one falls in its last quarter, else at a sentence end
(only a sentence longer than a whole chunk is cut, at a space, and goes on in the next chunk),
so no quote is cut; consecutive chunks overlap by a few sentences so
a term stated across a chunk edge is whole in one of them. Combining: one party across chunks
(a name or alias in common), one term or condition per span (overlapping evidence or the
same text), evidence unioned. The agreement block is decided where the agreement's terms are:
each field from the chunk with the most terms that gives one, status, stage and type by the
terms behind each value (``combine_agreement``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from summarizer.record.schema import Agreement, Article, Condition, Evidence, Party
from summarizer.text.segment import split_sentences
from summarizer.text.similarity import (
    ITEM_THRESHOLD,
    PARTY_THRESHOLD,
    names_similarity,
    text_similarity,
    with_names,
)
from summarizer.text.spans import overlaps

#: Characters a chunk aims at: about 2,000 words, well inside the 8,192-token default
#: context, and short enough that the 1.5B model still reads the whole chunk.
CHUNK_CHARS = 12_000
#: Characters the next chunk starts before the previous one ends (whole sentences).
OVERLAP_CHARS = 600
#: Where in a chunk a paragraph break may end it: the last quarter.
_PARAGRAPH_ZONE = 0.75


@dataclass(frozen=True)
class Chunk:
    """A span of the document: ``text[start:end]``."""

    start: int
    end: int


def plan_chunks(
    text: str, max_chars: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS
) -> list[Chunk]:
    """Chunks covering ``text``, each at most ``max_chars`` (unless one sentence is longer).

    Boundaries fall at sentence ends (at a paragraph break when one is in a chunk's last
    quarter); each chunk after the first starts at a sentence start about ``overlap``
    characters before the previous chunk's end.
    """
    if max_chars <= 0:
        raise ValueError(f"a chunk must hold at least one character, not {max_chars}")
    if len(text) <= max_chars:
        return [Chunk(0, len(text))]
    sentences = split_sentences(text)
    # A sentence's end, carried over what closes it ("... an end.”"), so a chunk keeps it.
    ends = [_closed(text, s.end) for s in sentences]
    starts = [s.start for s in sentences]
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        limit = start + max_chars
        if limit >= len(text):
            chunks.append(Chunk(start, len(text)))
            break
        fitting = [e for e in ends if start < e <= limit]
        if not fitting:  # one sentence longer than a chunk: cut at a space, a last resort
            space = text.rfind(" ", start + 1, limit)
            end = space if space > start else limit
            chunks.append(Chunk(start, end))
            start = end  # the rest of that sentence starts the next chunk: nothing is skipped
            while start < len(text) and text[start].isspace():
                start += 1
            continue
        else:
            zone = start + int(max_chars * _PARAGRAPH_ZONE)
            breaks = [e for e in fitting if e >= zone and re.match(r"\s*\n\s*\n", text[e : e + 4])]
            end = breaks[-1] if breaks else fitting[-1]
        chunks.append(Chunk(start, end))
        later = [s for s in starts if end - overlap <= s < end and s > start]
        start = later[0] if later else next((s for s in starts if s >= end), end)
        while start < len(text) and text[start].isspace():
            start += 1
    return chunks


def _closed(text: str, end: int) -> int:
    """``end`` moved past the non-space characters that follow it (closing quotes, brackets)."""
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


Item = TypeVar("Item", Party, Article, Condition)


def shifted(item: Item, offset: int) -> Item:
    """A chunk's item with its evidence offsets in the whole document."""
    evidence = [
        e.model_copy(update={"start": e.start + offset, "end": e.end + offset})
        for e in item.evidence
    ]
    return item.model_copy(update={"evidence": evidence})


def _overlaps(a: Sequence[Evidence], b: Sequence[Evidence]) -> bool:
    """Whether any span of ``a`` overlaps any span of ``b``."""
    return any(overlaps((x.start, x.end), (y.start, y.end)) for x in a for y in b)


def _union(a: Sequence[Evidence], b: Sequence[Evidence]) -> list[Evidence]:
    """``a`` and the spans of ``b`` it lacks."""
    seen = {(e.start, e.end) for e in a}
    return [*a, *(e for e in b if (e.start, e.end) not in seen)]


@dataclass
class ChunkFindings:
    """What the pipeline found in one chunk, offsets already in the whole document."""

    agreement: Agreement
    parties: list[Party]
    articles: list[Article]
    conditions: list[Condition]


def combine_parties(chunks: Sequence[ChunkFindings]) -> list[Party]:
    """One party per actor across chunks; its stance is the last chunk's that states one."""
    combined: list[Party] = []
    for found in chunks:
        for party in found.parties:
            names = [party.name, *party.aliases]
            match = next(
                (
                    i
                    for i, p in enumerate(combined)
                    if names_similarity(names, [p.name, *p.aliases]) >= PARTY_THRESHOLD
                ),
                None,
            )
            if match is None:
                combined.append(party)
                continue
            old = combined[match]
            combined[match] = old.model_copy(
                update={
                    "aliases": with_names(old.aliases, names, old.name),
                    "role": old.role if old.role != "other" else party.role,
                    "stance": party.stance if party.stance != "unclear" else old.stance,
                    "evidence": _union(old.evidence, party.evidence),
                }
            )
    return combined


def combine_items(chunks: Sequence[Sequence[Article | Condition]]) -> list[Article | Condition]:
    """One item per span across chunks: an item of one chunk is the same as an item of an
    earlier chunk when their evidence overlaps or their texts match. Items of one chunk stay
    apart, as they would in a document read whole."""
    combined: list[tuple[int, Article | Condition]] = []
    for index, items in enumerate(chunks):
        for item in items:
            match = next(
                (
                    i
                    for i, (origin, x) in enumerate(combined)
                    if origin != index
                    and (
                        _overlaps(x.evidence, item.evidence)
                        or text_similarity(x.text, item.text) >= ITEM_THRESHOLD
                    )
                ),
                None,
            )
            if match is None:
                combined.append((index, item))
            else:
                origin, old = combined[match]
                update = {"evidence": _union(old.evidence, item.evidence)}
                combined[match] = (origin, old.model_copy(update=update))
    return [item for _, item in combined]


def combine_agreement(chunks: Sequence[ChunkFindings]) -> Agreement:
    """The agreement block decided once, from the chunks that state the agreement's terms.

    A long report tells of other agreements too (an older one that collapsed, a rival plan),
    usually in its background; the agreement it is about is where its terms are. So each
    field is taken from the chunk with the most terms that gives one (ties: the earlier
    chunk), and status, stage and type are the values with the most terms behind them.
    Chunks without terms decide only what no chunk with terms gives.
    """
    weight = [len(c.articles) for c in chunks]
    order = sorted(range(len(chunks)), key=lambda i: (-weight[i], i))

    def first(field: str) -> str | None:
        return next((v for i in order if (v := getattr(chunks[i].agreement, field))), None)

    def most(field: str) -> str | None:
        votes: Counter[str] = Counter()
        for i in order:
            value = getattr(chunks[i].agreement, field)
            if value not in (None, "unclear"):
                votes[value] += weight[i] + 1  # +1: a chunk without terms still has a say
        if not votes:
            given: str | None = getattr(chunks[order[0]].agreement, field)
            return given
        top = max(votes.values())
        return next(v for v, n in votes.items() if n == top)

    return Agreement(
        name=first("name"),
        date=first("date"),
        location=first("location"),
        status=most("status") or "unclear",  # type: ignore[arg-type]
        stage=most("stage"),  # type: ignore[arg-type]
        agreement_type=most("agreement_type"),  # type: ignore[arg-type]
        summary=None,
    )
