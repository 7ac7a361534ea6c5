"""The message writer: every stored message goes through here, in group commits (S1–S3, S5).

One task owns a queue of submissions. It takes the first waiting submission and everything else
already queued (up to ``batch_max``) and stores them in one transaction: dedup by
(msg_id, sender), seq allocation per conversation, one executemany insert, the per-user rows.
A commit (one fsync with ``synchronous=FULL``) is shared by the whole batch, which is what makes
durable acks cheap. Acks resolve and ``msg.new`` is published only after the commit, in seq
order; if the transaction fails every submission of the batch fails with 91000 and the client's
outbox resends (dedup makes that safe).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field

import msgspec
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Message, MessageAck, PushName
from app.protocol.elements import media_uuids
from app.protocol.frames import encode_push
from app.protocol.ids import ConvType
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.friends.gate import C2CPolicy, Delivery
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as groups_store
from app.server.store import media as media_store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .conversations import ConversationService
from .keys import conv_id_for, group_of

log = logging.getLogger(__name__)

BATCH_MAX = 500
_encode = msgspec.json.Encoder().encode


@dataclass(slots=True)
class Submission:
    message: Message
    conv_key: str
    origin: str | None
    """The session that sent the message: it gets the ack, not the push."""
    sync_sender: bool
    """Push to the sender's other sessions (False for REST SyncOtherMachine=2)."""
    hide_for_sender: bool
    relationship_checked: bool = False
    """A client's C2C message, which passes the relationship policy (M12, ``friends.gate``)
    in the storing transaction; the admin API's are not checked."""
    hide_for_receiver: bool = False
    """Set in the transaction when the receiver blocks the sender (M12): stored for the sender
    only — hidden from the receiver from the start, not pushed to them, no conversation made
    or revived for them."""
    time: int = 0
    """0: stamped by the writer; an import (``openim/importmsg``) brings its own time."""
    push: bool = True
    """Publish ``msg.new`` after the commit; imported history is not pushed."""
    future: asyncio.Future[MessageAck] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass(slots=True)
class _Stored:
    submission: Submission
    message: Message
    body: bytes


@dataclass(slots=True)
class _Outcome:
    stored: list[_Stored] = field(default_factory=list)
    answered: list[tuple[Submission, MessageAck | IMError]] = field(default_factory=list)
    copies: list[tuple[Submission, Submission]] = field(default_factory=list)
    """In-batch duplicates and the submission whose result they share."""
    revived: dict[str, list[str]] = field(default_factory=dict)
    """user → conversations of theirs that came back from deletion; pushed as ``conv.changed``."""
    live: list[tuple[str, str]] = field(default_factory=list)
    epoch: int = 0
    fanout: dict[str, list[str]] = field(default_factory=dict)
    """group log → its members when the batch was stored: whom its messages are pushed to."""


