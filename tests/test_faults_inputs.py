"""The fault suite of issue 24: nothing a user gives the tool destroys their files or exhausts
the machine.

One test per defect of the issue and per minor item fixed. Each checks the exit code, the
message, a time bound, that no input changed and that no partial file is left; where memory
is at stake the CLI runs in a child process under an address-space limit (``limited``) and its
peak resident memory is checked too. Model calls go to a fake OpenAI-compatible server on
127.0.0.1 (``loopback``), or to a fake in-process runtime for the embedded provider.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fakes import SEED, FakeChatServer
from loopback import Reply, chat_answers, loopback
from typer.testing import CliRunner

from summarizer import Settings, Summarizer, SummaryResult
from summarizer.cli import app
from summarizer.cli.batch import BatchOptions, Events, run_batch
from summarizer.cli.documents import discover
from summarizer.merge import Input, merge_records
from summarizer.providers import Provider, ProviderInfo
from summarizer.providers.transport import InProcessTransport

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(__file__).resolve().parent / "data" / "records" / "dev"
SEED_TEXT = SEED.read_text(encoding="utf-8")
#: A URL nothing listens on: a test that reaches it has sent a request it should not have.
NOWHERE = "http://127.0.0.1:9/v1"
runner = CliRunner()


# --- helpers -----------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under a folder and its bytes (pipes and devices left out)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def no_leftovers(folder: Path) -> None:
    """No temporary or hidden file under ``folder``."""
    assert [p.name for p in folder.rglob("*") if p.name.startswith(".") or ".tmp" in p.name] == []


def cli(*args: str, **kwargs: Any) -> tuple[Any, float]:
    """Run the CLI in-process; the result and its wall seconds."""
    started = time.monotonic()
    result = runner.invoke(app, list(args), **kwargs)
    return result, time.monotonic() - started


@dataclass
class Child:
    """What a CLI run in a child process did."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def limited(
    *args: str, memory_mb: int = 1024, stdin: Path | None = None, timeout: float = 60.0
) -> Child:
    """Run the CLI in a child process whose address space is capped at ``memory_mb``.

    The child is killed after ``timeout`` seconds (a hang is a failure, not a stuck suite);
    its peak resident memory is what the child's own kernel record (VmHWM) says at its exit.
    """
    # The child caps its own address space and, at exit, writes its peak resident memory
    # (VmHWM). The kernel's rusage of a child is no measure here: it counts the pages of the
    # parent the child was forked from, so a test process that has grown (a country index,
    # a browser driver) would look like a child that used that much.
    peak_file = Path(tempfile.mkdtemp()) / "peak"
    code = (
        "import atexit, resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}))\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        f"            open({str(peak_file)!r}, 'w').write(line.split()[1])\n"
        "atexit.register(peak)\n"
        "from summarizer.cli import app\n"
        "sys.argv[0] = 'summarizer'\n"
        "app()\n"
    )
    # The code under test: this checkout, unless PYTHONPATH names another on purpose.
    code_path = os.environ.get("PYTHONPATH") or str(ROOT)
    env = {**os.environ, "PYTHONPATH": code_path, "OPENBLAS_NUM_THREADS": "1"}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_PROVIDER", "SUMMARIZER_DEBUG"):
        env.pop(name, None)

    with open(stdin or os.devnull, "rb") as given:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=given,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        out: list[bytes] = []
        reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))  # type: ignore[union-attr]
        reader.start()
        stderr = proc.stderr.read()  # type: ignore[union-attr]
        status = proc.wait()
        killer.cancel()
        reader.join()
        seconds = time.monotonic() - started
    try:
        peak_mb = int(peak_file.read_text()) / 1024
    except (OSError, ValueError):
        peak_mb = float("inf")  # killed, or died before its exit handlers ran
    shutil.rmtree(peak_file.parent, ignore_errors=True)
    return Child(
        code=status,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=stderr.decode("utf-8", "replace"),
        seconds=seconds,
        peak_mb=peak_mb,
    )


