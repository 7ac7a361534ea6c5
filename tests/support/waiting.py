"""Waiting for something to become true, never for a length of time.

A test that sleeps and then asserts proves only that the machine was fast enough that time; one
that waits for the condition it needs is as fast as the code and fails only when the condition
never holds.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

POLL_S = 0.02
"""How often the condition is checked: it bounds the extra latency, not what is proven."""


async def wait_until(predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 20.0,
                     what: str = "condition") -> None:
    """Return once ``predicate()`` is true; it may be a coroutine function (e.g. a cache query).

    Raises ``AssertionError`` naming ``what`` when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(POLL_S)
