"""Logging with request context.

Each log line carries who and what it is about (user, platform, command, request id) without
every call site repeating it: the gateway sets a context variable around each request, and a
filter copies it into the records that are actually emitted. The context is formatted only then,
so requests that log nothing pay one context-variable set and reset. Sigs and passwords are
never put in the context or in messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_context: ContextVar[dict[str, object] | None] = ContextVar("tidings_log_context", default=None)

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(ctx)s] %(message)s"


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        record.ctx = " ".join(f"{key}={value}" for key, value in fields.items()
                              if value not in (None, "")) if fields else "-"
        return True


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
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(max(root.level, logging.WARNING))
