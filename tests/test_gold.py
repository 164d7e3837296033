"""Gold files: valid against their schema, grounded in their documents, one per document of
each split, and passing every check of the labelling guide (``evals/check_gold.py``)."""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
EVALS = ROOT / "evals"
SCHEMA = json.loads((EVALS / "gold.schema.json").read_text(encoding="utf-8"))
SPLITS = tomllib.loads((EVALS / "thresholds.toml").read_text(encoding="utf-8"))["splits"]
MERGED_SCHEMA = json.loads((EVALS / "merged-gold.schema.json").read_text(encoding="utf-8"))
GOLD = [
    (name, path, EVALS / entry["documents"])
    for name, entry in SPLITS.items()
    for path in sorted((EVALS / entry["gold"]).glob("*.json"))
    if not path.name.endswith(".merged.json")
]
# Labelled and checked, but not yet in a split of the eval (their answers are recorded later):
# (name, gold folder, documents folder, word range).
WAITING = {
    "agreements-waiting": (
        "gold/agreements-waiting",
        "../seeds/agreements/waiting",
        (400, 6000),
    ),
}
GOLD += [
    (name, path, EVALS / documents)
    for name, (gold, documents, _) in WAITING.items()
    for path in sorted((EVALS / gold).glob("*.json"))
]
MERGED = [
    (name, path, EVALS / entry["documents"])
    for name, entry in SPLITS.items()
    for path in sorted((EVALS / entry["gold"]).glob("*.merged.json"))
]

_spec = importlib.util.spec_from_file_location("check_gold", EVALS / "check_gold.py")
assert _spec is not None and _spec.loader is not None
check_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_gold)


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_every_document_of_a_split_has_one_gold_file(split: str):
    entry = SPLITS[split]
    gold = [g for s, g, _ in GOLD if s == split]
    documents = {json.loads(p.read_text(encoding="utf-8"))["document"] for p in gold}
    assert documents == {p.name for p in (EVALS / entry["documents"]).glob("*.txt")}
    assert len(gold) >= (12 if split in ("dev", "test") else 1)


def test_the_splits_share_no_document():
    seen: set[str] = set()
    for entry in SPLITS.values():
        names = {p.name for p in (EVALS / entry["documents"]).glob("*.txt")}
        assert not seen & names
        seen |= names


@pytest.mark.parametrize("split,path,documents", GOLD, ids=lambda v: getattr(v, "stem", v))
def test_gold_file_passes_the_labelling_checks(split: str, path: Path, documents: Path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(gold, SCHEMA, cls=jsonschema.Draft202012Validator)
    text = (documents / gold["document"]).read_text(encoding="utf-8")
    low, high = WAITING[split][2] if split in WAITING else SPLITS[split].get("words", (350, 3000))
    problems = [p for p in check_gold.problems(gold, text) if not p.startswith("the document has")]
    assert problems == []
    assert low <= len(text.split()) <= high


@pytest.mark.parametrize("split,path,documents", MERGED, ids=lambda v: getattr(v, "stem", v))
def test_merged_gold_names_its_split_reports_and_their_parties(
    split: str, path: Path, documents: Path
):
    merged = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(merged, MERGED_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert all((documents / name).is_file() for name in merged["documents"])
    names = {p["name"] for p in merged["parties"]}
    for item in [*merged["parties"], *merged["articles"], *merged["conditions"]]:
        assert set(item["documents"]) <= set(merged["documents"])
    for conflict in merged["conflicts"]:
        assert conflict["party"] is None or conflict["party"] in names
        assert set(conflict["values"]) <= set(merged["documents"])


def test_gold_schema_rejects_a_bad_stance():
    gold = next(
        json.loads(p.read_text(encoding="utf-8"))
        for _, p, _ in GOLD
        if json.loads(p.read_text(encoding="utf-8"))["parties"]
    )
    gold["parties"][0]["stance"] = "enthusiastic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(gold, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_the_check_catches_a_quote_that_is_not_in_the_document():
    _, path, documents = GOLD[0]
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (documents / gold["document"]).read_text(encoding="utf-8")
    gold["articles"].append(
        {
            "number": None,
            "text": "x",
            "categories": ["other"],
            "evidence": [{"quote": "not in it at all"}],
        }
    )
    assert any("quote not in the document" in p for p in check_gold.problems(gold, text))
