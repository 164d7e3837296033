"""The eval runner and `summarizer eval`, on saved predictions (no model needed)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import ConfigurationError
from summarizer.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "evals" / "gold" / "dev"
NAMES = ["ak-bulak-2022", "tin-adrar-2024"]


def _as_prediction(gold: dict, text: str) -> dict:
    """A record built from a gold file: what a perfect extraction would return."""

    def evidence(items):
        out = []
        for ev in items:
            start = text.index(ev["quote"])
            out.append(
                {**ev, "start": start, "end": start + len(ev["quote"]), "alignment": "exact"}
            )
        return out

    return {
        "schema_version": "1",
        "agreement": {**gold["agreement"], "summary": None},
        "parties": [{**p, "evidence": evidence(p["evidence"])} for p in gold["parties"]],
        "articles": [{**a, "evidence": evidence(a["evidence"])} for a in gold["articles"]],
        "conditions": [{**c, "evidence": evidence(c["evidence"])} for c in gold["conditions"]],
        "provenance": {"duration_s": 1.0, "calls": 1, "usage": {"completion_tokens": 1}},
    }


SPLITS = '[splits.dev]\ngold = "gold"\ndocuments = "docs"\n'


@pytest.fixture
def setup(tmp_path: Path):
    gold_dir, docs, preds = tmp_path / "gold", tmp_path / "docs", tmp_path / "preds" / "dev"
    for d in (gold_dir, docs, preds):
        d.mkdir(parents=True)
    for name in NAMES:
        gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
        text = (ROOT / "seeds" / gold["document"]).read_text(encoding="utf-8")
        (gold_dir / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")
        (docs / gold["document"]).write_text(text, encoding="utf-8")
        pred = _as_prediction(gold, text)
        (preds / f"{name}.json").write_text(json.dumps(pred), encoding="utf-8")
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(
        SPLITS + "[floors]\narticles_f1 = 0.9\n[ceilings]\nfabricated_dates = 0\n"
        '[baseline]\nfile = "baseline.json"\nmargin = 0.05\nmetrics = ["articles_f1"]\n',
        encoding="utf-8",
    )
    return tmp_path


def _run(setup: Path, *extra: str):
    args = [
        "eval",
        "--predictions",
        str(setup / "preds"),
        "--thresholds",
        str(setup / "thresholds.toml"),
        "--out",
        str(setup / "out"),
        *extra,
    ]
    return CliRunner().invoke(app, args)


def test_perfect_predictions_pass_and_write_every_report(setup: Path):
    result = _run(setup)
    assert result.exit_code == 0, result.stderr
    assert "# Eval report: PASS" in result.stdout
    report = json.loads((setup / "out" / "report.json").read_text())
    assert report["splits"]["dev"]["metrics"]["articles_f1"] == 1.0
    assert report["splits"]["dev"]["metrics"]["documents"] == 2
    assert (setup / "out" / "report.md").read_text().startswith("# Eval report: PASS")
    suite = ET.parse(setup / "out" / "junit.xml").getroot()
    assert suite.get("failures") == "0"
    names = {(c.get("classname"), c.get("name")) for c in suite.iter("testcase")}
    assert ("eval.dev.ak-bulak-2022", "articles") in names
    assert ("eval.dev.tin-adrar-2024", "date") in names


def test_broken_floor_fails_with_exit_1_and_junit_failures(setup: Path):
    pred_path = setup / "preds" / "dev" / "ak-bulak-2022.json"
    pred = json.loads(pred_path.read_text())
    pred["articles"] = pred["articles"][:1]
    pred["agreement"]["date"] = "1999-01-01"
    pred_path.write_text(json.dumps(pred))
    result = _run(setup)
    assert result.exit_code == 1
    assert "articles_f1" in result.stderr and "below its floor" in result.stderr
    assert "fabricated_dates" in result.stderr
    suite = ET.parse(setup / "out" / "junit.xml").getroot()
    assert int(suite.get("failures")) >= 2


def test_baseline_is_written_on_request_and_a_drop_fails(setup: Path):
    assert _run(setup, "--update-baseline").exit_code == 0
    baseline = json.loads((setup / "baseline.json").read_text())
    assert baseline["splits"]["dev"]["articles_f1"] == 1.0
    # Lower the floor so only the baseline can catch the drop.
    (setup / "thresholds.toml").write_text(
        SPLITS + '[baseline]\nfile = "baseline.json"\nmargin = 0.05\nmetrics = ["articles_f1"]\n'
    )
    pred_path = setup / "preds" / "dev" / "ak-bulak-2022.json"
    pred = json.loads(pred_path.read_text())
    pred["articles"] = pred["articles"][:2]
    pred_path.write_text(json.dumps(pred))
    result = _run(setup)
    assert result.exit_code == 1
    assert "dropped more than 0.05 below baseline" in result.stderr


def test_missing_prediction_is_a_failed_document_scored_as_empty(setup: Path):
    (setup / "preds" / "dev" / "ak-bulak-2022.json").unlink()
    (setup / "thresholds.toml").write_text(SPLITS + "[ceilings]\nfailed_documents = 0\n")
    result = _run(setup)
    assert result.exit_code == 1
    assert "ak-bulak-2022" in result.stderr
    assert "failed_documents = 1 is above its ceiling 0" in result.stderr
    report = json.loads((setup / "out" / "report.json").read_text())
    dev = report["splits"]["dev"]["metrics"]
    assert dev["articles_recall"] == 0.5  # ak-bulak found nothing; tin-adrar ok


def test_configured_baseline_that_is_missing_is_an_error(setup: Path):
    result = _run(setup)
    assert result.exit_code == 0  # no baseline yet is fine only while none is committed
    (setup / "thresholds.toml").write_text(
        SPLITS + '[baseline]\nfile = "nope.json"\nmargin = 0.05\n'
        'metrics = ["articles_f1"]\nrequired = true\n'
    )
    result = _run(setup)
    assert result.exit_code == 3
    assert "nope.json" in result.stderr


def _seed_split(tmp_path: Path) -> Path:
    """A dev split of the seed report and its gold under ``tmp_path``; its thresholds file."""
    gold_dir, docs = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs.mkdir()
    gold = json.loads((GOLD / "busra-al-sham-2018.json").read_text(encoding="utf-8"))
    (gold_dir / "busra-al-sham-2018.json").write_text(json.dumps(gold), encoding="utf-8")
    text = (ROOT / "seeds" / gold["document"]).read_text(encoding="utf-8")
    (docs / gold["document"]).write_text(text, encoding="utf-8")
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(SPLITS, encoding="utf-8")
    return thresholds


def test_ablation_reruns_each_step_off_and_replays_unchanged_calls(tmp_path: Path):
    from fakes import FakeChatServer, fake_provider

    from summarizer.evaluation.ablation import ablation_markdown, run_ablation
    from summarizer.evaluation.runner import EvalOptions, run_eval

    thresholds = _seed_split(tmp_path)
    server = FakeChatServer()
    options = EvalOptions(
        thresholds=thresholds, cache_dir=tmp_path / "calls", provider=fake_provider(server)
    )
    full = run_eval(options, log=lambda _: None)
    asked = len(server.requests)
    rows = run_ablation(options, full, steps=("numbered_terms", "ask_demands"), log=lambda _: None)
    assert [r.step for r in rows] == ["numbered_terms", "ask_demands"]
    # Switching a rule off re-runs no model call that the rule leaves unchanged.
    assert len(server.requests) - asked < asked
    assert set(rows[0].delta) == {"dev"}
    assert "| numbered_terms | rule |" in ablation_markdown(rows)
    with pytest.raises(ConfigurationError):
        run_ablation(options, full, steps=("ground_terms",), log=lambda _: None)


def test_an_aggregate_only_split_reports_no_document_figures(setup: Path):
    (setup / "thresholds.toml").write_text(
        SPLITS + "aggregate_only = true\n[floors]\narticles_f1 = 0.9\n", encoding="utf-8"
    )
    result = _run(setup)
    assert result.exit_code == 0, result.stderr
    assert "ak-bulak" not in result.stdout and "ak-bulak" not in result.stderr
    report = json.loads((setup / "out" / "report.json").read_text())
    assert "ak-bulak-2022" not in json.dumps(report)
    assert report["splits"]["dev"]["metrics"]["articles_f1"] == 1.0
    assert not (setup / "out" / "predictions").exists()
    suite = ET.parse(setup / "out" / "junit.xml").getroot()
    assert [c.get("classname") for c in suite.iter("testcase")] == ["eval.dev"]


def test_fitting_a_calibration_writes_it_with_its_threshold_and_the_diagram(tmp_path: Path):
    from fakes import FakeChatServer, fake_provider

    from summarizer.evaluation.runner import EvalOptions, run_eval
    from summarizer.extract.rules.confidence import calibration_from_json

    thresholds = _seed_split(tmp_path)
    target, plot = tmp_path / "calibration.json", tmp_path / "reliability.png"
    outcome = run_eval(
        EvalOptions(
            thresholds=thresholds,
            provider=fake_provider(FakeChatServer(verify_yes=0.8)),
            fit_calibration=target,
            plot=plot,
        ),
        log=lambda _: None,
    )
    stored = json.loads(target.read_text(encoding="utf-8"))
    calibration = calibration_from_json(stored)
    assert calibration.fitted_on.startswith("dev split, 1 reports")
    assert 0.0 <= calibration.min_confidence <= 0.9
    assert "0.00" in stored["overall_by_threshold"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = outcome.splits["dev"].metrics
    # Fitted on raw probabilities: every item confidence is the fake model's 0.81.
    assert metrics["confidence_all_items"] and metrics["confidence_article_items"]
    assert "### Confidence, dev" in outcome.markdown
