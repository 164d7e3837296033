"""The corpus table: records in, four tables out, read back with pandas; bad records reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest
from typer.testing import CliRunner

from summarizer import SummaryResult
from summarizer.cli import app
from summarizer.outputs import pax
from summarizer.outputs.countries import actor_code, location_code
from summarizer.outputs.export import CATEGORIES, TABLES
from summarizer.record.schema import AgreementType, Category, Stage

RECORDS = Path(__file__).resolve().parent / "data" / "records" / "dev"
runner = CliRunner()


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    shutil.copytree(RECORDS, folder / "dev")
    return folder


def records() -> dict[str, SummaryResult]:
    return {
        f"dev/{p.stem}": SummaryResult.model_validate_json(p.read_text(encoding="utf-8"))
        for p in sorted(RECORDS.glob("*.json"))
    }


def read_back(fmt: str, out: Path) -> dict[str, pd.DataFrame]:
    if fmt == "xlsx":
        return pd.read_excel(out, sheet_name=None, keep_default_na=False, na_values=[""])
    reader = pd.read_csv if fmt == "csv" else pd.read_parquet
    return {name: reader(out / f"{name}.{fmt}") for name in TABLES}


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_tables_round_trip_with_the_records_counts_and_ids(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("corpus.xlsx" if fmt == "xlsx" else "corpus")
    result = runner.invoke(app, ["export", str(corpus(tmp_path)), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    tables = read_back(fmt, out)
    assert set(tables) == set(TABLES)
    expected = records()
    agreements = tables["agreements"].set_index("record_id")
    assert sorted(agreements.index) == sorted(expected)
    for record_id, record in expected.items():
        row = agreements.loc[record_id]
        assert row["parties"] == len(record.parties)
        assert row["articles"] == len(record.articles)
        assert row["conditions"] == len(record.conditions)
        assert row["source_sha256"] == record.provenance.source_sha256
        assert row["status"] == record.agreement.status
        parties = tables["parties"][tables["parties"]["record_id"] == record_id]
        assert list(parties["name"]) == [p.name for p in record.parties]
        articles = tables["articles"][tables["articles"]["record_id"] == record_id]
        for (_, art_row), article in zip(articles.iterrows(), record.articles, strict=True):
            assert art_row["text"] == article.text
            assert [c for c in CATEGORIES if bool(art_row[f"cat_{c}"])] == [
                c for c in CATEGORIES if c in article.categories
            ]
    for name in ("parties", "articles", "conditions"):
        assert set(tables[name]["record_id"]) <= set(expected)
        assert tables[name].iloc[:, 1].is_unique  # party_id / article_id / condition_id


def test_bad_records_are_named_the_good_ones_exported_exit_1(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    (folder / "truncated.json").write_text(
        (RECORDS / "kabwelu-2020.json").read_text(encoding="utf-8")[:500], encoding="utf-8"
    )
    other = json.loads((RECORDS / "kabwelu-2020.json").read_text(encoding="utf-8"))
    other["provenance"]["schema_version"] = "2"
    (folder / "future.json").write_text(json.dumps(other), encoding="utf-8")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["export", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "skipped" in result.stderr and "truncated.json: not a valid record" in result.stderr
    assert "future.json: schema version 2, this tool reads 1" in result.stderr
    assert "binary.json" in result.stderr and "Traceback" not in result.stderr
    assert len(pd.read_csv(out / "agreements.csv")) == 16
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)


def test_an_empty_folder_is_an_input_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["export", str(tmp_path / "empty"), "-o", str(out)])
    assert result.exit_code == 4 and "no .json records" in result.stderr
    assert not out.exists()


def test_a_folder_of_only_broken_records_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text("{", encoding="utf-8")
    out = tmp_path / "corpus.xlsx"
    result = runner.invoke(app, ["export", str(tmp_path / "in"), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 4 and "no readable record" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_would_start_a_formula_stays_text(tmp_path: Path, fmt: str) -> None:
    record = json.loads((RECORDS / "kabwelu-2020.json").read_text(encoding="utf-8"))
    record["parties"][0]["name"] = '=HYPERLINK("http://x.invalid","click")'
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.json").write_text(json.dumps(record), encoding="utf-8")
    out = tmp_path / ("c.xlsx" if fmt == "xlsx" else "c")
    assert runner.invoke(app, ["export", str(folder), "-f", fmt, "-o", str(out)]).exit_code == 0
    if fmt == "xlsx":
        import openpyxl

        cell = openpyxl.load_workbook(out)["parties"]["C2"]
        assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    else:
        assert pd.read_csv(out / "parties.csv")["name"][0].startswith("'=HYPERLINK")


def test_every_item_table_has_a_confidence_column(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    record = records()["dev/kabwelu-2020"]
    sure = record.model_copy(
        update={
            "articles": [a.model_copy(update={"confidence": 0.25}) for a in record.articles],
            "parties": [p.model_copy(update={"stance_confidence": 0.5}) for p in record.parties],
        }
    )
    (folder / "kabwelu.json").write_text(sure.model_dump_json(), encoding="utf-8")
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["export", str(folder), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    tables = read_back("csv", out)
    assert set(tables["articles"]["confidence"]) == {0.25}
    assert set(tables["parties"]["stance_confidence"]) == {0.5}
    assert tables["parties"]["confidence"].isna().all()  # not computed: empty, never 0
    assert "confidence" in tables["conditions"] and "status_confidence" in tables["agreements"]


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("Bangui", "CAF"),  # a capital
        ("Kinshasa, Democratic Republic of the Congo", "COD"),
        ("Tripoli", None),  # a city of two countries: the text does not settle it
        ("a village near the river", None),
        ("Busra al-Sham", None),  # not GeoNames' "Busra" (Basra, Iraq): whole names only
    ],
)
def test_a_location_gets_a_country_code_only_when_its_name_settles_it(location, code):
    assert location_code(location) == code


def test_a_state_actor_gets_a_country_code_from_its_name_or_aliases_in_its_language():
    assert actor_code(["Syrian government", "Damascus"]) == "SYR"
    assert actor_code(["Government of South Sudan"]) == "SSD"
    assert actor_code(["Gouvernement de la République centrafricaine"], "fr") == "CAF"
    assert actor_code(["Northern Front"]) is None


def test_the_agreement_row_has_a_key_date_precision_and_the_signatories_names(
    tmp_path: Path,
) -> None:
    record = records()["dev/kabwelu-2020"]
    assert any(p.role == "signatory" for p in record.parties)
    folder = tmp_path / "records"
    folder.mkdir()
    shuffled = record.model_copy(
        update={
            "parties": [
                p.model_copy(update={"name": p.name.upper()}) for p in reversed(record.parties)
            ]
        }
    )
    other = record.model_copy(
        update={"agreement": record.agreement.model_copy(update={"date": "1999-01"})}
    )
    for name, r in (("a", record), ("b", shuffled), ("c", other)):
        (folder / f"{name}.json").write_text(r.model_dump_json(), encoding="utf-8")
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["export", str(folder), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = read_back("csv", out)["agreements"].set_index("record_id")
    assert rows.loc["a", "agreement_key"] == rows.loc["b", "agreement_key"]
    assert rows.loc["a", "agreement_key"] != rows.loc["c", "agreement_key"]
    assert rows.loc["c", "date_precision"] == "month"
    signatories = [p.name for p in record.parties if p.role == "signatory"]
    assert rows.loc["a", "signatory_names"] == "; ".join(signatories)


def test_every_closed_set_value_has_its_pax_code_and_the_tables_carry_them(tmp_path: Path) -> None:
    # Every stage, agreement type and category maps (a value added to the record's closed
    # sets without a PA-X mapping fails here); only "other" has no provision column.
    assert set(pax.STAGE) == set(get_args(Stage))
    assert set(pax.AGREEMENT_TYPE) == set(get_args(AgreementType))
    assert set(pax.PROVISIONS) == set(get_args(Category))
    assert [c for c, codes in pax.PROVISIONS.items() if not codes] == ["other"]
    # Each PA-X column once, in the order the categories give them.
    assert pax.provision_codes(["freedom_of_movement", "humanitarian_access"]) == (
        "CprFmov; HrMob; DevHum"
    )
    assert pax.provision_codes(["other"]) is None
    assert (pax.STAGE["ceasefire"], pax.STAGE["comprehensive"]) == ("Cea", "SubComp")
    assert pax.AGREEMENT_TYPE["local"] == "IntraLocal"
    assert pax.provision_codes(["prisoner_release"]) == "TjPrire"
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["export", str(corpus(tmp_path)), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    tables = read_back("csv", out)
    for (name, r), row in zip(
        records().items(), tables["agreements"].to_dict("records"), strict=True
    ):
        assert row["record_id"] == name
        stage, agtp = r.agreement.stage, r.agreement.agreement_type
        assert row["pax_stage"] == (pax.STAGE[stage] if stage else None) or (
            stage is None and pd.isna(row["pax_stage"])
        )
        assert row["pax_agtp"] == (pax.AGREEMENT_TYPE[agtp] if agtp else None) or (
            agtp is None and pd.isna(row["pax_agtp"])
        )
    codes = tables["articles"]["pax_codes"].fillna("")
    ceasefire = tables["articles"]["cat_ceasefire"].astype(bool)
    assert ceasefire.any() and all("Ce" in c.split("; ") for c in codes[ceasefire])
