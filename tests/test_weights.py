"""Weight assembly on small fake part packages: verified, atomic, clear when it fails."""

from __future__ import annotations

import errno
import hashlib
import sys
from pathlib import Path

import pytest

from summarizer.errors import ModelUnavailableError
from summarizer.providers import weights
from summarizer.providers.weights import (
    WeightsSpec,
    ensure_weights,
    is_verified,
    model_file,
    verify,
)

CHUNKS = [b"GGUF" + bytes(range(256)) * 3, b"second part" * 100, b"tail"]


def _spec(prefix: str, chunks: list[bytes], *, sha: str | None = None) -> WeightsSpec:
    blob = b"".join(chunks)
    return WeightsSpec(
        name="tiny",
        filename="tiny.gguf",
        parts=len(chunks),
        size=len(blob),
        sha256=sha or hashlib.sha256(blob).hexdigest(),
        module_prefix=prefix,
    )


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request) -> str:
    prefix = f"fakeparts_{request.node.name.replace('[', '_').replace(']', '_')}_part"
    site = tmp_path / "site"
    for i, chunk in enumerate(CHUNKS, start=1):
        pkg = site / f"{prefix}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(site))
    return prefix


def test_assembles_verifies_and_reuses(tmp_path: Path, parts: str):
    spec = _spec(parts, CHUNKS)
    lines: list[str] = []
    path = ensure_weights(tmp_path / "cache", spec, log=lines.append)
    assert path == model_file(tmp_path / "cache", spec)
    assert path.read_bytes() == b"".join(CHUNKS)
    assert is_verified(path, spec)
    assert any("Assembling" in line for line in lines)
    lines.clear()
    assert ensure_weights(tmp_path / "cache", spec, log=lines.append) == path
    assert lines == []  # second use: no assembly, no output
    assert [p.name for p in path.parent.iterdir() if "partial" in p.name] == []


def test_missing_part_package_says_how_to_install(tmp_path: Path, parts: str):
    spec = WeightsSpec(
        name="t", filename="t.gguf", parts=4, size=1, sha256="0" * 64, module_prefix=parts
    )
    with pytest.raises(ModelUnavailableError, match="missing parts 4") as info:
        ensure_weights(tmp_path / "cache", spec, log=lambda s: None)
    assert "[local]" in info.value.hint


def test_hash_mismatch_leaves_no_model_file(tmp_path: Path, parts: str):
    spec = _spec(parts, CHUNKS, sha="f" * 64)
    with pytest.raises(ModelUnavailableError, match="sha256"):
        ensure_weights(tmp_path / "cache", spec, log=lambda s: None)
    folder = tmp_path / "cache" / "models"
    assert list(folder.iterdir()) == []


def test_disk_full_leaves_nothing_half_written(tmp_path: Path, parts: str, monkeypatch):
    spec = _spec(parts, CHUNKS)
    real_open = Path.open

    class FullDisk:
        def __init__(self, f):
            self._f = f

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

    def fake_open(self, mode="r", *args, **kwargs):
        f = real_open(self, mode, *args, **kwargs)
        return FullDisk(f) if "w" in mode else f

    monkeypatch.setattr(Path, "open", fake_open)
    with pytest.raises(ModelUnavailableError, match="No space left") as info:
        ensure_weights(tmp_path / "cache", spec, log=lambda s: None)
    assert "disk space" in info.value.hint
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_verify_detects_a_corrupted_file(tmp_path: Path, parts: str):
    spec = _spec(parts, CHUNKS)
    path = ensure_weights(tmp_path / "cache", spec, log=lambda s: None)
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert not is_verified(path, spec)  # size/mtime stamp changed
    assert not verify(path, spec)


def test_default_spec_is_the_pinned_model():
    assert weights.DEFAULT_WEIGHTS.parts == 22
    assert weights.DEFAULT_WEIGHTS.size == 1_117_320_768
    assert sys.modules["summarizer.providers.weights"] is weights