def record_copy(folder: Path, name: str = "kabwelu-2020") -> tuple[Path, Path]:
    """A dev record and its report, copied into ``folder``: (record, report)."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "r.json"
    report = folder / "r.txt"
    record.write_bytes((RECORDS / f"{name}.json").read_bytes())
    report.write_bytes((ROOT / "seeds" / f"{name}.txt").read_bytes())
    return record, report


def with_parties(record: SummaryResult, *names: str) -> SummaryResult:
    """A copy of a record whose parties are renamed to ``names`` (aliases dropped)."""
    base = record.parties[0]
    parties = [base.model_copy(update={"name": n, "aliases": []}) for n in names]
    return record.model_copy(update={"parties": parties})


def nested(depth: int) -> str:
    """A JSON text nested ``depth`` lists deep."""
    return "[" * depth + "]" * depth


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe that nobody ever writes to."""
    path = tmp_path / "fifo.txt"
    os.mkfifo(path)
    yield path


# --- 1. ordinary commands destroyed their inputs ------------------------------------------------


@pytest.mark.parametrize("onto", ["r.json", "r.txt"])
def test_review_output_onto_its_record_or_report_is_refused(tmp_path: Path, onto: str) -> None:
    record, report = record_copy(tmp_path / "in")
    before = snapshot(tmp_path)
    result, seconds = cli(
        "review", str(record), "--document", str(report), "-o", str(tmp_path / "in" / onto)
    )
    assert result.exit_code == 2, result.stderr
    assert "is one of this command's inputs" in result.stderr
    assert snapshot(tmp_path) == before
    no_leftovers(tmp_path)
    assert seconds < 10


def test_summarize_markdown_into_the_reports_folder_never_replaces_a_report(
    tmp_path: Path,
) -> None:
    (tmp_path / "report.md").write_text(SEED_TEXT, encoding="utf-8")
    before = snapshot(tmp_path)
    with loopback(chat_answers()) as server:
        result, seconds = cli(
            "summarize", str(tmp_path / "report.md"), "--out", str(tmp_path), "--format",
            "markdown", "--base-url", server.url,
        )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "over the input" in result.stderr
    assert server.seen == []  # refused before any model call
    assert snapshot(tmp_path) == before
    no_leftovers(tmp_path)
    assert seconds < 10


def test_merge_output_onto_an_input_record_is_refused(tmp_path: Path) -> None:
    record, _ = record_copy(tmp_path)
    other = tmp_path / "b.json"
    other.write_bytes(record.read_bytes())
    before = snapshot(tmp_path)
    result, seconds = cli("merge", str(record), f"{other}@2020-05-06", "-o", str(other))
    assert result.exit_code == 2
    assert "is one of this command's inputs" in result.stderr
    assert snapshot(tmp_path) == before
    no_leftovers(tmp_path)
    assert seconds < 10


