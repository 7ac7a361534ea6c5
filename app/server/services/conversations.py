"""Per-user conversation state: sync (S4), pin / draft / receive option (C4, C6), deletion (C5),
and the ``conv.changed`` pushes that keep a user's devices in step.

Every change takes the user's next state version inside the transaction that makes it, stamps
the row, and is pushed after commit to the user's other sessions; a device that was offline
asks ``conv.sync`` for the rows stamped after the version it last applied.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import (
    ConversationState,
    ErrorCode,
    IMError,
    Limits,
    Message,
    PushName,
    RecvOpt,
)
from app.protocol.commands import ConvChangedPush, ConvSyncReq, ConvUpdateReq
from app.protocol.frames import encode_push
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.store import accounts as accounts_store
from app.server.store import conversations as store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .keys import c2c_key, resolve
from .paging import PageBudget

SYNC_CHUNK_ROWS = 100
"""Conversation states a sync page loads at a time; a page cut early loads little beyond it."""
_message_decoder = msgspec.json.Decoder(Message)
_encode = msgspec.json.Encoder().encode
_RECV_OPTS = frozenset(RecvOpt)


class SyncPage(msgspec.Struct, omit_defaults=True):
    """``ConvSyncResp`` with each conversation embedded as encoded while it was counted."""

    version: int
    conversations: list[msgspec.Raw]
    more: bool = False
    next_after: str = ""
    diverged: list[str] = []


class LiveRows:
    """The (user, conv_key) rows known to exist and not to be deleted.

    The message writer consults it so the hot path skips the per-user row upkeep. Whoever
    deletes a row calls ``forget`` *before* starting its transaction; the writer records the
    ``epoch`` when it checks and only adds what it saw if nothing was forgotten since, so a
    deletion racing a batch can never leave a deleted row marked live.
    """

    def __init__(self) -> None:
        self._keys_by_user: dict[str, set[str]] = {}
        self.epoch = 0

    def __contains__(self, pair: tuple[str, str]) -> bool:
        keys = self._keys_by_user.get(pair[0])
        return keys is not None and pair[1] in keys

    def add_all(self, pairs: Iterable[tuple[str, str]], epoch: int) -> None:
        if epoch != self.epoch:
            return
        for user_id, conv_key in pairs:
            self._keys_by_user.setdefault(user_id, set()).add(conv_key)

    def forget(self, user_id: str, conv_key: str | None = None) -> None:
        """Forget one row, or all of the user's rows."""
        self.epoch += 1
        if conv_key is None:
            self._keys_by_user.pop(user_id, None)
        else:
            self._keys_by_user.get(user_id, set()).discard(conv_key)


def to_state(row: sa.Row) -> ConversationState:
    if row.departed_until is not None:
        # a former member's state stops where their view ended (``group_departures``)
        return ConversationState(
            conv_id=row.conv_id, conv_type=row.conv_type, max_seq=row.departed_until,
            read_seq=row.read_seq, min_seq=row.min_seq, recv_opt=row.recv_opt, deleted=True,
            version=row.version, read_reset=row.read_reset or 0)
    last = _message_decoder.decode(row.last_body) if row.last_body is not None else None
    return ConversationState(
        conv_id=row.conv_id, conv_type=row.conv_type, max_seq=row.max_seq,
        read_seq=row.read_seq, unread=row.unread, peer_read_seq=row.peer_read_seq,
        min_seq=row.min_seq, last_msg=last, pinned=bool(row.pinned), draft=row.draft,
        draft_time=row.draft_time, recv_opt=row.recv_opt, deleted=bool(row.deleted),
        version=row.version, at_me_seq=row.at_me_seq or 0, at_all_seq=row.at_all_seq or 0,
        read_reset=row.read_reset or 0)


async def _diverged(conn: AsyncConnection, rows: Mapping[str, sa.Row],
                    req: ConvSyncReq) -> set[str]:
    """The conversations (after ``req.after``) whose log does not hold what the client says it
    holds: no row or a log shorter than ``known`` (always checked, it costs nothing), or another
    message than ``tips`` names at the ``known`` seq (one indexed lookup per tip). A tip without
    a positive ``known`` seq claims nothing and is not checked."""
    diverged = {conv_id for conv_id, seq in req.known.items()
                if seq > 0 and conv_id > req.after
                and (conv_id not in rows or rows[conv_id].max_seq < seq)}
    checked = {conv_id: (rows[conv_id].conv_key, req.known[conv_id])
               for conv_id in req.tips
               if conv_id not in diverged and conv_id in rows and req.known.get(conv_id, 0) > 0}
    held = await msg_store.msg_ids_at(conn, checked.values())
    diverged.update(conv_id for conv_id, position in checked.items()
                    if held.get(position) != req.tips[conv_id])
    return diverged


