"""The review page: one self-contained HTML file per record, and an index of many.

The page holds the report, the record and the allowed values of every enum as JSON in a
``<script type="application/json">`` block, and one inline script (``assets/review.js``)
builds the view from them with ``textContent`` only. A Content-Security-Policy lets only that
script (by its sha256) and the page's own style run, and forbids fetching anything, so the file
works from disk with no network, and a report holding ``<script>`` shows it as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import get_args
from urllib.parse import quote

from summarizer.errors import InputError
from summarizer.extract.summary import compose_summary
from summarizer.io.load import sha256_text
from summarizer.record.schema import (
    ActorType,
    AgreementType,
    Category,
    Outcome,
    Role,
    Stage,
    Stance,
    Status,
    SummaryResult,
)

#: The closed sets the correct mode offers, from the schema's own types.
ENUMS: dict[str, list[str]] = {
    "status": list(get_args(Status)),
    "stage": list(get_args(Stage)),
    "agreement_type": list(get_args(AgreementType)),
    "role": list(get_args(Role)),
    "actor_type": list(get_args(ActorType)),
    "stance": list(get_args(Stance)),
    "outcome": list(get_args(Outcome)),
    "category": list(get_args(Category)),
}


def _asset(name: str) -> str:
    """A file of ``summarizer/review/assets`` (shipped in the wheel)."""
    return resources.files("summarizer.outputs.review").joinpath("assets", name).read_text("utf-8")


def _csp_hash(code: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _script_json(value: object) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def gold_document_name(name: str) -> str:
    """The ``document`` value of a gold file for a report called ``name`` (``a-b-2020.txt``)."""
    stem = re.sub(r"\.(txt|md)$", "", name.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    slug = "-".join(re.findall(r"[a-z0-9]+", stem.casefold()))
    return f"{slug or 'report'}.txt"


def _page(
    title: str, body: str, *, script: str = "", data: object = None, body_class: str = ""
) -> str:
    """A complete page with the shared style, an optional script and its JSON data."""
    style = _asset("review.css")
    scripts = _csp_hash(script) if script else "'none'"
    policy = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(style)}; script-src {scripts}; "
        "base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{style}</style></head>",
        f'<body class="{body_class}">{body}',
    ]
    if data is not None:
        parts.append(
            f'<script type="application/json" id="review-data">{_script_json(data)}</script>'
        )
    if script:
        parts.append(f"<script>{script}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _provenance(result: SummaryResult) -> str:
    """The foot line: model, prompts, tokens, seconds."""
    p = result.provenance
    prompts = ", ".join(f"{r.id} v{r.version}" for r in p.prompts) or "none"
    return html.escape(
        f"{p.provider} · {p.model} · prompts {prompts} · {p.calls} calls, {p.attempts} attempts · "
        f"{p.usage.total_tokens:,} tokens ({p.usage.completion_tokens:,} generated) · "
        f"{p.duration_s:g} s · agreement-summarizer {p.tool_version} · source sha256 "
        f"{p.source_sha256[:12]}…"
    )


def _check_evidence(result: SummaryResult, text: str, title: str) -> None:
    """Refuse a record whose evidence does not read, at its offsets, the quote it claims.

    The page marks what it shows at those offsets as grounded: a record edited by hand (or by
    another tool) with the right source hash but moved offsets would show a wrong sentence as
    the evidence.

    Raises:
        InputError: naming the first mismatching evidence.
    """
    for kind, items in (
        ("party", result.parties),
        ("article", result.articles),
        ("condition", result.conditions),
    ):
        for item in items:
            for ev in item.evidence:
                if text[ev.start : ev.end] != ev.quote:
                    raise InputError(
                        f"{title}: a {kind}'s evidence at {ev.start}-{ev.end} does not read "
                        f"{ev.quote[:60]!r} in the report.",
                        hint="The record was changed after it was made: summarize the report "
                        "again.",
                    )


def review_page(result: SummaryResult, text: str | None, *, title: str) -> str:
    """The review page of one record.

    Args:
        result: the record.
        text: the report it was made from, or None (evidence then shows in the panel only).
        title: the document's name, shown as the heading and used for the saved gold file.

    Raises:
        InputError: ``text`` is not the text the record was made from (its sha256 differs),
            or an evidence span does not read its quote there.
    """
    if text is not None and sha256_text(text) != result.provenance.source_sha256:
        raise InputError(
            f"{title}: this is not the text the record was made from (sha256 differs).",
            hint="Pass the report the record was made from with --document.",
        )
    if text is not None:
        _check_evidence(result, text, title)
    # A record made before summaries were composed gets one from the same grounded fields.
    r = result
    summary = r.agreement.summary or compose_summary(
        r.agreement, r.parties, r.articles, r.conditions
    )
    toolbar = """
