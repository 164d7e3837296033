"""A corpus table: records of a folder as four tables (agreements, parties, articles, conditions).

One row per agreement, party, article or condition, joined by ``record_id`` (the record file's
path under the folder, without ``.json``). Columns are documented in the README, with the PA-X
and ACLED fields they correspond to. CSV (a folder of four files), Parquet (a folder of four
files) and Excel (one workbook, four sheets) are written by pandas, pyarrow and openpyxl, the
optional extra ``agreement-summarizer[export]``. Records that cannot be read are reported and
left out; every file is written atomically.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, get_args

from summarizer.errors import ConfigurationError, InputError, UsageError
from summarizer.io.files import check_output_file
from summarizer.io.load import MAX_RECORD_BYTES, is_regular_file, read_bounded
from summarizer.outputs import pax
from summarizer.outputs.countries import actor_code, location_code
from summarizer.record.schema import (
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    Category,
    Source,
    SummaryResult,
)
from summarizer.text.similarity import name_key

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
    #: What the last ``write_corpus`` changed in cells (replaced characters, cut cells).
    changes: CellChanges = field(default_factory=lambda: CellChanges())

    @property
    def records(self) -> int:
        """Number of records read."""
        return len(self.tables["agreements"])


def _first(evidence: Sequence[Any]) -> dict[str, Any]:
    """Columns of an item's first evidence span (empty when it has none)."""
    if not evidence:
        return {
            "evidence_quote": None,
            "evidence_start": None,
            "evidence_end": None,
            "evidence_page": None,
        }
    e = evidence[0]
    return {
        "evidence_quote": e.quote,
        "evidence_start": e.start,
        "evidence_end": e.end,
        "evidence_page": e.page,
    }


#: Roles PA-X counts as third parties beside the signatories (a witness who signs is a
#: third-party signatory there).
_THIRD_PARTY_ROLES = ("guarantor", "mediator", "witness")
#: Actor types whose name may be a state's: a government, its army, a foreign state's forces.
_STATE_TYPES = ("state", "external")
_PRECISION = {4: "year", 7: "month", 10: "day"}


