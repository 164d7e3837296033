"""Run the eval: predict every gold document (or load saved predictions), score, gate.

Predictions are cached under the user cache directory, keyed by model, prompt versions and
hashes, schema version and document hash, so an unchanged rerun costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.api import Summarizer
from summarizer.batch import write_atomic
from summarizer.config import Settings
from summarizer.errors import ConfigurationError, SummarizerError
from summarizer.evaluation.report import (
    flat_metrics,
    format_metric,
    junit_xml,
    markdown_report,
)
from summarizer.evaluation.score import DocumentScore, aggregate, score_document
from summarizer.extract import PROMPT_IDS
from summarizer.load import read_document, sha256_text
from summarizer.prompt import load_prompt
from summarizer.schema import SCHEMA_VERSION


@dataclass(frozen=True)
class EvalOptions:
    """Where the eval reads and writes, and how it predicts."""

    gold_dir: Path
    documents_dir: Path
    thresholds: Path
    out_dir: Path | None = None
    predictions_dir: Path | None = None
    update_baseline: bool = False
    use_cache: bool = True
    settings: Settings | None = None


@dataclass
class EvalOutcome:
    """The eval's result: metrics, per-document scores and what broke."""

    metrics: dict[str, float | int | None]
    documents: dict[str, dict[str, Any]]
    failures: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    markdown: str = ""

    @property
    def passed(self) -> bool:
        """True when no floor, ceiling or baseline check failed.

        A document whose prediction failed is scored as an empty record (it found nothing) and
        counted in ``failed_documents``, which ``thresholds.toml`` caps.
        """
        return not self.failures


#: What a document whose prediction failed is scored as: a record that found nothing.
_EMPTY_RECORD: dict[str, Any] = {
    "agreement": {"status": "unclear"},
    "parties": [],
    "articles": [],
    "conditions": [],
    "provenance": {},
}


def _code_fingerprint() -> str:
    """A hash of the package's own code, so a changed pipeline never reuses old predictions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_key(summarizer: Summarizer, source: str, code: str) -> str:
    info = summarizer.provider.info
    parts = {
        "code": code,
        "model": info.model,
        "model_sha256": info.model_sha256,
        "provider": info.name,
        "base_url": info.base_url,
        "prompts": [load_prompt(p).ref.model_dump() for p in PROMPT_IDS],
        "schema": SCHEMA_VERSION,
        "source": sha256_text(source),
        "max_retries": summarizer.settings.max_retries,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def load_thresholds(path: Path) -> dict[str, Any]:
    """Read ``thresholds.toml``: ``[floors]``, ``[ceilings]`` and ``[baseline]``.

    Raises:
        ConfigurationError: the file is missing or not valid TOML.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigurationError(f"Cannot read thresholds {path}: {e}", hint="Fix the file.") from e


def check_thresholds(
    metrics: dict[str, float | int | None],
    thresholds: dict[str, Any],
    baseline: dict[str, float | int | None] | None,
) -> list[str]:
    """Every broken floor, ceiling, or drop beyond the margin against the baseline."""
    failures: list[str] = []
    for name, floor in thresholds.get("floors", {}).items():
        value = metrics.get(name)
        if value is None or value < floor:
            failures.append(f"{name} = {value} is below its floor {floor}")
    for name, ceiling in thresholds.get("ceilings", {}).items():
        value = metrics.get(name)
        if value is None or value > ceiling:
            failures.append(f"{name} = {value} is above its ceiling {ceiling}")
    if baseline:
        margin = float(thresholds.get("baseline", {}).get("margin", 0.05))
        for name in thresholds.get("baseline", {}).get("metrics", []):
            old, new = baseline.get(name), metrics.get(name)
            if isinstance(old, int | float) and (new is None or new < old - margin):
                failures.append(f"{name} = {new} dropped more than {margin} below baseline {old}")
    return failures


def _load_baseline(
    options: EvalOptions, thresholds: dict[str, Any]
) -> tuple[Path, dict[str, float | int | None] | None]:
    """The baseline file's path and metrics (None when absent or being replaced).

    Checked before any prediction, so a missing required baseline costs no model time.
    """
    settings = thresholds.get("baseline", {})
    path = options.thresholds.parent / settings.get("file", "baseline.json")
    if options.update_baseline:
        return path, None
    if path.is_file():
        metrics: dict[str, float | int | None] = json.loads(path.read_text(encoding="utf-8")).get(
            "metrics", {}
        )
        return path, metrics
    if settings.get("required", False):
        raise ConfigurationError(
            f"The baseline {path} is missing.",
            hint="Commit one: summarizer eval --update-baseline.",
        )
    return path, None


