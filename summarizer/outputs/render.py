"""Render a ``SummaryResult`` for people and programs: JSON, Markdown and a terminal view.

``to_json`` is the record exactly as the schema describes it; ``to_markdown`` is a summary to
paste into a report; ``to_table`` builds a rich renderable with one colour per stance.
"""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from summarizer.extract.summary import TRANSLATED
from summarizer.record.schema import Evidence, Stance, SummaryResult

#: Terminal style of each stance.
STANCE_STYLES: dict[Stance, str] = {
    "accepts": "green",
    "rejects": "red",
    "conditional": "yellow",
    "withdrew": "magenta",
    "unclear": "dim",
}


#: Below this calibrated confidence an item is more likely wrong than right: it is marked.
UNSURE = 0.5
#: Below this it is worth a second look (shown in yellow in the terminal).
CHECK = 0.8


def confidence_label(value: float | None) -> str:
    """How sure an item is, in words for a reader: "" when no confidence was computed."""
    if value is None:
        return ""
    return f"{'unsure' if value < UNSURE else 'confidence'} {value:.2f}"


def _md_confidence(value: float | None) -> str:
    """An item's confidence for a Markdown line: bold when it is unsure."""
    label = confidence_label(value)
    if not label:
        return ""
    return f" · **{label}**" if value is not None and value < UNSURE else f" · _{label}_"


def _confidence_text(value: float | None) -> Text:
    """An item's confidence for a table cell, coloured by how sure it is."""
    if value is None:
        return Text("-", style="dim")
    style = "bold red" if value < UNSURE else "yellow" if value < CHECK else "green"
    return Text(f"{value:.2f}" + ("\nunsure" if value < UNSURE else ""), style=style)


def to_json(result: SummaryResult) -> str:
    """Return the record as indented JSON, exactly as the schema describes it."""
    return result.model_dump_json(indent=2)


# Control characters: an ESC sequence in a report could clear or retitle the user's terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters Markdown or HTML would read as markup anywhere in a line: a report must not add
# links, emphasis, code or table cells to the summary (HTML tags are turned into entities).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# What makes a line's start a heading, list item or block quote.
_LINE_START_MARKUP = re.compile(r"^(?=[#>+\-=]|\d+[.)])")


def _one_line(text: str) -> str:
    """Collapse runs of whitespace (quotes may span lines) and drop control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _md(text: str) -> str:
    """Document or model text made inert for Markdown: one line, markup characters escaped."""
    line = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_START_MARKUP.sub("\\\\", _MARKDOWN_SPECIAL.sub(r"\\\1", line))


#: The note that explains the mark of an English rendering (the model's translation).
_TRANSLATED_NOTE = (
    f"{TRANSLATED}: the model's English translation; the original words follow it, and every "
    "quote is in the report's language."
)


def _md_text(text: str, english: str | None) -> str:
    """An item's words for Markdown: the English rendering, marked, with the original beside
    it; the original alone when there is no rendering."""
    if not english:
        return _md(text)
    return f"{_md(english)} _({TRANSLATED}; original: {_md(text)})_"


def _cell_text(text: str, english: str | None) -> Text:
    """An item's words for a table cell: the marked English rendering over the original."""
    if not english:
        return Text(_one_line(text))
    cell = Text(_one_line(english))
    cell.append(f" ({TRANSLATED})", style="italic")
    cell.append(f"\n{_one_line(text)}", style="dim")
    return cell


def _translated(result: SummaryResult) -> bool:
    """True when any part of the record has an English rendering."""
    return bool(
        result.agreement.name_en
        or any(a.text_en for a in result.articles)
        or any(c.text_en for c in result.conditions)
    )


def _is_empty(result: SummaryResult) -> bool:
    """True when the report held no agreement at all."""
    return not (result.parties or result.articles or result.conditions) and (
        result.agreement.status == "unclear" and result.agreement.name is None
    )


