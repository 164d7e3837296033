"""Keep secrets out of everything the tool prints or records.

A server URL may carry a key (``http://user:KEY@host/v1``, ``...?api-key=KEY``) and a server's
error body may echo one back; neither may reach a record, a log line or the terminal whole.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

#: Longest error body shown to the user; the rest is cut.
BODY_CHARS = 300
# Things that look like credentials: bearer tokens, "sk-..." keys, key=value pairs, and long
# runs of key-like characters.
_SECRET = re.compile(
    r"(?i)(bearer\s+)\S+|\bsk-[A-Za-z0-9_\-]{8,}|"
    r"((?:api[_-]?key|key|token|secret|password|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+|"
    r"\b[A-Za-z0-9_\-]{32,}\b"
)


def redact_url(url: str | None) -> str | None:
    """The URL without user info, query or fragment: ``http://u:k@h/v1?k=1`` -> ``http://h/v1``."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable URL)"
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def scrub(text: str, limit: int = BODY_CHARS, *, keep_lines: bool = False) -> str:
    """Text from a server made safe to show: key-like strings masked, cut to ``limit`` chars.

    ``keep_lines`` keeps line breaks (a traceback); otherwise whitespace is collapsed.
    """

    def mask(m: re.Match[str]) -> str:
        prefix = m.group(1) or m.group(2) or ""
        return f"{prefix}***"

    masked = _SECRET.sub(mask, text)
    flat = masked if keep_lines else " ".join(masked.split())
    return flat if len(flat) <= limit else flat[:limit] + f"... ({len(flat):,} characters)"
