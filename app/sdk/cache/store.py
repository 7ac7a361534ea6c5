"""The per-user cache: messages, conversations with proven coverage, the outbox, profiles.

Every public method is a coroutine that runs its SQL on the cache thread (``CacheWorker``) in one
transaction. The coverage rule that makes gap detection possible lives here: a conversation's
``held_seq`` only moves up through seqs actually present, so whatever a caller stores, the cache
can say exactly which messages just became contiguous — and only those are announced.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from app.protocol import AT_ALL, ConversationState, ConvType
from app.protocol import Message as WireMessage
from app.protocol.ids import c2c_conversation_id, group_conversation_id
from app.protocol.messages import revoked_form

from ..models import MessageStatus
from . import operations, schema, search
from .contacts import ContactRows
from .groups import JoinedGroups
from .operations import Operation
from .profiles import ProfileRows
from .search import MessageSearch
from .uploads import Upload, UploadQueue, queue_uploads
from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger("tidings.sdk.cache")

_encode = msgspec.json.Encoder().encode
_decode_message = msgspec.json.Decoder(WireMessage).decode


def conversation_id_of(msg: WireMessage, me: str) -> str:
    if msg.conv_type == ConvType.GROUP:
        return group_conversation_id(msg.group_id)
    return c2c_conversation_id(msg.receiver if msg.sender == me else msg.sender)


def _status_of(msg: WireMessage) -> MessageStatus:
    if msg.deleted:
        return MessageStatus.HAS_DELETED
    if msg.revoked:
        return MessageStatus.LOCAL_REVOKED
    return MessageStatus.SEND_SUCC


@dataclass(slots=True)
class CachedMessage:
    wire: WireMessage
    status: MessageStatus
    local: bool
    """Created on this device (never announced as a new message here)."""


@dataclass(slots=True)
class StoreResult:
    contiguous: dict[str, list[CachedMessage]] = field(default_factory=dict)
    """Per conversation, messages that just joined the proven run, ascending by seq."""
    acked: list[CachedMessage] = field(default_factory=list)
    """My pending messages that arrived back with a seq (an ack by sync)."""
    new_conversations: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    peer_reads: dict[str, int] = field(default_factory=dict)
    """C2C conversations whose peer read further, learnt from state rather than a receipt."""
    revoked: dict[str, str] = field(default_factory=dict)
    """Cached messages that just became revoked: msg_id → who recalled it when not the sender
    (a group's owner or admin), else ""."""
    modified: dict[str, CachedMessage] = field(default_factory=dict)
    """Cached messages that just took an edit (a higher ``modify_version``): msg_id → the
    message as cached now."""


@dataclass(slots=True)
class ConversationRow:
    conv_id: str
    conv_type: int
    target: str
    max_seq: int
    held_seq: int
    floor_seq: int
    min_seq: int
    read_seq: int
    peer_read_seq: int
    unread_base: int
    unread_base_seq: int
    pinned: bool
    draft: str
    draft_time: int
    recv_opt: int
    deleted: bool
    version: int
    last_id: int | None
    last_time: int
    at_me_seq: int = 0
    """The newest message from someone else mentioning me (or everyone, ``at_all_seq``); it is
    an unread mention while above ``read_seq``."""
    at_all_seq: int = 0


_CONV_COLUMNS = ("conv_id, conv_type, target, max_seq, held_seq, floor_seq, min_seq, read_seq, "
                 "peer_read_seq, unread_base, unread_base_seq, pinned, draft, draft_time, "
                 "recv_opt, deleted, version, last_id, last_time, at_me_seq, at_all_seq")


def _conv_row(values: tuple[Any, ...]) -> ConversationRow:
    row = ConversationRow(*values)
    row.pinned = bool(row.pinned)
    row.deleted = bool(row.deleted)
    return row


class CacheStore:
    def __init__(self, path: Path, me: str) -> None:
        self.me = me
        self.path = path
        self._worker = CacheWorker(path, on_connect=search.install)
        self.uploads = UploadQueue(self._worker)
        self.groups = JoinedGroups(self._worker)
        self.profiles = ProfileRows(self._worker)
        self.contacts = ContactRows(self._worker)
        self.search = MessageSearch(self._worker)

    async def open(self) -> None:
        def q(db: sqlite_utils.Database) -> None:
            schema.create(db)
        await self._worker.run(q)

    async def close(self) -> None:
        await self._worker.close()

    # --- key/value -----------------------------------------------------------------------

    async def get_value(self, key: str, default: str = "") -> str:
        def q(db: sqlite_utils.Database) -> str:
            row = db.execute("SELECT value FROM kv WHERE key = ?", [key]).fetchone()
            return row[0] if row else default
        return await self._worker.run(q)

    async def set_value(self, key: str, value: str) -> None:
        def q(db: sqlite_utils.Database) -> None:
            db.execute("INSERT INTO kv(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
        await self._worker.run(q)

    async def values_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        def q(db: sqlite_utils.Database) -> list[tuple[str, str]]:
            return list(db.execute("SELECT key, value FROM kv WHERE substr(key, 1, ?) = ?",
                                   [len(prefix), prefix]))
        return await self._worker.run(q)

    async def delete_value(self, key: str) -> None:
        def q(db: sqlite_utils.Database) -> None:
            db.execute("DELETE FROM kv WHERE key = ?", [key])
        await self._worker.run(q)

    # --- messages ------------------------------------------------------------------------

    async def store_messages(self, messages: Iterable[WireMessage],
                             coverage_starts: dict[str, int] | None = None) -> StoreResult:
        """Store messages that carry a seq and advance coverage.

        ``coverage_starts`` maps a conversation to the seq just below a range the caller pulled
        on purpose, starting a new proven run there when the cache holds nothing contiguous up to
        it (the messages below stay on the service and load on scroll).
        """
        batch = list(messages)
        starts = dict(coverage_starts or {})
        return await self._worker.run(lambda db: self._store(db, batch, starts))

    def _ensure_conversation(self, db: sqlite_utils.Database, conv_id: str, msg: WireMessage,
                             result: StoreResult) -> None:
        target = msg.group_id if msg.conv_type == ConvType.GROUP else conv_id[len("c2c_"):]
        cur = db.execute("INSERT OR IGNORE INTO conversations(conv_id, conv_type, target) "
                         "VALUES (?, ?, ?)", [conv_id, msg.conv_type, target])
        if cur.rowcount:
            result.new_conversations.append(conv_id)

    def _store(self, db: sqlite_utils.Database, batch: list[WireMessage],
               starts: dict[str, int]) -> StoreResult:
        result = StoreResult()
        with db.conn:
            for conv_id, after in starts.items():
                db.execute("UPDATE conversations SET held_seq = ?, floor_seq = ? "
                           "WHERE conv_id = ? AND held_seq < ?", [after, after + 1, conv_id, after])
            for msg in batch:
                conv_id = conversation_id_of(msg, self.me)
                self._ensure_conversation(db, conv_id, msg, result)
                result.touched.add(conv_id)
                self._store_one(db, conv_id, msg, result)
            for conv_id in result.touched:
                contiguous = self._advance(db, conv_id)
                if contiguous:
                    result.contiguous[conv_id] = contiguous
        return result

    def _store_one(self, db: sqlite_utils.Database, conv_id: str, msg: WireMessage,
                   result: StoreResult) -> None:
        status = _status_of(msg)
        counts = int(not (msg.exclude_unread or msg.revoked or msg.deleted))
        body = _encode(msg).decode()
        existing = db.execute("SELECT id, seq FROM messages WHERE msg_id = ? AND sender = ?",
                              [msg.msg_id, msg.sender]).fetchone()
        if existing is not None:
            row_id, seq = existing
            if seq is None:
                db.execute("UPDATE messages SET seq = ?, time = ?, status = ?, counts = ?, "
                           "body = ? WHERE id = ?",
                           [msg.seq, msg.time, status, counts, body, row_id])
                db.execute("DELETE FROM outbox WHERE msg_id = ?", [msg.msg_id])
                result.acked.append(CachedMessage(msg, status, True))
                self._recompute_last(db, conv_id)
                return
            if msg.deleted or msg.revoked:
                db.execute("UPDATE messages SET status = ?, counts = ?, body = ? WHERE id = ?",
                           [status, counts, body, row_id])
            elif msg.modify_version:
                self._take_edit(db, conv_id, msg, result)
            self._touch_last(db, conv_id, row_id, msg)
            return
        try:
            cur = db.execute(
                "INSERT INTO messages(conv_id, seq, msg_id, sender, time, status, counts, "
                "exclude_last, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [conv_id, msg.seq, msg.msg_id, msg.sender, msg.time, status, counts,
                 int(msg.exclude_last), body])
        except sqlite3.IntegrityError:
            return
        db.execute("UPDATE conversations SET max_seq = ? WHERE conv_id = ? AND max_seq < ?",
                   [msg.seq, conv_id, msg.seq])
        self._touch_last(db, conv_id, cur.lastrowid, msg)
        if msg.at_user_list and msg.sender != self.me and counts:
            self._note_mention(db, conv_id, msg)

    def _note_mention(self, db: sqlite_utils.Database, conv_id: str, msg: WireMessage) -> None:
        if self.me in msg.at_user_list:
            db.execute("UPDATE conversations SET at_me_seq = MAX(at_me_seq, ?) WHERE conv_id = ?",
                       [msg.seq, conv_id])
        if AT_ALL in msg.at_user_list:
            db.execute("UPDATE conversations SET at_all_seq = MAX(at_all_seq, ?) "
                       "WHERE conv_id = ?", [msg.seq, conv_id])

    def _touch_last(self, db: sqlite_utils.Database, conv_id: str, row_id: int | None,
                    msg: WireMessage) -> None:
        """Point the conversation at its newest message: my message still being sent, else the
        highest seq — the service's order, not the clocks' (two messages may carry times that
        disagree with their seqs)."""
        if msg.exclude_last or msg.deleted:
            return
        if not msg.seq:
            db.execute("UPDATE conversations SET last_id = ?, last_time = ? WHERE conv_id = ?",
                       [row_id, msg.time, conv_id])
            return
        db.execute("UPDATE conversations SET last_id = ?, last_time = MAX(last_time, ?) "
                   "WHERE conv_id = ? AND (last_id IS NULL OR COALESCE((SELECT CASE WHEN "
                   "m.seq IS NULL AND m.status = ? THEN 0 ELSE COALESCE(m.seq, 0) < ? END "
                   "FROM messages m WHERE m.id = last_id), 1) = 1)",
                   [row_id, msg.time, conv_id, MessageStatus.SENDING, msg.seq])

    def _advance(self, db: sqlite_utils.Database, conv_id: str) -> list[CachedMessage]:
        held = db.execute("SELECT held_seq FROM conversations WHERE conv_id = ?",
                          [conv_id]).fetchone()[0]
        rows = db.execute("SELECT seq, body, status, local FROM messages WHERE conv_id = ? AND "
                          "seq > ? ORDER BY seq", [conv_id, held])
        contiguous: list[CachedMessage] = []
        for seq, body, status, local in rows:
            if seq != held + 1:
                break
            held = seq
            contiguous.append(CachedMessage(_decode_message(body), MessageStatus(status),
                                            bool(local)))
        if contiguous:
            db.execute("UPDATE conversations SET held_seq = ?, max_seq = MAX(max_seq, ?) "
                       "WHERE conv_id = ?", [held, held, conv_id])
        return contiguous

    async def insert_pending(self, msg: WireMessage, conv_id: str, now_ms: int,
                             deadline_ms: int, uploads: Iterable[Upload] = ()) -> None:
        """Write a message I am about to send, and its outbox entry, before the first attempt.
        A message with ``uploads`` is held back (not ``ready``) until they are done."""
        items = list(uploads)
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                self._ensure_conversation(db, conv_id, msg, StoreResult())
                body = _encode(msg).decode()
                existing = db.execute("SELECT id FROM messages WHERE msg_id = ? AND sender = ?",
                                      [msg.msg_id, msg.sender]).fetchone()
                if existing is None:
                    cur = db.execute(
                        "INSERT INTO messages(conv_id, seq, msg_id, sender, time, status, counts, "
                        "exclude_last, local, body) VALUES (?, NULL, ?, ?, ?, ?, 0, ?, 1, ?)",
                        [conv_id, msg.msg_id, msg.sender, msg.time, MessageStatus.SENDING,
                         int(msg.exclude_last), body])
                    row_id = cur.lastrowid
                else:
                    row_id = existing[0]
                    db.execute("UPDATE messages SET status = ?, time = ?, body = ? WHERE id = ?",
                               [MessageStatus.SENDING, msg.time, body, row_id])
                db.execute("INSERT OR REPLACE INTO outbox(msg_id, conv_id, body, created, "
                           "deadline, ready) VALUES (?, ?, ?, ?, ?, ?)",
                           [msg.msg_id, conv_id, body, now_ms, deadline_ms, int(not items)])
                queue_uploads(db, msg.msg_id, items)
                self._touch_last(db, conv_id, row_id, msg)
                db.execute("UPDATE conversations SET deleted = 0 WHERE conv_id = ?", [conv_id])
        await self._worker.run(q)

    async def ack(self, msg_id: str, seq: int, time_ms: int) -> StoreResult:
        """Record the service's ack of one of my messages and advance coverage."""
        def q(db: sqlite_utils.Database) -> StoreResult:
            result = StoreResult()
            with db.conn:
                row = db.execute("SELECT id, conv_id, body, seq FROM messages WHERE msg_id = ? "
                                 "AND sender = ?", [msg_id, self.me]).fetchone()
                db.execute("DELETE FROM outbox WHERE msg_id = ?", [msg_id])
                if row is None or row[3] is not None:
                    return result
                row_id, conv_id, body, _ = row
                wire = msgspec.structs.replace(_decode_message(body), seq=seq, time=time_ms)
                # The service says this seq is mine: a different message cached there comes from
                # a history it no longer holds (restored from an earlier copy; the catch-up
                # resyncs the rest), and the service's word wins.
                stale = db.execute("DELETE FROM messages WHERE conv_id = ? AND seq = ? "
                                   "AND msg_id != ?", [conv_id, seq, msg_id]).rowcount
                if stale:
                    log.warning("ack of %s at %s:%d replaced a message the service no longer "
                                "holds", msg_id, conv_id, seq)
                db.execute("UPDATE messages SET seq = ?, time = ?, status = ?, counts = ?, "
                           "body = ? WHERE id = ?",
                           [seq, time_ms, MessageStatus.SEND_SUCC, int(not wire.exclude_unread),
                            _encode(wire).decode(), row_id])
                # The service's time replaces my estimate even when it is earlier, and what
                # arrived while this was sending may be newer in the service's order.
                self._recompute_last(db, conv_id)
                result.acked.append(CachedMessage(wire, MessageStatus.SEND_SUCC, True))
                result.touched.add(conv_id)
                contiguous = self._advance(db, conv_id)
                if contiguous:
                    result.contiguous[conv_id] = contiguous
            return result
        return await self._worker.run(q)

    async def fail(self, msg_id: str) -> None:
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                db.execute("DELETE FROM outbox WHERE msg_id = ?", [msg_id])
                db.execute("DELETE FROM uploads WHERE msg_id = ?", [msg_id])
                db.execute("UPDATE messages SET status = ? WHERE msg_id = ? AND sender = ? "
                           "AND seq IS NULL", [MessageStatus.SEND_FAIL, msg_id, self.me])
        await self._worker.run(q)

    async def outbox(self) -> list[tuple[WireMessage, int]]:
        """Pending sends whose media are uploaded, in creation order, with their deadlines."""
        def q(db: sqlite_utils.Database) -> list[tuple[WireMessage, int]]:
            rows = db.execute("SELECT body, deadline FROM outbox WHERE ready = 1 "
                              "ORDER BY created, rowid")
            return [(_decode_message(body), deadline) for body, deadline in rows]
        return await self._worker.run(q)

    async def outbox_message(self, msg_id: str) -> WireMessage | None:
        def q(db: sqlite_utils.Database) -> WireMessage | None:
            row = db.execute("SELECT body FROM outbox WHERE msg_id = ?", [msg_id]).fetchone()
            return _decode_message(row[0]) if row else None
        return await self._worker.run(q)

    async def message_status(self, msg_id: str, sender: str) -> tuple[int, MessageStatus] | None:
        def q(db: sqlite_utils.Database) -> tuple[int, MessageStatus] | None:
            row = db.execute("SELECT seq, status FROM messages WHERE msg_id = ? AND sender = ?",
                             [msg_id, sender]).fetchone()
            return (row[0] or 0, MessageStatus(row[1])) if row else None
        return await self._worker.run(q)

    async def delete_local(self, conv_id: str, msg_ids: list[tuple[str, str]]) -> None:
        """Mark messages deleted on this device; unsent ones also leave the outbox. An unread
        one stops counting at once, also where the service's count (``unread_base``) had it."""
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                conv = db.execute("SELECT read_seq, unread_base_seq FROM conversations WHERE "
                                  "conv_id = ?", [conv_id]).fetchone()
                for msg_id, sender in msg_ids:
                    if conv is not None and sender != self.me:
                        db.execute(
                            "UPDATE conversations SET unread_base = MAX(unread_base - 1, 0) "
                            "WHERE conv_id = ? AND read_seq <= unread_base_seq AND EXISTS "
                            "(SELECT 1 FROM messages WHERE msg_id = ? AND sender = ? AND "
                            "counts = 1 AND status != ? AND seq > ? AND seq <= ?)",
                            [conv_id, msg_id, sender, MessageStatus.HAS_DELETED, conv[0],
                             conv[1]])
                    db.execute("UPDATE messages SET status = ?, counts = 0 WHERE msg_id = ? AND "
                               "sender = ?", [MessageStatus.HAS_DELETED, msg_id, sender])
                    db.execute("DELETE FROM outbox WHERE msg_id = ?", [msg_id])
                    db.execute("DELETE FROM uploads WHERE msg_id = ?", [msg_id])
                self._recompute_last(db, conv_id)
        await self._worker.run(q)

    async def mark_revoked(self, conv_id: str, seqs: list[int], revoker: str = ""
                           ) -> StoreResult:
        """The service revoked these messages (``revoker`` did, when not their sender): each
        cached one shows as revoked, without its content, and stops counting as unread. The
        result names those that changed."""
        def q(db: sqlite_utils.Database) -> StoreResult:
            result = StoreResult()
            with db.conn:
                self._revoke(db, conv_id, seqs, result, revoker)
            return result
        return await self._worker.run(q)

    def _revoke(self, db: sqlite_utils.Database, conv_id: str, seqs: Iterable[int],
                result: StoreResult, revoker: str = "",
                revokers: Mapping[int, str] | None = None) -> None:
        """Mark cached messages revoked (those deleted here stay deleted). An unread one stops
        counting at once, also where the service's count (``unread_base``) had it, until the
        service's next word on the conversation replaces that count. ``revokers`` names, per
        seq, who recalled it where that was not the sender (else ``revoker``, or the sender)."""
        for seq in seqs:
            row = db.execute("SELECT id, msg_id, sender, body, counts FROM messages WHERE "
                             "conv_id = ? AND seq = ? AND status NOT IN (?, ?)",
                             [conv_id, seq, MessageStatus.LOCAL_REVOKED,
                              MessageStatus.HAS_DELETED]).fetchone()
            if row is None:
                continue
            row_id, msg_id, sender, body, counts = row
            if counts and sender != self.me:
                db.execute("UPDATE conversations SET unread_base = MAX(unread_base - 1, 0) "
                           "WHERE conv_id = ? AND read_seq <= unread_base_seq AND "
                           "read_seq < ? AND ? <= unread_base_seq", [conv_id, seq, seq])
            wire = revoked_form(_decode_message(body), (revokers or {}).get(seq, revoker))
            db.execute("UPDATE messages SET status = ?, counts = 0, body = ? WHERE id = ?",
                       [MessageStatus.LOCAL_REVOKED, _encode(wire).decode(), row_id])
            result.revoked[msg_id] = wire.revoker
            result.touched.add(conv_id)

    async def take_edits(self, conv_id: str, messages: Iterable[WireMessage]) -> StoreResult:
        """Edited messages as the service stores them now (``msg.modified``, the answer to my
        edit): each cached copy with a lower version takes the new text and cloud custom data.
        The result names those that changed; a message not cached here stays uncached."""
        batch = list(messages)

        def q(db: sqlite_utils.Database) -> StoreResult:
            result = StoreResult()
            with db.conn:
                for msg in batch:
                    self._take_edit(db, conv_id, msg, result)
            return result
        return await self._worker.run(q)

    def _take_edit(self, db: sqlite_utils.Database, conv_id: str, msg: WireMessage,
                   result: StoreResult) -> None:
        """The version rule: a cached message takes an edit only with a higher
        ``modify_version`` than it holds, so edits arriving in any order and by any path (push,
        answer, catch-up, pull, a state's last message) end at the service's last one. A
        recalled or deleted copy stays as it is; the FTS index follows the body (triggers)."""
        if msg.revoked or msg.deleted or not msg.seq:
            return
        row = db.execute("SELECT id, body, status, local FROM messages WHERE conv_id = ? AND "
                         "seq = ? AND msg_id = ?", [conv_id, msg.seq, msg.msg_id]).fetchone()
        if row is None:
            return
        row_id, body, status, local = row
        if status in (MessageStatus.LOCAL_REVOKED, MessageStatus.HAS_DELETED):
            return
        held = _decode_message(body)
        if msg.modify_version <= held.modify_version or held.revoked:
            return
        edited = msgspec.structs.replace(
            held, elems=list(msg.elems), cloud_custom_data=msg.cloud_custom_data,
            modify_version=msg.modify_version, modify_time=msg.modify_time)
        db.execute("UPDATE messages SET body = ? WHERE id = ?", [_encode(edited).decode(), row_id])
        result.modified[msg.msg_id] = CachedMessage(edited, MessageStatus(status), bool(local))
        result.touched.add(conv_id)

    def _recompute_last(self, db: sqlite_utils.Database, conv_id: str) -> None:
        min_seq = db.execute("SELECT min_seq FROM conversations WHERE conv_id = ?",
                             [conv_id]).fetchone()
        floor = min_seq[0] if min_seq else 1
        row = db.execute("SELECT id, time FROM messages WHERE conv_id = ? AND status != ? AND "
                         "exclude_last = 0 AND (seq IS NULL OR seq >= ?) "
                         "ORDER BY (seq IS NULL AND status = ?) DESC, COALESCE(seq, 0) DESC, "
                         "id DESC LIMIT 1",
                         [conv_id, MessageStatus.HAS_DELETED, floor,
                          MessageStatus.SENDING]).fetchone()
        db.execute("UPDATE conversations SET last_id = ?, last_time = COALESCE(?, last_time) "
                   "WHERE conv_id = ?", [row[0] if row else None, row[1] if row else None, conv_id])

    # --- timeline ------------------------------------------------------------------------

    async def messages_before(self, conv_id: str, before_seq: int, limit: int,
                              include_pending: bool) -> tuple[list[CachedMessage], bool]:
        """Visible messages with seq < before_seq (0 = no bound), newest first; my unsent ones
        come first when ``include_pending``. The second value says the page stopped at a gap:
        below the proven run the cache has not shown that it holds every message, so older
        messages it happens to hold are not stitched onto newer ones."""
        def q(db: sqlite_utils.Database) -> tuple[list[CachedMessage], bool]:
            conv = db.execute("SELECT min_seq, floor_seq, held_seq FROM conversations "
                              "WHERE conv_id = ?", [conv_id]).fetchone()
            min_seq, floor_seq, held_seq = conv if conv else (1, 1, 0)
            out: list[CachedMessage] = []
            if include_pending:
                for body, status in db.execute(
                        "SELECT body, status FROM messages WHERE conv_id = ? AND seq IS NULL AND "
                        "status != ? ORDER BY time DESC, id DESC",
                        [conv_id, MessageStatus.HAS_DELETED]):
                    out.append(CachedMessage(_decode_message(body), MessageStatus(status), True))
            bound = before_seq if before_seq > 0 else 1 << 62
            in_run = floor_seq <= held_seq and floor_seq <= bound
            low = max(min_seq, floor_seq) if in_run else min_seq
            rows = db.execute(
                "SELECT body, status, seq FROM messages WHERE conv_id = ? AND seq < ? AND "
                "seq >= ? AND status != ? ORDER BY seq DESC LIMIT ?",
                [conv_id, bound, low, MessageStatus.HAS_DELETED, limit]).fetchall()
            for body, status, _ in rows:
                out.append(CachedMessage(_decode_message(body), MessageStatus(status), False))
            reached = rows[-1][2] if rows else min(bound, held_seq + 1)
            gap = in_run and floor_seq > min_seq and len(rows) < limit and (
                reached <= floor_seq)
            return out, gap
        return await self._worker.run(q)

    async def messages_after(self, conv_id: str, after_seq: int, limit: int
                             ) -> tuple[list[CachedMessage], bool, int]:
        """Visible messages with seq > after_seq, oldest first, as far as the cache can show
        them without a hole: every seq the service allocated is stored (a message deleted or
        hidden for me as a tombstone), so the page runs while the seqs follow each other — or
        while a missing stretch lies inside the proven run — and stops at the first hole. Once
        the page reaches the newest message the cache knows of, my unsent messages follow.

        Returns the page, whether it stopped at a hole (the service has what comes next) and
        the highest seq it reached."""
        def q(db: sqlite_utils.Database) -> tuple[list[CachedMessage], bool, int]:
            conv = db.execute("SELECT max_seq, floor_seq, held_seq FROM conversations "
                              "WHERE conv_id = ?", [conv_id]).fetchone()
            if conv is None:
                return [], False, after_seq
            max_seq, floor_seq, held_seq = conv
            out: list[CachedMessage] = []
            reached, gap, scanned = after_seq, False, 0
            for body, status, seq in db.execute(
                    "SELECT body, status, seq FROM messages WHERE conv_id = ? AND seq > ? "
                    "ORDER BY seq LIMIT ?", [conv_id, after_seq, limit]):
                if seq != reached + 1 and not (floor_seq <= reached + 1 and seq - 1 <= held_seq):
                    gap = True
                    break
                reached, scanned = seq, scanned + 1
                if status != MessageStatus.HAS_DELETED:
                    out.append(CachedMessage(_decode_message(body), MessageStatus(status),
                                             False))
            if not gap and scanned < limit and reached < max_seq:
                gap = not (floor_seq <= reached + 1 and max_seq <= held_seq)
                if not gap:
                    reached = max_seq
            if not gap and reached >= max_seq:
                for body, status in db.execute(
                        "SELECT body, status FROM messages WHERE conv_id = ? AND seq IS NULL AND "
                        "status != ? ORDER BY time, id", [conv_id, MessageStatus.HAS_DELETED]):
                    out.append(CachedMessage(_decode_message(body), MessageStatus(status), True))
            return out, gap, reached
        return await self._worker.run(q)

    async def find_messages(self, msg_ids: list[str]) -> list[CachedMessage]:
        """The cached messages with these IDs (not those deleted here), in the order asked."""
        def q(db: sqlite_utils.Database) -> list[CachedMessage]:
            found: dict[str, CachedMessage] = {}
            for start in range(0, len(msg_ids), 500):
                batch = msg_ids[start:start + 500]
                for msg_id, body, status, local in db.execute(
                        f"SELECT msg_id, body, status, local FROM messages WHERE msg_id IN "
                        f"({', '.join('?' * len(batch))}) AND status != ?",
                        [*batch, MessageStatus.HAS_DELETED]):
                    found[msg_id] = CachedMessage(_decode_message(body), MessageStatus(status),
                                                  bool(local))
            return [found[m] for m in msg_ids if m in found]
        return await self._worker.run(q)

    async def extend_floor(self, conv_id: str, page_low: int, page_high: int) -> None:
        """A history page proved seqs ``page_low..page_high``; join it to the proven run when
        they touch, so that later scrolls stay local."""
        def q(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE conversations SET floor_seq = ? WHERE conv_id = ? AND "
                       "floor_seq > ? AND floor_seq <= ? + 1",
                       [page_low, conv_id, page_low, page_high])
        await self._worker.run(q)

    # --- conversations -------------------------------------------------------------------

    async def apply_states(self, states: list[ConversationState]) -> StoreResult:
        """Take the service's per-user state. The result names the conversations created here
        and any pending message of mine that a state's last message proved stored."""
        def q(db: sqlite_utils.Database) -> StoreResult:
            result = StoreResult()
            with db.conn:
                for st in states:
                    target = st.conv_id.split("_", 1)[1]
                    cur = db.execute("INSERT OR IGNORE INTO conversations(conv_id, conv_type, "
                                     "target) VALUES (?, ?, ?)", [st.conv_id, st.conv_type, target])
                    if cur.rowcount:
                        result.new_conversations.append(st.conv_id)
                    result.touched.add(st.conv_id)
                    before = db.execute("SELECT peer_read_seq FROM conversations WHERE "
                                        "conv_id = ?", [st.conv_id]).fetchone()[0]
                    if st.peer_read_seq > before:
                        result.peer_reads[st.conv_id] = st.peer_read_seq
                    db.execute(
                        "UPDATE conversations SET max_seq = MAX(max_seq, ?), "
                        "peer_read_seq = MAX(peer_read_seq, ?), min_seq = ?, pinned = ?, "
                        "draft = ?, draft_time = ?, recv_opt = ?, deleted = ?, version = ?, "
                        "service_pinned = ?, service_draft = ?, service_draft_time = ?, "
                        "service_recv_opt = ? WHERE conv_id = ? AND version <= ?",
                        [st.max_seq, st.peer_read_seq, st.min_seq, int(st.pinned),
                         st.draft, st.draft_time, st.recv_opt, int(st.deleted), st.version,
                         int(st.pinned), st.draft, st.draft_time, st.recv_opt,
                         st.conv_id, st.version])
                    for seq in st.hidden:  # deleted for me elsewhere
                        db.execute("UPDATE messages SET status = ?, counts = 0 WHERE "
                                   "conv_id = ? AND seq = ?",
                                   [MessageStatus.HAS_DELETED, st.conv_id, seq])
                    self._revoke(db, st.conv_id, st.revoked, result, revokers=st.revokers)
                    for edited in st.modified:  # edited while this device was away
                        self._take_edit(db, st.conv_id, edited, result)
                    self._take_mentions(db, st)
                    self._take_unread(db, st)
                    if st.last_msg is not None and st.last_msg.seq:
                        self._store_one(db, st.conv_id, st.last_msg, result)
                    if st.deleted:
                        db.execute("UPDATE conversations SET held_seq = MAX(held_seq, ?), "
                                   "floor_seq = MAX(floor_seq, ?) WHERE conv_id = ?",
                                   [st.min_seq - 1, st.min_seq, st.conv_id])
                    operations.overlay(db, st.conv_id, self._read_locally)
                    self._recompute_last(db, st.conv_id)
            return result
        return await self._worker.run(q)

    def _take_mentions(self, db: sqlite_utils.Database, st: ConversationState) -> None:
        """The service's word as of its ``max_seq``; a mention this device saw arrive after
        that stays."""
        db.execute("UPDATE conversations SET "
                   "at_me_seq = CASE WHEN at_me_seq > ? THEN at_me_seq ELSE ? END, "
                   "at_all_seq = CASE WHEN at_all_seq > ? THEN at_all_seq ELSE ? END "
                   "WHERE conv_id = ?", [st.max_seq, st.at_me_seq, st.max_seq, st.at_all_seq,
                                         st.conv_id])

    def _take_unread(self, db: sqlite_utils.Database, st: ConversationState) -> None:
        """The service's unread is as of its read position; read positions only move forward,
        so when this device already read further (a read in flight, or answered before this
        older state arrived), the messages between are taken off the service's count.

        The one exception is the admin moving the position back (``read_reset``): a state
        with a newer reset is taken as it is, and one older than the reset held here says
        nothing about the read position at all."""
        read_seq, reset = db.execute("SELECT read_seq, read_reset FROM conversations WHERE "
                                     "conv_id = ?", [st.conv_id]).fetchone()
        if st.read_reset < (reset or 0):
            return
        if st.read_reset > (reset or 0):
            db.execute("UPDATE conversations SET read_seq = ?, read_reset = ?, unread_base = ?, "
                       "unread_base_seq = ?, max_seq = MAX(max_seq, ?) WHERE conv_id = ?",
                       [st.read_seq, st.read_reset, st.unread, st.max_seq, st.max_seq,
                        st.conv_id])
            return
        unread = st.unread
        if read_seq > st.read_seq:
            unread -= self._counted_between(db, st.conv_id, max(st.read_seq, st.min_seq - 1),
                                            min(read_seq, st.max_seq))
        db.execute("UPDATE conversations SET read_seq = MAX(read_seq, ?), unread_base = ?, "
                   "unread_base_seq = ?, max_seq = MAX(max_seq, ?) WHERE conv_id = ?",
                   [st.read_seq, max(unread, 0), st.max_seq, st.max_seq, st.conv_id])

    def _counted_between(self, db: sqlite_utils.Database, conv_id: str, low: int,
                         high: int) -> int:
        """Cached messages from others in ``(low, high]`` that count as unread."""
        if high <= low:
            return 0
        return db.execute("SELECT COUNT(*) FROM messages WHERE conv_id = ? AND seq > ? AND "
                          "seq <= ? AND sender != ? AND counts = 1 AND status != ?",
                          [conv_id, low, high, self.me, MessageStatus.HAS_DELETED]).fetchone()[0]

    def _read_locally(self, db: sqlite_utils.Database, conv_id: str, seq: int) -> None:
        """Move the read position to ``seq`` and keep the unread count exact: reading removes
        exactly the counted messages in ``(read_seq, seq]`` — all cached, since ``seq`` is a
        message this device showed — from the unread as of the newest seq known."""
        row = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE conv_id = ?",
                         [conv_id]).fetchone()
        if row is None:
            return
        conv = _conv_row(row)
        if seq <= conv.read_seq:
            return
        top = max(conv.max_seq, seq)
        unread = self._unread(db, conv) - self._counted_between(
            db, conv_id, max(conv.read_seq, conv.min_seq - 1), seq)
        db.execute("UPDATE conversations SET read_seq = ?, unread_base = ?, unread_base_seq = ?, "
                   "max_seq = ? WHERE conv_id = ?", [seq, max(unread, 0), top, top, conv_id])

    # --- operations ----------------------------------------------------------------------

    async def queue_operation(self, op: Operation) -> int:
        """Apply a local change at once and queue it for the service, in one transaction; a
        queued change of the same kind on the same conversation is superseded."""
        def q(db: sqlite_utils.Database) -> int:
            with db.conn:
                kind = type(op).__struct_config__.tag
                if isinstance(op, operations.SUPERSEDING):
                    db.execute("DELETE FROM operations WHERE conv_id = ? AND kind = ?",
                               [op.conv_id, kind])
                operations.apply(db, op, self._read_locally)
                self._recompute_last(db, op.conv_id)
                cur = db.execute("INSERT INTO operations(conv_id, kind, body) VALUES (?, ?, ?)",
                                 [op.conv_id, kind, operations.encode(op)])
                return int(cur.lastrowid or 0)
        return await self._worker.run(q)

    async def operations(self) -> list[tuple[int, Operation]]:
        """Queued operations in the order they were made."""
        def q(db: sqlite_utils.Database) -> list[tuple[int, Operation]]:
            return [(op_id, operations.decode(body)) for op_id, body in
                    db.execute("SELECT id, body FROM operations ORDER BY id")]
        return await self._worker.run(q)

    async def finish_operation(self, op_id: int, local_only: bool = False) -> None:
        """The service took (or refused) the operation: what the conversation shows is again
        the service's last word with the operations still queued on top. The operation is
        not overlaid any more even on a state that arrived before its answer and already
        included it (or a change made after it on another device).

        ``local_only``: the service has nothing to apply it to (a draft in a chat it does not
        know), so its effect becomes this device's own word and stays."""
        fields = schema.SERVICE_FIELDS.items()

        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                row = db.execute("SELECT conv_id, body FROM operations WHERE id = ?",
                                 [op_id]).fetchone()
                if row is None:
                    return
                conv_id = row[0]
                db.execute("DELETE FROM operations WHERE id = ?", [op_id])
                restore = ", ".join(f"{shown} = {service}" for shown, service in fields)
                db.execute(f"UPDATE conversations SET {restore} WHERE conv_id = ?", [conv_id])
                if local_only:
                    operations.apply(db, operations.decode(row[1]), self._read_locally)
                    adopt = ", ".join(f"{service} = {shown}" for shown, service in fields)
                    db.execute(f"UPDATE conversations SET {adopt} WHERE conv_id = ?", [conv_id])
                operations.overlay(db, conv_id, self._read_locally)
        await self._worker.run(q)

    async def has_operations(self, conv_id: str) -> bool:
        def q(db: sqlite_utils.Database) -> bool:
            return db.execute("SELECT 1 FROM operations WHERE conv_id = ? LIMIT 1",
                              [conv_id]).fetchone() is not None
        return await self._worker.run(q)

    async def set_read(self, conv_id: str, read_seq: int, unread: int, max_seq: int) -> None:
        """The service's answer to a read: its unread as of ``max_seq``, then the reads still
        queued here on top."""
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                row = db.execute("SELECT min_seq FROM conversations WHERE conv_id = ?",
                                 [conv_id]).fetchone()
                if row is None:
                    return
                self._take_unread(db, ConversationState(
                    conv_id, 0, max_seq=max_seq, read_seq=read_seq, unread=unread,
                    min_seq=row[0]))
                operations.overlay(db, conv_id, self._read_locally)
        await self._worker.run(q)

    async def set_peer_read(self, conv_id: str, read_seq: int) -> None:
        def q(db: sqlite_utils.Database) -> None:
            db.execute("UPDATE conversations SET peer_read_seq = MAX(peer_read_seq, ?) "
                       "WHERE conv_id = ?", [read_seq, conv_id])
        await self._worker.run(q)

    async def ensure_conversation(self, conv_id: str, conv_type: int, target: str) -> bool:
        def q(db: sqlite_utils.Database) -> bool:
            cur = db.execute("INSERT OR IGNORE INTO conversations(conv_id, conv_type, target) "
                             "VALUES (?, ?, ?)", [conv_id, conv_type, target])
            return bool(cur.rowcount)
        return await self._worker.run(q)

    async def rows(self, conv_ids: Iterable[str]) -> dict[str, ConversationRow]:
        ids = list(conv_ids)
        def q(db: sqlite_utils.Database) -> dict[str, ConversationRow]:
            marks = ",".join("?" * len(ids))
            rows = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE conv_id IN "
                              f"({marks})", ids).fetchall()
            return {r[0]: _conv_row(r) for r in rows}
        return await self._worker.run(q)

    async def conversation(self, conv_id: str) -> ConversationRow | None:
        def q(db: sqlite_utils.Database) -> ConversationRow | None:
            row = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE conv_id = ?",
                             [conv_id]).fetchone()
            return _conv_row(row) if row else None
        return await self._worker.run(q)

    async def conversations(self, conv_ids: Iterable[str] | None = None, offset: int = 0,
                            limit: int = -1,
                            ) -> list[tuple[ConversationRow, CachedMessage | None, int]]:
        """Conversations — the given IDs, or a page of the visible ones sorted pinned first,
        then by last activity — with their last message and mirrored unread count. Only the
        rows returned pay for their last message and unread count."""
        ids = list(conv_ids) if conv_ids is not None else None
        def q(db: sqlite_utils.Database) -> list[tuple[ConversationRow, CachedMessage | None, int]]:
            if ids is None:
                rows = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE deleted = 0 "
                                  "ORDER BY pinned DESC, MAX(last_time, draft_time) DESC, "
                                  "conv_id LIMIT ? OFFSET ?", [limit, offset]).fetchall()
            else:
                marks = ",".join("?" * len(ids))
                rows = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE conv_id IN "
                                  f"({marks})", ids).fetchall()
            out = []
            for values in rows:
                conv = _conv_row(values)
                last = None
                if conv.last_id is not None:
                    r = db.execute("SELECT body, status, seq FROM messages WHERE id = ?",
                                   [conv.last_id]).fetchone()
                    if r is not None:
                        last = CachedMessage(_decode_message(r[0]), MessageStatus(r[1]),
                                             r[2] is None)
                out.append((conv, last, self._unread(db, conv)))
            return out
        return await self._worker.run(q)

    def _unread(self, db: sqlite_utils.Database, conv: ConversationRow) -> int:
        since = max(conv.unread_base_seq, conv.read_seq)
        base = conv.unread_base if conv.read_seq <= conv.unread_base_seq else 0
        return base + self._counted_between(db, conv.conv_id, max(since, conv.min_seq - 1),
                                            conv.max_seq)

    async def recent_peers(self, most: int) -> list[str]:
        """The C2C peers of my most recent visible conversations."""
        def q(db: sqlite_utils.Database) -> list[str]:
            return [r[0] for r in db.execute(
                "SELECT target FROM conversations WHERE deleted = 0 AND conv_type = ? "
                "ORDER BY MAX(last_time, draft_time) DESC LIMIT ?", [ConvType.C2C, most])]
        return await self._worker.run(q)

    async def newest_shown_seq(self, conv_id: str) -> int:
        """The newest stored message this device holds for a conversation: what a read with no
        explicit seq may mark, never anything only the service has seen."""
        def q(db: sqlite_utils.Database) -> int:
            row = db.execute("SELECT MAX(seq) FROM messages WHERE conv_id = ? AND seq IS NOT NULL",
                             [conv_id]).fetchone()
            return int(row[0] or 0)
        return await self._worker.run(q)

    async def tips(self, held: dict[str, int]) -> dict[str, str]:
        """msg_id of the message at each conversation's held seq, for the service to confirm
        that its log still has it there (after its epoch changed)."""
        def q(db: sqlite_utils.Database) -> dict[str, str]:
            out: dict[str, str] = {}
            for conv_id, seq in held.items():
                if seq <= 0:
                    continue
                row = db.execute("SELECT msg_id FROM messages WHERE conv_id = ? AND seq = ?",
                                 [conv_id, seq]).fetchone()
                if row is not None:
                    out[conv_id] = row[0]
            return out
        return await self._worker.run(q)

    async def forget_service_state(self) -> list[str]:
        """The service lost or replaced what this cache holds: drop everything learnt from it —
        stored messages, conversation state, queued operations (their seqs name messages of the
        old log), the sync cursor — and keep my unsent messages and the outbox, which go out
        again, and my queued friend and group changes, which name no message (a group the
        service no longer has refuses its change, and the group manager takes its word).
        Returns the conversations that were dropped."""
        def q(db: sqlite_utils.Database) -> list[str]:
            with db.conn:
                gone = [r[0] for r in db.execute(
                    "SELECT conv_id FROM conversations WHERE conv_id NOT IN "
                    "(SELECT conv_id FROM messages WHERE seq IS NULL)")]
                db.execute("DELETE FROM messages WHERE seq IS NOT NULL")
                db.execute("DELETE FROM operations WHERE kind NOT IN (?, ?)",
                           [operations.FriendChange.__struct_config__.tag,
                            operations.GroupChange.__struct_config__.tag])
                db.execute("DELETE FROM conversations WHERE conv_id NOT IN "
                           "(SELECT conv_id FROM messages WHERE seq IS NULL)")
                db.execute("UPDATE conversations SET max_seq = 0, held_seq = 0, floor_seq = 1, "
                           "min_seq = 1, read_seq = 0, peer_read_seq = 0, unread_base = 0, "
                           "unread_base_seq = 0, version = 0, deleted = 0, read_reset = 0")
                for (conv_id,) in db.execute("SELECT conv_id FROM conversations").fetchall():
                    self._recompute_last(db, conv_id)
                db.execute("DELETE FROM kv WHERE key IN ('state_version', 'synced_once')")
            return gone
        return await self._worker.run(q)

    async def held_seqs(self) -> dict[str, int]:
        def q(db: sqlite_utils.Database) -> dict[str, int]:
            return dict(db.execute("SELECT conv_id, held_seq FROM conversations"))
        return await self._worker.run(q)

    async def unread_by_conversation(self) -> dict[str, int]:
        """What each counted conversation adds to the total unread (hidden and "do not
        receive" ones add nothing)."""
        def q(db: sqlite_utils.Database) -> dict[str, int]:
            rows = db.execute(f"SELECT {_CONV_COLUMNS} FROM conversations WHERE deleted = 0 "
                              "AND recv_opt != 1").fetchall()
            return {r[0]: self._unread(db, _conv_row(r)) for r in rows}
        return await self._worker.run(q)

    async def total_unread(self) -> int:
        return sum((await self.unread_by_conversation()).values())
