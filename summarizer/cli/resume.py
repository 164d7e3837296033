"""Resuming a batch: which documents already have a record made with the same source,
provider, model, schema and prompts, in the output folder or the JSON Lines file."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer import (
    InputError,
)
from summarizer.io.load import (
    MAX_RECORD_BYTES,
    is_regular_file,
    read_bounded,
)

#: What makes a record reusable: its source, provider, model (name and file) and schema, and
#: the prompts it was made with.
RecordKey = tuple[tuple[str, ...], frozenset[str]]


def record_key(record: object) -> RecordKey | None:
    """The key of a record: (source, provider, model, model file, schema), prompt hashes."""
    try:
        prov = record["provenance"]  # type: ignore[index]
        prompts = frozenset(str(p["sha256"]) for p in prov["prompts"])
        core = (
            str(prov["source_sha256"]),
            str(prov["provider"]),
            str(prov["model"]),
            str(prov.get("model_sha256") or ""),
            str(prov["schema_version"]),
        )
        return core, prompts
    except (TypeError, KeyError):
        return None


def reusable(key: RecordKey | None, wanted: RecordKey) -> bool:
    """Whether a record with ``key`` is what this run would make.

    Its prompts need only be among this run's: a report with no word of agreement is given
    its empty record without any prompt, and that record stays valid whatever the prompts.
    """
    return key is not None and key[0] == wanted[0] and key[1] <= wanted[1]


def done_in_file(path: Path) -> RecordKey | None:
    """Key of a finished record file, or None when missing, unreadable or not a record."""
    if not is_regular_file(path):
        return None
    try:
        raw = read_bounded(path, limit=MAX_RECORD_BYTES, what="a record", regular_only=True)
        return record_key(json.loads(raw))
    except (InputError, ValueError, RecursionError):
        return None  # a deeply nested file is no record either


def done_in_jsonl(path: Path) -> list[RecordKey]:
    """Keys of every record already in a JSON Lines file, read one bounded line at a time.

    A line longer than a record can be is skipped in pieces, never held whole; only the keys
    are kept, so memory follows the number of records, not the file's size.
    """
    keys: list[RecordKey] = []
    if not is_regular_file(path):
        return keys  # check_output_locations refuses a device or pipe before the run
    try:
        with path.open("rb") as f:
            while line := f.readline(MAX_RECORD_BYTES + 1):
                if len(line) > MAX_RECORD_BYTES:
                    while not line.endswith(b"\n") and (line := f.readline(MAX_RECORD_BYTES)):
                        pass  # the remainder of an over-long line, in bounded pieces
                    continue
                try:
                    key = record_key(json.loads(line))
                except (ValueError, RecursionError):
                    continue
                if key is not None:
                    keys.append(key)
    except OSError:
        return keys
    return keys
