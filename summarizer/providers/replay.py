"""Recorded model answers, replayed when the very same request comes again.

The eval runs every rule live on every document, but a model answer is only worth recomputing
when something that decides it changed. An answer is keyed by everything the runtime sees: the
provider and model (name, file sha256, runtime version, context size), the rendered messages,
the response schema (the grammar), the token cap and the re-ask budget. Code, prompts or
documents that change a request change its key, so a stale answer can never be served; a rule
change that leaves the requests alone replays them all. Each entry also keeps the tokens and
seconds the live call cost, so cost figures stay those of the model, not of the replay.

One JSON file per request, ``<dir>/<key[:2]>/<key>.json``, written atomically: a committed
directory of them lets CI replay an unchanged eval instead of spending an hour on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.io.files import write_atomic


@dataclass
class CallCache:
    """A directory of recorded answers, with counts of what this process replayed."""

    directory: Path
    #: Whether recorded answers are served; False records only (a fully live run).
    read: bool = True
    replayed_calls: int = 0
    #: Seconds the replayed calls took when they were made live.
    replayed_seconds: float = 0.0
    live_calls: int = 0
    #: Replayed and live calls since the cache was opened (not reset per document).
    total_replayed: int = 0
    total_live: int = 0
    used: set[str] = field(default_factory=set)
    #: Bytes the folder may hold; past it the least recently used answers go (None: no cap).
    max_bytes: int | None = None
    _size: int | None = field(default=None, init=False, repr=False)

    @staticmethod
    def key(request: dict[str, Any]) -> str:
        """The sha256 of a request, canonically serialised."""
        canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The recorded entry for ``key`` (counted as replayed), or None."""
        if not self.read:
            return None
        path = self._path(key)
        try:
            entry: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or unreadable: the call runs live and rewrites it
        self.used.add(key)
        self.replayed_calls += 1
        self.total_replayed += 1
        self.replayed_seconds += float(entry.get("seconds", 0.0))
        if self.max_bytes is not None:
            path.touch()  # recently used: the cap removes the oldest first
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Record the entry of a live call (atomically: a stopped run leaves no torn file)."""
        self.used.add(key)
        self.live_calls += 1
        self.total_live += 1
        text = json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self._path(key), text)
        if self.max_bytes is not None:
            self._size = (self.size() if self._size is None else self._size) + len(
                text.encode("utf-8")
            )
            if self._size > self.max_bytes:
                self._trim(self.max_bytes * 9 // 10)

    def entries(self) -> list[Path]:
        """Every recorded answer's file."""
        return sorted(self.directory.glob("*/*.json"))

    def size(self) -> int:
        """Bytes the recorded answers take."""
        return sum(p.stat().st_size for p in self.entries())

    def _trim(self, target: int) -> None:
        """Delete the least recently used answers until the folder holds ``target`` bytes."""
        files = sorted(self.entries(), key=lambda p: p.stat().st_mtime)
        size = sum(p.stat().st_size for p in files)
        for path in files:
            if size <= target:
                break
            size -= path.stat().st_size
            path.unlink(missing_ok=True)
        self._size = size

    def clear(self) -> int:
        """Delete every recorded answer; returns how many were deleted."""
        files = self.entries()
        for path in files:
            path.unlink(missing_ok=True)
        self._size = 0
        return len(files)

    def prune(self) -> int:
        """Delete every entry this process did not use; returns how many were deleted."""
        removed = 0
        for path in self.entries():
            if path.stem not in self.used:
                path.unlink()
                removed += 1
        return removed

    def reset_counts(self) -> None:
        """Start counting replayed and live calls afresh (per document)."""
        self.replayed_calls = self.live_calls = 0
        self.replayed_seconds = 0.0
