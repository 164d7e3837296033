"""Run the eval: predict every gold document of every split (or load saved ones), score, gate.

The splits are named in ``thresholds.toml`` (``[splits.dev]``, ``[splits.test]``): each has a
folder of gold files and a folder of documents. Every split is scored and gated on its own,
and the report sets them side by side with the gap between them: the test split is the measure
of how the pipeline does on reports it was not written against.

Every rule runs live on every document. Model answers are replayed from a call cache (see
``summarizer.providers.replay``) when the very same request was answered before, so a change
to rules alone costs seconds, and a committed cache lets CI replay an unchanged eval.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from summarizer.api import Summarizer
from summarizer.config import Settings
from summarizer.errors import ConfigurationError, SummarizerError
from summarizer.evaluation.calibrate import (
    Scorable,
    fit_calibration,
    reliability_diagram,
    write_calibration,
)
from summarizer.evaluation.confidence import Labelled, confidence_metrics, labelled_items
from summarizer.evaluation.merged_score import MERGED_METRICS, score_merged
from summarizer.evaluation.report import (
    flat_metrics,
    format_metric,
    junit_xml,
    markdown_report,
)
from summarizer.evaluation.score import DocumentScore, aggregate, score_document
from summarizer.evaluation.thresholds import (
    Split,
    check_thresholds,
    configured_splits,
    load_baseline,
    load_thresholds,
    split_thresholds,
)
from summarizer.io.files import write_atomic
from summarizer.io.load import read_document
from summarizer.merge import Input as MergeInput
from summarizer.merge import merge_records
from summarizer.providers import Provider
from summarizer.providers.replay import CallCache
from summarizer.record.schema import SummaryResult

#: The four headline metrics; ``overall`` is their mean.
HEADLINE = ("articles_f1", "conditions_f1", "parties_f1", "stance_accuracy")


@dataclass(frozen=True)
class EvalOptions:
    """Where the eval reads and writes, and how it predicts."""

    thresholds: Path
    #: Splits to run, by name; empty: every split ``thresholds.toml`` names.
    splits: tuple[str, ...] = ()
    out_dir: Path | None = None
    predictions_dir: Path | None = None
    update_baseline: bool = False
    #: Replay recorded model answers; False runs every call live (and records it).
    use_cache: bool = True
    #: The call cache's folder; None: the one ``thresholds.toml`` names, else the user cache.
    cache_dir: Path | None = None
    #: Delete recorded answers this run did not use (after a complete run only).
    prune_cache: bool = False
    settings: Settings | None = None
    #: Fit the calibration on the first split (raw probabilities) and write it here.
    fit_calibration: Path | None = None
    #: Write the reliability diagram of every split's confidence here (a PNG).
    plot: Path | None = None
    #: A provider to use instead of opening one from the settings (tests, embedding code).
    provider: Provider | None = None


@dataclass
class SplitOutcome:
    """One split's metrics, per-document scores, failed documents and broken thresholds."""

    metrics: dict[str, float | int | None]
    documents: dict[str, dict[str, Any]]
    errors: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    #: Every predicted item with a confidence, labelled right or wrong against the gold.
    labelled: list[Labelled] = field(default_factory=list)
    #: Each document's prediction, gold and text (what a calibration is fitted on).
    scorable: list[Scorable] = field(default_factory=list)


@dataclass
class EvalOutcome:
    """The eval's result: per split, the gap between the first two, and what broke."""

    splits: dict[str, SplitOutcome]
    failures: list[str] = field(default_factory=list)
    markdown: str = ""

    @property
    def passed(self) -> bool:
        """True when no floor, ceiling or baseline check failed in any split.

        A document whose prediction failed is scored as an empty record (it found nothing) and
        counted in ``failed_documents``, which ``thresholds.toml`` caps.
        """
        return not self.failures

    @property
    def errors(self) -> dict[str, str]:
        """Failed documents of every split, as ``split/document``."""
        return {f"{s}/{d}": e for s, out in self.splits.items() for d, e in out.errors.items()}


#: What a document whose prediction failed is scored as: a record that found nothing.
_EMPTY_RECORD: dict[str, Any] = {
    "agreement": {"status": "unclear"},
    "parties": [],
    "articles": [],
    "conditions": [],
    "provenance": {},
}