def _md_quotes(evidence: list[Evidence], indent: str) -> list[str]:
    """Blockquote lines for an item's evidence, indented under a list item."""
    return [f"{indent}> {_md(e.quote)}" for e in evidence]


def _md_header(result: SummaryResult, title: str) -> list[str]:
    """Title, the summary (it opens the record), then the agreement fields."""
    a = result.agreement
    fields = [
        ("Agreement", _md_text(a.name, a.name_en) if a.name else "(unnamed)"),
        ("Date", (a.date or "unknown") + _md_confidence(a.date_confidence)),
        ("Place", _md(a.location) if a.location else "unknown"),
        ("Status", a.status.replace("_", " ") + _md_confidence(a.status_confidence)),
        ("Stage", (a.stage or "none").replace("_", " ")),
    ]
    if a.agreement_type:
        fields.append(("Type", a.agreement_type.replace("_", "/")))
    lines = [f"# {_md(title)}", ""]
    if a.summary:
        lines += [_md(a.summary), ""]
    # Two trailing spaces force a line break in Markdown.
    lines += [f"**{label}:** {value}  " for label, value in fields]
    if _translated(result):
        lines += ["", f"_{_md(_TRANSLATED_NOTE)}_"]
    return lines


def _md_parties(result: SummaryResult) -> list[str]:
    """The parties section."""
    lines = ["", "## Parties", ""]
    if not result.parties:
        return [*lines, "_None found._"]
    for p in result.parties:
        kind = p.actor_type.replace("_", " ")
        lines.append(
            f"- **{_md(p.name)}** ({p.role}, {kind}): _{p.stance}_{_md_confidence(p.confidence)}"
        )
        if p.stance_confidence is not None or p.role_confidence is not None:
            lines.append(
                f"  stance {confidence_label(p.stance_confidence) or 'not measured'}, "
                f"role {confidence_label(p.role_confidence) or 'not measured'}"
            )
        if p.aliases:
            lines.append(f"  also called: {', '.join(_md(a) for a in p.aliases)}")
        lines += _md_quotes(p.evidence, "  ")
    return lines


def _md_articles(result: SummaryResult) -> list[str]:
    """The numbered articles section."""
    lines = ["", "## Articles", ""]
    if not result.articles:
        return [*lines, "_None found._"]
    for i, art in enumerate(result.articles, start=1):
        label = f"**({_md(art.number)})** " if art.number else ""
        tags = f" _[{', '.join(c.replace('_', ' ') for c in art.categories)}]_"
        lines.append(
            f"{i}. {label}{_md_text(art.text, art.text_en)}{tags if art.categories else ''}"
            f"{_md_confidence(art.confidence)}"
        )
        lines += _md_quotes(art.evidence, "   ")
    return lines


def _md_conditions(result: SummaryResult) -> list[str]:
    """The conditions section."""
    lines = ["", "## Conditions", ""]
    if not result.conditions:
        return [*lines, "_None found._"]
    for c in result.conditions:
        by = _md(c.proposed_by) if c.proposed_by else "unknown party"
        lines.append(
            f"- {_md_text(c.text, c.text_en)} (proposed by {by}; outcome: _{c.outcome}_)"
            f"{_md_confidence(c.confidence)}"
        )
        lines += _md_quotes(c.evidence, "  ")
    return lines


def _provenance_line(result: SummaryResult) -> str:
    """How the record was made, in one line."""
    p = result.provenance
    language = f"language {p.language} · " if p.language else ""
    return (
        f"{p.provider} / {p.model} · {p.calls} calls, {p.attempts} attempts · "
        f"{p.usage.total_tokens:,} tokens · {p.duration_s:.1f} s · {language}"
        f"source sha256 {p.source_sha256[:12]}…"
    )