def run_eval(options: EvalOptions, *, log: Callable[[str], None] = print) -> EvalOutcome:
    """Predict (or load) every gold document, score it, write reports and check thresholds.

    Raises:
        ConfigurationError: no gold files, or thresholds/baseline unreadable.
        SummarizerError: the provider cannot be opened.
    """
    gold_files = sorted(options.gold_dir.glob("*.json"))
    if not gold_files:
        raise ConfigurationError(f"No gold files in {options.gold_dir}.", hint="Check --gold.")
    thresholds = load_thresholds(options.thresholds)
    baseline_path, baseline = _load_baseline(options, thresholds)
    summarizer: Summarizer | None = None
    cache_dir: Path | None = None
    code = _code_fingerprint()  # once per run: it reads every module of the package
    scores: list[DocumentScore] = []
    documents: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    try:
        for gold_path in gold_files:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            name = str(gold["document"])
            source = read_document(options.documents_dir / name)
            stem = Path(name).stem
            if options.predictions_dir is not None:
                pred_path = options.predictions_dir / f"{stem}.json"
                if not pred_path.is_file():
                    errors[stem] = f"no saved prediction {pred_path}"
                    pred, cached = _EMPTY_RECORD, False
                else:
                    pred = json.loads(pred_path.read_text(encoding="utf-8"))
                    cached = True
            else:
                if summarizer is None:
                    summarizer = Summarizer(options.settings)
                    assert summarizer.settings.cache_dir is not None
                    cache_dir = summarizer.settings.cache_dir / "predictions"
                assert cache_dir is not None
                cache_file = cache_dir / f"{_cache_key(summarizer, source, code)}.json"
                cached = options.use_cache and cache_file.is_file()
                if cached:
                    pred = json.loads(cache_file.read_text(encoding="utf-8"))
                else:
                    log(f"predicting {name} ...")
                    try:
                        pred = summarizer.summarize(source).model_dump(mode="json")
                    except SummarizerError as e:
                        errors[stem] = f"{type(e).__name__}: {e}"
                        log(f"  failed: {errors[stem]}")
                        pred = _EMPTY_RECORD
                    else:
                        write_atomic(cache_file, json.dumps(pred, ensure_ascii=False, indent=2))
            score = score_document(pred, gold, source)
            scores.append(score)
            prov = pred.get("provenance", {})
            documents[stem] = {
                "score": score.to_dict(),
                "cached": cached,
                "duration_s": prov.get("duration_s"),
                "calls": prov.get("calls"),
                "usage": prov.get("usage"),
            }
            log(
                f"  {stem}: articles F1 {score.articles.f1:.2f}, conditions F1 "
                f"{score.conditions.f1:.2f}, parties F1 {score.parties.f1:.2f}, stance "
                f"{format_metric(score.stance_accuracy)}, {prov.get('duration_s')} s"
                + (" (cached)" if cached else "")
            )
            if options.out_dir is not None:
                write_atomic(
                    options.out_dir / "predictions" / f"{stem}.json",
                    json.dumps(pred, ensure_ascii=False, indent=2),
                )
    finally:
        if summarizer is not None:
            summarizer.close()
    metrics: dict[str, float | int | None] = flat_metrics(aggregate(scores)) if scores else {}
    metrics["failed_documents"] = len(errors)
    durations = [d["duration_s"] for d in documents.values() if d["duration_s"] is not None]
    metrics["median_duration_s"] = statistics.median(durations) if durations else None
    failures = check_thresholds(metrics, thresholds, baseline)
    outcome = EvalOutcome(metrics=metrics, documents=documents, failures=failures, errors=errors)
    outcome.markdown = markdown_report(outcome.metrics, documents, failures, errors, thresholds)
    report = {"metrics": metrics, "documents": documents, "failures": failures, "errors": errors}
    if options.out_dir is not None:
        write_atomic(options.out_dir / "report.json", json.dumps(report, indent=2))
        write_atomic(options.out_dir / "report.md", outcome.markdown)
        write_atomic(options.out_dir / "junit.xml", junit_xml(documents, errors, thresholds))
    if options.update_baseline and not errors:
        write_atomic(baseline_path, json.dumps({"metrics": metrics}, indent=2) + "\n")
        log(f"baseline updated: {baseline_path}")
    return outcome