class Predictor:
    """Predicts documents with one loaded model, replaying recorded answers where it can."""

    def __init__(
        self,
        settings: Settings | None,
        cache: CallCache | None,
        provider: Provider | None = None,
    ) -> None:
        self._settings = settings
        self._cache = cache
        self._provider: Provider | None = provider
        self._owns_provider = provider is None
        self._base: Summarizer | None = None

    def predict(self, source: str, settings: Settings | None = None) -> dict[str, Any]:
        """The record of one document as JSON data; ``settings`` may switch steps off.

        The model loads on the first call. ``duration_s`` in the provenance counts the
        replayed calls at the seconds they took live, so it stays the cost of a live run.

        Raises:
            SummarizerError: the provider failed or the output never validated.
        """
        if self._base is None:
            self._base = Summarizer(self._settings, provider=self._provider)
            self._provider = self._base.provider
            self._provider.cache = self._cache
        summarizer = (
            self._base
            if settings is None
            else Summarizer(
                settings.with_changes(provider=self._base.settings.provider),
                provider=self._provider,
            )
        )
        if self._cache is not None:
            self._cache.reset_counts()
        record = summarizer.summarize(source).model_dump(mode="json")
        if self._cache is not None:
            prov = record["provenance"]
            prov["duration_s"] = round(prov["duration_s"] + self._cache.replayed_seconds, 3)
        return record

    def close(self) -> None:
        """Release the model, unless it was handed in (its owner releases it)."""
        if self._base is not None and self._owns_provider:
            self._base.close()


@contextmanager
def open_predictor(
    options: EvalOptions, thresholds: dict[str, Any], log: Callable[[str], None] = print
) -> Iterator[Predictor]:
    """A predictor over the call cache the options and ``thresholds.toml`` name."""
    directory = options.cache_dir
    if directory is None and (configured := thresholds.get("cache", {}).get("calls")):
        directory = options.thresholds.parent / str(configured)
    cache = None
    if directory is not None:
        cache = CallCache(directory, read=options.use_cache)
    predictor = Predictor(options.settings, cache, options.provider)
    try:
        yield predictor
    finally:
        predictor.close()
        if cache is not None:
            log(
                f"model calls: {cache.total_replayed} replayed from {directory}, "
                f"{cache.total_live} live"
            )
            if options.prune_cache:
                log(f"pruned {cache.prune()} recorded answers this run did not use")


def evaluate_split(
    split: Split,
    predict: Callable[[str], dict[str, Any]] | None,
    *,
    predictions_dir: Path | None = None,
    out_dir: Path | None = None,
    log: Callable[[str], None] = print,
) -> SplitOutcome:
    """Predict (or load) and score every gold document of one split.

    Raises:
        ConfigurationError: the split has no gold files.
        InputError: a gold file's document cannot be read.
    """
    everything = sorted(split.gold_dir.glob("*.json"))
    # "<name>.merged.json": the gold of several of the split's reports merged (see merged_score).
    merged_golds = [p for p in everything if p.name.endswith(".merged.json")]
    gold_files = [p for p in everything if p not in merged_golds]
    if not gold_files:
        raise ConfigurationError(
            f"No gold files in {split.gold_dir} (split {split.name}).",
            hint="Check [splits] in thresholds.toml.",
        )
    scores: list[DocumentScore] = []
    documents: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    preds: dict[str, dict[str, Any]] = {}
    labelled: list[Labelled] = []
    scorable: list[Scorable] = []
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = str(gold["document"])
        source = read_document(split.documents_dir / name)
        stem = Path(name).stem
        pred, error = _prediction(split, stem, source, predict, predictions_dir)
        if error is not None:
            errors[stem] = error
            log(f"  {split.name}/{stem} failed: {error}")
        preds[name] = pred
        score = score_document(pred, gold, source)
        scores.append(score)
        labelled += labelled_items(pred, gold, score)
        scorable.append(Scorable(pred, gold, source))
        prov = pred.get("provenance", {})
        documents[stem] = {
            "score": score.to_dict(),
            "duration_s": prov.get("duration_s"),
            "calls": prov.get("calls"),
            "usage": prov.get("usage"),
        }
        if split.aggregate_only:
            log(f"  {split.name}: {len(documents)}/{len(gold_files)}, {prov.get('duration_s')} s")
            continue
        log(
            f"  {split.name}/{stem}: articles F1 {score.articles.f1:.2f}, conditions F1 "
            f"{score.conditions.f1:.2f}, parties F1 {score.parties.f1:.2f}, stance "
            f"{format_metric(score.stance_accuracy)}, {prov.get('duration_s')} s"
        )
        if out_dir is not None:
            write_atomic(
                out_dir / "predictions" / split.name / f"{stem}.json",
                json.dumps(pred, ensure_ascii=False, indent=2),
            )
    metrics = _split_metrics(scores, documents, failed=len(errors))
    metrics.update(confidence_metrics(labelled))
    metrics.update(_merged_metrics(merged_golds, preds, split, log))
    if split.aggregate_only:
        # Kept for the aggregate only: what is reported of each document is its cost.
        documents = {
            f"document {i}": {k: v for k, v in doc.items() if k != "score"}
            for i, doc in enumerate(documents.values(), 1)
        }
        errors = {f"document {i}": e for i, e in enumerate(errors.values(), 1)}
    return SplitOutcome(
        metrics=metrics,
        documents=documents,
        errors=errors,
        labelled=labelled,
        scorable=scorable,
    )


