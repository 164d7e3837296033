"""A corpus table: records of a folder as four tables (agreements, parties, articles, conditions).

One row per agreement, party, article or condition, joined by ``record_id`` (the record file's
path under the folder, without ``.json``). Columns are documented in the README, with the PA-X
and ACLED fields they correspond to. CSV (a folder of four files), Parquet (a folder of four
files) and Excel (one workbook, four sheets) are written by pandas, pyarrow and openpyxl, the
optional extra ``agreement-summarizer[export]``. Records that cannot be read are reported and
left out; every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, get_args

from summarizer.cli.batch import write_atomic_with
from summarizer.errors import ConfigurationError, InputError
from summarizer.record.schema import SCHEMA_VERSION, Category, SummaryResult

ExportFormat = Literal["csv", "parquet", "xlsx"]
TABLES = ("agreements", "parties", "articles", "conditions")
CATEGORIES: tuple[str, ...] = get_args(Category)


@dataclass
class Corpus:
    """The rows of the four tables, and the files that could not be read."""

    tables: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Number of records read."""
        return len(self.tables["agreements"])


def _first(evidence: Sequence[Any]) -> dict[str, Any]:
    """Columns of an item's first evidence span (empty when it has none)."""
    if not evidence:
        return {"evidence_quote": None, "evidence_start": None, "evidence_end": None}
    e = evidence[0]
    return {"evidence_quote": e.quote, "evidence_start": e.start, "evidence_end": e.end}


def _rows(record_id: str, path: Path, r: SummaryResult) -> dict[str, list[dict[str, Any]]]:
    """The rows one record adds to each table."""
    a, p = r.agreement, r.provenance
    agreement = {
        "record_id": record_id,
        "record_file": path.name,
        "source_sha256": p.source_sha256,
        "name": a.name,
        "date": a.date,
        "location": a.location,
        "status": a.status,
        "stage": a.stage,
        "agreement_type": a.agreement_type,
        "parties": len(r.parties),
        "signatories": sum(x.role == "signatory" for x in r.parties),
        "third_parties": sum(x.role in ("guarantor", "mediator") for x in r.parties),
        "rejecting": sum(x.stance in ("rejects", "withdrew") for x in r.parties),
        "articles": len(r.articles),
        "conditions": len(r.conditions),
        "summary": a.summary,
        "provider": p.provider,
        "model": p.model,
        "schema_version": p.schema_version,
        "tool_version": p.tool_version,
    }
    parties = [
        {
            "record_id": record_id,
            "party_id": f"{record_id}#p{i}",
            "name": x.name,
            "aliases": "; ".join(x.aliases),
            "role": x.role,
            "actor_type": x.actor_type,
            "stance": x.stance,
            "evidence_count": len(x.evidence),
            **_first(x.evidence),
        }
        for i, x in enumerate(r.parties, start=1)
    ]
    articles = [
        {
            "record_id": record_id,
            "article_id": f"{record_id}#a{i}",
            "number": x.number,
            "text": x.text,
            **{f"cat_{c}": c in x.categories for c in CATEGORIES},
            "evidence_count": len(x.evidence),
            **_first(x.evidence),
        }
        for i, x in enumerate(r.articles, start=1)
    ]
    conditions = [
        {
            "record_id": record_id,
            "condition_id": f"{record_id}#c{i}",
            "text": x.text,
            "proposed_by": x.proposed_by,
            "outcome": x.outcome,
            "evidence_count": len(x.evidence),
            **_first(x.evidence),
        }
        for i, x in enumerate(r.conditions, start=1)
    ]
    return {
        "agreements": [agreement],
        "parties": parties,
        "articles": articles,
        "conditions": conditions,
    }