async def _revokers(conn: AsyncConnection, conv_key: str, seqs: list[int]) -> dict[int, str]:
    """Who recalled each of those messages, where that was not its sender."""
    found = {}
    for body in await msg_store.bodies_at(conn, conv_key, seqs):
        msg = _message_decoder.decode(body)
        if msg.revoker and msg.revoker != msg.sender:
            found[msg.seq] = msg.revoker
    return found


async def _edited(conn: AsyncConnection, conv_key: str, seqs: list[int]) -> list[Message]:
    """Those edited messages as stored now, ascending; a recalled one is left to ``revoked``."""
    found = [_message_decoder.decode(body) for body in await msg_store.bodies_at(
        conn, conv_key, seqs)]
    return sorted((msg for msg in found if not msg.revoked), key=lambda msg: msg.seq)


async def load_states(conn: AsyncConnection, user_id: str,
                      conv_keys: Collection[str]) -> list[ConversationState]:
    return [to_state(row) for row in await store.states(conn, user_id, conv_keys)]


class ConversationService:
    def __init__(self, db: Database, bus: Bus, limits: Limits) -> None:
        self._db = db
        self._bus = bus
        self._limits = limits
        self.live_rows = LiveRows()

    def publish_changed(self, user_id: str, version: int, states: list[ConversationState],
                        exclude: str | None) -> None:
        frame = encode_push(PushName.CONV_CHANGED, ConvChangedPush(version, states))
        self._bus.publish([user_id], frame, exclude)

    async def publish_current(self, user_id: str, conv_keys: Collection[str],
                              exclude: str | None = None) -> None:
        """Push the current state of rows changed by someone other than the user's sessions."""
        async with self._db.read() as conn:
            version = await accounts_store.state_version(conn, user_id)
            states = await load_states(conn, user_id, conv_keys)
        self.publish_changed(user_id, version, states, exclude)

    async def sync(self, user_id: str, req: ConvSyncReq) -> SyncPage:
        """One page of the conversations a client must hear about, in ``conv_id`` order after
        ``req.after``: rows changed after ``req.version``, logs that moved past ``req.known``,
        and the ones whose log no longer holds what the client holds (``diverged``, with their
        state when the service still has a row).

        ``version`` is the user's state version when this page was read. Every change after it
        takes a higher version, so the version of a sync's *first* page, stored once the last
        page has arrived, never skips a change; a later page's version may be newer than
        changes in pages already taken. A version above the user's current one cannot come from
        this store (it was restored from an older copy) and is answered as version 0.
        """
        async with self._db.read() as conn:
            current = await accounts_store.state_version(conn, user_id)
            since = req.version if req.version <= current else 0
            rows = {c.conv_id: c for c in await store.sync_candidates(conn, user_id)
                    if c.conv_id > req.after}
            diverged = await _diverged(conn, rows, req)
            wanted = sorted(diverged.union(
                conv_id for conv_id, c in rows.items()
                if c.version > since or c.max_seq > req.known.get(conv_id, 0)))
            budget = PageBudget(self._limits.answer_bytes)
            page = SyncPage(current, [])
            for start in range(0, len(wanted), SYNC_CHUNK_ROWS):
                chunk = wanted[start:start + SYNC_CHUNK_ROWS]
                keys = [rows[c].conv_key for c in chunk if c in rows]
                states = {state.conv_id: state for state in await load_states(
                    conn, user_id, keys)}
                hidden = await store.hidden_since(conn, user_id, keys, since)
                revoked = await store.revoked_since(conn, user_id, keys, since)
                modified = await store.modified_since(conn, user_id, keys, since)
                for conv_id in chunk:
                    if conv_id in states and conv_id in rows:
                        state, conv_key = states[conv_id], rows[conv_id].conv_key
                        state.hidden = hidden.get(conv_key, [])
                        state.revoked = [s for s in revoked.get(conv_key, [])
                                         if s >= state.min_seq]
                        state.revokers = await _revokers(conn, conv_key, state.revoked)
                        state.modified = await _edited(
                            conn, conv_key, [s for s in modified.get(conv_key, [])
                                             if s >= state.min_seq])
                for conv_id in chunk:
                    state = states.get(conv_id)
                    encoded = msgspec.Raw(_encode(state)) if state is not None else None
                    size = len(encoded) if encoded is not None else 0
                    if conv_id in diverged:
                        size += len(_encode(conv_id)) + 1
                    if not budget.take(size):
                        page.more = True
                        return page
                    if encoded is not None:
                        page.conversations.append(encoded)
                    if conv_id in diverged:
                        page.diverged.append(conv_id)
                    page.next_after = conv_id
        page.next_after = ""
        return page

    async def unread_counts(self, user_id: str, peers: Collection[str] | None = None,
                            ) -> tuple[int, dict[str, int]]:
        """The user's C2C unread count in all — over the conversations whose receive option
        is not "do not receive", as the SDK's total — and per peer of ``peers``: each as
        ``conv.sync`` reports it, so a peer without a conversation has 0."""
        async with self._db.read() as conn:
            rows = await store.unread_counts(conn, user_id)
        by_key = {row.conv_key: row for row in rows}
        total = sum(row.unread for row in rows if row.recv_opt != RecvOpt.NOT_RECEIVE)
        per_peer = {}
        for peer in peers or ():
            row = by_key.get(c2c_key(user_id, peer))
            per_peer[peer] = row.unread if row is not None else 0
        return total, per_peer

    def _settings(self, req: ConvUpdateReq) -> dict[str, object]:
        values: dict[str, object] = {}
        if req.pinned is not None:
            values["pinned"] = req.pinned
        if req.draft is not None:
            if len(req.draft.encode()) > self._limits.draft_bytes:
                raise IMError(ErrorCode.INVALID_BODY,
                              f"draft: at most {self._limits.draft_bytes} bytes")
            values["draft"] = req.draft
        if req.recv_opt is not None:
            if req.recv_opt not in _RECV_OPTS:
                raise IMError(ErrorCode.INVALID_BODY, "recv_opt: expected 0, 1 or 2")
            values["recv_opt"] = req.recv_opt
        return values

    async def update(self, user_id: str, req: ConvUpdateReq, origin: str) -> ConversationState:
        conv_key, _ = resolve(req.conv_id, user_id)
        requested = self._settings(req)
        async with self._db.write() as conn:
            row = await store.row(conn, user_id, conv_key)
            if row is None:
                raise IMError(ErrorCode.CONVERSATION_NOT_FOUND, f"no conversation {req.conv_id}")
            changes = {k: v for k, v in requested.items() if getattr(row, k) != v}
            if "draft" in changes:
                changes["draft_time"] = now_ms() if changes["draft"] else 0
            version = 0
            if changes:
                version = await accounts_store.next_version(conn, user_id)
                await store.update_row(conn, user_id, conv_key, version=version, **changes)
            (state,) = await load_states(conn, user_id, [conv_key])
        if changes:
            self.publish_changed(user_id, version, [state], origin)
        return state

    async def delete(self, user_id: str, conv_id: str, seq: int, origin: str,
                     ) -> ConversationState:
        """Hide the conversation and its history up to ``seq`` for this user (C5); 0 means
        everything the service holds. Messages after ``seq`` stay visible and count as unread,
        just as if they had arrived after the deletion and brought the conversation back, so a
        delete replayed late spares what the user never saw. A delete that hides nothing new
        changes nothing (a replay must not clear a pin or draft set since). Returns the state
        after it, for the deleting device."""
        if seq < 0:
            raise IMError(ErrorCode.INVALID_BODY, "seq cannot be negative")
        conv_key, _ = resolve(conv_id, user_id)
        self.live_rows.forget(user_id, conv_key)
        async with self._db.write() as conn:
            row = await store.row(conn, user_id, conv_key)
            if row is None:
                raise IMError(ErrorCode.CONVERSATION_NOT_FOUND, f"no conversation {conv_id}")
            upto = min(seq or row.max_seq, row.max_seq)
            min_seq = max(row.min_seq, upto + 1)
            deleted = upto >= row.max_seq
            if min_seq == row.min_seq and (row.deleted or not deleted):
                (state,) = await load_states(conn, user_id, [conv_key])
                return state
            version = await accounts_store.next_version(conn, user_id)
            await store.update_row(conn, user_id, conv_key, deleted=deleted, min_seq=min_seq,
                                   pinned=False, draft="", draft_time=0, version=version)
            await store.drop_hidden_below(conn, user_id, conv_key, min_seq)
            states = await load_states(conn, user_id, [conv_key])
        self.publish_changed(user_id, version, states, origin)
        return states[0]
