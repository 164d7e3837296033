"""Benchmark: documents per hour, on the embedded model and on a llama.cpp server.

Usage: python benchmarks/bench_throughput.py [DOC ...] [--grid 1:1,2:2,4:4] [--out FILE]
(default: the four shortest reports in seeds/). Each configuration summarizes the same
documents with the CLI in a child process, every answer computed (``--no-cache``):

- ``embedded``: the in-process model, one document at a time (the default user's path);
- ``server S:C``: a llama.cpp server started here from the installed runtime (xllamacpp),
  listening on loopback with S slots and prefix caching on, and the CLI pointed at it as an
  OpenAI-compatible provider with ``--concurrency C`` (the path to scale out on).

Per configuration: wall seconds, documents per hour, the client's own CPU seconds (parsing,
rules, grounding, writing, the Python start) as a share of the wall time, and peak RSS (the
child for the embedded model, this process for the server). Each slot gets the embedded
model's context. Speed targets are checked here, not in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from summarizer.config import Settings, default_cache_dir
from summarizer.providers.embedded import resolve_model_file, runtime_version

ROOT = Path(__file__).resolve().parent.parent
#: The console script installed beside this interpreter.
CLI = [str(Path(sys.executable).with_name("summarizer"))]
CONTEXT_TOKENS = Settings().context_tokens


def start_server(slots: int, threads: int) -> tuple[Any, str]:
    """A llama.cpp server on loopback with ``slots`` slots; returns it and its /v1 URL."""
    import xllamacpp

    model = resolve_model_file(None, default_cache_dir())
    params = xllamacpp.CommonParams()
    params.model.path = str(model.path)
    params.n_ctx = CONTEXT_TOKENS * slots  # each slot gets the embedded model's context
    params.n_parallel = slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = 0
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.warmup = False
    params.cache_prompt = True  # what a server run to scale out would use
    server = xllamacpp.Server(params)
    address = str(server.listening_address)
    if not address.startswith("http"):
        address = f"http://{address}"
    return server, f"{address}/v1"


def run_cli(docs: list[Path], extra: list[str], concurrency: int) -> dict[str, float]:
    """Summarize ``docs`` with the CLI in a child process; its wall, CPU and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for doc in docs:
            shutil.copy(doc, folder / doc.name)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                *CLI,
                "summarize",
                str(folder),
                "--out",
                str(Path(tmp) / "out"),
                "--no-cache",
                "--concurrency",
                str(concurrency),
                *extra,
            ],
            check=True,
            env={**os.environ, "CI": "true"},
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        written = len(list((Path(tmp) / "out").glob("*.json")))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(wall, 1),
        "documents": written,
        "documents_per_hour": round(written / wall * 3600, 1),
        "client_cpu_s": round(cpu, 1),
        "child_peak_rss_mb": round(after.ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("docs", nargs="*", type=Path)
    parser.add_argument("--grid", default="1:1,2:2,4:4", help="server slots:concurrency pairs")
    parser.add_argument("--no-embedded", action="store_true", help="only the server runs")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    docs = (
        args.docs
        or sorted((ROOT / "seeds").glob("*.txt"), key=lambda p: len(p.read_text().split()))[:4]
    )
    threads = os.cpu_count() or 1
    rows: list[dict[str, Any]] = []
    if not args.no_embedded:
        row: dict[str, Any] = {"config": "embedded", **run_cli(docs, ["--provider", "embedded"], 1)}
        # The model runs in the child, so its CPU is model time, not client overhead.
        row["client_share"] = None
        row["peak_rss_mb"] = row.pop("child_peak_rss_mb")
        rows.append(row)
        print(json.dumps(row))
    for pair in args.grid.split(","):
        slots, concurrency = (int(x) for x in pair.split(":"))
        server, url = start_server(slots, threads)
        extra = ["--provider", "openai-compatible", "--base-url", url, "--model", "default"]
        figures = run_cli(docs, extra, concurrency)
        row = {"config": f"server {slots} slots, concurrency {concurrency}", **figures}
        row["client_share"] = round(figures["client_cpu_s"] / figures["wall_s"], 3)
        row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        del row["child_peak_rss_mb"]
        del server  # frees the model before the next configuration loads it
        rows.append(row)
        print(json.dumps(row))
    result = {"runtime": runtime_version(), "threads": threads, "docs": len(docs), "rows": rows}
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print("| configuration | documents | wall s | documents / hour | client share | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        share = "-" if r["client_share"] is None else f"{r['client_share']:.1%}"
        print(
            f"| {r['config']} | {r['documents']} | {r['wall_s']} | {r['documents_per_hour']} "
            f"| {share} | {r['peak_rss_mb']} |"
        )


if __name__ == "__main__":
    main()
