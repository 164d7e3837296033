"""Renderers of a record: JSON, Markdown and the terminal table."""

from __future__ import annotations

import io
import re

from rich.console import Console

from summarizer.outputs.render import to_json, to_markdown, to_table
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


def _evidence(quote: str) -> list[Evidence]:
    return [Evidence(quote=quote, start=0, end=len(quote), alignment="exact")]


def _provenance() -> Provenance:
    return Provenance(
        provider="openai-compatible",
        model="m",
        prompts=[],
        schema_version="1",
        calls=3,
        attempts=4,
        usage=Usage(prompt_tokens=100, completion_tokens=23, total_tokens=123),
        duration_s=1.5,
        source_sha256="ab" * 32,
        tool_version="0.1.0",
    )


def _record() -> SummaryResult:
    stances = ["accepts", "rejects", "conditional", "withdrew", "unclear"]
    return SummaryResult(
        agreement=Agreement(
            name="Truce of [Example]",
            date="2021-03",
            location="Tell Ghazal",
            status="signed",
            stage="ceasefire",
            agreement_type="local",
            summary="A local truce.\nSigned in March.",
        ),
        parties=[
            Party(
                name=f"Party {stance}",
                aliases=["the [bold]faction[/bold]"] if stance == "accepts" else [],
                role="signatory",
                actor_type="rebel",
                stance=stance,  # type: ignore[arg-type]
                evidence=_evidence(f"Party {stance} said\nso."),
            )
            for stance in stances
        ],
        articles=[
            Article(
                number="3",
                text="Heavy weapons are handed over.",
                categories=["weapons_handover"],
                evidence=_evidence("heavy weapons are handed over"),
            )
        ],
        conditions=[
            Condition(
                text="Amnesty for fighters",
                proposed_by=None,
                outcome="pending",
                evidence=_evidence("an amnesty for fighters"),
            )
        ],
        provenance=_provenance(),
    )


def test_to_json_is_the_record_exactly() -> None:
    record = _record()
    assert to_json(record) == record.model_dump_json(indent=2)
    assert SummaryResult.model_validate_json(to_json(record)) == record


def test_markdown_has_every_part_with_quotes() -> None:
    md = to_markdown(_record(), title="tell-ghazal.txt")
    assert md.startswith("# tell-ghazal.txt\n")
    assert "**Agreement:** Truce of \\[Example\\]  " in md
    assert "**Date:** 2021-03  " in md and "**Stage:** ceasefire  " in md
    assert "A local truce. Signed in March." in md
    assert "- **Party rejects** (signatory, rebel): _rejects_" in md
    assert "  > Party rejects said so." in md  # quotes on one line, in a blockquote
    assert "1. **(3)** Heavy weapons are handed over. _[weapons handover]_" in md
    assert "   > heavy weapons are handed over" in md
    assert "- Amnesty for fighters (proposed by unknown party; outcome: _pending_)" in md
    assert "123 tokens" in md


def test_markdown_of_a_report_without_agreement() -> None:
    empty = SummaryResult(
        agreement=Agreement(), parties=[], articles=[], conditions=[], provenance=_provenance()
    )
    md = to_markdown(empty, title="x")
    assert "_No agreement found in this report._" in md
    assert "## Parties" not in md


def _render(record: SummaryResult) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=160)
    console.print(to_table(record, title="t.txt"))
    return buffer.getvalue()


def test_table_colours_each_stance_and_keeps_brackets_literal() -> None:
    out = _render(_record())
    expected = {
        "accepts": "\x1b[32m",  # green
        "rejects": "\x1b[31m",  # red
        "conditional": "\x1b[33m",  # yellow
        "withdrew": "\x1b[35m",  # magenta
        "unclear": "\x1b[2m",  # dim
    }
    for stance, code in expected.items():
        assert f"{code}{stance}" in out, stance
    assert "Truce of [Example]" in out
    assert "the [bold]faction[/bold]" in out  # text from a report is never markup


def test_markdown_escapes_document_text_so_a_report_adds_no_markup():
    from summarizer.outputs.render import to_markdown

    hostile = "<script>x</script> | pipe | \n# heading [x](javascript:alert(1)) **bold**"
    result = _hostile_result(hostile)
    out = to_markdown(result, title="report")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert not re.search(r"^\s*#\s*heading", out, re.MULTILINE)
    assert not re.search(r"(?<!\\)\]\(javascript:", out)
    assert "\\|" in out and "\\*\\*bold\\*\\*" in out


def test_terminal_output_drops_control_characters():
    from rich.console import Console

    from summarizer.outputs.render import to_table

    result = _hostile_result("clear \x1b[2J\x1b]0;owned\x07 screen")
    console = Console(record=True, width=120, color_system=None)
    console.print(to_table(result, title="r\x1b[31m"))
    text = console.export_text()
    assert "\x1b" not in text and "\x07" not in text
    assert "clear" in text and "screen" in text


def _hostile_result(text: str):
    from summarizer.record.schema import SummaryResult

    quote = {"quote": text, "start": 0, "end": len(text), "alignment": "exact"}
    return SummaryResult.model_validate(
        {
            "agreement": {
                "name": text,
                "date": None,
                "location": text,
                "status": "signed",
                "stage": None,
                "agreement_type": None,
                "summary": None,
            },
            "parties": [
                {
                    "name": text,
                    "aliases": [text],
                    "role": "signatory",
                    "actor_type": "state",
                    "stance": "accepts",
                    "evidence": [quote],
                }
            ],
            "articles": [
                {"number": None, "text": text, "categories": ["other"], "evidence": [quote]}
            ],
            "conditions": [
                {"text": text, "proposed_by": text, "outcome": "pending", "evidence": [quote]}
            ],
            "provenance": {
                "provider": "embedded",
                "model": "m",
                "prompts": [],
                "schema_version": "1",
                "calls": 0,
                "attempts": 0,
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "duration_s": 0.0,
                "source_sha256": "0" * 64,
                "tool_version": "0",
            },
        }
    )


def _with_confidence() -> SummaryResult:
    record = _record()
    return record.model_copy(
        update={
            "articles": [record.articles[0].model_copy(update={"confidence": 0.31})],
            "conditions": [record.conditions[0].model_copy(update={"confidence": 0.92})],
            "parties": [
                p.model_copy(update={"confidence": 0.9, "stance_confidence": 0.4})
                for p in record.parties
            ],
        }
    )


def test_markdown_marks_unsure_items_and_shows_each_confidence():
    md = to_markdown(_with_confidence(), title="t")
    article = next(line for line in md.splitlines() if "Heavy weapons" in line)
    assert "**unsure 0.31**" in article
    condition = next(line for line in md.splitlines() if "Amnesty" in line)
    assert "_confidence 0.92_" in condition
    assert "stance unsure 0.40" in md
    # A record without confidence (older, or a server without token probabilities) shows none.
    assert "confidence" not in to_markdown(_record(), title="t")


def test_the_terminal_table_has_a_sure_column():
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(to_table(_with_confidence(), title="t"))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Sure" in out and "0.31" in out and "unsure" in out
