"""Logging with request context.

Each log line carries who and what it is about (user, platform, command, request id) without
every call site repeating it: the gateway sets a context variable around each request, and a
filter copies it into the records that are actually emitted. The context is formatted only then,
so requests that log nothing pay one context-variable set and reset. Sigs and passwords are
never put in the context or in messages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_context: ContextVar[dict[str, object] | None] = ContextVar("tidings_log_context", default=None)

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(ctx)s] %(message)s"
REPEAT_INTERVAL_S = 10.0

CLIENT_FAULTS = frozenset({
    "Invalid UTF-8 sequence received from client.",
    "Invalid HTTP request received.",
})
"""uvicorn's records about a client's misbehaviour, some logged with a traceback of uvicorn's
own code: the client's fault is a one-line warning, not an error with a stack."""


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        record.ctx = " ".join(f"{key}={value}" for key, value in fields.items()
                              if value not in (None, "")) if fields else "-"
        return True


class _ClientFaultFilter(logging.Filter):
    """On uvicorn's logger itself, so every handler (a test's capture too) sees the warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in CLIENT_FAULTS:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _RepeatFilter(logging.Filter):
    """Warnings and errors of one kind (same logger, same message template) pass once per
    interval; the next one that passes says how many were held back. A flood of bad clients
    then costs a line every few seconds instead of megabytes per second."""

    def __init__(self, interval_s: float = REPEAT_INTERVAL_S) -> None:
        super().__init__()
        self._interval_s = interval_s
        self._kinds: dict[tuple[str, object], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.msg)
        now = time.monotonic()
        since, held = self._kinds.get(key, (-self._interval_s, 0))
        if now - since < self._interval_s:
            self._kinds[key] = (since, held + 1)
            return False
        if len(self._kinds) > 1000:
            self._kinds.clear()
        self._kinds[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last " \
                         f"{now - since:.0f} s not logged)"
        return True


_client_faults = _ClientFaultFilter()


def demote_client_faults() -> None:
    """Turn uvicorn's records of client misbehaviour into one-line warnings (idempotent)."""
    logging.getLogger("uvicorn.error").addFilter(_client_faults)


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Attach ``key=value`` pairs to every record logged inside the block (this task only)."""
    token = _context.set(fields)
    try:
        yield
    finally:
        _context.reset(token)


def configure(level: str) -> None:
    """Send everything (uvicorn included) to stderr in one format; stdout stays free for the
    ready line that tests and the desktop app parse."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_RepeatFilter())
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(max(root.level, logging.WARNING))
