"""Rule ablation: what each switchable step of the pipeline is worth, per split and metric.

The eval runs once with every step on, then once per switchable step with that step off. The
call cache replays every model request that the switched-off step leaves unchanged, so only
the requests it changes (a stance call for an actor a rule would have folded away) run live.
A step whose removal raises a metric on test costs more than it pays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from summarizer.config import Settings
from summarizer.errors import ConfigurationError
from summarizer.evaluation.runner import (
    HEADLINE,
    EvalOptions,
    EvalOutcome,
    evaluate_split,
    open_predictor,
)
from summarizer.evaluation.thresholds import configured_splits, load_thresholds
from summarizer.extract.run import STEPS, SWITCHABLE

#: Metrics the ablation table reports, headline first.
ABLATION_METRICS = (*HEADLINE, "overall", "proposer_accuracy", "status_accuracy")


@dataclass
class AblationRow:
    """One step switched off: its kind, and per split the change of each metric."""

    step: str
    kind: str
    summary: str
    #: split -> metric -> (value with the step off) - (value with every step on)
    delta: dict[str, dict[str, float | None]]


def run_ablation(
    options: EvalOptions,
    full: EvalOutcome,
    *,
    steps: tuple[str, ...] = SWITCHABLE,
    log: Callable[[str], None] = print,
) -> list[AblationRow]:
    """Re-run every split with each of ``steps`` off and compare with the full run ``full``.

    Raises:
        ConfigurationError: thresholds unreadable, or an unknown split.
        SummarizerError: the provider cannot be opened.
    """
    unknown = [s for s in steps if s not in SWITCHABLE]
    if unknown:
        raise ConfigurationError(
            f"No switchable step named {', '.join(unknown)}.",
            hint=f"Steps that can be switched off: {', '.join(SWITCHABLE)}.",
        )
    thresholds = load_thresholds(options.thresholds)
    splits = configured_splits(thresholds, options.thresholds.parent, options.splits)
    base = options.settings or Settings()
    by_name = {s.name: s for s in STEPS}
    rows: list[AblationRow] = []
    with open_predictor(
        EvalOptions(
            thresholds=options.thresholds,
            settings=options.settings,
            use_cache=options.use_cache,
            cache_dir=options.cache_dir,
            provider=options.provider,
        ),
        thresholds,
        log,
    ) as predictor:
        for name in steps:
            settings = base.with_changes(disabled_steps=frozenset({name}))
            log(f"ablation: {name} off")
            delta: dict[str, dict[str, float | None]] = {}
            for split in splits:

                def predict(source: str, _settings: Settings = settings) -> dict[str, object]:
                    return predictor.predict(source, _settings)

                outcome = evaluate_split(split, predict, log=lambda _line: None)
                full_metrics = full.splits[split.name].metrics
                delta[split.name] = {
                    metric: _difference(outcome.metrics.get(metric), full_metrics.get(metric))
                    for metric in ABLATION_METRICS
                }
            step = by_name[name]
            rows.append(AblationRow(name, step.kind, step.summary, delta))
    return rows


def _difference(off: object, on: object) -> float | None:
    if isinstance(off, int | float) and isinstance(on, int | float):
        return float(off) - float(on)
    return None


def ablation_markdown(rows: list[AblationRow]) -> str:
    """The ablation table: per step and split, the change of each metric with the step off.

    A negative number means the metric drops without the step: the step pays.
    """
    if not rows:
        return "No switchable steps were ablated.\n"
    splits = list(rows[0].delta)
    short = {
        "articles_f1": "art",
        "conditions_f1": "cond",
        "parties_f1": "party",
        "stance_accuracy": "stance",
        "overall": "overall",
        "proposer_accuracy": "proposer",
        "status_accuracy": "status",
    }
    head = [f"{split} {short[m]}" for split in splits for m in ABLATION_METRICS]
    lines = [
        "# Ablation: change of each metric with one step off (negative: the step pays)",
        "",
        f"| step | kind | {' | '.join(head)} |",
        "|---|---|" + "---|" * len(head),
    ]
    for row in rows:
        cells = [
            "n/a" if (v := row.delta[split][m]) is None else f"{v:+.3f}"
            for split in splits
            for m in ABLATION_METRICS
        ]
        lines.append(f"| {row.step} | {row.kind} | {' | '.join(cells)} |")
    lines += ["", "Steps:", *[f"- `{r.step}`: {r.summary}" for r in rows]]
    return "\n".join(lines) + "\n"
