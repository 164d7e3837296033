"""Merging several reports' records of one agreement: evidence from each, conflicts kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import SummaryResult
from summarizer.cli import app
from summarizer.merge import Input, merge_records
from summarizer.record.merged import MergedRecord, merged_json_schema

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(__file__).resolve().parent / "data" / "records" / "dev"
runner = CliRunner()


def load(name: str) -> SummaryResult:
    return SummaryResult.model_validate_json((RECORDS / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize("copies", [1, 2, 3])
def test_a_record_merged_with_itself_is_the_record(copies: int) -> None:
    record = load("kabwelu-2020")
    text = (ROOT / "seeds" / "kabwelu-2020.txt").read_text(encoding="utf-8")
    merged = merge_records([Input(record)] * copies).merged
    assert merged.conflicts == []
    assert [s.source_sha256 for s in merged.sources] == [record.provenance.source_sha256] * copies
    for field in ("name", "date", "location", "status", "stage", "agreement_type"):
        assert getattr(merged.agreement, field).value == getattr(record.agreement, field)
    assert [p.name for p in merged.parties] == [p.name for p in record.parties]
    for mp, p in zip(merged.parties, record.parties, strict=True):
        assert (mp.role.value, mp.actor_type.value, mp.stance.value) == (
            p.role,
            p.actor_type,
            p.stance,
        )
        assert sorted(mp.aliases) == sorted(a for a in p.aliases if a != p.name)
        assert mp.sources == [f"s{i}" for i in range(1, copies + 1)]
        first = [e for e in mp.evidence if e.source == "s1"]
        assert [(e.quote, e.start, e.end) for e in first] == [
            (e.quote, e.start, e.end) for e in p.evidence
        ]
    assert [a.text for a in merged.articles] == [a.text for a in record.articles]
    assert [c.text for c in merged.conditions] == [c.text for c in record.conditions]
    for item in [*merged.parties, *merged.articles, *merged.conditions]:
        for e in item.evidence:
            assert text[e.start : e.end] == e.quote


def test_disagreements_are_conflicts_with_each_reports_value_never_resolved() -> None:
    wire = load("kabwelu-2020")
    later = wire.model_copy(deep=True)
    later.agreement.date = "2020-08-03"
    later.parties[0].stance = "withdrew"
    later.parties[0].name = later.parties[0].aliases[0]  # another outlet, another name
    merged = merge_records(
        [Input(wire, "wire.json", "2020-08-02"), Input(later, "local.json", "2020-08-05")]
    ).merged
    fields = {(c.field, c.party) for c in merged.conflicts}
    name = merged.parties[0].name
    assert fields == {("date", None), ("stance", name)}
    assert merged.agreement.date.value is None and merged.agreement.date.conflict
    assert [(v.source, v.value) for v in merged.agreement.date.by_source] == [
        ("s1", "2020-08-02"),
        ("s2", "2020-08-03"),
    ]
    party = merged.parties[0]
    assert party.stance.value is None
    assert [(t.report_date, t.stance) for t in party.stance_over_time] == [
        ("2020-08-02", wire.parties[0].stance),
        ("2020-08-05", "withdrew"),
    ]
    assert wire.parties[0].name in [party.name, *party.aliases]
    assert len(merged.parties) == len(wire.parties)


def test_a_record_of_another_agreement_is_left_out_and_named(tmp_path: Path) -> None:
    args = [str(RECORDS / "kabwelu-2020.json"), str(RECORDS / "kabwelu-2020.json")]
    out = tmp_path / "m.json"
    result = runner.invoke(
        app, ["merge", *args, str(RECORDS / "hpa-lum-2017.json"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "left out hpa-lum-2017.json" in result.stderr
    merged = MergedRecord.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(merged.sources) == 2


def test_unreadable_records_are_named_and_the_rest_merged(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text((RECORDS / "kabwelu-2020.json").read_text()[:300], encoding="utf-8")
    future = json.loads((RECORDS / "kabwelu-2020.json").read_text())
    future["provenance"]["schema_version"] = "9"
    (tmp_path / "future.json").write_text(json.dumps(future), encoding="utf-8")
    out = tmp_path / "m.json"
    result = runner.invoke(
        app,
        [
            "merge",
            str(truncated),
            str(tmp_path / "future.json"),
            str(RECORDS / "kabwelu-2020.json"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "truncated.json: not a record of this tool" in result.stderr
    assert "future.json: schema version 9" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(MergedRecord.model_validate_json(out.read_text()).sources) == 1


def test_nothing_readable_is_an_input_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    out = tmp_path / "m.json"
    result = runner.invoke(app, ["merge", str(tmp_path / "bad.json"), "-o", str(out)])
    assert result.exit_code == 4 and not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.json"]


def test_summarize_merge_prints_one_merged_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import SEED, fake_provider

    monkeypatch.setattr("summarizer.api.open_provider", lambda settings: fake_provider())
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    b.write_text("Another outlet.\n\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(a), str(b), "--merge"])
    assert result.exit_code == 0, result.stderr
    merged = MergedRecord.model_validate_json(result.stdout)
    assert [s.record_file for s in merged.sources] == [str(a), str(b)]
    assert merged.parties and all(p.sources == ["s1", "s2"] for p in merged.parties)


def test_the_committed_merged_schema_is_the_models() -> None:
    committed = json.loads((ROOT / "schemas" / "merged.v1.json").read_text(encoding="utf-8"))
    assert committed == merged_json_schema(), (
        "schemas/merged.v1.json drifted: run python -m summarizer.record.merged > "
        "schemas/merged.v1.json"
    )


def _as_prediction(gold: dict) -> dict:
    """A merged record saying exactly what a merged gold file says."""

    def field(value: object) -> dict:
        return {"value": value, "conflict": value is None, "by_source": []}

    ids = {name: f"s{i}" for i, name in enumerate(gold["documents"], 1)}
    return {
        "sources": [{"id": i, "record_file": n} for n, i in ids.items()],
        "agreement": {k: field(v) for k, v in gold["agreement"].items()},
        "parties": [
            {
                **p,
                "role": field(p["role"]),
                "stance": field(p["stance"]),
                "sources": [ids[d] for d in p["documents"]],
            }
            for p in gold["parties"]
        ],
        "articles": [{**a, "sources": [ids[d] for d in a["documents"]]} for a in gold["articles"]],
        "conditions": [
            {**c, "sources": [ids[d] for d in c["documents"]]} for c in gold["conditions"]
        ],
        "conflicts": [{"field": c["field"], "party": c["party"]} for c in gold["conflicts"]],
    }


def test_the_merged_scorer_gives_1_to_the_gold_and_counts_a_missed_conflict() -> None:
    from summarizer.evaluation.merged_score import MERGED_METRICS, score_merged

    gold = json.loads(
        (ROOT / "evals" / "gold" / "merged" / "plateau-truce-2021.merged.json").read_text()
    )
    perfect = score_merged(_as_prediction(gold), gold)
    assert set(perfect) == set(MERGED_METRICS)
    assert all(v == pytest.approx(1.0) for v in perfect.values()), perfect
    missing = _as_prediction(gold)
    missing["conflicts"] = missing["conflicts"][1:]
    missing["parties"][0]["sources"] = ["s1"]
    worse = score_merged(missing, gold)
    assert worse["merged_conflicts_recall"] == pytest.approx(1 - 1 / len(gold["conflicts"]))
    assert worse["merged_conflicts_precision"] == 1.0
    assert worse["merged_sources_jaccard"] < 1.0


def test_a_generic_name_or_another_year_does_not_make_one_agreement() -> None:
    a, b = load("kabwelu-2020"), load("hpa-lum-2017")
    a.agreement.name = b.agreement.name = "ceasefire agreement"
    assert len(merge_records([Input(a), Input(b)]).left_out) == 1
    c = load("kabwelu-2020")
    c.agreement.date = "2023-01-01"
    assert len(merge_records([Input(load("kabwelu-2020")), Input(c)]).left_out) == 1


def test_a_path_with_an_at_sign_keeps_its_trailing_date(tmp_path: Path) -> None:
    folder = tmp_path / "team@home"
    folder.mkdir()
    shutil.copy(RECORDS / "kabwelu-2020.json", folder / "r.json")
    out = tmp_path / "m.json"
    result = runner.invoke(app, ["merge", f"{folder / 'r.json'}@2020-08-05", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert MergedRecord.model_validate_json(out.read_text()).sources[0].report_date == "2020-08-05"


def test_merge_keeps_each_reports_confidence_and_the_highest_as_the_items() -> None:
    record = load("kabwelu-2020")

    def sure(value: float) -> SummaryResult:
        return record.model_copy(
            update={
                "articles": [a.model_copy(update={"confidence": value}) for a in record.articles]
            }
        )

    merged = merge_records([Input(sure(0.4)), Input(sure(0.7)), Input(record)]).merged
    article = merged.articles[0]
    assert article.confidence == 0.7
    assert [(c.source, c.confidence) for c in article.confidence_by_source] == [
        ("s1", 0.4),
        ("s2", 0.7),
    ]
    assert merged.parties[0].confidence is None  # no report gave one
