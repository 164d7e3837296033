"""Stopping model requests: a batch-wide cancel switch and a per-document deadline.

One ``RunControl`` belongs to a provider and is shared by every thread that calls it. The
cancel switch is set once (Ctrl-C, or a fatal error in another document) and stops every
thread at its next request, its next retry wait or its next chunk of answer. The deadline is
per thread, because at ``--concurrency`` > 1 each thread works on its own document.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class RequestStopped(Exception):
    """Raised inside the transport when the run is cancelled or the document is out of time."""


class RunControl:
    """The cancel switch of a provider and the deadline of each thread's document."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._local = threading.local()

    @property
    def cancelled(self) -> bool:
        """True once ``cancel`` was called."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop every request of every thread, now and from now on."""
        self._cancelled.set()

    @property
    def deadline(self) -> float | None:
        """This thread's document deadline (``time.monotonic()`` value), or None."""
        value: float | None = getattr(self._local, "deadline", None)
        return value

    @property
    def document_seconds(self) -> float | None:
        """The length of this thread's document deadline, for messages."""
        value: float | None = getattr(self._local, "seconds", None)
        return value

    def out_of_time(self) -> bool:
        """True when this thread's document deadline has passed."""
        deadline = self.deadline
        return deadline is not None and time.monotonic() >= deadline

    @contextmanager
    def document(self, seconds: float | None) -> Iterator[None]:
        """Give this thread's requests a deadline ``seconds`` from now (None: no deadline)."""
        self._local.deadline = None if seconds is None else time.monotonic() + seconds
        self._local.seconds = seconds
        try:
            yield
        finally:
            self._local.deadline = None
            self._local.seconds = None

    def check(self) -> None:
        """Raise ``RequestStopped`` when the run is cancelled or the document out of time."""
        if self.cancelled:
            raise RequestStopped("the run was cancelled")
        if self.out_of_time():
            raise RequestStopped("the document's deadline passed")

    def sleep(self, seconds: float) -> None:
        """Wait between retries, waking at once on cancel and never past the deadline."""
        deadline = self.deadline
        if deadline is not None:
            seconds = min(seconds, max(0.0, deadline - time.monotonic()))
        self._cancelled.wait(seconds)
        self.check()
