"""Eval reports: flat metric names for thresholds, a Markdown table, JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from summarizer.evaluation.score import MacroScore

#: Per-document checks written to JUnit: (test name, metric key in a document score, floor key).
_JUNIT_FIELDS = (
    ("articles", ("articles", "f1"), "articles_f1"),
    ("conditions", ("conditions", "f1"), "conditions_f1"),
    ("parties", ("parties", "f1"), "parties_f1"),
    ("stance", ("stance_accuracy",), "stance_accuracy"),
    ("grounding", ("grounded_share",), "grounded_share"),
)


def flat_metrics(macro: MacroScore) -> dict[str, float | int | None]:
    """Macro metrics under the flat names ``thresholds.toml`` uses."""
    flat: dict[str, float | int | None] = {"documents": macro.documents}
    for kind in ("articles", "conditions", "parties"):
        score = getattr(macro, kind)
        flat[f"{kind}_precision"] = score.precision
        flat[f"{kind}_recall"] = score.recall
        flat[f"{kind}_f1"] = score.f1
        flat[f"{kind}_false_alarms"] = score.fp
    flat["stance_accuracy"] = macro.stance_accuracy
    for label, score in macro.per_stance.items():
        flat[f"stance_{label}_f1"] = score.f1
    flat["proposer_accuracy"] = macro.proposer_accuracy
    flat["grounded_share"] = macro.grounded_share
    for name, value in macro.agreement_field_accuracy.items():
        flat[f"{name}_accuracy"] = value
    flat["fabricated_dates"] = macro.fabricated_dates
    flat["leaks"] = macro.leaks
    return flat


def _get(score: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = score
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def format_metric(value: Any) -> str:
    """A metric for a report: two decimals, or n/a when there is none."""
    if value is None:
        return "n/a"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


#: One split's part of a report: metrics, per-document entries, failed documents.
SplitReport = tuple[dict[str, float | int | None], dict[str, dict[str, Any]], dict[str, str]]


def markdown_report(
    splits: dict[str, SplitReport],
    gap: dict[str, float],
    failures: list[str],
    thresholds: dict[str, Any],
) -> str:
    """A human report: verdict, each split's metrics side by side with the gap between the
    first two (dev minus test), floors and targets, then a per-document table per split."""
    floors = thresholds.get("floors", {})
    ceilings = thresholds.get("ceilings", {})
    targets = thresholds.get("targets", {})
    any_errors = any(errors for _, _, errors in splits.values())
    verdict = "PASS" if not failures and not any_errors else "FAIL"
    names = list(splits)
    gap_head = f" gap ({names[0]} - {names[1]}) |" if gap else ""
    lines = [
        f"# Eval report: {verdict}",
        "",
        f"| metric | {' | '.join(names)} |{gap_head} floor | target |",
        "|---|" + "---|" * len(names) + ("---|" if gap else "") + "---|---|",
    ]
    metric_names = [
        m
        for m in dict.fromkeys(m for metrics, _, _ in splits.values() for m in metrics)
        if not m.startswith(_CONFIDENCE) or m in floors or m in ceilings
    ]
    for name in metric_names:
        limit = floors.get(name, ceilings.get(name))
        bound = "" if limit is None else (f">= {limit}" if name in floors else f"<= {limit}")
        target = format_metric(targets.get(name, ""))
        values = [format_metric(splits[n][0].get(name)) for n in names]
        gap_cell = f" {format_metric(gap[name]) if name in gap else ''} |" if gap else ""
        lines.append(f"| {name} | {' | '.join(values)} |{gap_cell} {bound} | {target} |")
    lines += confidence_tables({n: metrics for n, (metrics, _, _) in splits.items()})
    for split, (_, documents, errors) in splits.items():
        lines += [
            "",
            f"## {split}",
            "",
            "| document | articles F1 | conditions F1 | parties F1 | stance | grounded | date ok "
            "| seconds | calls | generated tokens |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        if any("score" not in doc for doc in documents.values()):
            lines.append(f"| ({len(documents)} documents: aggregate figures only) |" + " |" * 9)
            documents = {}
        for name, doc in documents.items():
            s = doc["score"]
            usage = doc.get("usage") or {}
            cells = [
                name,
                *(format_metric(s[kind]["f1"]) for kind in ("articles", "conditions", "parties")),
                format_metric(s["stance_accuracy"]),
                format_metric(s["grounded_share"]),
                str(s["agreement_fields"].get("date")),
                format_metric(doc.get("duration_s")),
                str(doc.get("calls")),
                str(usage.get("completion_tokens", "")),
            ]
            lines.append(f"| {' | '.join(cells)} |")
        if errors:
            lines += ["", "Documents that failed:", *[f"- {k}: {v}" for k, v in errors.items()]]
    if failures:
        lines += ["", "## Broken thresholds", *[f"- {f}" for f in failures]]
    return "\n".join(lines) + "\n"


_CONFIDENCE = "confidence_"


def confidence_tables(splits: dict[str, dict[str, float | int | None]]) -> list[str]:
    """Markdown lines: per split, each kind of item's confidence figures (none: no lines)."""
    lines: list[str] = []
    for split, metrics in splits.items():
        kinds = [
            m.removeprefix(_CONFIDENCE).removesuffix("_items")
            for m, v in metrics.items()
            if m.startswith(_CONFIDENCE) and m.endswith("_items") and v
        ]
        if not kinds:
            continue
        lines += [
            "",
            f"### Confidence, {split}: is an item right? (AUROC: 0.5 says nothing; ECE: the mean"
            " gap between confidence and share right; P@80%: share right among the 80 % most"
            " confident)",
            "",
            "| item | items | right | AUROC | ECE | P@80% |",
            "|---|---|---|---|---|---|",
        ]
        for kind in kinds:
            cells = [
                format_metric(metrics.get(f"{_CONFIDENCE}{kind}_{figure}"))
                for figure in ("items", "right", "auroc", "ece", "p80")
            ]
            lines.append(f"| {kind} | {' | '.join(cells)} |")
    return lines