class MessageWriter:
    def __init__(self, db: Database, bus: Bus, conversations: ConversationService,
                 policy: C2CPolicy, batch_max: int = BATCH_MAX) -> None:
        self._db = db
        self.policy = policy
        self._bus = bus
        self._conversations = conversations
        self._live_rows = conversations.live_rows
        self._batch_max = batch_max
        self._queue: asyncio.Queue[Submission | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._known_logs: set[str] = set()
        self._last_time = 0
        self._closed = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="message-writer")

    async def stop(self) -> None:
        """Store what is already queued, then end."""
        self._closed = True
        self._queue.put_nowait(None)
        if self._task is not None:
            await self._task

    def submit(self, message: Message, conv_key: str, *, origin: str | None,
               sync_sender: bool = True, hide_for_sender: bool = False,
               relationship_checked: bool = False, time: int = 0,
               push: bool = True) -> asyncio.Future[MessageAck]:
        """Queue a validated message; the future resolves with the ack after commit.

        ``time`` (ms) is for imports only: seqs are still given in arrival order, so an importer
        keeps seq order equal to time order by importing a conversation oldest first."""
        submission = Submission(message, conv_key, origin, sync_sender, hide_for_sender,
                                relationship_checked, time=time, push=push)
        if self._closed:
            submission.future.set_exception(
                IMError(ErrorCode.INTERNAL_ERROR, "the service is shutting down"))
        else:
            self._queue.put_nowait(submission)
        return submission.future

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[Submission] = []
            item = await self._queue.get()
            while True:
                if item is None:
                    stopping = True
                else:
                    batch.append(item)
                if len(batch) >= self._batch_max or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            if batch:
                await self._process(batch)

    async def _process(self, batch: list[Submission]) -> None:
        try:
            outcome = await self._commit(batch)
        except Exception:
            log.exception("storing a batch of %d messages failed", len(batch))
            error = IMError(ErrorCode.INTERNAL_ERROR, "the message could not be stored; resend it")
            for submission in batch:
                _settle(submission.future, error)
            return
        self._after_commit(outcome)
        for user_id, conv_keys in outcome.revived.items():
            try:
                await self._conversations.publish_current(user_id, conv_keys)
            except Exception:
                log.exception("pushing a revived conversation to %s failed", user_id)

    async def _commit(self, batch: list[Submission]) -> _Outcome:
        outcome = _Outcome()
        async with self._db.write() as conn:
            keys = {(s.message.msg_id, s.message.sender) for s in batch}
            stored = await msg_store.find_stored(conn, keys)
            users = {s.message.sender for s in batch} | {s.message.receiver for s in batch}
            profiles = await accounts_store.profiles(conn, users)
            first: dict[tuple[str, str], Submission] = {}
            fresh: list[Submission] = []
            for s in batch:
                key = (s.message.msg_id, s.message.sender)
                if key in stored:
                    seq, time = stored[key]
                    outcome.answered.append((s, MessageAck(s.message.msg_id, seq, time)))
                elif key in first:
                    outcome.copies.append((s, first[key]))
                elif group_of(s.conv_key) is None and s.message.receiver not in profiles:
                    outcome.answered.append((s, IMError(
                        ErrorCode.RECEIVER_NOT_FOUND, f"no account {s.message.receiver!r}")))
                elif (refusal := await self._refusal(conn, s)) is not None:
                    outcome.answered.append((s, refusal))
                else:
                    first[key] = s
                    fresh.append(s)
            if not fresh:
                return outcome

            counts = Counter(s.conv_key for s in fresh)
            # A group's log is made with the group; a C2C log by its first message.
            await conv_store.ensure(
                conn, {k: ConvType.C2C for k in counts
                       if k not in self._known_logs and group_of(k) is None})
            groups = {k: g for k in counts if (g := group_of(k)) is not None}
            members = await groups_store.member_ids(conn, groups.values())
            outcome.fanout = {k: members[g] for k, g in groups.items()}
            cards = await groups_store.name_cards(
                conn, {(g, s.message.sender) for s in fresh
                       if (g := groups.get(s.conv_key)) is not None})
            new_max = await conv_store.allocate_seqs(conn, counts)
            next_seq = {k: new_max[k] - n + 1 for k, n in counts.items()}
            now = max(now_ms(), self._last_time)
            rows = []
            hidden = []
            references = []
            mentions: list[dict[str, object]] = []
            for s in fresh:
                seq = next_seq[s.conv_key]
                next_seq[s.conv_key] = seq + 1
                sender = profiles.get(s.message.sender)
                stamp = s.time or now
                message = msgspec.structs.replace(
                    s.message, seq=seq, time=stamp, nick=sender.nick if sender else "",
                    face_url=sender.face_url if sender else "",
                    name_card=cards.get((s.message.group_id, s.message.sender), ""))
                body = _encode(message)
                outcome.stored.append(_Stored(s, message, body))
                rows.append({
                    "conv_key": s.conv_key, "seq": seq, "msg_id": message.msg_id,
                    "sender": message.sender, "receiver": message.receiver,
                    "group_id": message.group_id, "time": stamp, "body": body,
                    "counts_unread": not message.exclude_unread,
                    "exclude_last": message.exclude_last, "revoked": False,
                    "random": message.random,
                })
                mentions += [{"conv_key": s.conv_key, "user_id": user_id, "seq": seq}
                             for user_id in message.at_user_list]
                if s.hide_for_sender:
                    hidden.append((message.sender, s.conv_key, seq))
                if s.hide_for_receiver:
                    hidden.append((message.receiver, s.conv_key, seq))
                # Media the message carries becomes readable to the conversation (media.access).
                references += media_store.references(
                    s.conv_key, seq, (uuid for elem in message.elems for uuid in media_uuids(elem)))
            await msg_store.insert(conn, rows)
            await msg_store.insert_mentions(conn, mentions)
            await conv_store.hide(conn, hidden)
            await media_store.add_references(conn, references)
            await self._keep_user_rows(conn, fresh, outcome)
        self._known_logs.update(counts)
        self._last_time = now
        return outcome

    async def _refusal(self, conn: AsyncConnection, s: Submission) -> IMError | None:
        """Apply the relationship policy to a client's C2C message, in the storing
        transaction so a block committed before it is always seen."""
        if not s.relationship_checked:
            return None
        try:
            delivery = await self.policy.admit(conn, s.message.sender, s.message.receiver)
        except IMError as error:
            return error
        s.hide_for_receiver = delivery == Delivery.DROP
        return None

    async def _keep_user_rows(self, conn: AsyncConnection, fresh: list[Submission],
                              outcome: _Outcome) -> None:
        """Make sure both participants have a row, and bring deleted ones back (C5).

        Runs inside the transaction, after its first statement, so ``LiveRows.forget`` calls
        made before a concurrent deletion's transaction are seen (see ``LiveRows``).
        """
        outcome.epoch = self._live_rows.epoch
        wanted: dict[tuple[str, str], str] = {}
        for s in fresh:
            if group_of(s.conv_key) is not None:
                continue  # members' rows are made when they join (groups.membership)
            users = [s.message.sender]
            if not s.hide_for_receiver:
                users.append(s.message.receiver)
            for user_id in users:
                pair = (user_id, s.conv_key)
                if pair not in self._live_rows:
                    wanted[pair] = conv_id_for(s.conv_key, user_id)
        if not wanted:
            return
        deleted = await conv_store.deleted_flags(conn, wanted.keys())
        await conv_store.create_rows(conn, [(u, k, conv_id) for (u, k), conv_id in wanted.items()
                                            if (u, k) not in deleted])
        for (user_id, conv_key), is_deleted in deleted.items():
            if is_deleted:
                version = await accounts_store.next_version(conn, user_id)
                await conv_store.update_row(conn, user_id, conv_key, deleted=False,
                                            version=version)
                outcome.revived.setdefault(user_id, []).append(conv_key)
        outcome.live = list(wanted)

    def _after_commit(self, outcome: _Outcome) -> None:
        self._live_rows.add_all(outcome.live, outcome.epoch)
        results: dict[int, MessageAck | IMError] = {}
        for s, result in outcome.answered:
            results[id(s)] = result
            _settle(s.future, result)
        for item in outcome.stored:
            ack = MessageAck(item.message.msg_id, item.message.seq, item.message.time)
            results[id(item.submission)] = ack
            _settle(item.submission.future, ack)
            if not item.submission.push:
                continue
            frame = encode_push(PushName.MSG_NEW, msgspec.Raw(item.body))
            members = outcome.fanout.get(item.submission.conv_key)
            if members is not None:
                users = [u for u in members
                         if item.submission.sync_sender or u != item.message.sender]
            else:
                users = [] if item.submission.hide_for_receiver else [item.message.receiver]
                if item.submission.sync_sender and item.message.sender != item.message.receiver:
                    users.append(item.message.sender)
            self._bus.publish(users, frame, exclude=item.submission.origin)
        for copy, original in outcome.copies:
            _settle(copy.future, results[id(original)])


def _settle(future: asyncio.Future[MessageAck], result: MessageAck | IMError) -> None:
    if future.done():
        return
    if isinstance(result, IMError):
        future.set_exception(result)
    else:
        future.set_result(result)