def _prediction(
    split: Split,
    stem: str,
    source: str,
    predict: Callable[[str], dict[str, Any]] | None,
    predictions_dir: Path | None,
) -> tuple[dict[str, Any], str | None]:
    """A document's record, saved or made now, and why it failed (the empty record then)."""
    if predictions_dir is not None:
        pred_path = predictions_dir / split.name / f"{stem}.json"
        if pred_path.is_file():
            return json.loads(pred_path.read_text(encoding="utf-8")), None
        return _EMPTY_RECORD, f"no saved prediction {pred_path}"
    if predict is None:
        raise ConfigurationError("Nothing to score: give a predictor or saved predictions.")
    try:
        return predict(source), None
    except SummarizerError as e:
        return _EMPTY_RECORD, f"{type(e).__name__}: {e}"


def _split_metrics(
    scores: list[DocumentScore], documents: dict[str, dict[str, Any]], *, failed: int
) -> dict[str, float | int | None]:
    """The split's macro metrics, ``overall`` (the mean of the headline four), failures and
    the median seconds per document."""
    metrics: dict[str, float | int | None] = flat_metrics(aggregate(scores))
    headline = [metrics.get(m) for m in HEADLINE]
    metrics["overall"] = (
        sum(float(v) for v in headline if v is not None) / len(headline)
        if all(v is not None for v in headline)
        else None
    )
    metrics["failed_documents"] = failed
    durations = [d["duration_s"] for d in documents.values() if d["duration_s"] is not None]
    metrics["median_duration_s"] = statistics.median(durations) if durations else None
    return metrics


def _merged_metrics(
    merged_golds: list[Path],
    preds: dict[str, dict[str, Any]],
    split: Split,
    log: Callable[[str], None],
) -> dict[str, float | int | None]:
    """Merge each merged gold's reports' predictions and score them; the mean of each metric."""
    if not merged_golds:
        return {}
    per_file: list[dict[str, float]] = []
    for path in merged_golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        inputs = []
        for name in gold["documents"]:
            try:
                record = SummaryResult.model_validate(preds[name])
            except (KeyError, ValueError):
                continue  # a failed prediction: merged without it, and scored so
            inputs.append(MergeInput(record, record_file=name))
        if not inputs:
            per_file.append({m: 0.0 for m in MERGED_METRICS})
            continue
        merged = merge_records(inputs).merged.model_dump(mode="json")
        per_file.append(score_merged(merged, gold))
        if not split.aggregate_only:
            figures = ", ".join(
                f"{k.removeprefix('merged_')} {v:.2f}" for k, v in per_file[-1].items()
            )
            log(f"  {split.name}/{path.name}: {figures}")
    out: dict[str, float | int | None] = {
        m: sum(s[m] for s in per_file) / len(per_file) for m in MERGED_METRICS
    }
    out["merged_records"] = len(per_file)
    return out


