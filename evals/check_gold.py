"""Check gold files before committing them (labelling guide, section 9).

    python evals/check_gold.py GOLD.json [GOLD.json ...] --documents DIR

Checks: valid against gold.schema.json; every quote is a substring of its document; every
``proposed_by`` is a party's name; every alias occurs in the document; the document is 350-3,000
words; no ``must_not_appear`` entry is as similar to a real gold item as the scorer's
thresholds. Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import jsonschema

from summarizer.evaluation.matching import (
    ITEM_THRESHOLD,
    PARTY_THRESHOLD,
    item_similarity,
    party_similarity,
)

SCHEMA = Path(__file__).resolve().parent / "gold.schema.json"
KINDS = {"article": "articles", "condition": "conditions", "party": "parties"}


def problems(gold: dict, text: str) -> list[str]:
    """Every problem of one gold file against its document."""
    found: list[str] = []
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for error in jsonschema.Draft202012Validator(schema).iter_errors(gold):
        found.append(f"schema: {error.json_path}: {error.message}")
    words = len(re.findall(r"\S+", text))
    if not 350 <= words <= 3000:
        found.append(f"document has {words} words (350-3,000)")
    for kind in ("parties", "articles", "conditions"):
        for item in gold.get(kind, []):
            for ev in item.get("evidence", []):
                if ev.get("quote") not in text:
                    found.append(f"{kind}: quote not in the document: {ev.get('quote')!r}")
    names = {p.get("name") for p in gold.get("parties", [])}
    for cond in gold.get("conditions", []):
        if cond.get("proposed_by") not in names:
            found.append(f"condition proposed_by is not a party name: {cond.get('proposed_by')!r}")
    for party in gold.get("parties", []):
        for alias in party.get("aliases", []):
            if alias.casefold() not in text.casefold():
                found.append(f"alias not in the document: {alias!r}")
    for entry in gold.get("must_not_appear", []):
        kind, entry_text = entry.get("kind"), entry.get("text", "")
        for item in gold.get(KINDS.get(kind, ""), []):
            if kind == "party":
                forbidden = {"name": entry_text, "aliases": []}
                close = party_similarity(forbidden, item) >= PARTY_THRESHOLD
            else:
                forbidden = {"text": entry_text, "evidence": []}
                close = item_similarity(forbidden, item, text) >= ITEM_THRESHOLD
            if close:
                label = item.get("name") or item.get("text")
                found.append(f"must_not_appear {entry_text!r} is too close to gold {label!r}")
    return found


def main() -> int:
    """Check the files named on the command line; exit 1 when any has a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--documents", type=Path, required=True)
    args = parser.parse_args()
    bad = 0
    for path in args.gold:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (args.documents / gold["document"]).read_text(encoding="utf-8")
        issues = problems(gold, text)
        bad += bool(issues)
        for issue in issues:
            print(f"{path.name}: {issue}")
        if not issues:
            print(f"{path.name}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
