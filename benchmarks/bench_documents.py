"""Benchmark: time per document on the embedded model, and where the time goes.

Usage: python benchmarks/bench_documents.py [DOC ...] [--out FILE]
(default: every report in seeds/). Prints per document: wall seconds, model calls, prompt and
generated tokens, seconds spent reading prompts vs generating per pass; then the median, the
peak RSS of the process, the instruction sets the runtime was built for and those the CPU
offers (the prebuilt runtime uses AVX2 even on an AVX-512 CPU). Speed targets are checked
here, not in timed tests.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

from summarizer import Settings, Summarizer
from summarizer.io.load import read_document
from summarizer.providers.embedded import runtime_features

ROOT = Path(__file__).resolve().parent.parent


def cpu_features() -> str:
    """The vector instruction sets this CPU offers (Linux: from /proc/cpuinfo)."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return "unknown"
    flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    return " ".join(f for f in flags if f.startswith(("avx", "amx", "fma", "f16c"))) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    docs = args.docs or sorted((ROOT / "seeds").glob("*.txt"))
    started = time.perf_counter()
    with Summarizer(Settings(provider="embedded")) as summarizer:
        load_s = time.perf_counter() - started
        log = summarizer.provider.transport.log
        rows = []
        for doc in docs:
            text = read_document(doc)
            first = len(log)
            t = time.perf_counter()
            record = summarizer.summarize(text)
            wall = time.perf_counter() - t
            passes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
            for entry in list(log)[first:]:
                p = passes[entry["schema"]]
                tm = entry["timings"]
                p["calls"] += 1
                p["seconds"] += entry["seconds"]
                p["prompt_tokens"] += tm.get("prompt_n", 0)
                p["cached_tokens"] += tm.get("cache_n", 0)
                p["prompt_s"] += tm.get("prompt_ms", 0) / 1000
                p["generated_tokens"] += tm.get("predicted_n", 0)
                p["generate_s"] += tm.get("predicted_ms", 0) / 1000
            usage = record.provenance.usage
            rows.append(
                {
                    "document": doc.name,
                    "seconds": round(wall, 1),
                    "calls": record.provenance.calls,
                    "prompt_tokens": usage.prompt_tokens,
                    "generated_tokens": usage.completion_tokens,
                    "passes": {
                        k: {m: round(v, 1) for m, v in p.items()} for k, p in passes.items()
                    },
                }
            )
            print(
                f"{doc.name:34s} {wall:6.1f} s  calls {record.provenance.calls:2d}  "
                f"prompt {usage.prompt_tokens:5d}  generated {usage.completion_tokens:5d}"
            )
            for name, p in passes.items():
                print(
                    f"    {name:12s} calls {p['calls']:3.0f}  {p['seconds']:6.1f} s  "
                    f"read {p['prompt_tokens']:5.0f} tok in {p['prompt_s']:5.1f} s "
                    f"(+{p['cached_tokens']:.0f} reused)  wrote {p['generated_tokens']:4.0f} "
                    f"tok in {p['generate_s']:5.1f} s",
                    flush=True,
                )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median = statistics.median(r["seconds"] for r in rows)
    print(
        f"model load {load_s:.1f} s; median {median:.1f} s per document over {len(rows)}; "
        f"peak RSS {peak_mb:.0f} MB"
    )
    built_for, offered = runtime_features(), cpu_features()
    print(f"runtime built for: {built_for}\nthis CPU offers: {offered}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "median_s": median,
                    "peak_rss_mb": round(peak_mb),
                    "load_s": round(load_s, 1),
                    "runtime_features": built_for,
                    "cpu_features": offered,
                    "documents": rows,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
