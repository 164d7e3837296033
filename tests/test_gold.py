"""Gold files: valid against their schema, and every evidence quote is in its document."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "evals" / "gold").glob("*.json"))
SCHEMA = json.loads((ROOT / "evals" / "gold.schema.json").read_text(encoding="utf-8"))


def test_there_is_a_gold_file_for_every_seed_document():
    documents = {json.loads(p.read_text(encoding="utf-8"))["document"] for p in GOLD}
    assert documents == {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert len(GOLD) >= 12


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_file_is_valid_and_grounded(path: Path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(gold, SCHEMA, cls=jsonschema.Draft202012Validator)
    text = (ROOT / "seeds" / gold["document"]).read_text(encoding="utf-8")
    for kind in ("parties", "articles", "conditions"):
        for item in gold[kind]:
            for ev in item["evidence"]:
                assert ev["quote"] in text, f"{kind}: {ev['quote']!r} is not in the document"
    names = {p["name"] for p in gold["parties"]}
    for condition in gold["conditions"]:
        assert condition["proposed_by"] in names


def test_gold_schema_rejects_a_bad_stance():
    gold = json.loads(GOLD[0].read_text(encoding="utf-8"))
    if not gold["parties"]:
        gold = json.loads(GOLD[1].read_text(encoding="utf-8"))
    gold["parties"][0]["stance"] = "enthusiastic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(gold, SCHEMA, cls=jsonschema.Draft202012Validator)
