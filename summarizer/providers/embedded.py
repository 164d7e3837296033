"""The embedded runtime: llama.cpp in-process through xllamacpp.

Only this module imports xllamacpp. The loaded runtime answers OpenAI-shaped chat requests
in-process; the provider layer reaches it through an httpx transport, so the embedded model
takes the same openai + instructor path as any server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import ModelUnavailableError
from summarizer.providers.weights import DEFAULT_WEIGHTS, ensure_weights, file_sha256


@dataclass(frozen=True)
class LocalModelInfo:
    """What provenance records about a local model file."""

    path: Path
    name: str
    sha256: str
    context_length: int | None


def gguf_info(path: Path, *, known_sha256: str | None = None) -> LocalModelInfo:
    """Read a GGUF file's metadata name and context length, and its sha256.

    Raises:
        ModelUnavailableError: the file is missing or not a readable GGUF.
    """
    try:
        from gguf import GGUFReader  # the [local] extra installs it

        reader = GGUFReader(str(path))
        name_field = reader.fields.get("general.name")
        name = bytes(name_field.parts[name_field.data[0]]).decode() if name_field else path.stem
        arch_field = reader.fields.get("general.architecture")
        arch = bytes(arch_field.parts[arch_field.data[0]]).decode() if arch_field else ""
        ctx_field = reader.fields.get(f"{arch}.context_length")
        ctx = int(ctx_field.parts[-1][0]) if ctx_field else None
    except ImportError as e:
        raise ModelUnavailableError(
            "The embedded runtime is not installed.",
            hint='Install it: pip install "agreement-summarizer[local]".',
        ) from e
    except (OSError, ValueError, KeyError, IndexError) as e:
        raise ModelUnavailableError(
            f"{path} is not a readable GGUF model file ({e}).",
            hint="Point SUMMARIZER_MODEL_PATH at a .gguf file, or unset it to use the default.",
        ) from e
    try:
        digest = known_sha256 or file_sha256(path)
    except OSError as e:
        raise ModelUnavailableError(
            f"Cannot read {path}: {e.strerror or e}.", hint="Check the file's permissions."
        ) from e
    return LocalModelInfo(path=path, name=name, sha256=digest, context_length=ctx)


def resolve_model_file(model_path: Path | None, cache_dir: Path) -> LocalModelInfo:
    """Return the user's GGUF if given, else the default weights (assembled on first use)."""
    if model_path is not None:
        if not model_path.is_file():
            raise ModelUnavailableError(
                f"Model file {model_path} does not exist.",
                hint="Fix SUMMARIZER_MODEL_PATH / --model-path, or unset it to use the default.",
            )
        return gguf_info(model_path)
    path = ensure_weights(cache_dir)
    return gguf_info(path, known_sha256=DEFAULT_WEIGHTS.sha256)


def start_runtime(model: Path, *, threads: int, context_tokens: int, port: int = 0) -> Any:
    """Load the model into an in-process llama.cpp server (also listening on 127.0.0.1).

    Args:
        model: the GGUF file.
        threads: CPU threads for generation and prompt processing.
        context_tokens: context size of the single slot.
        port: loopback port for its HTTP endpoint; 0 picks a free one.

    Raises:
        ModelUnavailableError: xllamacpp is not installed or the model fails to load.
    """
    try:
        import xllamacpp
    except ImportError as e:
        raise ModelUnavailableError(
            "The embedded runtime (xllamacpp) is not installed.",
            hint='Install it: pip install "agreement-summarizer[local]".',
        ) from e
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_ctx = context_tokens
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = 0
    params.hostnames = ["127.0.0.1"]  # the endpoint must never be reachable off this machine
    params.port = port
    params.warmup = False
    params.sampling.temp = 0.0
    # Off by default: a prefix cached by whatever ran before changes the numbers and so the
    # output. The pipeline turns it on per request only for the later calls on one document,
    # whose prefix the first call (cache off) has just computed the same way on every run.
    params.cache_prompt = False
    params.cache_idle_slots = False
    # The runtime also keeps finished prompts in RAM and restores the most similar one for a
    # new request; that made the same document's record depend on what ran before it in the
    # process (measured: 20 calls on a first run of the seed, 19 on a second), so it is off.
    params.cache_ram_mib = 0
    try:
        return xllamacpp.Server(params)
    except Exception as e:  # the binding raises plain RuntimeError/ValueError
        raise ModelUnavailableError(
            f"The embedded runtime could not load {model}: {e}",
            hint="Check the file (summarizer models verify) and free memory (about 2.5 GB).",
        ) from e


class LazyRuntime:
    """The in-process runtime, loaded on its first request.

    Loading takes seconds and 2 GB; a document whose every answer is replayed from the answer
    cache needs none of it, so a repeated ``summarize`` comes back without loading the model.
    Attributes of the loaded runtime (``listening_address``) are reached through this object
    and load it.
    """

    def __init__(self, model: Path, *, threads: int, context_tokens: int) -> None:
        self._model = model
        self._threads = threads
        self._context_tokens = context_tokens
        self._server: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._server is not None

    def load(self) -> Any:
        """The runtime, loading it on the first call.

        Raises:
            ModelUnavailableError: xllamacpp is not installed or the model fails to load.
        """
        with self._lock:
            if self._server is None:
                self._server = start_runtime(
                    self._model, threads=self._threads, context_tokens=self._context_tokens
                )
            return self._server

    def handle_chat_completions(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one chat request with the (loaded) runtime."""
        answer: dict[str, Any] = self.load().handle_chat_completions(request)
        return answer

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.load(), name)


def runtime_version() -> str:
    """The embedded runtime and its installed version, e.g. "xllamacpp 2026.10.11549"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"xllamacpp {version('xllamacpp')}"
    except PackageNotFoundError:
        return "xllamacpp (version unknown)"


def runtime_features() -> str:
    """The CPU instruction sets the installed runtime was built for, as llama.cpp reports them.

    The prebuilt xllamacpp wheel is built for AVX2 whatever the CPU offers, so benchmark
    figures say which build they come from. Empty when xllamacpp is not installed.
    """
    try:
        import xllamacpp
    except ImportError:
        return ""
    info = str(xllamacpp.get_system_info())
    # "CPU : SSE3 = 1 | AVX = 1 | ..." -> "SSE3 AVX ..."
    return " ".join(
        name.strip().removeprefix("CPU :").strip()
        for name, _, on in (part.partition("=") for part in info.split("|"))
        if on.strip() == "1"
    )
