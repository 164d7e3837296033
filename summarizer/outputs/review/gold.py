"""Gold files: the checks of the labelling guide (section 9), and filing a reviewed one.

The review page saves an analyst's corrected record as a gold file; ``import_gold`` checks it
against its document with the same checks ``evals/check_gold.py`` runs on hand-labelled gold,
and files it where ``summarizer eval`` finds it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

from summarizer.errors import InputError
from summarizer.evaluation.matching import item_similarity
from summarizer.extract.model.prompt import data_dir
from summarizer.text.similarity import ITEM_THRESHOLD, PARTY_THRESHOLD, party_similarity

_KINDS = {"article": "articles", "condition": "conditions", "party": "parties"}
#: Length of the eval set's documents (guide, section 9); outside it a file is still valid.
WORDS_RANGE = (350, 3000)


def gold_schema() -> dict[str, Any]:
    """The JSON Schema of gold files (``evals/gold.schema.json``, shipped in the wheel)."""
    schema: dict[str, Any] = json.loads(
        (data_dir("evals") / "gold.schema.json").read_text(encoding="utf-8")
    )
    return schema


def gold_problems(gold: Any, text: str) -> list[str]:
    """Every problem of one gold file against its document, one line each.

    Checks: valid against the schema; every quote is a substring of the document; every
    ``proposed_by`` is null or a party's name; every alias occurs in the document; no
    ``must_not_appear`` entry is as close to a gold item as the scorer's thresholds.
    """
    found = [
        f"schema: {error.json_path}: {error.message}"
        for error in jsonschema.Draft202012Validator(gold_schema()).iter_errors(gold)
    ]
    if found or not isinstance(gold, dict):
        return found  # the checks below read the file's shape, which the schema vouches for
    for kind in ("parties", "articles", "conditions"):
        for item in gold.get(kind, []):
            for ev in item.get("evidence", []):
                if ev.get("quote") not in text:
                    found.append(f"{kind}: quote not in the document: {ev.get('quote')!r}")
    names = {p.get("name") for p in gold.get("parties", [])}
    for cond in gold.get("conditions", []):
        if cond.get("proposed_by") is not None and cond.get("proposed_by") not in names:
            found.append(f"condition proposed_by is not a party name: {cond.get('proposed_by')!r}")
    for party in gold.get("parties", []):
        for alias in party.get("aliases", []):
            if alias.casefold() not in text.casefold():
                found.append(f"alias not in the document: {alias!r}")
    for entry in gold.get("must_not_appear", []):
        kind, entry_text = entry.get("kind"), entry.get("text", "")
        for item in gold.get(_KINDS.get(kind, ""), []):
            if kind == "party":
                close = party_similarity({"name": entry_text, "aliases": []}, item)
                too_close = close >= PARTY_THRESHOLD
            else:
                forbidden = {"text": entry_text, "evidence": []}
                too_close = item_similarity(forbidden, item, text) >= ITEM_THRESHOLD
            if too_close:
                label = item.get("name") or item.get("text")
                found.append(f"must_not_appear {entry_text!r} is too close to gold {label!r}")
    return found


def word_count_note(text: str) -> str | None:
    """A note when the document is outside the eval set's length range, else None."""
    words = len(re.findall(r"\S+", text))
    low, high = WORDS_RANGE
    if low <= words <= high:
        return None
    return f"the document has {words:,} words; the eval set's reports have {low:,}-{high:,}"


#: Problems named in the message of a refused gold file; the rest are counted.
_PROBLEMS_SHOWN = 10
#: What a gold file's ``document`` may be (the schema's pattern): a bare file name.
_DOCUMENT_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\.txt")


def _named_document(path: Path, name: object) -> Path:
    """The report a gold file names, checked before it is opened.

    Only a bare ``name.txt`` (the schema's pattern) that is a regular file in the gold file's
    own folder is accepted: a path out of the folder, a device or a named pipe is refused
    without being opened (a pipe would hang the import, a device exhaust memory).

    Raises:
        InputError: no name, a name the schema refuses, or not a regular file there.
    """
    from summarizer.io.load import is_regular_file

    if not isinstance(name, str):
        raise InputError(f"{path}: names no document.", hint="Pass --document REPORT.txt.")
    if not _DOCUMENT_NAME.fullmatch(name):
        raise InputError(
            f"{path}: its document {name[:100]!r} is not a plain report name (name.txt).",
            hint="Fix the document field, or pass --document REPORT.txt.",
        )
    folder = path.parent.resolve()
    document = path.parent / name
    if folder not in document.resolve().parents or not is_regular_file(document):
        raise InputError(
            f"{document}: the report this gold file describes is not there (a regular file "
            "beside the gold file).",
            hint="Pass --document REPORT.txt.",
        )
    return document


def import_gold(path: Path, into: Path, document: Path | None, *, force: bool = False) -> Path:
    """Check a saved gold file against its document and file it in ``into``.

    Args:
        path: the gold file the review page saved.
        into: the folder of gold files (for example ``evals/gold/dev``).
        document: the report; by default the file the gold names, next to ``path``.
        force: replace a gold file of the same name.

    Returns:
        Where the gold file was written.

    Raises:
        InputError: the file is unreadable, its document is missing, a check fails, or a
            gold file of that name exists and ``force`` is not set.
    """
    from summarizer.io.files import check_output_file, write_atomic
    from summarizer.io.load import MAX_RECORD_BYTES, read_bounded, read_document

    raw = read_bounded(path, limit=MAX_RECORD_BYTES, what="a gold file", regular_only=True)
    try:
        gold = json.loads(raw)
    except (ValueError, RecursionError) as e:  # RecursionError: nested past Python's stack
        detail = "nested too deeply" if isinstance(e, RecursionError) else str(e)
        raise InputError(f"{path}: not a readable JSON file ({detail[:200]}).") from e
    name = gold.get("document") if isinstance(gold, dict) else None
    if document is None:
        document = _named_document(path, name)
    target = into / f"{Path(str(name)).stem}.json"
    check_output_file(target, [path, document], option="--into")
    text = read_document(document)
    problems = gold_problems(gold, text)
    if problems:
        raise InputError(
            f"{path}: {len(problems)} problem(s) against {document.name}: "
            + "; ".join(problems[:_PROBLEMS_SHOWN])
            + (
                f"; and {len(problems) - _PROBLEMS_SHOWN:,} more"
                if len(problems) > _PROBLEMS_SHOWN
                else ""
            ),
            hint="Fix them in the review page and save again.",
        )
    if target.exists() and not force:
        raise InputError(
            f"{target} already exists.", hint="Pass --force to replace it, or rename the file."
        )
    write_atomic(target, json.dumps(gold, indent=2, ensure_ascii=False) + "\n")
    return target
