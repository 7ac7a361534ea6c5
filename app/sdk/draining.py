"""The retry loop the outbox and the operation queue share: one task that works through a
persistent queue while this login is caught up, and never sits idle while it holds work.

A pass that could not finish (a timeout in a stall the heartbeat did not catch, a passing
refusal, even a bug in one step) is tried again after a backoff with jitter; a pass that finds
the link or the login gone ends the task, and the next login starts it again. A ``kick`` during
a pass makes the task take one more pass at once, so nothing queued meanwhile waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from enum import Enum
from typing import TYPE_CHECKING

from app.cancelling import cancel_and_wait
from app.protocol import ErrorCode

if TYPE_CHECKING:
    from .client import IMClient

OFFLINE = {
    ErrorCode.SDK_NETWORK_UNAVAILABLE,
    ErrorCode.SDK_NOT_LOGGED_IN,
    ErrorCode.NOT_LOGGED_IN,
}
"""The link or the login is gone: wait for the next login rather than retrying."""
RETRYABLE = {
    ErrorCode.SDK_REQUEST_TIMEOUT,
    ErrorCode.RATE_LIMITED,
    ErrorCode.INTERNAL_ERROR,
}
"""The link is up but this attempt did not get through: try again after a backoff."""
RETRY_MIN_S = 0.25
RETRY_MAX_S = 4.0
"""Retries while linked stay quick: after a 15 s stall the backlog must be through in seconds."""


class Outcome(Enum):
    DONE = "done"
    RETRY = "retry"
    OFFLINE = "offline"


GRAVITY = {Outcome.DONE: 0, Outcome.RETRY: 1, Outcome.OFFLINE: 2}
"""Of several outcomes in one pass, the one that decides what the task does next."""


def retry_delay(attempt: int) -> float:
    """Full jitter on a doubling cap, like the reconnect backoff."""
    cap = min(RETRY_MAX_S, RETRY_MIN_S * 2 ** min(attempt, 8))
    return random.uniform(cap / 2, cap)


class Drain:
    """Subclasses say what one pass is (``_drain_once``)."""

    name = "drain"

    def __init__(self, client: IMClient, log: logging.Logger) -> None:
        self.client = client
        self._log = log
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._wake = asyncio.Event()

    def kick(self) -> None:
        """Work through the queue now (after login, after something was queued)."""
        if not self.client.caught_up:
            return
        if self.draining:
            self._again = True
            self._wake.set()
            return
        self._task = asyncio.get_running_loop().create_task(self._drain(), name=self.name)

    @property
    def draining(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _drain_once(self) -> Outcome:
        raise NotImplementedError

    async def _drain(self) -> None:
        attempt = 0
        while self.client.caught_up:
            self._again = False
            try:
                outcome = await self._drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                # Nothing may end this task while it holds work: a bug in one step is logged
                # and the drain goes on after a backoff.
                self._log.exception("%s step crashed", self.name)
                outcome = Outcome.RETRY
            if outcome is Outcome.OFFLINE:
                return
            if outcome is Outcome.DONE:
                attempt = 0
                if not self._again:
                    return
                continue
            delay = retry_delay(attempt)
            attempt += 1
            self._log.info("%s retries in %.2fs", self.name, delay)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
