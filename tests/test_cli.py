"""The command line through typer's CliRunner: exit codes, stdout and stderr; all offline.

``summarizer.api.open_provider`` is swapped for the fake chat server (or an HTTP mock), so
every test runs the real pipeline, batch loop and error mapping without a model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes import SEED, FakeChatServer, completion, fake_provider, mock_remote
from typer.testing import CliRunner

import summarizer
from summarizer import SummaryResult
from summarizer.cli import app
from summarizer.io.load import sha256_text
from summarizer.providers.weights import WeightsSpec, file_sha256

runner = CliRunner()
SEED_TEXT = SEED.read_text(encoding="utf-8")
RECORD_KEYS = set(SummaryResult.model_fields)


class Opened:
    """Counts how often the CLI opened a provider."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeChatServer:
    """Route every provider the CLI opens to one fake chat server."""
    fake = FakeChatServer()
    monkeypatch.setattr("summarizer.api.open_provider", lambda settings: fake_provider(fake))
    return fake


def use_remote(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], Any]) -> Opened:
    """Route the provider to an openai-compatible mock served by ``handler``."""
    opened = Opened()

    def open_provider(settings: object) -> object:
        opened.count += 1
        return mock_remote(handler, retries=0)

    monkeypatch.setattr("summarizer.api.open_provider", open_provider)
    return opened