def _fit(path: Path, name: str, outcome: SplitOutcome, log: Callable[[str], None]) -> None:
    """Fit the calibration and the default threshold on one split's outcome and write them."""
    documents = len(outcome.scorable)
    fitted_on = f"{name} split, {documents} reports, {date.today().isoformat()}"
    calibration, scores = fit_calibration(outcome.labelled, outcome.scorable, fitted_on)
    write_calibration(calibration, scores, path)
    figures = ", ".join(f"{t:.2f}: {s:.3f}" for t, s in scores.items())
    log(f"calibration fitted on {fitted_on}: {path}")
    log(f"  overall by threshold: {figures}")
    log(f"  default --min-confidence: {calibration.min_confidence:g}")


def split_gap(outcomes: dict[str, SplitOutcome]) -> dict[str, float]:
    """Per headline metric, the first split's value minus the second's (dev minus test)."""
    names = list(outcomes)
    if len(names) < 2:
        return {}
    first, second = outcomes[names[0]].metrics, outcomes[names[1]].metrics
    gap: dict[str, float] = {}
    for metric in (*HEADLINE, "overall", "grounded_share"):
        a, b = first.get(metric), second.get(metric)
        if isinstance(a, int | float) and isinstance(b, int | float):
            gap[metric] = float(a) - float(b)
    return gap


def run_eval(options: EvalOptions, *, log: Callable[[str], None] = print) -> EvalOutcome:
    """Predict (or load) every gold document of each split, score, report and gate.

    Raises:
        ConfigurationError: no splits or gold files, or thresholds/baseline unreadable.
        SummarizerError: the provider cannot be opened.
    """
    thresholds = load_thresholds(options.thresholds)
    splits = configured_splits(thresholds, options.thresholds.parent, options.splits)
    baseline_path, baseline = load_baseline(
        options.thresholds, thresholds, replacing=options.update_baseline
    )
    outcomes: dict[str, SplitOutcome] = {}
    if options.fit_calibration is not None:
        # A calibration is fitted on the model's raw probabilities, every item kept.
        base = options.settings or Settings()
        options = replace(options, settings=base.with_changes(calibrated=False))
    with open_predictor(options, thresholds, log) as predictor:
        predict = None if options.predictions_dir is not None else predictor.predict
        for split in splits:
            log(f"split {split.name}: {split.gold_dir}")
            outcome = evaluate_split(
                split,
                predict,
                predictions_dir=options.predictions_dir,
                out_dir=options.out_dir,
                log=log,
            )
            split_baseline = (baseline or {}).get(split.name)
            outcome.failures = [
                f"{split.name}: {f}"
                for f in check_thresholds(
                    outcome.metrics, split_thresholds(thresholds, split.name), split_baseline
                )
            ]
            outcomes[split.name] = outcome
    if options.fit_calibration is not None and outcomes:
        _fit(options.fit_calibration, *next(iter(outcomes.items())), log)
    if options.plot is not None:
        reliability_diagram({n: o.labelled for n, o in outcomes.items()}, options.plot)
        log(f"reliability diagram: {options.plot}")
    failures = [f for o in outcomes.values() for f in o.failures]
    result = EvalOutcome(splits=outcomes, failures=failures)
    gap = split_gap(outcomes)
    result.markdown = markdown_report(
        {n: (o.metrics, o.documents, o.errors) for n, o in outcomes.items()},
        gap,
        failures,
        thresholds,
    )
    if options.out_dir is not None:
        report = {
            "splits": {
                n: {"metrics": o.metrics, "documents": o.documents, "errors": o.errors}
                for n, o in outcomes.items()
            },
            "gap": gap,
            "failures": failures,
        }
        write_atomic(options.out_dir / "report.json", json.dumps(report, indent=2))
        write_atomic(options.out_dir / "report.md", result.markdown)
        write_atomic(
            options.out_dir / "junit.xml",
            junit_xml(
                {n: (o.documents, o.errors) for n, o in outcomes.items()}, thresholds, failures
            ),
        )
    if options.update_baseline and not result.errors:
        splits_out = {n: o.metrics for n, o in outcomes.items()}
        if baseline_path.is_file() and options.splits:
            # Updating some splits keeps the others' committed figures.
            kept = json.loads(baseline_path.read_text(encoding="utf-8")).get("splits", {})
            splits_out = {**kept, **splits_out}
        write_atomic(baseline_path, json.dumps({"splits": splits_out}, indent=2) + "\n")
        log(f"baseline updated: {baseline_path}")
    return result
