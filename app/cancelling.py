"""Stopping a background task: cancel it and wait until it has finished.

Waiting matters: a task cancelled but not awaited may still be running its cleanup when the
caller closes what it uses (a database, a socket). The task's own cancellation is expected and
swallowed; anything else it raised on the way out propagates.
"""

from __future__ import annotations

import asyncio
import contextlib


async def cancel_and_wait(task: asyncio.Task[object] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
