"""Render versioned prompt templates into chat messages.

Templates are Jinja2 files under ``prompts/`` named ``<id>.v<version>.jinja``; a line
``=== user ===`` separates the system message from the user message. A note (a template with
no such line) is a paragraph added to another template's user message. They render in a
sandboxed environment where an undefined variable is an error. The document is passed as a
variable, never pasted into template source, so text in a report cannot change the template.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from summarizer.errors import ConfigurationError
from summarizer.record.schema import PromptRef

_USER_MARKER = "=== user ==="
_NAME = re.compile(r"^(?P<id>[a-z_]+)\.v(?P<version>\d+)\.jinja$")
_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False
)


def data_dir(kind: str) -> Path:
    """Find a data folder shipped in the wheel, or the one in a source checkout."""
    packaged = resources.files("summarizer").joinpath("_data", kind)
    if packaged.is_dir():
        return Path(str(packaged))
    # A source checkout: the data folders sit beside the package folder.
    checkout = Path(__file__).resolve().parents[3] / kind
    if checkout.is_dir():
        return checkout
    raise ConfigurationError(
        f"The {kind}/ folder is missing from the installation.",
        hint="Reinstall agreement-summarizer (pip install --force-reinstall agreement-summarizer).",
    )


def prompts_dir() -> Path:
    """Return the folder holding the prompt templates."""
    return data_dir("prompts")


def schemas_dir() -> Path:
    """Return the folder holding the exported JSON Schemas."""
    return data_dir("schemas")


@dataclass(frozen=True)
class PromptTemplate:
    """One versioned prompt template."""

    id: str
    version: str
    source: str

    @property
    def ref(self) -> PromptRef:
        """The template's id, version and sha256, for provenance."""
        digest = hashlib.sha256(self.source.encode("utf-8")).hexdigest()
        return PromptRef(id=self.id, version=self.version, sha256=digest)

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Render to chat messages: a system message and a user message.

        Raises:
            ConfigurationError: the template is malformed or uses an undefined variable.
        """
        system, sep, user = self._text(**variables).partition(_USER_MARKER)
        if not sep:
            raise ConfigurationError(
                f"Prompt {self.id} v{self.version} has no '{_USER_MARKER}' line.",
                hint="Fix the template under prompts/.",
            )
        return [
            {"role": "system", "content": system.strip()},
            {"role": "user", "content": user.strip()},
        ]

    def render_note(self, **variables: Any) -> str:
        """Render a note: one paragraph to add to another template's user message.

        Raises:
            ConfigurationError: the template is malformed, uses an undefined variable or is a
                whole prompt (it has a '=== user ===' line).
        """
        text = self._text(**variables)
        if _USER_MARKER in text:
            raise ConfigurationError(
                f"Prompt {self.id} v{self.version} is a whole prompt, not a note.",
                hint="Fix the template under prompts/.",
            )
        return text.strip()

    def _text(self, **variables: Any) -> str:
        """The template rendered with ``variables``, before it is split into messages."""
        try:
            return _ENV.from_string(self.source).render(**variables)
        except TemplateError as e:
            raise ConfigurationError(
                f"Prompt {self.id} v{self.version} failed to render: {e}",
                hint="Fix the template under prompts/.",
            ) from e


@cache
def load_prompt(prompt_id: str, version: str | None = None) -> PromptTemplate:
    """Load a prompt template by id; the highest version unless one is named.

    Raises:
        ConfigurationError: no template with that id (and version) exists.
    """
    found: dict[int, Path] = {}
    for path in prompts_dir().iterdir():
        m = _NAME.match(path.name)
        if m and m["id"] == prompt_id:
            found[int(m["version"])] = path
    if version is not None:
        found = {v: p for v, p in found.items() if str(v) == version}
    if not found:
        raise ConfigurationError(
            f"No prompt template {prompt_id!r}" + (f" version {version}" if version else "") + ".",
            hint=f"Look in {prompts_dir()}.",
        )
    best = max(found)
    return PromptTemplate(prompt_id, str(best), found[best].read_text(encoding="utf-8"))