def junit_xml(
    splits: dict[str, tuple[dict[str, dict[str, Any]], dict[str, str]]],
    thresholds: dict[str, Any],
    failures: list[str] | None = None,
) -> str:
    """JUnit XML: per split, one test case for its aggregate gates (failing with each broken
    threshold), then one per document and field, failing below that field's floor."""
    floors = thresholds.get("floors", {})
    suite = ET.Element("testsuite", name="agreement-summarizer-eval")
    count = failed = 0
    for split, (documents, errors) in splits.items():
        count += 1
        case = ET.SubElement(suite, "testcase", classname=f"eval.{split}", name="thresholds")
        broken = [f for f in failures or [] if f.startswith(f"{split}: ")]
        if broken:
            failed += 1
            ET.SubElement(case, "failure", message="; ".join(broken))
        for name, doc in documents.items():
            if "score" not in doc:
                continue  # an aggregate-only split: its floors are checked on the aggregate
            classname = f"eval.{split}.{name}"
            for field, path, floor_key in _JUNIT_FIELDS:
                count += 1
                case = ET.SubElement(suite, "testcase", classname=classname, name=field)
                value = _get(doc["score"], path)
                floor = floors.get(floor_key)
                if floor is not None and value is not None and value < floor:
                    failed += 1
                    ET.SubElement(case, "failure", message=f"{field} {value:.2f} < floor {floor}")
            count += 1
            case = ET.SubElement(suite, "testcase", classname=classname, name="date")
            if doc["score"].get("date_fabricated"):
                failed += 1
                ET.SubElement(case, "failure", message="fabricated date")
        for name, message in errors.items():
            count += 1
            failed += 1
            case = ET.SubElement(
                suite, "testcase", classname=f"eval.{split}.{name}", name="predict"
            )
            ET.SubElement(case, "error", message=message)
    suite.set("tests", str(count))
    suite.set("failures", str(failed))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
