"""The persistent outbox: every message I send is written here before its first attempt and
leaves only when the service has acknowledged it, refused it, or its deadline passed.

One sender task drains the outbox in creation order, pipelining up to ``WINDOW`` sends on the
connection; the service handles a connection's state-changing requests in order, so my messages
are stored in the order I wrote them. The task never sits idle while it holds work and the link
is up: a send that timed out (a stall the heartbeat did not catch) or was refused for a passing
reason is sent again after a backoff with jitter, and a late ack for the first attempt is still
applied. Because the service deduplicates on ``(sender, msg_id)``, resending something that was
in fact stored only brings back its original ack — that is what makes "exactly once" hold across
stalls and crashes of either side. When the link is gone the task ends; the next login starts it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.protocol import Cmd, ErrorCode, IMError, MessageAck
from app.protocol import Message as WireMessage
from app.protocol.commands import SendReq

from .cache.store import conversation_id_of
from .cache.uploads import Upload
from .draining import GRAVITY, OFFLINE, RETRYABLE, Drain, Outcome
from .models import Message, MessageStatus

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.outbox")

WINDOW = 64
"""Sends in flight at once: enough to share the service's group commits, bounded so that a
dropped link leaves little to resend."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Outbox(Drain):
    name = "outbox"

    def __init__(self, client: IMClient) -> None:
        super().__init__(client, log)
        self._waiters: dict[str, asyncio.Future[Message]] = {}
        self._late: set[asyncio.Task[None]] = set()
        self._attempted: set[str] = set()
        """Sent at least once since this process started: past its deadline such a message
        gets one more attempt, whose dedup ack tells whether the service had stored it."""

    async def submit(self, wire: WireMessage, uploads: Sequence[Upload] = ()
                     ) -> asyncio.Future[Message]:
        """Persist a message and queue it; the future resolves with the sent message or fails
        with the refusal. A message with ``uploads`` waits for the uploader before it is sent."""
        ttl_ms = int(self.client.config.outbox_ttl_s * 1000)
        # The waiter exists before the row does: a drain already under way may pick the row up
        # and see its ack before this coroutine resumes.
        fut = self._waiters.get(wire.msg_id)
        if fut is None or fut.done():
            fut = self._waiters[wire.msg_id] = asyncio.get_running_loop().create_future()
        try:
            await self.client.cache.insert_pending(
                wire, conversation_id_of(wire, self.client.me), now_ms(), now_ms() + ttl_ms,
                uploads)
        except BaseException:
            self._waiters.pop(wire.msg_id, None)
            raise
        if uploads:
            self.client.uploader.kick()
        else:
            self.kick()
        return fut

    async def fail_unsent(self, msg_id: str, error: IMError) -> None:
        """A message that cannot go out (its media were refused) fails like a refused send."""
        wire = await self.client.cache.outbox_message(msg_id)
        if wire is not None:
            await self._fail(wire, error)

    def resolve(self, msg: Message) -> None:
        """An ack reached us, directly or through sync."""
        fut = self._waiters.pop(msg.msg_id, None)
        if fut is not None and not fut.done():
            fut.set_result(msg)
        else:
            self.client.notify_message("on_message_status_changed", msg)

    async def expire(self, msg_id: str) -> None:
        """The caller's deadline passed: fail the message unless it got through meanwhile."""
        status = await self.client.cache.message_status(msg_id, self.client.me)
        if status is not None and status[1] == MessageStatus.SENDING:
            await self.client.cache.fail(msg_id)
        self._waiters.pop(msg_id, None)

    async def _drain_once(self) -> Outcome:
        """Send everything queued, up to WINDOW requests in flight, in creation order.

        After the first send that did not get through, nothing new is submitted: the ones in
        flight are settled and the whole tail is sent again in creation order, so a retry cannot
        overtake what was written before it.
        """
        client = self.client
        in_flight: deque[tuple[WireMessage, asyncio.Future[MessageAck]]] = deque()
        outcome = Outcome.DONE
        for wire, deadline in await client.cache.outbox():
            if now_ms() > deadline and wire.msg_id not in self._attempted:
                await self._fail(wire, IMError(ErrorCode.SDK_SEND_EXPIRED))
                continue
            if len(in_flight) >= WINDOW:
                outcome = await self._settle(*in_flight.popleft())
                if outcome is not Outcome.DONE:
                    break
            try:
                fut = await client.transport.submit(Cmd.MSG_SEND, SendReq(msg=wire))
            except IMError as exc:
                log.info("send of %s deferred: %s", wire.msg_id, exc)
                outcome = Outcome.OFFLINE
                break
            self._attempted.add(wire.msg_id)
            in_flight.append((wire, fut))
        while in_flight:
            outcome = max(outcome, await self._settle(*in_flight.popleft()), key=GRAVITY.get)
        return outcome

    async def _settle(self, wire: WireMessage, fut: asyncio.Future[MessageAck]) -> Outcome:
        """Take one answer; anything but DONE leaves the message queued."""
        client = self.client
        try:
            ack = await client.transport.answer(
                fut, Cmd.MSG_SEND, on_late=lambda late: self._late_ack(wire, late))
        except IMError as exc:
            if exc.code in OFFLINE:
                log.info("send of %s deferred: %s", wire.msg_id, exc)
                return Outcome.OFFLINE
            if exc.code in RETRYABLE:
                log.info("send of %s will be retried: %s", wire.msg_id, exc)
                return Outcome.RETRY
            await self._fail(wire, exc)
            return Outcome.DONE
        await client.sync.serialized(lambda: self._record(wire, ack))
        return Outcome.DONE

    async def _record(self, wire: WireMessage, ack: MessageAck) -> None:
        client = self.client
        self._attempted.discard(wire.msg_id)
        result = await client.cache.ack(wire.msg_id, ack.seq, ack.time)
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched, set())

    def _late_ack(self, wire: WireMessage, ack: MessageAck) -> None:
        """An ack that came after its request timed out: as good as any (the cache's ack is
        idempotent, so one that races the retry's ack is harmless)."""
        task = asyncio.get_running_loop().create_task(
            self.client.sync.serialized(lambda: self._record(wire, ack)))
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _fail(self, wire: WireMessage, error: IMError) -> None:
        log.info("send of %s failed: %s", wire.msg_id, error)
        await self.client.cache.fail(wire.msg_id)
        msg = Message.from_wire(wire, self.client.me, MessageStatus.SEND_FAIL)
        fut = self._waiters.pop(wire.msg_id, None)
        if fut is not None and not fut.done():
            fut.set_exception(error)
        else:
            self.client.notify_message("on_message_status_changed", msg)
        await self.client.announcer.conversations({msg.conversation_id}, set())
