"""Benchmark: cost of long documents on the embedded model (read in chunks), by length.

Usage: python benchmarks/bench_long.py [--words 1000 5000 20000] [--context 8192 ...]
       [--source seeds/long/lome-accord-1999-longform.txt] [--out FILE]

Each length is cut from the source report (repeated when it is shorter) at a sentence end and
summarized in a fresh process, which reports its wall seconds, chunks, calls, prompt and
generated tokens and peak RSS. ``--context`` sizes load the model with that context and
summarize the 1,000-word text, to show what memory each context size costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "seeds" / "long" / "lome-accord-1999-longform.txt"


def cut(source: str, words: int) -> str:
    """The first ``words`` words of ``source`` (repeated as needed), ended at a sentence end."""
    text = source
    while len(text.split()) < words:
        text += "\n\n" + source
    tokens = text.split(" ")
    head, count = [], 0
    for token in tokens:
        head.append(token)
        count += len(token.split())
        if count >= words and token.rstrip().endswith((".", "”", '"')):
            break
    return " ".join(head)


def one(path: Path, context: int) -> dict[str, object]:
    """Summarize one file in this process; what it cost."""
    from summarizer import Settings, Summarizer
    from summarizer.extract.run import chunks_of

    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    with Summarizer(Settings(provider="embedded", context_tokens=context)) as summarizer:
        loaded = time.perf_counter() - started
        record = summarizer.summarize(text)
        chunks = len(chunks_of(text, summarizer.provider.info.context_tokens))
    usage = record.provenance.usage
    return {
        "words": len(text.split()),
        "context": context,
        "chunks": chunks,
        "seconds": round(time.perf_counter() - started, 1),
        "load_seconds": round(loaded, 1),
        "calls": record.provenance.calls,
        "prompt_tokens": usage.prompt_tokens,
        "generated_tokens": usage.completion_tokens,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "parties": len(record.parties),
        "articles": len(record.articles),
        "conditions": len(record.conditions),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--context", nargs="*", type=int, default=[])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--one-context", type=int, default=8192, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.one_context)))
        return
    source = args.source.read_text(encoding="utf-8")
    work = Path("/tmp/bench-long")
    work.mkdir(exist_ok=True)
    runs = [(w, 8192) for w in args.words] + [(1000, c) for c in args.context]
    rows = []
    for words, context in runs:
        path = work / f"{words}-words.txt"
        path.write_text(cut(source, words), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path), "--one-context", str(context)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.out is not None:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
