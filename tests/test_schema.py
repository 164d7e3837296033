from __future__ import annotations

import json
import pkgutil
from pathlib import Path

import pytest
from pydantic import ValidationError

import summarizer
from summarizer.record.schema import Agreement, SummaryResult, record_json_schema

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_matches_the_models():
    committed = json.loads((ROOT / "schemas" / "agreement.v1.json").read_text(encoding="utf-8"))
    assert committed == record_json_schema(), (
        "schemas/agreement.v1.json drifted: run python -m summarizer.record.schema > "
        "schemas/agreement.v1.json"
    )


def test_record_has_the_contract_keys():
    props = record_json_schema()["properties"]
    assert set(props) >= {
        "schema_version",
        "agreement",
        "parties",
        "articles",
        "conditions",
        "provenance",
    }
    defs = record_json_schema()["$defs"]
    assert set(defs["Agreement"]["properties"]) == {
        "name",
        "name_en",
        "date",
        "location",
        "status",
        "stage",
        "agreement_type",
        "summary",
        "status_confidence",
        "date_confidence",
    }
    assert set(defs["Party"]["properties"]) == {
        "name",
        "aliases",
        "role",
        "actor_type",
        "stance",
        "evidence",
        "confidence",
        "role_confidence",
        "stance_confidence",
    }
    assert set(defs["Article"]["properties"]) == {
        "number",
        "text",
        "text_en",
        "categories",
        "evidence",
        "confidence",
    }
    assert set(defs["Condition"]["properties"]) == {
        "text",
        "text_en",
        "proposed_by",
        "outcome",
        "evidence",
        "confidence",
        "proposer_confidence",
    }
    assert set(defs["Evidence"]["properties"]) == {
        "quote",
        "start",
        "end",
        "alignment",
        "origin",
        "page",
    }


@pytest.mark.parametrize("good", ["2018", "2018-07", "2018-07-06"])
def test_iso_prefix_dates_are_accepted(good: str):
    assert Agreement(date=good).date == good


@pytest.mark.parametrize("bad", ["Saturday", "2018-13", "18-07-2018", "2018-07-06T10:00"])
def test_other_dates_are_refused(bad: str):
    with pytest.raises(ValidationError):
        Agreement(date=bad)


def test_models_forbid_unknown_fields():
    with pytest.raises(ValidationError):
        SummaryResult.model_validate(
            {
                "agreement": {},
                "parties": [],
                "articles": [],
                "conditions": [],
                "provenance": {},
                "extra": 1,
            }
        )


def test_public_api_is_exactly_all():
    # Submodules show up as attributes once imported; they are not the public surface.
    modules = {m.name for m in pkgutil.iter_modules(summarizer.__path__)}
    public = {name for name in dir(summarizer) if not name.startswith("_")} - {"annotations"}
    assert public - modules == set(summarizer.__all__) - {"__version__"}
