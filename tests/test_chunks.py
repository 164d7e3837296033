"""Chunks of a long document: they cover it, fit the context and never cut a sentence."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.extract.chunks import plan_chunks
from summarizer.text.segment import split_sentences

SENTENCE = st.sampled_from(
    [
        "The two sides signed a ceasefire in the town on Sunday.",
        "Fighters will hand over heavy weapons within ten days.",
        "Mr. Dahl said the deal “was a beginning, not an end.”",
        "Refugees may return to Örnsköld 🕊 once the bridge reopens.",
        "The opposition rejected the plan.",
        # Longer than the smallest chunk: the cut at a space must still lose no word.
        "They listed " + ", ".join(f"village number {i}" for i in range(40)) + ".",
    ]
)
PARAGRAPHS = st.lists(
    st.lists(SENTENCE, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=60
)


@settings(max_examples=80, deadline=None)
@given(PARAGRAPHS, st.integers(300, 3000), st.integers(0, 400))
def test_chunks_cover_the_text_fit_and_end_at_sentence_ends(
    paragraphs: list[str], max_chars: int, overlap: int
) -> None:
    text = "\n\n".join(paragraphs)
    chunks = plan_chunks(text, max_chars=max_chars, overlap=overlap)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    # A sentence ends where the segmenter says, or after the quote marks that close it.
    sentence_ends = {s.end for s in split_sentences(text)} | {len(text)}
    sentence_ends |= {e + k for e in sentence_ends for k in (1, 2) if text[e : e + k].strip()}
    sentence_starts = {s.start for s in split_sentences(text)}
    for before, after in itertools.pairwise(chunks):
        # No gap but white space: every word is in some chunk.
        assert after.start <= before.end or not text[before.end : after.start].strip()
        assert after.start > before.start  # and the plan moves on
    longest = max(s.end - s.start for s in split_sentences(text))
    for chunk in chunks:
        assert chunk.end - chunk.start <= max_chars
        if longest < max_chars:  # then no chunk may cut a sentence
            assert chunk.end in sentence_ends
            assert chunk.start == 0 or chunk.start in sentence_starts
    # No word is lost: every word of the text is inside some chunk.
    for word in re.finditer(r"\S+", text):
        assert any(c.start <= word.start() and word.end() <= c.end for c in chunks), word


def test_a_text_that_fits_is_one_chunk() -> None:
    assert [(c.start, c.end) for c in plan_chunks("A short report.", max_chars=100)] == [(0, 15)]


def test_the_agreement_block_comes_from_where_the_terms_are() -> None:
    from summarizer.extract.chunks import ChunkFindings, combine_agreement
    from summarizer.record.schema import Agreement, Article

    def terms(n: int) -> list[Article]:
        return [Article(text=f"term {i}", categories=["other"], evidence=[]) for i in range(n)]

    background = ChunkFindings(
        Agreement(name="Old Accord", date="2004-02-10", status="collapsed", stage="ceasefire"),
        [],
        terms(1),
        [],
    )
    middle = ChunkFindings(Agreement(status="unclear"), [], [], [])
    signed = ChunkFindings(
        Agreement(name="New Accord", date="2011-09-01", status="signed", stage="comprehensive"),
        [],
        terms(6),
        [],
    )
    combined = combine_agreement([background, middle, signed])
    assert (combined.name, combined.date, combined.status, combined.stage) == (
        "New Accord",
        "2011-09-01",
        "signed",
        "comprehensive",
    )
    # A field only the background gives is still taken.
    signed.agreement.location = None
    background.agreement.location = "Harbour Town"
    assert combine_agreement([background, middle, signed]).location == "Harbour Town"