def read_corpus(folder: Path) -> Corpus:
    """Read every record (``*.json``, recursively, sorted) under a folder.

    A file that is not a record of this schema version (corrupt, truncated, another tool's or
    another version's) is listed in ``skipped`` with the reason, and the others are read.

    Raises:
        InputError: the folder does not exist or holds no ``.json`` file.
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder.", hint="Give the --out folder of summarize.")
    # merged.json (summarize --merge) is a merged record, not one report's: not a row here.
    paths = sorted(
        p for p in folder.rglob("*.json") if not p.name.startswith(".") and p.name != "merged.json"
    )
    if not paths:
        raise InputError(f"{folder}: no .json records in this folder.")
    corpus = Corpus()
    for path in paths:
        try:
            raw = path.read_text(encoding="utf-8")
            record = SummaryResult.model_validate_json(raw)
        except (OSError, UnicodeDecodeError) as e:
            corpus.skipped.append((path, f"unreadable: {e}"))
            continue
        except ValueError as e:
            version = _schema_version(raw)
            reason = (
                f"schema version {version}, this tool reads {SCHEMA_VERSION}"
                if version not in (None, SCHEMA_VERSION)
                else f"not a valid record ({' '.join(str(e).split())[:160]})"
            )
            corpus.skipped.append((path, reason))
            continue
        if record.provenance.schema_version != SCHEMA_VERSION:
            version = record.provenance.schema_version
            corpus.skipped.append(
                (path, f"schema version {version}, this tool reads {SCHEMA_VERSION}")
            )
            continue
        record_id = path.relative_to(folder).with_suffix("").as_posix()
        for name, rows in _rows(record_id, path, record).items():
            corpus.tables[name].extend(rows)
    return corpus


def _schema_version(raw: str) -> str | None:
    """The ``provenance.schema_version`` of a JSON text, if it has one."""
    import json

    try:
        value = json.loads(raw)["provenance"]["schema_version"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(value)


#: What makes a spreadsheet read a cell as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text cell that no spreadsheet runs: one that would start a formula gets a leading
    apostrophe (report and model text are untrusted, and ``=HYPERLINK(...)`` would run)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _frames(corpus: Corpus) -> dict[str, Any]:
    """pandas DataFrames of the four tables, with stable columns even when empty."""
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError as e:
        raise ConfigurationError(
            "Exporting tables needs pandas, pyarrow and openpyxl.",
            hint='pip install "agreement-summarizer[export]"',
        ) from e
    columns = _columns()
    return {
        name: pd.DataFrame(
            [{k: _inert(v) for k, v in row.items()} for row in corpus.tables[name]],
            columns=columns[name],
        )
        for name in TABLES
    }


def _columns() -> dict[str, list[str]]:
    """Each table's columns, from the rows of a record with one item of each kind.

    Taken from ``_rows`` itself so the header of an empty table can never drift from it.
    """
    from summarizer.record.schema import (
        Agreement,
        Article,
        Condition,
        Evidence,
        Party,
        Provenance,
        Usage,
    )

    ev = [Evidence(quote="x", start=0, end=1, alignment="exact")]
    sample = SummaryResult(
        agreement=Agreement(),
        parties=[Party(name="x", role="other", actor_type="other", stance="unclear", evidence=ev)],
        articles=[Article(text="x", categories=["other"], evidence=ev)],
        conditions=[Condition(text="x", proposed_by=None, outcome="unclear", evidence=ev)],
        provenance=Provenance(
            provider="x",
            model="x",
            prompts=[],
            calls=0,
            attempts=0,
            usage=Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0),
            duration_s=0.0,
            schema_version=SCHEMA_VERSION,
            source_sha256="0" * 64,
            tool_version="0",
        ),
    )
    return {name: list(rows[0]) for name, rows in _rows("", Path("x"), sample).items()}


def write_corpus(corpus: Corpus, fmt: ExportFormat, out: Path) -> list[Path]:
    """Write the tables: a folder of four ``.csv`` or ``.parquet`` files, or one ``.xlsx``.

    Each file is written to a temporary name and moved into place, so a reader never sees a
    half-written table.

    Returns:
        The files written.

    Raises:
        ConfigurationError: the export extra is not installed, or ``out`` cannot be written.
    """
    frames = _frames(corpus)
    try:
        if fmt == "xlsx":
            target = out if out.suffix == ".xlsx" else out.with_suffix(".xlsx")
            target.parent.mkdir(parents=True, exist_ok=True)

            def write_book(tmp: Path) -> None:
                import pandas as pd

                with pd.ExcelWriter(tmp, engine="openpyxl") as book:
                    for name, frame in frames.items():
                        frame.to_excel(book, sheet_name=name, index=False)

            write_atomic_with(target, write_book)
            return [target]
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in frames.items():
            target = out / f"{name}.{fmt}"
            method = frame.to_csv if fmt == "csv" else frame.to_parquet
            write_atomic_with(target, partial(method, index=False))
            written.append(target)
        return written
    except ImportError as e:
        raise ConfigurationError(
            f"Writing {fmt} needs {e.name or 'pyarrow'}.",
            hint='pip install "agreement-summarizer[export]"',
        ) from e
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write the tables to {out}: {e.strerror or e}.",
            hint="Check that the folder is writable and the disk has room.",
        ) from e
