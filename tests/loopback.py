"""A fake OpenAI-compatible server on 127.0.0.1, for fault injection over real sockets.

Each test gives it a ``respond`` function that sees the decoded request and returns a
``Reply``: a status, a body, headers, and optionally a delay before answering or a pause
between bytes (a server that trickles). Every request is kept with its arrival time.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fakes import FakeChatServer


@dataclass
class Reply:
    """What the server sends back for one request."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before the status line.
    delay: float = 0.0
    #: Seconds between single bytes of the body (0: the body in one write).
    trickle: float = 0.0

    @classmethod
    def json(cls, payload: object, status: int = 200, **kwargs: Any) -> Reply:
        """A JSON reply."""
        return cls(status, json.dumps(payload).encode(), **kwargs)


@dataclass
class Seen:
    """One request the server received."""

    at: float
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    size: int


Respond = Callable[[dict[str, Any]], Reply]


def chat_answers(server: FakeChatServer | None = None) -> Respond:
    """Answer every chat request as ``FakeChatServer`` does (recorded seed answers)."""
    fake = server or FakeChatServer()
    return lambda request: Reply.json(fake.handle_chat_completions(request))


class LoopbackServer:
    """The server and what it saw; ``url`` is the ``--base-url`` to give the CLI."""

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: no access log on stderr."""

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                with owner._lock:
                    owner.seen.append(
                        Seen(time.monotonic(), self.path, dict(self.headers), body, len(raw))
                    )
                reply = owner.respond(body)
                # The client may give up on the answer: that is what some tests want.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(reply)

            def _send(self, reply: Reply) -> None:
                time.sleep(reply.delay)
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.trickle <= 0:
                    self.wfile.write(reply.body)
                    return
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def requests_after(self, moment: float) -> list[Seen]:
        """Requests that arrived after a ``time.monotonic()`` moment."""
        with self._lock:
            return [s for s in self.seen if s.at > moment]

    def start(self) -> None:
        """Start serving on a thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def loopback(respond: Respond) -> Iterator[LoopbackServer]:
    """A running loopback server, stopped after the block."""
    server = LoopbackServer(respond)
    server.start()
    try:
        yield server
    finally:
        server.stop()
