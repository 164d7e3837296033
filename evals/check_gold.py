"""Check gold files before committing them (labelling guide, section 9).

    python evals/check_gold.py GOLD.json [GOLD.json ...] --documents DIR

The checks live in ``summarizer.outputs.review.gold`` (the review page's import runs them
too): valid against gold.schema.json; every quote is a substring of its document; every
``proposed_by`` is null or a party's name; every alias occurs in the document; the document
is 350-3,000 words; no ``must_not_appear`` entry is as similar to a real gold item as the scorer's
thresholds. Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from summarizer.outputs.review.gold import gold_problems, word_count_note


def problems(gold: dict, text: str) -> list[str]:
    """Every problem of one gold file against its document (the eval set's length included)."""
    note = word_count_note(text)
    return gold_problems(gold, text) + ([note] if note else [])


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
