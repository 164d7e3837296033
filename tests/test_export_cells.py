"""Property tests of the CSV and xlsx writers: any string a record can hold is carried safely.

Arbitrary text (control characters, bare CR and LF, lone surrogates, formula prefixes after
whitespace, very long cells) goes into a party's name and the agreement's summary; the tables
are written and read back with pandas. The row count never changes, no cell starts a formula,
CSV gives back exactly the text written (less only what the format cannot hold, counted), and
xlsx cells stay within Excel's limit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import SummaryResult
from summarizer.outputs.export import (
    XLSX_CELL_CHARS,
    CellChanges,
    read_corpus,
    safe_cell,
    write_corpus,
)

RECORDS = Path(__file__).resolve().parent / "data" / "records" / "dev"
BASE = SummaryResult.model_validate_json((RECORDS / "kabwelu-2020.json").read_text("utf-8"))
FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Text with a bias toward what breaks spreadsheets: formula starts, CR/LF, control characters.
#: No lone surrogate: a record file cannot hold one (pydantic refuses it on reading), so only
#: ``safe_cell`` itself is given them.
hostile = st.lists(
    st.one_of(
        st.sampled_from(["=", "+", "-", "@", "\r", "\n", "\t", " ", "\x0c", "\x00", "'", "\uff1d"]),
        st.text(max_size=8),
    ),
    max_size=12,
).map("".join)
with_surrogates = st.lists(st.one_of(hostile, st.just("\ud800"), st.just("\udfff"))).map("".join)


def starts_formula(cell: str) -> bool:
    """What a spreadsheet would run: a formula sign after any leading blanks or controls."""
    return cell.lstrip("".join(chr(c) for c in range(33)) + "\x7f\xa0\u3000\ufeff").startswith(
        FORMULA
    )


def exported(names: list[str], summary: str, fmt: str) -> dict[str, pd.DataFrame]:
    """Write a one-record corpus whose parties and summary are the given texts; read it back."""
    parties = [BASE.parties[0].model_copy(update={"name": n, "aliases": []}) for n in names]
    record = BASE.model_copy(
        update={
            "parties": parties,
            "agreement": BASE.agreement.model_copy(update={"summary": summary}),
        }
    )
    with tempfile.TemporaryDirectory(prefix="cells-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        (folder / "in" / "r.json").write_text(record.model_dump_json(), encoding="utf-8")
        corpus = read_corpus(folder / "in")
        if fmt == "xlsx":
            write_corpus(corpus, "xlsx", folder / "t.xlsx")
            return pd.read_excel(
                folder / "t.xlsx", sheet_name=None, dtype=str, keep_default_na=False
            )
        write_corpus(corpus, "csv", folder / "t")
        return {
            name: pd.read_csv(folder / "t" / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("agreements", "parties")
        }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(hostile, min_size=1, max_size=4), summary=hostile)
def test_csv_round_trips_any_text_with_rows_unchanged_and_no_formula(
    names: list[str], summary: str
) -> None:
    tables = exported(names, summary, "csv")
    assert len(tables["parties"]) == len(names)
    assert len(tables["agreements"]) == 1
    changes = CellChanges()
    expected = [safe_cell(n, "csv", changes) for n in names]
    assert list(tables["parties"]["name"]) == expected
    assert tables["agreements"]["summary"][0] == safe_cell(summary, "csv", changes)
    for cell in [*tables["parties"]["name"], tables["agreements"]["summary"][0]]:
        assert not starts_formula(cell), repr(cell)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(hostile, min_size=1, max_size=3), summary=hostile, long=st.booleans())
def test_xlsx_holds_any_text_with_rows_unchanged_and_no_formula(
    names: list[str], summary: str, long: bool
) -> None:
    summary = summary * (40_000 // max(1, len(summary))) if long and summary else summary
    book = exported(names, summary, "xlsx")
    assert len(book["parties"]) == len(names)
    assert len(book["agreements"]) == 1
    for cell in [*book["parties"]["name"], book["agreements"]["summary"][0]]:
        assert not starts_formula(cell), repr(cell)
        assert len(cell) <= XLSX_CELL_CHARS


@given(text=with_surrogates)
def test_a_safe_cell_is_never_a_formula_and_counts_what_it_replaced(text: str) -> None:
    for fmt in ("csv", "xlsx", "parquet"):
        changes = CellChanges()
        cell = safe_cell(text, fmt, changes)  # type: ignore[arg-type]
        assert not starts_formula(cell)
        assert cell.count("\ufffd") - text.count("\ufffd") == changes.replaced
        cell.encode("utf-8")  # no lone surrogate is left
