"""A group's message rate (M14, §1.2: 40 msg/s per group; above it lower priorities are dropped
first), for every group type, checked before a group message is stored or relayed.

**Who gets through.** Per group, a sliding window (``group_send_window_ms``, 1 s, in 10 slices)
counts the messages admitted and the messages offered (admitted or not), by priority. With ``R``
the rate:

- HIGH passes while the window holds fewer than ``group_send_high_rate`` admitted messages (60):
  it keeps going after the others stop.
- NORMAL, LOW and LOWEST pass while what is admitted of their own and lower priorities, plus
  everything *offered* at higher priorities, stays below ``R``: demand from more important
  messages comes first, even the part of it that was refused. A lone stream of any priority
  therefore gets the whole ``R``; a mixed one over ``R`` loses LOWEST, then LOW, then NORMAL.
  Counts span the window plus one slice, since the newest slice has only partly elapsed: a
  window's worth alone would cover as little as 0.9 s, admitting up to 11 % over ``R`` and
  undercounting demand (a lower priority would slip into a gap that a higher one fills a
  moment later). So the bound errs by up to a slice on the safe side: never more than ``R`` in
  any window, and towards the more important messages.
- While the group's traffic is younger than one window (it started, or restarted after a
  silent window, less than a window ago), the window cannot know the demand yet: a burst would
  spend ``R`` on whatever came first. So then, while more important messages are about, LOW may
  not fill the last quarter of ``R`` and LOWEST not the last half: headroom for them. The price
  is paid only in that first window (a mixed stream under ``R`` may lose some LOWEST there);
  after it, a mix under ``R`` passes whole unless it is within a slice's worth of ``R``.

A refused message gets 10023 (Tencent's group message frequency code; the seed names none for
this). Like Tencent's "dropped", nothing of it is stored or relayed; the sender decides whether
to retry.

**Why a database row.** ``ratelimit``'s buckets live in one process, so with ``n`` nodes a
group would get ``n × R``. The window is a row of ``rate_windows`` (scope ``group_send``) read
and rewritten in a write transaction that locks it, so the bound holds whatever node each
sender is on and across restarts. Dividing ``R`` by the node count would also bound the total,
but it starves a group whose senders happen to be on one node, and priorities could only be
ordered within a node. The cost is a commit per admission, so admissions are group-committed:
every admission queued while one transaction runs goes into the next, one commit for all of
them (as the message writer does for messages). Slices are wall-clock milliseconds, so the bound
is as exact as the nodes' clocks agree.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Final

import msgspec

from app.protocol import ErrorCode, IMError, Limits, Priority
from app.server.clock import now_ms
from app.server.store import rate_windows
from app.server.store.db import Database

log = logging.getLogger(__name__)

SCOPE: Final = "group_send"
SLICES: Final = 10
RING: Final = SLICES + 1
"""Slices counted: the newest one has only partly elapsed, so one more than a window's worth
makes every count span at least a whole window."""
BATCH_MAX: Final = 500
_ORDER: Final = (Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.LOWEST)
"""Most important first; a priority's index in this tuple is its column."""
HEADROOM: Final = {Priority.NORMAL: 0.0, Priority.LOW: 0.25, Priority.LOWEST: 0.5}
"""Share of the rate a priority leaves free while more important messages are about."""


@dataclass(frozen=True, slots=True)
class SendPolicy:
    rate: int
    high_rate: int
    window_ms: int

    @classmethod
    def of(cls, limits: Limits) -> SendPolicy:
        return cls(limits.group_send_rate, max(limits.group_send_high_rate,
                                               limits.group_send_rate),
                   max(SLICES, limits.group_send_window_ms))

    @property
    def off(self) -> bool:
        return self.rate <= 0

    @property
    def slice_ms(self) -> int:
        return self.window_ms // SLICES


class _State(msgspec.Struct, array_like=True):
    head: int
    """Absolute index (time // slice_ms) of the newest slice."""
    start: int
    """Index of the slice the group's current run of traffic began in."""
    slices: list[list[int]]
    """Ring of RING rows: admitted per priority (4), then offered per priority (4)."""


_decode = msgspec.json.Decoder(_State).decode
_encode = msgspec.json.Encoder().encode