<div class="toolbar">
  <button type="button" id="toggle-correct">Correct</button>
  <button type="button" id="order-unsure">Least sure first</button>
  <button type="button" class="correct-only" id="add-party">Add party from selection</button>
  <button type="button" class="correct-only" id="add-article">Add article from selection</button>
  <button type="button" class="correct-only" id="add-condition">Add condition from selection
  </button>
  <button type="button" class="correct-only" id="add-evidence">Add evidence to selected item
  </button>
  <button type="button" class="correct-only primary" id="save-gold">Save gold</button>
  <span class="legend"><span><i class="swatch k-a"></i>article</span>
    <span><i class="swatch k-c"></i>condition</span><span><i class="swatch k-p"></i>party</span>
  </span>
  <span id="message" role="status"></span>
</div>"""
    # The report's own language and direction (right to left for Arabic script), so a browser
    # shapes and orders it as written.
    language = result.provenance.language
    lang = f' lang="{html.escape(language, quote=True)}"' if language else ""
    body = f"""
<header>
  <h1>{html.escape(title)}</h1>
  <p id="summary">{html.escape(summary or "No agreement found in this report.")}</p>
  {toolbar}
</header>
<main>
  <div id="doc" aria-label="report" dir="auto"{lang}></div>
  <div id="panel">
    <h2>Agreement</h2><table class="fields" id="fields"></table>
    <h2>Parties (<span id="count-parties"></span>)</h2><div id="list-parties"></div>
    <h2>Articles (<span id="count-articles"></span>)</h2><div id="list-articles"></div>
    <h2>Conditions (<span id="count-conditions"></span>)</h2><div id="list-conditions"></div>
  </div>
</main>
<footer id="provenance">{_provenance(result)}</footer>"""
    data = {
        "text": text,
        "record": result.model_dump(mode="json"),
        "enums": ENUMS,
        "gold_document": gold_document_name(title),
    }
    return _page(f"Review: {title}", body, script=_asset("review.js"), data=data)


@dataclass(frozen=True)
class IndexEntry:
    """One document of an index page."""

    name: str
    #: The page's path relative to the index (``/``-separated).
    href: str
    result: SummaryResult


def index_page(entries: Sequence[IndexEntry], *, title: str = "Agreement records") -> str:
    """An index of review pages: each document with its status, counts and a link."""
    rows = []
    for e in entries:
        a, parties = e.result.agreement, e.result.parties
        refusing = sum(p.stance in ("rejects", "withdrew") for p in parties)
        cells = [
            f'<a href="./{html.escape(quote(e.href), quote=True)}">{html.escape(e.name)}</a>',
            html.escape(a.name or "—"),
            html.escape(a.date or "—"),
            html.escape(a.status),
            str(len(parties)),
            str(refusing),
            str(len(e.result.articles)),
            str(len(e.result.conditions)),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<td><b>{h}</b></td>"
        for h in (
            "document",
            "agreement",
            "date",
            "status",
            "parties",
            "refusing",
            "articles",
            "conditions",
        )
    )
    body = (
        f"<header><h1>{html.escape(title)}</h1><p>{len(entries)} documents</p></header>"
        f'<div id="panel"><table class="fields" id="index"><tr>{head}</tr>{"".join(rows)}'
        "</table></div>"
    )
    return _page(title, body, body_class="index")