def agreement_key(r: SummaryResult, location_iso3: str | None) -> str:
    """A key for the agreement a record is about, the same for every record that gives the
    same date (as precise as it is), country and signatories, whatever their order or
    spelling of letter case and accents; records that differ in these get different keys
    (``summarize --merge`` reconciles reports of one agreement)."""
    signatories = sorted({name_key(x.name) for x in r.parties if x.role == "signatory"})
    basis = "|".join([r.agreement.date or "-", location_iso3 or "-", *signatories])
    return "agr-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _rows(record_id: str, path: Path, r: SummaryResult) -> dict[str, list[dict[str, Any]]]:
    """The rows one record adds to each table."""
    a, p = r.agreement, r.provenance
    source = r.source or Source()
    location_iso3 = location_code(a.location, p.language)
    agreement = {
        "record_id": record_id,
        "agreement_key": agreement_key(r, location_iso3),
        "record_file": path.name,
        "source_sha256": p.source_sha256,
        "name": a.name,
        # The model's English translation of a report not in English (null otherwise): kept
        # beside the original, never in its place.
        "name_en": a.name_en,
        "date": a.date,
        "date_precision": _PRECISION.get(len(a.date)) if a.date else None,
        "location": a.location,
        "location_iso3": location_iso3,
        "status": a.status,
        "status_confidence": a.status_confidence,
        "date_confidence": a.date_confidence,
        "stage": a.stage,
        "agreement_type": a.agreement_type,
        "pax_stage": pax.STAGE[a.stage] if a.stage else None,
        "pax_agtp": pax.AGREEMENT_TYPE[a.agreement_type] if a.agreement_type else None,
        "pax_provisions": pax.provision_codes(c for x in r.articles for c in x.categories),
        "parties": len(r.parties),
        "signatories": sum(x.role == "signatory" for x in r.parties),
        "third_parties": sum(x.role in _THIRD_PARTY_ROLES for x in r.parties),
        "signatory_names": "; ".join(x.name for x in r.parties if x.role == "signatory"),
        "third_party_names": "; ".join(x.name for x in r.parties if x.role in _THIRD_PARTY_ROLES),
        "rejecting": sum(x.stance in ("rejects", "withdrew") for x in r.parties),
        "articles": len(r.articles),
        "conditions": len(r.conditions),
        "summary": a.summary,
        "language": p.language,
        "translation": p.translation,
        "source_kind": source.kind,
        "source_title": source.title,
        "source_outlet": source.outlet,
        "source_url": source.url,
        "source_published": source.published,
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
            "iso3": actor_code([x.name, *x.aliases], p.language)
            if x.actor_type in _STATE_TYPES
            else None,
            "stance": x.stance,
            "confidence": x.confidence,
            "role_confidence": x.role_confidence,
            "stance_confidence": x.stance_confidence,
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
            "text_en": x.text_en,
            **{f"cat_{c}": c in x.categories for c in CATEGORIES},
            "pax_codes": pax.provision_codes(x.categories),
            "confidence": x.confidence,
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
            "text_en": x.text_en,
            "proposed_by": x.proposed_by,
            "outcome": x.outcome,
            "confidence": x.confidence,
            "proposer_confidence": x.proposer_confidence,
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
        if not is_regular_file(path):
            # Never opened: a named pipe would wait for a writer, a device never end.
            corpus.skipped.append((path, "not a regular file (a device, pipe or socket)"))
            continue
        try:
            data = read_bounded(path, limit=MAX_RECORD_BYTES, what="a record", regular_only=True)
            raw = data.decode("utf-8")
            record = SummaryResult.model_validate_json(raw)
        except InputError as e:
            corpus.skipped.append((path, str(e).removeprefix(f"{path}: ")))
            continue
        except UnicodeDecodeError as e:
            corpus.skipped.append((path, f"unreadable: {e}"))
            continue
        except (ValueError, RecursionError) as e:
            version = _schema_version(raw)
            reason = (
                f"schema version {version}, this tool reads {', '.join(READABLE_SCHEMA_VERSIONS)}"
                if version is not None and version not in READABLE_SCHEMA_VERSIONS
                else f"not a valid record ({' '.join(str(e).split())[:160]})"
            )
            corpus.skipped.append((path, reason))
            continue
        if record.provenance.schema_version not in READABLE_SCHEMA_VERSIONS:
            version = record.provenance.schema_version
            readable = ", ".join(READABLE_SCHEMA_VERSIONS)
            corpus.skipped.append((path, f"schema version {version}, this tool reads {readable}"))
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
    except (ValueError, KeyError, TypeError, RecursionError):
        return None  # RecursionError: nested deeper than Python's stack, so no record either
    return str(value)


#: What makes a spreadsheet read a cell as a formula (OWASP: CSV injection), also after any
#: leading whitespace or control characters, which spreadsheets skip; full-width forms too.
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Characters a cell of each format cannot hold: lone surrogates (no UTF-8 or XML for them),
#: and for xlsx the control characters and non-characters XML 1.0 forbids.
_UNHOLDABLE = {
    "csv": re.compile("[\ud800-\udfff]"),
    "parquet": re.compile("[\ud800-\udfff]"),
    "xlsx": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"),
}
#: Excel's limit on the characters of one cell; a longer text is cut, and the export says so.
XLSX_CELL_CHARS = 32_767
_CUT_MARK = "\u2026"


@dataclass
class CellChanges:
    """What writing cells in a format changed, for the export's summary line."""

    replaced: int = 0
    cut: int = 0

    def notes(self) -> list[str]:
        """One phrase per kind of change, empty when nothing changed."""
        notes = []
        if self.replaced:
            notes.append(
                f"{self.replaced:,} character(s) the format cannot hold replaced by \ufffd"
            )
        if self.cut:
            notes.append(f"{self.cut:,} cell(s) cut to Excel's {XLSX_CELL_CHARS:,} characters")
        return notes


def _starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    stripped = text.lstrip("".join(chr(c) for c in range(33)) + "\x7f\xa0\u3000\ufeff")
    return stripped.startswith(_FORMULA_START)


def safe_cell(value: Any, fmt: ExportFormat, changes: CellChanges) -> Any:
    """A cell that any spreadsheet shows as the text it is, in a form ``fmt`` can hold.

    Text that would start a formula gets a leading apostrophe (report and model text are
    untrusted, and ``=HYPERLINK(...)`` would run); characters the format cannot hold become
    U+FFFD; an xlsx cell past Excel's limit is cut, ending in an ellipsis. Each change is
    counted in ``changes``. Other values pass unchanged.
    """
    if not isinstance(value, str):
        return value
    text, replaced = _UNHOLDABLE[fmt].subn("\ufffd", value)
    changes.replaced += replaced
    if _starts_formula(text):
        text = "'" + text
    if fmt == "xlsx" and len(text) > XLSX_CELL_CHARS:
        text = text[: XLSX_CELL_CHARS - len(_CUT_MARK)] + _CUT_MARK
        changes.cut += 1
    return text


def _frames(corpus: Corpus, fmt: ExportFormat, changes: CellChanges) -> dict[str, Any]:
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
            [
                {k: safe_cell(v, fmt, changes) for k, v in row.items()}
                for row in corpus.tables[name]
            ],
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

    The set is written all or nothing: every table goes to a temporary file first, and only
    when all are written are they moved into place, so a failure leaves the old set whole.
    What writing changed in the cells (replaced characters, cut cells) is kept in
    ``corpus.changes``.

    Returns:
        The files written.

    Raises:
        UsageError: an output is a folder, a device, a pipe or a link, or cannot be written.
        ConfigurationError: the export extra is not installed, or ``out`` cannot be written.
    """
    corpus.changes = CellChanges()
    if fmt == "xlsx":
        targets = [out if out.suffix == ".xlsx" else out.with_suffix(".xlsx")]
    else:
        if out.exists() and not out.is_dir():
            raise UsageError(f"--output {out} is not a folder.", hint="Give a folder for csv.")
        targets = [out / f"{name}.{fmt}" for name in TABLES]
    for target in targets:
        check_output_file(target, [], option="--output")
    frames = _frames(corpus, fmt, corpus.changes)
    try:
        if fmt == "xlsx":

            def write_book(tmp: Path) -> None:
                import pandas as pd

                with pd.ExcelWriter(tmp, engine="openpyxl") as book:
                    for name, frame in frames.items():
                        frame.to_excel(book, sheet_name=name, index=False)

            _write_all([(targets[0], write_book)])
        elif fmt == "csv":
            # CRLF ends rows (RFC 4180), so the csv module quotes every cell holding a CR or
            # an LF; with "\n" alone a bare CR stayed unquoted and split the row on reading.
            _write_all(
                [
                    (t, partial(frame.to_csv, index=False, lineterminator="\r\n"))
                    for t, frame in zip(targets, frames.values(), strict=True)
                ]
            )
        else:
            _write_all(
                [
                    (t, partial(frame.to_parquet, index=False))
                    for t, frame in zip(targets, frames.values(), strict=True)
                ]
            )
        return targets
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


def _write_all(files: Sequence[tuple[Path, Callable[[Path], object]]]) -> None:
    """Write every file to a temporary name beside it, then move them all into place.

    Any failure before the moves removes the temporary files and leaves the old files as
    they were: a reader never sees a set of tables from two exports.
    """
    written: list[tuple[Path, Path]] = []
    try:
        for target, write in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            written.append((Path(name), target))
            write(Path(name))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(name, 0o666 & ~umask)  # mkstemp's 0600 is not what open() would give
        for tmp, target in written:
            os.replace(tmp, target)
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
