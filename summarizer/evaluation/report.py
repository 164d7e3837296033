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


def markdown_report(
    metrics: dict[str, float | int | None],
    documents: dict[str, dict[str, Any]],
    failures: list[str],
    errors: dict[str, str],
    thresholds: dict[str, Any],
) -> str:
    """A human report: verdict, macro metrics against floors and targets, per-document table."""
    floors = thresholds.get("floors", {})
    ceilings = thresholds.get("ceilings", {})
    targets = thresholds.get("targets", {})
    verdict = "PASS" if not failures and not errors else "FAIL"
    lines = [
        f"# Eval report: {verdict}",
        "",
        "| metric | value | floor | target |",
        "|---|---|---|---|",
    ]
    for name, value in metrics.items():
        limit = floors.get(name, ceilings.get(name))
        bound = "" if limit is None else (f">= {limit}" if name in floors else f"<= {limit}")
        target = format_metric(targets.get(name, ""))
        lines.append(f"| {name} | {format_metric(value)} | {bound} | {target} |")
    lines += [
        "",
        "| document | articles F1 | conditions F1 | parties F1 | stance | grounded | date ok "
        "| seconds | calls | generated tokens |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
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
    if failures:
        lines += ["", "## Broken thresholds", *[f"- {f}" for f in failures]]
    if errors:
        lines += ["", "## Documents that failed", *[f"- {k}: {v}" for k, v in errors.items()]]
    return "\n".join(lines) + "\n"


def junit_xml(
    documents: dict[str, dict[str, Any]], errors: dict[str, str], thresholds: dict[str, Any]
) -> str:
    """JUnit XML: one test case per document and field, failing below that field's floor."""
    floors = thresholds.get("floors", {})
    suite = ET.Element("testsuite", name="agreement-summarizer-eval")
    count = failed = 0
    for name, doc in documents.items():
        for field, path, floor_key in _JUNIT_FIELDS:
            count += 1
            case = ET.SubElement(suite, "testcase", classname=f"eval.{name}", name=field)
            value = _get(doc["score"], path)
            floor = floors.get(floor_key)
            if floor is not None and value is not None and value < floor:
                failed += 1
                ET.SubElement(case, "failure", message=f"{field} {value:.2f} < floor {floor}")
        count += 1
        case = ET.SubElement(suite, "testcase", classname=f"eval.{name}", name="date")
        if doc["score"].get("date_fabricated"):
            failed += 1
            ET.SubElement(case, "failure", message="fabricated date")
    for name, message in errors.items():
        count += 1
        failed += 1
        case = ET.SubElement(suite, "testcase", classname=f"eval.{name}", name="predict")
        ET.SubElement(case, "error", message=message)
    suite.set("tests", str(count))
    suite.set("failures", str(failed))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
