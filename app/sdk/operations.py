"""The queue of local operations — read, pin, draft, receive option, delete for me, delete
conversation, group changes, friend and profile changes — replayed to the service in the order
they were made.

Each operation is applied to the cache at once and persisted in the same transaction
(``CacheStore.queue_operation``), so it survives a restart and shows immediately; this queue
sends them one at a time, in order, whenever the client is logged in. Like the outbox it never
sits idle while it holds work and the link is up: a request that timed out or was refused for a
passing reason is sent again after a backoff (every operation is idempotent on the service). An
operation the service refuses for good is dropped and the conversation's state fetched again, so
the device shows what the service holds rather than a change that will never happen.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from app.protocol import COMMANDS, Cmd, ConversationState, ErrorCode, IMError
from app.protocol.commands import ConvDeleteReq, ConvUpdateReq, DeleteReq, ReadReq, ReadResp

from .cache.operations import (
    DeleteMessages,
    Draft,
    FriendChange,
    GroupChange,
    Operation,
    Pin,
    Read,
    ReceiveOption,
)
from .draining import OFFLINE, RETRYABLE, Drain, Outcome

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.operations")

GONE = {ErrorCode.CONVERSATION_NOT_FOUND}
"""Refusals that mean the operation has nothing left to act on: dropped quietly."""

Managed = GroupChange | FriendChange
"""Operations whose effect before the answer is a manager's to show, not a conversation row's."""


class Manager(Protocol):
    async def queued(self, op_id: int, op: Any) -> None: ...
    async def applied(self, op_id: int, op: Any, answer: Any) -> None: ...
    async def refused(self, op_id: int, op: Any) -> None: ...


def request_of(op: Operation) -> tuple[Cmd, Any]:
    if isinstance(op, Read):
        return Cmd.MSG_READ, ReadReq(conv_id=op.conv_id, seq=op.seq)
    if isinstance(op, Pin):
        return Cmd.CONV_UPDATE, ConvUpdateReq(conv_id=op.conv_id, pinned=op.pinned)
    if isinstance(op, Draft):
        return Cmd.CONV_UPDATE, ConvUpdateReq(conv_id=op.conv_id, draft=op.text)
    if isinstance(op, ReceiveOption):
        return Cmd.CONV_UPDATE, ConvUpdateReq(conv_id=op.conv_id, recv_opt=op.opt)
    if isinstance(op, DeleteMessages):
        return Cmd.MSG_DELETE, DeleteReq(conv_id=op.conv_id, seqs=op.seqs)
    if isinstance(op, Managed):
        cmd = Cmd(op.cmd)
        return cmd, msgspec.convert(op.body, COMMANDS[cmd][0])
    return Cmd.CONV_DELETE, ConvDeleteReq(conv_id=op.conv_id, seq=op.seq)


class OperationQueue(Drain):
    name = "operations"

    def __init__(self, client: IMClient) -> None:
        super().__init__(client, log)
        self._waiters: dict[int, asyncio.Future[Any]] = {}

    def _manager(self, op: Operation) -> Manager | None:
        if isinstance(op, GroupChange):
            return self.client.group_manager
        if isinstance(op, FriendChange):
            return self.client.friendship_manager
        return None

    async def submit(self, op: Operation) -> Any:
        """Apply ``op`` here, queue it, and — when logged in — wait (bounded) until the service
        took it: its answer then, or None while it stays queued (a stall or a lost link). A
        permanent refusal is raised."""
        client = self.client
        op_id = await client.cache.queue_operation(op)
        manager = self._manager(op)
        if manager is not None:
            await manager.queued(op_id, op)
        else:
            await client.announcer.conversations({op.conv_id}, set())
        if not client.caught_up:
            return None
        fut = self._waiters[op_id] = asyncio.get_running_loop().create_future()
        self.kick()
        try:
            return await asyncio.wait_for(asyncio.shield(fut),
                                          client.config.request_timeout_s * 1.5)
        except TimeoutError:
            log.info("%s still queued", type(op).__name__)
            return None
        finally:
            self._waiters.pop(op_id, None)

    async def stop(self) -> None:
        await super().stop()
        for fut in self._waiters.values():
            if not fut.done():
                fut.cancel()

    async def _drain_once(self) -> Outcome:
        for op_id, op in await self.client.cache.operations():
            outcome = await self._send(op_id, op)
            if outcome is not Outcome.DONE:
                return outcome
        return Outcome.DONE

    async def _send(self, op_id: int, op: Operation) -> Outcome:
        client = self.client
        cmd, body = request_of(op)
        manager = self._manager(op)
        applied: list[asyncio.Future[None]] = []
        answers: list[Any] = []

        def on_answer(answer: Any) -> None:
            # In wire order: a push read after this answer carries a newer state, which must
            # find the operation finished, not overlay it again on top of that state.
            answers.append(answer)
            applied.append(client.sync.in_order(lambda: self._applied(op_id, op, answer)))

        try:
            transport = client.transport
            await transport.answer(await transport.submit(cmd, body, on_answer), str(cmd))
        except IMError as exc:
            if exc.code in OFFLINE:
                return Outcome.OFFLINE
            if exc.code in RETRYABLE:
                log.info("%s on %s will be retried: %s", cmd, op.conv_id, exc)
                return Outcome.RETRY
            if exc.code in GONE and manager is None:
                # Nothing on the service to change (a draft in a chat never written to): the
                # change stays on this device only.
                await client.cache.finish_operation(op_id, local_only=True)
                self._settle(op_id, None)
                return Outcome.DONE
            log.warning("%s on %s refused: %s", cmd, op.conv_id, exc)
            if manager is not None:
                await client.cache.finish_operation(op_id)
                await manager.refused(op_id, op)
            else:
                await client.sync.serialized(lambda: self._refused(op_id, op))
            self._settle(op_id, exc)
            return Outcome.DONE
        await applied[0]
        if manager is not None:
            await manager.applied(op_id, op, answers[0])
        self._settle(op_id, None, answers[0])
        return Outcome.DONE

    async def _applied(self, op_id: int, op: Operation, answer: Any) -> None:
        client = self.client
        await client.cache.finish_operation(op_id)
        if isinstance(op, Managed):
            return  # its manager takes the answer, outside the push order
        touched = {op.conv_id}
        if isinstance(answer, ReadResp):
            await client.cache.set_read(op.conv_id, answer.read_seq, answer.unread,
                                        answer.max_seq)
        elif isinstance(answer, ConversationState):
            result = await client.cache.apply_states([answer])
            await client.announcer.messages(result, announce_new=True)
            touched |= result.touched
        await client.announcer.conversations(touched, set())

    async def _refused(self, op_id: int, op: Operation) -> None:
        """Undo the local effect by taking the service's word for the conversation again."""
        client = self.client
        await client.cache.finish_operation(op_id)
        result = await client.sync.refresh_states({op.conv_id})
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched | {op.conv_id},
                                             set(result.new_conversations))

    def _settle(self, op_id: int, error: IMError | None, answer: Any = None) -> None:
        fut = self._waiters.get(op_id)
        if fut is None or fut.done():
            return
        if error is None:
            fut.set_result(answer)
        else:
            fut.set_exception(error)
