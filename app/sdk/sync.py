"""Catch-up and gap filling: the half of the sync algorithm (PROTOCOL.md §6) that runs on the
client.

Everything that changes what the cache holds — catch-up after (re)login, pushes, receipts —
goes through one queue, handled one item at a time. That single consumer is what makes ordering
simple: a push that reveals a hole is stored, the hole is pulled, and only then are the messages
announced, ascending, so listeners see every conversation in seq order (S6).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.cancelling import cancel_and_wait
from app.protocol import (
    DEFAULT_LIMITS,
    Cmd,
    ConversationState,
    ErrorCode,
    IMError,
    Profile,
    PushName,
)
from app.protocol import Message as WireMessage
from app.protocol.commands import (
    ConvChangedPush,
    ConvSyncReq,
    ConvSyncResp,
    ModifiedPush,
    PullReq,
    PullResp,
    ReceiptPush,
    RevokedPush,
    SeqRange,
)

from .cache.store import StoreResult, conversation_id_of
from .models import Message, MessageReceipt

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.sync")

MAX_HOLE_RETRIES = 3
FRESH_PAGE = 20


@dataclass(slots=True)
class _Job:
    run: Callable[[], Awaitable[None]]
    done: asyncio.Future[None] | None


class SyncEngine:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._arrived: list[WireMessage] = []
        self._service: tuple[str, str] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._consume(), name="sync")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if job.done is not None and not job.done.done():
                job.done.cancel()

    async def _consume(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await job.run()
            except asyncio.CancelledError:
                if job.done is not None and not job.done.done():
                    job.done.cancel()
                raise
            except Exception as exc:
                if isinstance(exc, IMError):
                    log.info("sync step failed: %s", exc)
                else:
                    log.exception("sync step crashed")
                if job.done is not None and not job.done.done():
                    job.done.set_exception(exc)
                continue
            if job.done is not None and not job.done.done():
                job.done.set_result(None)

    def _enqueue(self, run: Callable[[], Awaitable[None]], wait: bool,
                 ) -> asyncio.Future[None] | None:
        done = asyncio.get_running_loop().create_future() if wait else None
        self._queue.put_nowait(_Job(run, done))
        return done

    # --- catch-up ------------------------------------------------------------------------

    async def serialized(self, run: Callable[[], Awaitable[None]]) -> None:
        """Run ``run`` in turn with pushes and catch-up. Everything that changes which messages
        the cache holds and announces them goes through here (acks, history pages), so no two
        of them interleave and listeners see each conversation in seq order."""
        await self.in_order(run)

    def in_order(self, run: Callable[[], Awaitable[None]]) -> asyncio.Future[None]:
        """Queue ``run`` now, behind what is already queued; the future resolves once it ran.
        Called from ``Transport.submit``'s ``on_answer``, an answer takes its place in the
        service's order, ahead of the pushes read after it."""
        done = self._enqueue(run, wait=True)
        assert done is not None
        return done

    async def catch_up(self) -> None:
        """Run a full catch-up and wait for it (login waits on this: L9)."""
        await self.serialized(self._catch_up)

    def service_changed(self, store_id: str, epoch: str) -> None:
        """Login told which store and epoch the service runs; the next catch-up acts on it."""
        self._service = (store_id, epoch)

    async def _catch_up(self) -> None:
        client = self.client
        cache = client.cache
        client.notify_conversation("on_sync_server_start")
        result = StoreResult()
        fresh = True
        try:
            verify = await self._check_store()
            fresh = await cache.get_value("synced_once") != "1"
            held = await cache.held_seqs()
            tips = await cache.tips(held) if verify else {}
            resp = await self._fetch_states(held, tips)
            if verify and await self._rolled_back(resp):
                await self._reset("the service holds less than this device: restored from an "
                                  "earlier copy")
                fresh, held = True, {}
                resp = await self._fetch_states({}, {})
            _merge(result, await cache.apply_states(resp.conversations))
            ranges, starts = self._plan(resp.conversations, held, fresh)
            await self._pull(ranges, starts, result)
            await cache.set_value("state_version", str(resp.version))
            await cache.set_value("synced_once", "1")
            if self._service is not None:
                await cache.set_value("service_store", self._service[0])
                await cache.set_value("service_epoch", self._service[1])
            await client.profiles.ensure_for_conversations(
                [s.conv_id for s in resp.conversations])
        except IMError:
            client.notify_conversation("on_sync_server_failed")
            raise
        finally:
            # Whatever was stored is announced, even when a later step failed: the cache will
            # not report these messages as new a second time.
            await client.announcer.messages(result, announce_new=not fresh)
            await client.announcer.conversations(result.touched,
                                                 set(result.new_conversations))
        client.notify_conversation("on_sync_server_finish")

    async def _check_store(self) -> bool:
        """Compare the service's store and epoch with those of the last catch-up. A different
        store replaced everything: start over. A different epoch (the service restarted, maybe
        from a backup): verify what this cache holds. Returns whether to verify."""
        if self._service is None:
            return False
        store_id, epoch = self._service
        cache = self.client.cache
        known_store = await cache.get_value("service_store")
        if known_store and store_id and known_store != store_id:
            await self._reset("the service's data was replaced")
            return False
        return bool(known_store) and await cache.get_value("service_epoch") != epoch

    async def _rolled_back(self, resp: ConvSyncResp) -> bool:
        version = int(await self.client.cache.get_value("state_version", "0"))
        if resp.diverged or resp.version < version:
            log.warning("service rolled back: version %d < %d or diverged %s", resp.version,
                        version, resp.diverged[:5])
            return True
        return False

    async def _reset(self, reason: str) -> None:
        """Forget what the service no longer has; keep my unsent messages. Listeners hear that
        the conversations went and that the data was reset, then catch-up refills the cache."""
        client = self.client
        log.warning("resyncing from scratch: %s", reason)
        gone = await client.cache.forget_service_state()
        client.announcer.reset()
        if gone:
            client.notify_conversation("on_conversation_deleted", gone)
        client.notify_sdk("on_server_data_reset", reason)

    def _plan(self, states: list[ConversationState], held: dict[str, int], fresh: bool,
              ) -> tuple[list[SeqRange], dict[str, int]]:
        """Which seq ranges to pull. A device that has synced before takes up to the catch-up
        window of what it missed (and announces it); a fresh device takes one page per
        conversation, quietly, and loads the rest as the user scrolls."""
        window = FRESH_PAGE if fresh else self.client.config.catch_up_window
        ranges: list[SeqRange] = []
        starts: dict[str, int] = {}
        for state in states:
            have = held.get(state.conv_id, 0)
            if state.max_seq <= have:
                continue
            after = max(have, state.min_seq - 1, state.max_seq - window)
            if after > have:
                starts[state.conv_id] = after
            ranges.append(SeqRange(state.conv_id, after, state.max_seq))
        return ranges, starts

    async def _pull(self, ranges: list[SeqRange], starts: dict[str, int],
                    total: StoreResult) -> None:
        """Pull ranges in bounded batches, verifying that each range arrives without holes;
        what is stored is merged into ``total`` as it goes, so a failure loses nothing."""
        remaining = list(ranges)
        holes = 0
        while remaining:
            batch, waiting = (remaining[:DEFAULT_LIMITS.pull_ranges_max],
                              remaining[DEFAULT_LIMITS.pull_ranges_max:])
            resp: PullResp = await self.client.request(
                Cmd.MSG_PULL, PullReq(ranges=batch, limit=self.client.config.pull_batch))
            result = await self.client.cache.store_messages(resp.messages, starts)
            starts = {}
            _merge(total, result)
            received: dict[str, list[int]] = {}
            for msg in resp.messages:
                received.setdefault(conversation_id_of(msg, self.client.me), []).append(msg.seq)
            next_ranges: list[SeqRange] = []
            for rng in batch:
                seqs = received.get(rng.conv_id, [])
                reached = rng.after_seq
                for seq in seqs:
                    if seq != reached + 1:
                        break
                    reached = seq
                if seqs and reached != seqs[-1]:
                    holes += 1
                    log.warning("hole in %s after seq %d (got %s…)", rng.conv_id, reached,
                                seqs[:5])
                if reached < rng.until_seq:
                    next_ranges.append(SeqRange(rng.conv_id, reached, rng.until_seq))
            if next_ranges and not resp.more:
                holes += 1
            if holes > MAX_HOLE_RETRIES:
                raise IMError(ErrorCode.INTERNAL_ERROR,
                              f"the service keeps returning holes for {next_ranges[:3]}")
            remaining = next_ranges + waiting

    # --- pushes --------------------------------------------------------------------------

    def on_push(self, name: str, body: Any) -> None:
        if name == PushName.MSG_NEW:
            # A burst of pushes becomes one job: stored in one transaction, announced once.
            if not self._arrived:
                self._enqueue(self._on_messages, wait=False)
            self._arrived.append(body)
            return
        handlers: dict[str, Callable[[Any], Awaitable[None]]] = {
            PushName.MSG_RECEIPT: self._on_receipt,
            PushName.MSG_REVOKED: self._on_revoked,
            PushName.MSG_MODIFIED: self._on_modified,
            PushName.CONV_CHANGED: self._on_conv_changed,
            PushName.PROFILE_CHANGED: self._on_profile,
        }
        handler = handlers.get(name)
        if handler is not None:
            self._enqueue(lambda: handler(body), wait=False)

    async def _on_messages(self) -> None:
        client = self.client
        batch, self._arrived = self._arrived, []
        stored = []
        for wire in batch:
            if wire.online_only or wire.seq == 0:
                if not client.typing.take(wire):
                    client.notify_message("on_recv_new_message",
                                          Message.from_wire(wire, client.me))
            else:
                stored.append(wire)
        if not stored:
            return
        top: dict[str, int] = {}
        for wire in stored:
            conv_id = conversation_id_of(wire, client.me)
            top[conv_id] = max(top.get(conv_id, 0), wire.seq)
        before = await client.cache.rows(top)
        result = await client.cache.store_messages(stored)
        try:
            after = await client.cache.rows(top)
            window = client.config.catch_up_window
            gapped = False
            for conv_id, seq in top.items():
                row = after[conv_id]
                if row.held_seq < seq - 1:
                    start = max(row.held_seq, seq - 1 - window, row.min_seq - 1)
                    starts = {conv_id: start} if start > row.held_seq else {}
                    gapped = gapped or bool(starts)
                    await self._pull([SeqRange(conv_id, start, seq - 1)], starts, result)
            appeared = [c for c in top if c not in before or before[c].deleted]
            if appeared or gapped:
                # A new conversation needs its state (min_seq, unread); so does one left with a
                # gap wider than the window, whose unread counts messages this device lacks.
                _merge(result, await self.refresh_states())
                # The refresh may have brought conversations whose messages are still on
                # their way: they will not count as appeared then, so name them now.
                await client.profiles.ensure_for_conversations(
                    [*appeared, *result.new_conversations])
        finally:
            await client.announcer.messages(result, announce_new=True)
            await client.announcer.conversations(result.touched,
                                                 set(result.new_conversations))

    async def _fetch_states(self, held: dict[str, int], tips: dict[str, str] | None = None,
                            version: int | None = None) -> ConvSyncResp:
        """The conversations that changed since the state version this cache applied, or whose
        log grew past what it holds, page by page. The version of the first page is the one to
        store: whatever changed while paging comes again with a later version."""
        if version is None:
            version = int(await self.client.cache.get_value("state_version", "0"))
        total = ConvSyncResp(version=-1, conversations=[])
        after = ""
        while True:
            resp: ConvSyncResp = await self.client.request(Cmd.CONV_SYNC, ConvSyncReq(
                version=version, known=held, tips=tips or {}, after=after))
            if total.version < 0:
                total.version = resp.version
            total.conversations.extend(resp.conversations)
            total.diverged.extend(resp.diverged)
            if not resp.more or not resp.next_after or resp.next_after <= after:
                return total
            after = resp.next_after

    async def refresh_states(self, conv_ids: set[str] | None = None) -> StoreResult:
        """Fetch per-user state again: what changed since the stored version, or — for
        ``conv_ids`` — those conversations whatever their version (to undo a local change the
        service refused)."""
        cache = self.client.cache
        held = await cache.held_seqs()
        if conv_ids is None:
            resp = await self._fetch_states(held)
            return await cache.apply_states(resp.conversations)
        resp = await self._fetch_states(held, version=0)
        return await cache.apply_states([s for s in resp.conversations if s.conv_id in conv_ids])

    async def _on_receipt(self, receipt: ReceiptPush) -> None:
        client = self.client
        await client.cache.set_peer_read(receipt.conv_id, receipt.read_seq)
        client.notify_message("on_recv_c2c_read_receipt", [MessageReceipt(
            receipt.conv_id, receipt.reader, receipt.read_seq, receipt.time // 1000)])
        await client.announcer.conversations({receipt.conv_id}, set())

    async def _on_revoked(self, push: RevokedPush) -> None:
        """Mark the message revoked at once; the ``conv.changed`` that follows brings the
        service's unread count and version (and names the seq again, which changes nothing)."""
        client = self.client
        result = await client.cache.mark_revoked(push.conv_id, [push.seq], push.revoker)
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched, set())

    async def _on_modified(self, push: ModifiedPush) -> None:
        """Take an edit into the cache when it is newer than the copy held (the version rule,
        ``CacheStore.take_edits``); listeners hear ``on_recv_message_modified`` once per
        version, whichever path brought it first."""
        client = self.client
        result = await client.cache.take_edits(push.conv_id, [push.message])
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched, set())

    async def _on_conv_changed(self, push: ConvChangedPush) -> None:
        client = self.client
        result = await client.cache.apply_states(push.conversations)
        await client.profiles.ensure_for_conversations(result.new_conversations)
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched, set(result.new_conversations))

    async def _on_profile(self, profile: Profile) -> None:
        await self.client.profiles.updated(profile)


def _merge(into: StoreResult, other: StoreResult) -> None:
    for conv_id, msgs in other.contiguous.items():
        into.contiguous.setdefault(conv_id, []).extend(msgs)
    into.acked.extend(other.acked)
    into.new_conversations.extend(c for c in other.new_conversations
                                  if c not in into.new_conversations)
    into.touched |= other.touched
    into.peer_reads.update(other.peer_reads)
    for msg_id, revoker in other.revoked.items():
        into.revoked.setdefault(msg_id, revoker)
    into.modified.update(other.modified)