def to_markdown(result: SummaryResult, *, title: str) -> str:
    """Return a human summary in Markdown, ready to paste into a report.

    Args:
        result: the record.
        title: the heading, usually the document's name.

    Returns:
        Markdown text ending with a newline: agreement fields, parties with role, stance and
        aliases, numbered articles, conditions with proposer and outcome, each item followed
        by its supporting quotes as blockquotes, then a provenance footer.
    """
    lines = _md_header(result, title)
    lines += [f"> **Warning:** {w}" for w in result.provenance.warnings]
    if _is_empty(result):
        lines += ["", "_No agreement found in this report._"]
    else:
        lines += _md_parties(result) + _md_articles(result) + _md_conditions(result)
    lines += ["", "---", "", f"_{_provenance_line(result)}_"]
    return "\n".join(lines) + "\n"


def _quotes_text(evidence: list[Evidence]) -> Text:
    """Evidence quotes for a table cell, in italics."""
    return Text("\n".join(f"“{_one_line(e.quote)}”" for e in evidence), style="italic")


def to_table(result: SummaryResult, *, title: str) -> RenderableType:
    """Return a rich renderable of the record for the terminal, coloured by stance.

    Args:
        result: the record.
        title: the heading, usually the document's name.
    """
    a = result.agreement
    header = Text()
    header.append(f"{_one_line(title)}\n", style="bold underline")
    if a.summary:
        header.append(f"{_one_line(a.summary)}\n")
    named = a.name_en or a.name
    header.append(f"{_one_line(named or '(unnamed agreement)')}", style="bold")
    if a.name and a.name_en:
        header.append(f" ({TRANSLATED}; {_one_line(a.name)})")
    header.append(
        f" · {a.date or 'date unknown'} · {_one_line(a.location or 'place unknown')}"
        f" · status {a.status} · stage {a.stage or 'none'}"
    )
    parts: list[RenderableType] = [header]
    if _is_empty(result):
        parts.append(Text("No agreement found in this report.", style="dim"))
    if result.parties:
        parties = Table(title="Parties", title_justify="left", expand=True, show_lines=True)
        for column in ("Party", "Role", "Stance", "Sure", "Evidence"):
            parties.add_column(column, ratio=3 if column == "Evidence" else None)
        for p in result.parties:
            name = Text(_one_line(p.name), style="bold")
            if p.aliases:
                name.append(f"\naka {', '.join(_one_line(x) for x in p.aliases)}", style="dim")
            parties.add_row(
                name,
                Text(f"{p.role}\n{p.actor_type}"),
                Text(p.stance, style=STANCE_STYLES[p.stance]),
                _confidence_text(p.confidence),
                _quotes_text(p.evidence),
            )
        parts.append(parties)
    if result.articles:
        articles = Table(title="Articles", title_justify="left", expand=True, show_lines=True)
        articles.add_column("#", justify="right")
        articles.add_column("Term", ratio=2)
        articles.add_column("Categories")
        articles.add_column("Sure")
        articles.add_column("Evidence", ratio=2)
        for i, art in enumerate(result.articles, start=1):
            articles.add_row(
                Text(_one_line(art.number or str(i))),
                _cell_text(art.text, art.text_en),
                Text(", ".join(art.categories)),
                _confidence_text(art.confidence),
                _quotes_text(art.evidence),
            )
        parts.append(articles)
    if result.conditions:
        conditions = Table(title="Conditions", title_justify="left", expand=True, show_lines=True)
        conditions.add_column("Condition", ratio=2)
        conditions.add_column("Proposed by")
        conditions.add_column("Outcome")
        conditions.add_column("Sure")
        conditions.add_column("Evidence", ratio=2)
        for c in result.conditions:
            conditions.add_row(
                _cell_text(c.text, c.text_en),
                Text(_one_line(c.proposed_by or "?")),
                Text(c.outcome),
                _confidence_text(c.confidence),
                _quotes_text(c.evidence),
            )
        parts.append(conditions)
    if _translated(result):
        parts.append(Text(_TRANSLATED_NOTE, style="dim"))
    parts += [Text(f"Warning: {w}", style="bold yellow") for w in result.provenance.warnings]
    parts.append(Text(_provenance_line(result), style="dim"))
    return Group(*parts)