@pytest.fixture
def no_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the CLI opens a provider (loads a model) at all."""

    def refuse(settings: object) -> object:
        raise AssertionError("the provider must not be opened")

    monkeypatch.setattr("summarizer.api.open_provider", refuse)


def run(*args: str, input: str | bytes | None = None) -> Any:
    """Invoke the CLI."""
    return runner.invoke(app, list(args), input=input)


def reports(folder: Path, **texts: str) -> Path:
    """Write report files (name=text) into a folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (folder / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return folder


def no_traceback(result: Any) -> None:
    """Neither stream shows a Python traceback."""
    assert "Traceback" not in result.stdout + result.stderr


# --- summarize: formats and inputs ---------------------------------------------------------


def test_one_file_prints_the_record_json(server: FakeChatServer) -> None:
    result = run("summarize", str(SEED))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert set(record) == RECORD_KEYS
    assert SummaryResult.model_validate(record).agreement.location == "Busra al-Sham"
    assert result.stdout.startswith('{\n  "schema_version"')  # indented, exactly the record
    assert server.requests


def test_markdown_format(server: FakeChatServer) -> None:
    result = run("summarize", str(SEED), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"# {SEED}")
    assert "**Status:** signed" in out and "**Place:** Busra al-Sham" in out
    assert "## Parties" in out and "**Syrian government** (signatory, state): _accepts_" in out
    assert "also called: the regime" in out
    assert "1. handing over heavy weapons as of Sunday" in out
    assert "   > handing over heavy weapons as of Sunday" in out
    assert "proposed by Russian army; outcome: _accepted_" in out


def test_table_format(server: FakeChatServer) -> None:
    result = run("summarize", str(SEED), "--format", "table")
    assert result.exit_code == 0, result.stderr
    for text in ("Parties", "Articles", "Conditions", "Syrian government", "accepts", "guarantor"):
        assert text in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_stdin_dash(server: FakeChatServer) -> None:
    result = run("summarize", "-", input=SEED_TEXT.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["provenance"]["source_sha256"] == sha256_text(SEED_TEXT)


def test_directory_gives_json_lines_in_sorted_order(tmp_path: Path, server: FakeChatServer) -> None:
    folder = reports(
        tmp_path / "in",
        **{"b.md": SEED_TEXT, "a.txt": "A short report. Nothing agreed.", "c.csv": "ignored"},
        **{"sub__d.txt": "Another report about talks."},
    )
    result = run("summarize", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    shas = [json.loads(line)["provenance"]["source_sha256"] for line in lines]
    expected = ["a.txt", "b.md", "sub/d.txt"]
    assert shas == [sha256_text((folder / name).read_text()) for name in expected]
    assert "summary: 3 done, 0 skipped, 0 failed" in result.stderr


def test_glob_pattern(tmp_path: Path, server: FakeChatServer) -> None:
    folder = reports(
        tmp_path, **{"x1.txt": SEED_TEXT, "x2.txt": SEED_TEXT + " More.", "y.txt": "y"}
    )
    result = run("summarize", str(folder / "x*.txt"))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


# --- --out, resume, --jsonl ------------------------------------------------------------------


def test_out_writes_files_and_a_second_run_skips_them(
    tmp_path: Path, server: FakeChatServer
) -> None:
    folder = reports(tmp_path / "in", **{"a.txt": SEED_TEXT, "sub__b.txt": "Talks went on."})
    out = tmp_path / "out"
    first = run("summarize", str(folder), "--out", str(out), "--format", "markdown")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert SummaryResult.model_validate_json((out / "a.json").read_text())
    assert (out / "a.md").read_text().startswith("# ")
    assert (out / "sub" / "b.json").is_file()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    requests = len(server.requests)

    second = run("summarize", str(folder), "--out", str(out))
    assert second.exit_code == 0, second.stderr
    assert len(server.requests) == requests  # nothing was asked again
    assert "summary: 0 done, 2 skipped, 0 failed" in second.stderr

    (folder / "a.txt").write_text(SEED_TEXT + "\nA correction.", encoding="utf-8")
    third = run("summarize", str(folder), "--out", str(out))
    assert "summary: 1 done, 1 skipped, 0 failed" in third.stderr
    assert json.loads((out / "a.json").read_text())["provenance"]["source_sha256"] == sha256_text(
        (folder / "a.txt").read_text()
    )
    forced = run("summarize", str(folder), "--out", str(out), "--force")
    assert "summary: 2 done, 0 skipped, 0 failed" in forced.stderr


def test_out_write_is_atomic(
    tmp_path: Path, server: FakeChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    (out).mkdir()
    (out / "busra-al-sham-2018.json").write_text("old")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("summarizer.io.files.os.replace", fail)
    result = run("summarize", str(SEED), "--out", str(out))
    assert result.exit_code == 3
    assert "No space left on device" in result.stderr and "hint:" in result.stderr
    assert (out / "busra-al-sham-2018.json").read_text() == "old"
    assert [p.name for p in out.iterdir()] == ["busra-al-sham-2018.json"]
    no_traceback(result)


def test_outputs_inside_the_input_folder_are_not_read_back(
    tmp_path: Path, server: FakeChatServer
) -> None:
    folder = reports(tmp_path / "in", **{"a.txt": SEED_TEXT, "b.txt": "Talks."})
    out = folder / "records"
    first = run("summarize", str(folder), "--out", str(out), "--format", "markdown")
    assert first.exit_code == 0, first.stderr
    assert (out / "a.md").is_file()
    requests = len(server.requests)
    second = run("summarize", str(folder), "--out", str(out), "--format", "markdown")
    assert "summary: 0 done, 2 skipped, 0 failed" in second.stderr
    assert len(server.requests) == requests


def test_output_name_clash_is_refused(tmp_path: Path, no_provider: None) -> None:
    one = reports(tmp_path / "one", **{"r.txt": SEED_TEXT})
    two = reports(tmp_path / "two", **{"r.txt": SEED_TEXT})
    result = run("summarize", str(one / "r.txt"), str(two / "r.txt"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 4
    assert "would both be written to" in result.stderr


def test_jsonl_appends_and_skips_documents_already_there(
    tmp_path: Path, server: FakeChatServer
) -> None:
    folder = reports(tmp_path, **{"a.txt": SEED_TEXT, "b.txt": "Talks stalled on Monday."})
    jsonl = tmp_path / "records.jsonl"
    assert run("summarize", str(folder / "a.txt"), "--jsonl", str(jsonl)).exit_code == 0
    result = run("summarize", str(folder / "a.txt"), str(folder / "b.txt"), "--jsonl", str(jsonl))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = jsonl.read_text().splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["provenance"]["source_sha256"] for line in lines] == [
        sha256_text(SEED_TEXT),
        sha256_text("Talks stalled on Monday."),
    ]
    assert "1 done, 1 skipped" in result.stderr


# --- input errors ----------------------------------------------------------------------------


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nope.txt"


def _empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "notes.csv").write_bytes(b"a,b")
    return folder


def _empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    return path


def _binary_file(tmp_path: Path) -> Path:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    return path


def _huge_file(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 1_000_000)  # 5 MB
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_missing, "no such file"),
        (_empty_dir, "no .txt, .md, .pdf, .docx or .html files"),
        (_empty_file, "the document is empty"),
        (_binary_file, "binary file"),
        (_huge_file, "too large"),
    ],
)
def test_single_bad_input_exits_4_with_a_hint(
    tmp_path: Path, no_provider: None, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    result = run("summarize", str(path))
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}")
    assert message in result.stderr
    assert "\n  hint: " in result.stderr
    no_traceback(result)


def test_traceback_only_with_debug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_DEBUG", "1")
    result = run("summarize", str(tmp_path / "nope.txt"))
    assert result.exit_code == 4
    assert "Traceback" in result.stderr


def test_one_bad_file_among_good_ones_exits_1(tmp_path: Path, server: FakeChatServer) -> None:
    folder = reports(tmp_path / "in", **{"a.txt": SEED_TEXT, "b.txt": "", "c.txt": "Talks."})
    out = tmp_path / "out"
    result = run("summarize", str(folder), "--out", str(out))
    assert result.exit_code == 1
    assert "b.txt: the document is empty" in result.stderr
    assert "summary: 2 done, 0 skipped, 1 failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "c.json"]
    no_traceback(result)


def test_a_failed_extraction_does_not_stop_the_batch(
    tmp_path: Path, server: FakeChatServer
) -> None:
    folder = reports(tmp_path / "in", **{"a.txt": "GARBLE. The truce holds.", "b.txt": SEED_TEXT})
    normal = server.handle_chat_completions

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        if "GARBLE" in json.dumps(request):
            return completion("this is not JSON")
        server.answer_fn = None
        try:
            return normal(request)
        finally:
            server.answer_fn = answer

    server.answer_fn = answer
    out = tmp_path / "out"
    result = run("summarize", str(folder), "--out", str(out), "--max-retries", "0")
    assert result.exit_code == 1
    assert f"error: {folder / 'a.txt'}: The model's answer did not validate" in result.stderr
    assert "summary: 1 done, 0 skipped, 1 failed" in result.stderr
    assert [p.name for p in out.iterdir()] == ["b.json"]
    no_traceback(result)


def test_extraction_failure_exits_1(server: FakeChatServer) -> None:
    server.answers["ArticlesDraft"] = "this is not JSON"
    result = run("summarize", str(SEED), "--max-retries", "0")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {SEED}: The model's answer did not validate")
    assert "hint:" in result.stderr
    no_traceback(result)


# --- provider and configuration errors -------------------------------------------------------


def test_unreachable_server_exits_3_mentioning_openai_base_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ConnectError("connection refused", request=request)

    use_remote(monkeypatch, refuse)
    logging.getLogger("instructor").setLevel(logging.NOTSET)
    folder = reports(tmp_path, **{"a.txt": SEED_TEXT, "b.txt": "Talks.", "c.txt": "More talks."})
    result = run("summarize", str(folder), "--base-url", "http://mock.invalid/v1")
    assert result.exit_code == 3
    assert "unreachable" in result.stderr
    assert "OPENAI_BASE_URL" in result.stderr
    assert len(calls) == 1  # the batch stopped at the first document
    no_traceback(result)
    # Library log lines ("API call failed on attempt 1") would print before the message.
    assert not [r for r in caplog.records if r.name.startswith("instructor")]


def test_bad_key_exits_3_mentioning_openai_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    use_remote(monkeypatch, lambda request: httpx.Response(401, json={"error": {"message": "no"}}))
    result = run("summarize", str(SEED), "--base-url", "http://mock.invalid/v1")
    assert result.exit_code == 3
    assert "refused the API key" in result.stderr
    assert "OPENAI_API_KEY" in result.stderr
    no_traceback(result)


def test_configuration_error_exits_3_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("summarize", str(SEED), "--provider", "openai")
    assert result.exit_code == 3
    assert "error: No OpenAI API key found." in result.stderr
    assert "hint: Set OPENAI_API_KEY" in result.stderr


# --- concurrency and interruption ------------------------------------------------------------


def test_concurrency_keeps_input_order(
    tmp_path: Path, server: FakeChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = {f"r{i}.txt": f"Report {i}. The parties talked on day {i}." for i in range(5)}
    folder = reports(tmp_path, **texts)
    result = run(
        "summarize", str(folder), "--base-url", "http://x.invalid/v1", "--concurrency", "3"
    )
    assert result.exit_code == 0, result.stderr
    shas = [json.loads(line)["provenance"]["source_sha256"] for line in result.stdout.splitlines()]
    assert shas == [sha256_text(texts[name]) for name in sorted(texts)]
    assert "ignored" not in result.stderr


def test_embedded_runs_one_document_at_a_time(tmp_path: Path, server: FakeChatServer) -> None:
    folder = reports(tmp_path, **{"a.txt": SEED_TEXT, "b.txt": "Talks."})
    result = run("summarize", str(folder), "--concurrency", "4")
    assert result.exit_code == 0, result.stderr
    assert "--concurrency 4 ignored: the embedded model runs one document at a time" in (
        result.stderr
    )


def test_ctrl_c_stops_cleanly_and_keeps_finished_outputs(
    tmp_path: Path, server: FakeChatServer
) -> None:
    folder = reports(tmp_path / "in", **{"a.txt": SEED_TEXT, "b.txt": "STOP HERE. A truce."})

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        if "STOP HERE" in json.dumps(request):
            raise KeyboardInterrupt
        server.answer_fn = None
        try:
            return server.handle_chat_completions(request)
        finally:
            server.answer_fn = answer

    server.answer_fn = answer
    out = tmp_path / "out"
    result = run("summarize", str(folder), "--out", str(out))
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert "summary: 1 done, 0 skipped, 0 failed" in result.stderr
    assert [p.name for p in out.iterdir()] == ["a.json"]
    no_traceback(result)


def test_quiet_prints_nothing_on_success(tmp_path: Path, server: FakeChatServer) -> None:
    folder = reports(tmp_path, **{"a.txt": SEED_TEXT, "b.txt": "Talks."})
    result = run("summarize", str(folder), "--quiet")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 2


def test_verbose_names_the_provider(server: FakeChatServer) -> None:
    result = run("summarize", str(SEED), "--verbose")
    assert result.exit_code == 0
    reason = "the default: no OPENAI_API_KEY or OPENAI_BASE_URL is set"
    assert f"provider: fake ({reason}); model: fake-model" in result.stderr


# --- schema, models, version, help -----------------------------------------------------------


def test_schema_prints_the_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) == RECORD_KEYS


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache, and a guard that nothing assembles the weights."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def refuse(*args: object, **kwargs: object) -> Path:
        raise AssertionError("models must not assemble the weights")

    monkeypatch.setattr("summarizer.providers.weights.ensure_weights", refuse)
    return tmp_path / "cache" / "agreement-summarizer"


def test_models_shows_the_embedded_model_and_the_provider_reason(
    cache: Path, no_provider: None
) -> None:
    result = run("models")
    assert result.exit_code == 0, result.stderr
    assert "Qwen2.5-Coder-1.5B-Instruct-Q4_K_M" in result.stdout
    assert str(cache / "models") in result.stdout
    assert "assembled: no (run `summarizer summarize` once" in result.stdout
    reason = "the default: no OPENAI_API_KEY or OPENAI_BASE_URL is set"
    assert f"would use: embedded ({reason})" in result.stdout
    assert not (cache / "models").exists()


def test_models_reason_follows_the_environment(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    result = run("models")
    assert result.exit_code == 0
    assert "would use: openai (OPENAI_API_KEY is set)" in result.stdout
    assert "model:     gpt-4o-mini" in result.stdout
    assert "sk-test" not in result.stdout


def test_models_with_a_broken_configuration_exits_3(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_PROVIDER", "llamafile")
    result = run("models")
    assert result.exit_code == 3
    assert "Embedded model" in result.stdout
    assert "error: Unknown provider 'llamafile'." in result.stderr
    assert "hint: Use one of: embedded, openai, openai-compatible." in result.stderr


def test_models_verify_missing_file_exits_3(cache: Path) -> None:
    result = run("models", "verify")
    assert result.exit_code == 3
    assert "not assembled" in result.stderr
    assert "summarizer summarize" in result.stderr
    no_traceback(result)


def test_models_verify_checks_the_hash(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = cache / "models" / "tiny.gguf"
    model.parent.mkdir(parents=True)
    model.write_bytes(b"GGUF tiny model")
    good = WeightsSpec("tiny", "tiny.gguf", 1, model.stat().st_size, file_sha256(model))
    monkeypatch.setattr("summarizer.cli.admin.DEFAULT_WEIGHTS", good)
    ok = run("models", "verify")
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.startswith("ok: ")
    assert "verified:  yes" in run("models").stdout

    bad = WeightsSpec("tiny", "tiny.gguf", 1, good.size, "0" * 64)
    monkeypatch.setattr("summarizer.cli.admin.DEFAULT_WEIGHTS", bad)
    mismatch = run("models", "verify")
    assert mismatch.exit_code == 3
    assert "does not match the pinned sha256" in mismatch.stderr
    assert "summarizer summarize" in mismatch.stderr


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"summarizer {summarizer.__version__}"


@pytest.mark.parametrize(
    "command", [[], ["summarize"], ["schema"], ["models"], ["models", "verify"]]
)
def test_help_of_every_command(command: list[str], no_provider: None) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Example: summarizer" in result.stdout


def test_help_documents_exit_codes_and_json_lines() -> None:
    assert "130  interrupted" in run("--help").stdout
    assert "JSON Lines" in run("summarize", "--help").stdout


def test_usage_errors_exit_2(no_provider: None) -> None:
    assert run("summarize").exit_code == 2
    assert run("summarize", str(SEED), "--format", "yaml").exit_code == 2
    assert run("summarize", str(SEED), "--quiet", "--verbose").exit_code == 2
    for bad in ("1.5", "-0.1", "high"):
        result = run("summarize", str(SEED), "--min-confidence", bad)
        assert result.exit_code == 2, bad
        assert "--min-confidence" in result.stderr


def test_jsonl_append_after_an_interrupted_line_keeps_records_whole(tmp_path):
    from summarizer.io.files import append_line

    path = tmp_path / "records.jsonl"
    path.write_text('{"partial": ', encoding="utf-8")
    append_line(path, '{"whole": 1}')
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == ['{"partial": ', '{"whole": 1}']