def test_jsonl_onto_the_report_is_refused_before_any_request(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(SEED_TEXT, encoding="utf-8")
    with loopback(chat_answers()) as server:
        result, seconds = cli(
            "summarize", str(report), "--jsonl", str(report), "--base-url", server.url
        )
    assert result.exit_code == 2
    assert "--jsonl" in result.stderr and "would destroy it" in result.stderr
    assert server.seen == []
    assert report.read_text(encoding="utf-8") == SEED_TEXT
    assert seconds < 10


def test_gold_import_onto_the_gold_file_itself_is_refused(tmp_path: Path) -> None:
    gold = tmp_path / "kabwelu-2020.json"
    gold.write_bytes((ROOT / "evals" / "gold" / "dev" / "kabwelu-2020.json").read_bytes())
    (tmp_path / "kabwelu-2020.txt").write_bytes((ROOT / "seeds" / "kabwelu-2020.txt").read_bytes())
    before = snapshot(tmp_path)
    result, seconds = cli("review", "--import", str(gold), "--into", str(tmp_path), "--force")
    assert result.exit_code == 2
    assert "is one of this command's inputs" in result.stderr
    assert snapshot(tmp_path) == before
    assert seconds < 10


# --- 2. unbounded reads -------------------------------------------------------------------------


def test_jsonl_on_a_device_is_refused_at_once_in_bounded_memory(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(SEED_TEXT, encoding="utf-8")
    child = limited("summarize", str(report), "--jsonl", "/dev/full", "--base-url", NOWHERE)
    assert child.code == 2, child.stderr
    assert "not a regular file" in child.stderr
    assert child.seconds < 30 and child.peak_mb < 400


def test_a_device_as_a_report_is_read_to_the_bound_only(tmp_path: Path) -> None:
    child = limited("summarize", "/dev/zero", "--base-url", NOWHERE)
    assert child.code == 4, child.stderr
    assert "/dev/zero: more than 2,000,000 bytes is too large" in child.stderr
    assert "This is a bug" not in child.stderr
    assert child.seconds < 30 and child.peak_mb < 400


def test_endless_standard_input_is_read_to_the_bound_only() -> None:
    child = limited("summarize", "-", "--base-url", NOWHERE, stdin=Path("/dev/zero"))
    assert child.code == 4, child.stderr
    assert "<stdin>: more than 2,000,000 bytes is too large" in child.stderr
    assert child.seconds < 30 and child.peak_mb < 400


def test_huge_server_answers_are_cut_and_fail_their_document_only(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(f"Report {i}.\n\n{SEED_TEXT}", encoding="utf-8")
    body = b'{"choices": [{"message": {"content": "' + b"x" * 50_000_000 + b'"}}]}'
    out = tmp_path / "out"
    with loopback(lambda request: Reply(body=body)) as server:
        child = limited("summarize", str(folder), "--out", str(out), "--base-url", server.url)
    assert child.code == 1, child.stderr
    assert child.stderr.count("more than 8,000,000 bytes") == 3
    assert "summary: 0 done, 0 skipped, 3 failed" in child.stderr
    assert len(server.seen) == 3  # never retried: the same request brings the same answer
    assert child.seconds < 60 and child.peak_mb < 500
    assert not out.exists() or (no_leftovers(out) is None and list(out.rglob("*.json")) == [])


# --- 3. a gold file's document path, and pipes among records ------------------------------------


def gold_naming(folder: Path, document: str) -> Path:
    """A dev gold file whose ``document`` is replaced, saved in ``folder``."""
    gold = json.loads((ROOT / "evals" / "gold" / "dev" / "kabwelu-2020.json").read_text("utf-8"))
    gold["document"] = document
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "g.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


@pytest.mark.parametrize("document", ["../fifo.txt", "../../../../../../../../dev/zero"])
def test_a_gold_file_naming_a_path_out_of_its_folder_is_refused_unopened(
    tmp_path: Path, fifo: Path, document: str
) -> None:
    gold = gold_naming(tmp_path / "saved", document)
    into = tmp_path / "gold"
    child = limited("review", "--import", str(gold), "--into", str(into), timeout=30)
    assert child.code == 4, child.stderr
    assert "is not a plain report name" in child.stderr
    assert child.seconds < 30 and child.peak_mb < 400
    assert not into.exists()


def test_a_gold_file_naming_a_pipe_beside_it_is_refused_unopened(tmp_path: Path) -> None:
    gold = gold_naming(tmp_path, "kabwelu-2020.txt")
    os.mkfifo(tmp_path / "kabwelu-2020.txt")
    child = limited("review", "--import", str(gold), "--into", str(tmp_path / "gold"), timeout=30)
    assert child.code == 4, child.stderr
    assert "a regular file beside the gold file" in child.stderr
    assert child.seconds < 30


def test_a_named_pipe_among_records_is_skipped_and_the_rest_exported(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.json").write_bytes((RECORDS / "kabwelu-2020.json").read_bytes())
    os.mkfifo(folder / "x.json")
    out = tmp_path / "tables"
    child = limited("export", str(folder), "-o", str(out), timeout=60)
    assert child.code == 1, child.stderr
    assert "x.json: not a regular file" in child.stderr
    assert "1 file(s) skipped" in child.stderr
    assert len(pd.read_csv(out / "agreements.csv")) == 1
    assert child.seconds < 60
    no_leftovers(out)


# --- 4. usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review"], "give a RECORD.json"),
        (["review", "--import", "g.json"], "--import needs --into FOLDER"),
        (["summarize", "a.txt", "b.txt", "--format", "html"], "needs --out DIR"),
        (["summarize", "a.txt", "--context-tokens", str(10**9)], "--context-tokens"),
    ],
)
def test_usage_errors_exit_2_with_typers_message(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SEED_TEXT, encoding="utf-8")
    result, seconds = cli(*args, "--base-url", NOWHERE) if args[0] == "summarize" else cli(*args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "This is a bug" not in result.stderr and "Traceback" not in result.stderr
    assert seconds < 10


# --- 5-7. export -------------------------------------------------------------------------------


def export_of(tmp_path: Path, *records: SummaryResult, fmt: str = "csv") -> tuple[Any, Path]:
    """Export records through the CLI; the result and the output path."""
    folder = tmp_path / "records"
    folder.mkdir(exist_ok=True)
    for i, record in enumerate(records):
        (folder / f"r{i}.json").write_text(record.model_dump_json(), encoding="utf-8")
    out = tmp_path / ("corpus.xlsx" if fmt == "xlsx" else "corpus")
    result, _ = cli("export", str(folder), "--format", fmt, "-o", str(out))
    return result, out


def base_record() -> SummaryResult:
    return SummaryResult.model_validate_json((RECORDS / "kabwelu-2020.json").read_text("utf-8"))


def test_a_bare_carriage_return_cannot_split_a_csv_row_or_start_a_formula(tmp_path: Path) -> None:
    record = with_parties(base_record(), "\r=1+1", "a\rb", "\n@SUM(A1)", " \t=HYPERLINK(1)", "ok")
    result, out = export_of(tmp_path, record)
    assert result.exit_code == 0, result.stderr
    parties = pd.read_csv(out / "parties.csv", dtype=str, keep_default_na=False)
    assert len(parties) == 5
    for cell in parties["name"]:
        assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")), repr(cell)
    assert list(parties["name"])[1] == "a\rb"
    no_leftovers(out)


def test_control_characters_in_xlsx_are_replaced_and_counted(tmp_path: Path) -> None:
    record = base_record()
    record = record.model_copy(
        update={"agreement": record.agreement.model_copy(update={"summary": "Page\x0cbreak\x01"})}
    )
    result, out = export_of(tmp_path, record, fmt="xlsx")
    assert result.exit_code == 0, result.stderr
    assert "2 character(s) the format cannot hold replaced" in result.stderr
    book = pd.read_excel(out, sheet_name=None)
    assert book["agreements"]["summary"][0] == "Page\ufffdbreak\ufffd"
    no_leftovers(tmp_path)


def test_a_deeply_nested_record_is_skipped_and_the_rest_exported(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.json").write_bytes((RECORDS / "kabwelu-2020.json").read_bytes())
    (folder / "deep.json").write_text('{"provenance": ' + nested(100_000) + "}")
    result, seconds = cli("export", str(folder), "-o", str(tmp_path / "t"))
    assert result.exit_code == 1, result.stderr
    assert "skipped" in result.stderr and "deep.json" in result.stderr
    assert len(pd.read_csv(tmp_path / "t" / "agreements.csv")) == 1
    assert seconds < 20


def test_a_deeply_nested_gold_file_is_an_input_error(tmp_path: Path) -> None:
    gold = tmp_path / "g.json"
    gold.write_text(nested(100_000))
    result, _ = cli("review", "--import", str(gold), "--into", str(tmp_path / "gold"))
    assert result.exit_code == 4, result.stderr
    assert "nested too deeply" in result.stderr
    assert not (tmp_path / "gold").exists()


# --- 8. merge ----------------------------------------------------------------------------------


def test_merge_keeps_actors_that_differ_by_a_number_or_a_code_apart(tmp_path: Path) -> None:
    record = base_record()
    a = with_parties(record, "Army Division 25", "Unit0-Omega Front")
    b = with_parties(record, "Army Division 26", "Unit1-Omega Front")
    outcome = merge_records([Input(a, "a.json"), Input(b, "b.json")])
    for party in outcome.merged.parties:
        assert len(party.sources) == 1, party
    # Through the CLI, the second record shares no actor: another agreement, named.
    (tmp_path / "a.json").write_text(a.model_dump_json())
    (tmp_path / "b.json").write_text(b.model_dump_json())
    result, seconds = cli("merge", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    merged = json.loads(result.stdout)
    names = [p["name"] for p in merged["parties"]]
    assert not {"Army Division 25", "Army Division 26"} <= set(names) or all(
        len(p["sources"]) == 1 for p in merged["parties"]
    )
    assert seconds < 10


def test_merge_still_joins_two_spellings_of_one_numbered_actor() -> None:
    record = base_record()
    a = with_parties(record, "25th Army Division", "Syrian government")
    b = with_parties(record, "25th Army Divison", "Syrian Government")
    outcome = merge_records([Input(a, "a.json"), Input(b, "b.json")])
    assert [len(p.sources) for p in outcome.merged.parties] == [2, 2]


# --- 9. a slow request on the embedded model ----------------------------------------------------


class SlowRuntime(FakeChatServer):
    """The embedded runtime, faked: seed answers, slow for the report holding ``marker``."""

    def __init__(self, marker: str, seconds: float) -> None:
        super().__init__()
        self.marker, self.seconds = marker, seconds

    def handle_chat_completions(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.marker in json.dumps(request.get("messages", [])):
            time.sleep(self.seconds)
        return super().handle_chat_completions(request)


def embedded_batch(folder: Path, out: Path, timeout: float | None) -> Any:
    """Run a batch on a fake embedded runtime where report 1's calls take 0.6 s each."""
    settings = Settings(provider="embedded", timeout=timeout, document_timeout=None)
    info = ProviderInfo(name="embedded", model="fake", context_tokens=8192)

    def open_summarizer() -> Summarizer:
        provider = Provider(
            info,
            InProcessTransport(SlowRuntime("Report 1.", 0.6)),
            settings,
            base_url="http://embedded.invalid/v1",
            api_key="embedded",
        )
        return Summarizer(settings, provider=provider)

    return run_batch(
        discover([str(folder)]), open_summarizer, BatchOptions(out_dir=out), Events(),
        stdin=lambda: b"",
    )  # fmt: skip


def test_a_slow_embedded_request_fails_its_document_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(f"Report {i}.\n\n{SEED_TEXT}", encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    report = embedded_batch(folder, out, timeout=0.3)
    seconds = time.monotonic() - started
    assert report.fatal is None  # the batch went on
    status = {o.document.name.rsplit("/", 1)[-1]: o.status for o in report.outcomes}
    assert status == {"r0.txt": "done", "r1.txt": "failed", "r2.txt": "done"}
    failed = next(o for o in report.outcomes if o.status == "failed")
    assert "did not answer one request within --timeout 0.3 s" in str(failed.error)
    assert sorted(p.name for p in out.glob("*.json")) == ["r0.json", "r2.json"]
    no_leftovers(out)
    assert seconds < 30


def test_the_embedded_model_has_no_request_deadline_unless_one_is_set(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r1.txt").write_text(f"Report 1.\n\n{SEED_TEXT}", encoding="utf-8")
    report = embedded_batch(folder, tmp_path / "out", timeout=None)
    assert [o.status for o in report.outcomes] == ["done"]


# --- 10. the minor items that were fixed --------------------------------------------------------


def test_review_refuses_evidence_that_does_not_read_its_quote(tmp_path: Path) -> None:
    record, report = record_copy(tmp_path)
    data = json.loads(record.read_text(encoding="utf-8"))
    ev = data["parties"][0]["evidence"][0]
    ev["start"], ev["end"] = ev["start"] + 1, ev["end"] + 1
    record.write_text(json.dumps(data), encoding="utf-8")
    page = tmp_path / "p.html"
    result, _ = cli("review", str(record), "--document", str(report), "-o", str(page))
    assert result.exit_code == 4
    assert "does not read" in result.stderr
    assert not page.exists()


def test_debug_tracebacks_mask_a_key_the_server_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_DEBUG", "1")
    key = "sk-live-abcdefghijklmnopqrstuvwx"

    def respond(request: dict[str, Any]) -> Reply:
        return Reply.json({"error": {"message": f"bad key {key}"}}, status=400)

    with loopback(respond) as server:
        result, _ = cli("summarize", str(SEED), "--base-url", server.url)
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert key not in result.stderr


def test_escape_sequences_in_file_names_reach_stderr_as_text(tmp_path: Path) -> None:
    name = tmp_path / "a\x1b]0;owned\x07\x1b[2J.txt"
    good = tmp_path / "b.txt"
    good.write_text(SEED_TEXT, encoding="utf-8")
    with loopback(chat_answers()) as server:
        result, _ = cli("summarize", str(name), str(good), "--base-url", server.url, "-f", "json")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07" in result.stderr


def test_an_unwritable_out_is_found_before_any_request(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with loopback(chat_answers()) as server:
        bad_out, _ = cli("summarize", str(SEED), "--out", str(tmp_path / "file" / "o"),
                         "--base-url", server.url)  # fmt: skip
        bad_jsonl, _ = cli("summarize", str(SEED), "--jsonl", str(tmp_path),
                           "--base-url", server.url)  # fmt: skip
    assert bad_out.exit_code == 2 and "cannot be written" in bad_out.stderr
    assert bad_jsonl.exit_code == 2 and "is a directory" in bad_jsonl.stderr
    assert server.seen == []


def test_summarizing_a_folder_into_itself_finds_its_reports(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(SEED_TEXT, encoding="utf-8")
    with loopback(chat_answers()) as server:
        result, _ = cli(
            "summarize", str(tmp_path), "--out", str(tmp_path), "--base-url", server.url
        )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "r.json").is_file()
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == SEED_TEXT


def test_an_impossible_merge_date_is_refused(tmp_path: Path) -> None:
    record, _ = record_copy(tmp_path)
    result, _ = cli("merge", str(record), f"{record}@2020-13-45")
    assert result.exit_code == 1
    assert "2020-13-45 is not a date" in result.stderr


def test_an_over_long_xlsx_cell_is_cut_and_the_export_says_so(tmp_path: Path) -> None:
    record = base_record()
    long = "word " * 10_000
    record = record.model_copy(
        update={"agreement": record.agreement.model_copy(update={"summary": long})}
    )
    result, out = export_of(tmp_path, record, fmt="xlsx")
    assert result.exit_code == 0, result.stderr
    assert "1 cell(s) cut to Excel's 32,767 characters" in result.stderr
    cell = pd.read_excel(out, sheet_name="agreements")["summary"][0]
    assert len(cell) == 32_767 and cell.endswith("\u2026")


def test_a_failed_table_leaves_the_previous_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.json").write_bytes((RECORDS / "kabwelu-2020.json").read_bytes())
    out = tmp_path / "tables"
    first, _ = cli("export", str(folder), "-o", str(out))
    assert first.exit_code == 0
    before = snapshot(out)
    (folder / "b.json").write_bytes((RECORDS / "tell-ghazal-2022.json").read_bytes())
    calls = {"n": 0}
    original = pd.DataFrame.to_csv

    def failing(self: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    result, _ = cli("export", str(folder), "-o", str(out))
    assert result.exit_code == 3
    assert "No space left on device" in result.stderr
    assert snapshot(out) == before
    no_leftovers(out)


def test_thousands_of_gold_problems_make_a_short_message(tmp_path: Path) -> None:
    gold = json.loads((ROOT / "evals" / "gold" / "dev" / "kabwelu-2020.json").read_text("utf-8"))
    gold["parties"][0]["aliases"] = [f"nowhere{i}" for i in range(5_000)]
    path = tmp_path / "g.json"
    path.write_text(json.dumps(gold))
    (tmp_path / "kabwelu-2020.txt").write_bytes((ROOT / "seeds" / "kabwelu-2020.txt").read_bytes())
    result, _ = cli("review", "--import", str(path), "--into", str(tmp_path / "gold"))
    assert result.exit_code == 4
    assert "and 4,990 more" in result.stderr
    assert len(result.stderr) < 3_000


def test_context_tokens_with_a_remote_provider_is_said_to_be_ignored(tmp_path: Path) -> None:
    with loopback(chat_answers()) as server:
        result, _ = cli("summarize", str(SEED), "--context-tokens", "4096", "--base-url",
                        server.url, "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "--context-tokens is ignored by the openai-compatible provider" in result.stderr


@pytest.mark.parametrize("url", ["not a url", "htp:/x", "http://", "http://host:99999/v1"])
def test_a_garbage_base_url_is_refused_before_any_retry(url: str) -> None:
    result, seconds = cli("summarize", str(SEED), "--base-url", url)
    assert result.exit_code == 3
    assert "not an http(s) URL with a host" in result.stderr
    assert seconds < 3


# --- the behaviours that held, run under load ---------------------------------------------------


def test_a_rerun_after_a_refusal_runs_normally(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.md").write_text(SEED_TEXT, encoding="utf-8")
    with loopback(chat_answers()) as server:
        refused, _ = cli("summarize", str(folder), "--out", str(folder), "-f", "markdown",
                         "--base-url", server.url)  # fmt: skip
        assert refused.exit_code == 2
        done, _ = cli("summarize", str(folder), "--out", str(tmp_path / "out"), "-f",
                      "markdown", "--base-url", server.url)  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "out" / "r.md").is_file()
    assert (folder / "r.md").read_text(encoding="utf-8") == SEED_TEXT
