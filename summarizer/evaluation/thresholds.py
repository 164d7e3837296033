"""The eval's settings: the splits named in ``thresholds.toml``, their floors, ceilings and
committed baseline, and the check of a split's metrics against them."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigurationError


@dataclass(frozen=True)
class Split:
    """A named set of gold files and the folder of their documents."""

    name: str
    gold_dir: Path
    documents_dir: Path
    #: Report only aggregate figures: no per-document score, log line or saved prediction, so
    #: nobody tunes to one document of a split kept for measuring generality.
    aggregate_only: bool = False


def load_thresholds(path: Path) -> dict[str, Any]:
    """Read ``thresholds.toml``: splits, floors, ceilings, baseline, cache and targets.

    Raises:
        ConfigurationError: the file is missing or not valid TOML.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigurationError(f"Cannot read thresholds {path}: {e}", hint="Fix the file.") from e


def configured_splits(
    thresholds: dict[str, Any], base: Path, wanted: tuple[str, ...]
) -> list[Split]:
    """The splits ``thresholds.toml`` names (paths relative to its folder), or those wanted.

    Raises:
        ConfigurationError: no splits configured, or a wanted split is not among them.
    """
    table = thresholds.get("splits", {})
    splits = [
        Split(
            name,
            base / str(entry["gold"]),
            base / str(entry["documents"]),
            bool(entry.get("aggregate_only", False)),
        )
        for name, entry in table.items()
    ]
    if not splits:
        raise ConfigurationError(
            "thresholds.toml names no splits.",
            hint='Add [splits.dev] with gold = "gold/dev" and documents = "../seeds".',
        )
    unknown = [w for w in wanted if w not in table]
    if unknown:
        raise ConfigurationError(
            f"Unknown split(s): {', '.join(unknown)}.", hint=f"Use one of: {', '.join(table)}."
        )
    return [s for s in splits if not wanted or s.name in wanted]


def split_thresholds(thresholds: dict[str, Any], split: str) -> dict[str, Any]:
    """The thresholds of one split: ``[floors]`` and ``[ceilings]`` with the split's own
    ``[splits.<name>.floors]`` / ``[splits.<name>.ceilings]`` taking precedence."""
    entry = thresholds.get("splits", {}).get(split, {})
    merged = dict(thresholds)
    for kind in ("floors", "ceilings"):
        merged[kind] = {**thresholds.get(kind, {}), **entry.get(kind, {})}
    return merged


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


def load_baseline(
    thresholds_file: Path, thresholds: dict[str, Any], *, replacing: bool
) -> tuple[Path, dict[str, dict[str, float | int | None]] | None]:
    """The baseline file's path and its metrics per split (None when absent or being
    replaced: ``replacing``).

    Checked before any prediction, so a missing required baseline costs no model time.
    """
    settings = thresholds.get("baseline", {})
    path = thresholds_file.parent / settings.get("file", "baseline.json")
    if replacing:
        return path, None
    if path.is_file():
        splits: dict[str, dict[str, float | int | None]] = json.loads(
            path.read_text(encoding="utf-8")
        ).get("splits", {})
        return path, splits
    if settings.get("required", False):
        raise ConfigurationError(
            f"The baseline {path} is missing.",
            hint="Commit one: summarizer eval --update-baseline.",
        )
    return path, None
