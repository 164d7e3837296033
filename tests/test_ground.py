from __future__ import annotations

from summarizer.text.align import SourceIndex, align_quote

SOURCE = (
    "Meanwhile, Zoubi rejected the Russian oral offer saying: \u201cDeath with honor or life "
    "with dignity.\u201d The deal with \u1e24asan al-\u02bfAli\u2019s   faction was signed."
)


def test_exact_quote_gets_its_offsets():
    ev = align_quote(SOURCE, "Zoubi rejected the Russian oral offer")
    assert ev is not None
    assert ev.alignment == "exact"
    assert SOURCE[ev.start : ev.end] == "Zoubi rejected the Russian oral offer"


def test_straight_quotes_and_collapsed_spaces_align_to_the_curly_original():
    ev = align_quote(SOURCE, '"Death with honor or life with dignity." The deal with')
    assert ev is not None
    assert SOURCE[ev.start : ev.end] == ev.quote
    assert ev.quote.startswith("Death with honor")
    ev2 = align_quote(SOURCE, "\u1e24asan al-\u02bfAli's faction was signed")
    assert ev2 is not None
    assert ev2.alignment == "fuzzy"
    # Offsets are code-point indices: right after non-ASCII letters and a triple space.
    assert SOURCE[ev2.start : ev2.end] == "\u1e24asan al-\u02bfAli\u2019s   faction was signed"


def test_small_wording_slip_aligns_fuzzily():
    ev = align_quote(SOURCE, "Zoubi rejected the Russian verbal offer saying")
    assert ev is not None
    assert ev.alignment == "fuzzy"
    assert "Zoubi rejected the Russian" in ev.quote
    assert SOURCE[ev.start : ev.end] == ev.quote


def test_invented_quote_is_not_grounded():
    assert align_quote(SOURCE, "all parties accepted the agreement in full") is None
    assert align_quote(SOURCE, "") is None
    assert align_quote(SOURCE, "xq") is None


def test_source_index_matches_function():
    index = SourceIndex(SOURCE)
    assert index.align("the Russian oral offer") == align_quote(SOURCE, "the Russian oral offer")


def test_fuzzy_match_is_widened_to_whole_words():
    source = "Both sides will exchange all the prisoners they hold in the pocket next week."
    ev = align_quote(source, "xchange all the prisonerz they hold in the pocket")
    assert ev is not None
    assert ev.quote.startswith("exchange all the prisoners")
    assert ev.quote.endswith("pocket")
