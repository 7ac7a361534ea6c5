"""Where the requests of one connection run, so that a slow read never holds up the rest.

- The **ordered lane** is one task that runs its jobs one after the other in arrival order:
  every request that changes state goes there (``msg.send``, ``msg.read``, ``msg.delete``,
  ``conv.update``, ``conv.delete``, ``profile.set``, ``login``, ``logout``), so their effects
  and answers keep the order the client sent them in (the SDK pipelines sends and relies on it).
- **Concurrent jobs** (the read-only requests) each run in their own task, at most
  ``concurrent_max`` at once per connection so that one client cannot take the database's
  connections; they may answer before requests that arrived earlier.

Backpressure: each lane admits a bounded number of jobs that have not finished; beyond it
``ordered``/``concurrent`` wait, and since the receive loop awaits them it stops reading the
socket, which slows the client down through TCP instead of buffering without bound.

Nothing is ever cancelled in the middle: ``close`` lets the running jobs finish, then either
runs the queued ordered jobs too (``drain``, the client went away normally and what it sent
still counts) or drops them (the connection was aborted); queued concurrent jobs are dropped, as
they change nothing and their answers would go nowhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]

CONCURRENT_MAX = 4
"""Read-only requests of one connection running at once."""
CONCURRENT_PENDING_MAX = 64
"""Read-only requests of one connection admitted (running or waiting for a slot)."""
ORDERED_PENDING_MAX = 1024
"""State-changing requests of one connection admitted and not yet finished."""


class RequestLanes:
    def __init__(self, concurrent_max: int = CONCURRENT_MAX,
                 concurrent_pending_max: int = CONCURRENT_PENDING_MAX,
                 ordered_pending_max: int = ORDERED_PENDING_MAX) -> None:
        self._queue: asyncio.Queue[tuple[Job, asyncio.Future[None]] | None] = asyncio.Queue()
        self._ordered_admission = asyncio.Semaphore(ordered_pending_max)
        self._concurrent_admission = asyncio.Semaphore(concurrent_pending_max)
        self._slots = asyncio.Semaphore(concurrent_max)
        self._concurrent: set[asyncio.Task[None]] = set()
        self._worker: asyncio.Task[None] | None = None
        self._drop = False
        self._closed = False

    async def ordered(self, job: Job) -> asyncio.Future[None]:
        """Queue ``job`` behind the ordered jobs before it; the future resolves once it ran
        (or was dropped), which a caller awaits to make the job a barrier."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._closed:
            done.set_result(None)
            return done
        await self._ordered_admission.acquire()
        if self._worker is None:
            self._worker = asyncio.create_task(self._run_ordered(), name="ordered-lane")
        self._queue.put_nowait((job, done))
        return done

    async def concurrent(self, job: Job) -> None:
        """Start ``job`` in its own task once a slot is free."""
        if self._closed:
            return
        await self._concurrent_admission.acquire()
        task = asyncio.create_task(self._run_concurrent(job))
        self._concurrent.add(task)
        task.add_done_callback(self._concurrent.discard)

    async def close(self, *, drain: bool) -> None:
        """Stop taking jobs and wait until none runs (see the module docstring)."""
        self._closed = True
        self._drop = not drain
        waits: list[asyncio.Future[object]] = list(self._concurrent)
        if self._worker is not None:
            self._queue.put_nowait(None)
            waits.append(self._worker)
        if waits:
            # shielded: a cancelled caller must not cancel a job in the middle
            await asyncio.shield(asyncio.gather(*waits, return_exceptions=True))

    async def _run_ordered(self) -> None:
        while (item := await self._queue.get()) is not None:
            job, done = item
            try:
                if not self._drop:
                    await _run(job)
            finally:
                self._ordered_admission.release()
                if not done.done():
                    done.set_result(None)

    async def _run_concurrent(self, job: Job) -> None:
        try:
            async with self._slots:
                if not self._closed:
                    await _run(job)
        finally:
            self._concurrent_admission.release()


async def _run(job: Job) -> None:
    """Jobs answer their own errors; anything escaping is a bug, logged, never the lane's end."""
    try:
        await job()
    except Exception:
        log.exception("request job failed")