@dataclass(slots=True)
class Window:
    """One group's window; ``admit`` decides and counts. Pure: time comes in as an argument."""

    head: int = -1
    start: int = -1
    slices: list[list[int]] = field(default_factory=lambda: [[0] * 8 for _ in range(RING)])

    @classmethod
    def decode(cls, text: str) -> Window:
        if not text:
            return cls()
        state = _decode(text)
        return cls(state.head, state.start, state.slices)

    def encode(self) -> str:
        return _encode(_State(self.head, self.start, self.slices)).decode()

    def _advance(self, index: int) -> None:
        if index <= self.head:
            return  # a node whose clock runs behind counts into the newest slice
        if self.head < 0 or index - self.head >= RING:
            self.slices = [[0] * 8 for _ in range(RING)]
            self.start = index  # a new run of traffic: the window knows nothing of it yet
        else:
            for i in range(self.head + 1, index + 1):
                self.slices[i % RING] = [0] * 8
        self.head = index

    @property
    def young(self) -> bool:
        """The run of traffic is shorter than a window: its demand is not known yet."""
        return self.head - self.start < SLICES - 1

    def _sum(self, column: int) -> int:
        return sum(row[column] for row in self.slices)

    def admit(self, priority: int, at_ms: int, policy: SendPolicy) -> bool:
        self._advance(at_ms // policy.slice_ms)
        p = _ORDER.index(Priority(priority))
        admitted = [self._sum(i) for i in range(4)]
        offered_above = sum(self._sum(4 + i) for i in range(p))
        self.slices[self.head % RING][4 + p] += 1
        total = sum(admitted)
        if p == 0:
            ok = total < policy.high_rate
        else:
            ok = sum(admitted[p:]) + offered_above < policy.rate
            if ok and offered_above and self.young:
                ok = total < policy.rate * (1 - HEADROOM[_ORDER[p]])
        if ok:
            self.slices[self.head % RING][p] += 1
        return ok


@dataclass(slots=True)
class _Ask:
    group_id: str
    priority: int
    at_ms: int
    future: asyncio.Future[bool]


class GroupSendRate:
    """Admission of group messages under ``SendPolicy``, shared through the database."""

    def __init__(self, db: Database, limits: Limits) -> None:
        self._db = db
        self._policy = SendPolicy.of(limits)
        self._queue: list[_Ask] = []
        self._flusher: asyncio.Task[None] | None = None

    async def admit(self, group_id: str, priority: int) -> None:
        """Return when the message may go; 10023 when the group is over its rate for it."""
        if self._policy.off:
            return
        ask = _Ask(group_id, priority, now_ms(), asyncio.get_running_loop().create_future())
        self._queue.append(ask)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        if not await ask.future:
            raise IMError(ErrorCode.GROUP_SEND_RATE,
                          f"{group_id} is over its rate of {self._policy.rate} messages per "
                          f"{self._policy.window_ms} ms for priority {Priority(priority).name}")

    async def _flush(self) -> None:
        """Decide what is queued, a transaction at a time, until nothing is; then end (a new
        admission starts the next flush), so there is no task to stop at shutdown."""
        while self._queue:
            batch, self._queue = self._queue[:BATCH_MAX], self._queue[BATCH_MAX:]
            try:
                results = await self._decide(batch)
            except Exception as exc:  # the senders get the failure; the next batch may pass
                log.exception("deciding %d group send admissions failed", len(batch))
                for ask in batch:
                    if not ask.future.done():
                        ask.future.set_exception(IMError(ErrorCode.INTERNAL_ERROR, str(exc)))
                continue
            for ask, ok in zip(batch, results, strict=True):
                if not ask.future.done():
                    ask.future.set_result(ok)

    async def _decide(self, batch: list[_Ask]) -> list[bool]:
        async with self._db.write() as conn:
            states = await rate_windows.locked(conn, SCOPE, {a.group_id for a in batch})
            windows = {g: Window.decode(s) for g, s in states.items()}
            results = [windows[a.group_id].admit(a.priority, a.at_ms, self._policy)
                       for a in batch]
            await rate_windows.save(conn, SCOPE, {g: w.encode() for g, w in windows.items()})
        return results
