"""Running SDK coroutines from Qt code.

Qt slots cannot await, and a task nobody references can be garbage-collected mid-flight (the
qasync pitfall), so every UI → SDK call goes through a ``TaskGroup``: it keeps the task alive,
logs failures with context, reports IMErrors to a callback, and cancels everything an owner
started when that owner goes away (switching chats cancels the old chat's history load, as
Mirage does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from app.protocol import IMError

log = logging.getLogger("tidings.ui")

T = TypeVar("T")


class TaskGroup:
    def __init__(self, name: str) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[Any]] = set()

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[IMError], None] | None = None,
    ) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def finished(t: asyncio.Task[T]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is None:
                if on_done is not None:
                    on_done(t.result())
            elif isinstance(exc, IMError):
                log.info("%s: %s", self.name, exc)
                if on_error is not None:
                    on_error(exc)
            else:
                log.error("%s failed", self.name, exc_info=exc)

        task.add_done_callback(finished)
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()

    async def drain(self) -> None:
        """Wait until every task started so far (and any they start) has ended; failures
        were already reported by `run`, so they are not raised again here."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)
