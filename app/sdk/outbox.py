"""The persistent outbox: every message I send is written here before its first attempt and
leaves only when the service has acknowledged it, refused it, or its deadline passed.

One sender task drains the outbox in creation order, pipelining up to ``WINDOW`` sends on the
connection; the service handles a connection's requests in order, so my messages are stored in
the order I wrote them. A lost connection or a timeout leaves the message queued: the
task stops and starts again after the next login. Because the service deduplicates on
``(sender, msg_id)``, resending something that was in fact stored is harmless — that is what
makes "exactly once" hold across crashes of either side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from typing import TYPE_CHECKING

from app.protocol import Cmd, ErrorCode, IMError, MessageAck
from app.protocol import Message as WireMessage
from app.protocol.commands import SendReq

from .cache.store import conversation_id_of
from .models import Message, MessageStatus

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.outbox")

WINDOW = 64
"""Sends in flight at once: enough to share the service's group commits, bounded so that a
dropped link leaves little to resend."""

TRANSIENT = {
    ErrorCode.SDK_NETWORK_UNAVAILABLE,
    ErrorCode.SDK_REQUEST_TIMEOUT,
    ErrorCode.SDK_NOT_LOGGED_IN,
    ErrorCode.NOT_LOGGED_IN,
    ErrorCode.RATE_LIMITED,
    ErrorCode.INTERNAL_ERROR,
}


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Outbox:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._waiters: dict[str, asyncio.Future[Message]] = {}
        self._task: asyncio.Task[None] | None = None
        self._again = False

    async def submit(self, wire: WireMessage) -> asyncio.Future[Message]:
        """Persist a message and queue it; the future resolves with the sent message or fails
        with the refusal."""
        ttl_ms = int(self.client.config.outbox_ttl_s * 1000)
        # The waiter exists before the row does: a drain already under way may pick the row up
        # and see its ack before this coroutine resumes.
        fut = self._waiters.get(wire.msg_id)
        if fut is None or fut.done():
            fut = self._waiters[wire.msg_id] = asyncio.get_running_loop().create_future()
        try:
            await self.client.cache.insert_pending(
                wire, conversation_id_of(wire, self.client.me), now_ms(), now_ms() + ttl_ms)
        except BaseException:
            self._waiters.pop(wire.msg_id, None)
            raise
        self.kick()
        return fut

    def kick(self) -> None:
        """Drain the outbox now (after login, after a new message)."""
        if not self.client.ready:
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._drain(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

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

    async def _drain(self) -> None:
        while True:
            self._again = False
            if not await self._drain_once():
                return
            if not self._again:
                return

    async def _drain_once(self) -> bool:
        """Send everything queued, up to WINDOW requests in flight, in creation order.

        Returns False when the link went away; what was not acknowledged stays queued.
        """
        client = self.client
        in_flight: deque[tuple[WireMessage, asyncio.Future[MessageAck]]] = deque()
        linked = True
        for wire, deadline in await client.cache.outbox():
            if now_ms() > deadline:
                await self._fail(wire, IMError(ErrorCode.SDK_SEND_EXPIRED))
                continue
            if len(in_flight) >= WINDOW and not await self._settle(*in_flight.popleft()):
                linked = False
                break
            try:
                in_flight.append((wire, await client.transport.submit(
                    Cmd.MSG_SEND, SendReq(msg=wire))))
            except IMError as exc:
                log.info("send of %s deferred: %s", wire.msg_id, exc)
                linked = False
                break
        while in_flight:
            linked = await self._settle(*in_flight.popleft()) and linked
        return linked

    async def _settle(self, wire: WireMessage, fut: asyncio.Future[MessageAck]) -> bool:
        """Take one answer; False when it was lost with the link (the message stays queued)."""
        client = self.client
        try:
            ack = await client.transport.answer(fut, Cmd.MSG_SEND)
        except IMError as exc:
            if exc.code in TRANSIENT:
                log.info("send of %s deferred: %s", wire.msg_id, exc)
                return False
            await self._fail(wire, exc)
            return True

        async def record() -> None:
            result = await client.cache.ack(wire.msg_id, ack.seq, ack.time)
            await client.announcer.messages(result, announce_new=True)
            await client.announcer.conversations(result.touched, set())

        await client.sync.serialized(record)
        return True

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
