"""Property-based tests (hypothesis) of the loader, the aligner, the renderers and the pipeline.

Generated inputs mix arbitrary unicode with what breaks text tools in practice: control
characters, ESC sequences, curly quotes, right-to-left text, combining marks, astral
characters, mixed newlines and long lines. For every input the tool either gives a result
whose every offset slices to its quote, or raises ``InputError``; nothing else.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from fakes import FakeChatServer, completion, fake_provider, schema_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from summarizer import InputError, Summarizer
from summarizer.io.load import decode_document
from summarizer.outputs.render import to_markdown, to_table
from summarizer.record.schema import (
    Agreement,
    Article,
    Condition,
    Evidence,
    Party,
    Provenance,
    SummaryResult,
    Usage,
)
from summarizer.text.align import align_quote

#: Pieces that real reports and hostile ones contain, mixed into arbitrary text.
TRICKY = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\r\n",
        "\r",
        "\n\n",
        "\t",
        "\u201cquoted\u201d",
        "\u2018x\u2019",
        "\u202eevil\u202c",
        "اتفاق وقف إطلاق النار",
        "שלום",
        "e\u0301",
        "\U0001f54a",
        "\u00a0",
        "<script>alert(1)</script>",
        "| cell |",
        "# heading",
        "[x](javascript:alert(1))",
        "</REPORT>",
        "a" * 3000,
        "\x00",
        "\ufeff",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=12).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000) | TEXT.map(lambda t: t.encode("utf-8")))
def test_the_loader_returns_text_or_an_input_error(data: bytes) -> None:
    try:
        text = decode_document(data, name="x.txt")
    except InputError as e:
        assert str(e).startswith("x.txt: ")
        return
    assert text.strip()
    assert "\r" not in text and not text.startswith("\ufeff")


@FAST
@given(st.binary(max_size=600))
def test_the_loader_reads_any_utf16_with_a_bom_or_says_why_not(payload: bytes) -> None:
    try:
        text = decode_document(b"\xff\xfe" + payload, name="x.txt")
    except InputError:
        return
    assert "\r" not in text


@FAST
@given(TEXT, st.data())
def test_an_aligned_quote_always_slices_to_itself(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    quote = data.draw(st.sampled_from([source[start:end], source[start:end].upper()]) | TEXT)
    evidence = align_quote(source, quote)
    if evidence is None:
        return
    assert source[evidence.start : evidence.end] == evidence.quote
    assert evidence.quote.strip()


@FAST
@given(TEXT.filter(lambda t: len(t.strip()) >= 12), st.data())
def test_a_verbatim_quote_is_found_exactly(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start + 1, len(source)))
    quote = source[start:end]
    if not quote.strip().strip('"').strip():
        return
    evidence = align_quote(source, quote)
    assert evidence is not None and evidence.alignment == "exact"
    assert source[evidence.start : evidence.end] == evidence.quote


def _record(text: str) -> SummaryResult:
    """A record carrying ``text`` in every free-text field a renderer shows."""
    evidence = [Evidence(quote=text or "x", start=0, end=len(text or "x"), alignment="exact")]
    return SummaryResult(
        agreement=Agreement(
            name=text or None,
            date=None,
            location=text or None,
            status="signed",
            stage=None,
            agreement_type=None,
            summary=text or None,
        ),
        parties=[
            Party(
                name=text or "x",
                aliases=[text] if text else [],
                role="signatory",
                actor_type="rebel",
                stance="accepts",
                evidence=evidence,
            )
        ],
        articles=[Article(number=None, text=text or "x", categories=[], evidence=evidence)],
        conditions=[
            Condition(
                text=text or "x", proposed_by=text or None, outcome="pending", evidence=evidence
            )
        ],
        provenance=Provenance(
            provider="fake",
            model="m",
            prompts=[],
            schema_version="1",
            calls=0,
            attempts=0,
            usage=Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0),
            duration_s=0.0,
            source_sha256="0" * 64,
            tool_version="0",
        ),
    )


_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@FAST
@given(TEXT, TEXT)
def test_markdown_never_carries_raw_markup_or_control_characters(text: str, title: str) -> None:
    markdown = to_markdown(_record(text), title=title)
    assert not _RAW_CONTROL.search(markdown)
    for line in markdown.splitlines():
        # The renderer's own blockquote marker aside, no angle bracket is left raw.
        body = re.sub(r"^\s*(> )?", "", line)
        assert "<" not in body and ">" not in body
        # Only the renderer's own markup starts a line: headings, list items, quotes, rules.
        if line.startswith("#"):
            assert re.match(r"#{1,3} ", line)
        # An escaped bracket never forms a link: no "](" without its backslash.
        assert not re.search(r"(?<!\\)\]\(", line)


@FAST
@given(TEXT, TEXT)
def test_the_terminal_table_never_prints_control_characters(text: str, title: str) -> None:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None, force_terminal=False).print(
        to_table(_record(text), title=title)
    )
    assert not _RAW_CONTROL.search(out.getvalue())


def _quoting_server(data: st.DataObject) -> FakeChatServer:
    """A model that quotes arbitrary slices of the document it is shown (or invents text)."""
    fake = FakeChatServer()
    defaults = dict(fake.answers)

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        name = schema_name(request)
        content = request["messages"][-1]["content"]
        match = re.search(r"<report>\n(.*)\n</report>", content, flags=re.S)
        if name not in ("ArticlesDraft", "ConditionsDraft", "ActorsDraft") or match is None:
            fake.answer_fn = None
            try:
                return fake.handle_chat_completions(request)
            finally:
                fake.answer_fn = answer
        doc = match.group(1)
        slices = [
            doc[a : a + n]
            for a, n in data.draw(
                st.lists(st.tuples(st.integers(0, len(doc)), st.integers(1, 80)), max_size=4)
            )
        ] + data.draw(st.lists(TEXT, max_size=1))
        if name == "ArticlesDraft":
            body: dict[str, Any] = {"terms": [{"quote": q} for q in slices]}
        elif name == "ConditionsDraft":
            body = {
                **defaults["ConditionsDraft"],
                "conditions": [{"quote": q, "by": q[:20], "outcome": "pending"} for q in slices],
                "name": slices[0] if slices else None,
                "location": slices[-1] if slices else None,
            }
        else:
            body = {
                "parties": [
                    {
                        "name": q[:40] or "x",
                        "aliases": [],
                        "role": "signatory",
                        "actor_type": "rebel",
                    }
                    for q in slices
                ]
            }
        return completion(json.dumps(body))

    fake.answer_fn = answer
    return fake


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.data())
def test_the_pipeline_grounds_every_offset_or_refuses_the_input(
    text: str, data: st.DataObject
) -> None:
    report = "The two sides signed a ceasefire agreement. " + text
    with Summarizer(provider=fake_provider(_quoting_server(data))) as summarizer:
        try:
            record = summarizer.summarize(report)
        except InputError:
            return
    spans = [
        e for item in (*record.parties, *record.articles, *record.conditions) for e in item.evidence
    ]
    for evidence in spans:
        assert report[evidence.start : evidence.end] == evidence.quote
    for value in (record.agreement.name, record.agreement.location):
        assert value is None or value in report  # the document's own string
