"""Revoking a stored C2C message: by its sender over the WebSocket (``msg.revoke``, within
``Limits.revoke_window_s`` of its time) or by the admin API (``openim/admin_msgwithdraw``).

The message keeps its place in the log — seqs never disappear, or clients would see a hole —
but it is flagged revoked, its stored body becomes its revoked form (``revoked_form``: no
content), and it stops counting as unread. Both participants learn it:

- sessions online now at once: ``msg.revoked`` (the event a client shows), then
  ``conv.changed`` with the state after it (the new unread, the last message) and
  ``revoked: [seq]``;
- devices that were away at their next ``conv.sync``: the revocation is stamped, for each
  participant, with that user's next state version (``revoked_messages``), exactly as a
  delete-for-me is (``hidden_messages``), so the conversation comes back with the seqs revoked
  after the version the device holds; pulls and history already return the revoked body.
  One row per participant rather than per message, because state versions are per user.

Both ways share ``_revoke``: the same transaction, rows and pushes, whoever asked. A recall is
checked against a read snapshot first, so a client asking for what it may not do never takes
the write lock; the write transaction then checks again (SQLite's ``BEGIN IMMEDIATE`` makes it
the only writer), so of two recalls of one message exactly one takes effect and the other is
answered 20023.

In a group (M5) a member recalls their own message within the window, and the owner or an
admin recalls others' at any time, as far as their role reaches (§1.4: an admin not the
owner's or another admin's); a group tip is nobody's to recall. Every member is told, with one
``msg.revoked`` (the group's conversation ID is the same for all), and each gets a state
version and a revoked row as a C2C participant does; the members' ``conv.changed`` are read
after the commit, so a large group's recall holds the write lock only for its stamps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ConversationState, ErrorCode, IMError, Message, PushName
from app.protocol.commands import RevokedPush, RevokeReq, RevokeResp
from app.protocol.elements import GroupTipsElem
from app.protocol.frames import encode_push
from app.protocol.messages import revoked_form
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.groups.rules import MEMBER, may_act_on
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as groups_store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .conversations import ConversationService, load_states
from .keys import c2c_key, conv_id_for, group_key, group_of, peer_of, resolve
from .messaging import REST_DEDUP_WINDOW_MS, rest_message_id

_encode = msgspec.json.Encoder().encode
_message_decoder = msgspec.json.Decoder(Message)


@dataclass(frozen=True, slots=True)
class MessageKey:
    """Tencent's MsgKey ``<seq>_<random>_<time in seconds>``. A single message's key names its
    seq; a batch's (``batchsendmsg``) has seq 0, as its messages have a seq per receiver's log,
    and is found by ``random`` and time among the sender's REST messages."""

    seq: int
    random: int
    time_s: int


class RevocationService:
    def __init__(self, db: Database, bus: Bus, conversations: ConversationService) -> None:
        self._db = db
        self._bus = bus
        self._conversations = conversations

    async def revoke(self, sender: str, receiver: str, key: MessageKey) -> None:
        """Revoke the message ``key`` names from ``sender`` to ``receiver`` (the admin API):
        20022 when there is none, 20023 when it was revoked already."""
        async def find(conn: AsyncConnection) -> sa.Row | None:
            return await self.find_c2c(conn, conv_key, sender, receiver, key)

        conv_key = c2c_key(sender, receiver)
        await self._revoke(conv_key, sender, find,
                           f"no message {key.seq}_{key.random}_{key.time_s} from {sender} to "
                           f"{receiver}")

    async def revoke_in_group(self, group_id: str, seq: int, revoker: str) -> None:
        """The admin API recalls the message at ``seq`` of the group (any age, anyone's but a
        tip): 20022 when there is none, 20023 when it was revoked already."""
        conv_key = group_key(group_id)

        async def find(conn: AsyncConnection) -> sa.Row | None:
            row = await msg_store.at_seq(conn, conv_key, seq) if seq >= 1 else None
            if row is not None and _is_tip(row):
                raise IMError(ErrorCode.REVOKE_NOT_ALLOWED, "a group tip cannot be recalled")
            return row

        await self._revoke(conv_key, revoker, find, f"no message at seq {seq} of {group_id}")

    async def recall(self, user_id: str, req: RevokeReq, window_ms: int) -> RevokeResp:
        """``msg.revoke``: the sender takes back their own message within ``window_ms`` of its
        server time; in a group the owner or an admin may take back others' (module doc).
        20022 when ``conv_id`` holds no such message at ``seq``, 20031 when it is not the
        caller's to recall, 20023 when it was revoked already, 20016 when the window has
        passed, 10012 when the caller is no member of the group. Nothing changes on a
        refusal."""
        if req.seq < 1:
            raise IMError(ErrorCode.INVALID_BODY, "seq: must be at least 1")
        conv_key, _peer = resolve(req.conv_id, user_id)
        missing = f"no message {req.msg_id} at seq {req.seq} of {req.conv_id}"

        async def find(conn: AsyncConnection) -> sa.Row | None:
            row = await msg_store.at_seq(conn, conv_key, req.seq)
            if row is None or row.msg_id != req.msg_id:
                return None
            if row.sender != user_id:
                await _may_recall_others(conn, conv_key, user_id, row)
            elif group_of(conv_key) is not None:
                await _group_member(conn, conv_key, user_id, row)
            return row

        async with self._db.read() as conn:
            row = await find(conn)
        if row is None:
            raise IMError(ErrorCode.REVOKE_TARGET_NOT_FOUND, missing)
        if row.revoked:
            raise IMError(ErrorCode.ALREADY_REVOKED)
        age_ms = now_ms() - row.time
        if row.sender == user_id and (window_ms <= 0 or age_ms > window_ms):
            raise IMError(ErrorCode.REVOKE_TIME_LIMIT,
                          f"sent {age_ms / 1000:.1f} s ago, past the {window_ms // 1000} s "
                          "recall window")
        push = await self._revoke(conv_key, user_id, find, missing)
        return RevokeResp(req.conv_id, push.seq, push.msg_id, push.time)

    async def _revoke(self, conv_key: str, revoker: str,
                      find: Callable[[AsyncConnection], Awaitable[sa.Row | None]],
                      missing: str) -> RevokedPush:
        """Revoke the message ``find`` returns in one write transaction, then tell every session
        of every participant. Returns the push as the revoker's side names the chat."""
        group_id = group_of(conv_key)
        async with self._db.write() as conn:
            row = await find(conn)
            if row is None:
                raise IMError(ErrorCode.REVOKE_TARGET_NOT_FOUND, missing)
            if row.revoked:
                raise IMError(ErrorCode.ALREADY_REVOKED)
            revoked = revoked_form(_message_decoder.decode(row.body), revoker)
            await msg_store.mark_revoked(conn, conv_key, row.seq, _encode(revoked))
            if group_id is None:
                participants = [row.sender, peer_of(conv_key, row.sender)]
            else:
                participants = sorted((await groups_store.member_ids(conn, [group_id]))[
                    group_id])
            told: dict[str, tuple[int, ConversationState | None]] = {}
            for user_id in dict.fromkeys(participants):
                if await conv_store.row(conn, user_id, conv_key) is None:
                    continue  # an account deleted since, with its rows
                version = await accounts_store.next_version(conn, user_id)
                await conv_store.record_revoked(conn, user_id, conv_key, row.seq, version)
                await conv_store.update_row(conn, user_id, conv_key, version=version)
                state = None
                if group_id is None:
                    (state,) = await load_states(conn, user_id, [conv_key])
                    state.revoked = [row.seq]
                told[user_id] = (version, state)
        time = now_ms()
        by = revoked.revoker
        if group_id is not None:
            push = RevokedPush(conv_id_for(conv_key, revoker), row.seq, row.msg_id, row.sender,
                               time, by)
            self._bus.publish(list(told), encode_push(PushName.MSG_REVOKED, push))
            await self._tell_states(conv_key, row.seq, told)
            return push
        for user_id, (version, state) in told.items():
            push = RevokedPush(conv_id_for(conv_key, user_id), row.seq, row.msg_id, row.sender,
                               time, by)
            self._bus.publish([user_id], encode_push(PushName.MSG_REVOKED, push))
            if state is not None:
                self._conversations.publish_changed(user_id, version, [state], None)
        return RevokedPush(conv_id_for(conv_key, revoker), row.seq, row.msg_id, row.sender,
                           time, by)

    async def _tell_states(self, conv_key: str, seq: int,
                           told: dict[str, tuple[int, ConversationState | None]]) -> None:
        """Each member's state of the group after a recall, read after the commit (their
        unread differs); a member whose version moved on since gets the newer one."""
        for user_id in told:
            async with self._db.read() as conn:
                version = await accounts_store.state_version(conn, user_id)
                states = await load_states(conn, user_id, [conv_key])
            for state in states:
                state.revoked = [seq]
            self._conversations.publish_changed(user_id, version, states, None)

    async def find_c2c(self, conn: AsyncConnection, conv_key: str, sender: str, receiver: str,
                       key: MessageKey) -> sa.Row | None:
        """The message ``key`` names from ``sender`` to ``receiver`` (the admin API's MsgKey;
        an edit finds it the same way)."""
        if key.seq > 0:
            row = await msg_store.at_seq(conn, conv_key, key.seq)
            matches = (row is not None and row.sender == sender and row.random == key.random
                       and row.time // 1000 == key.time_s)
            return row if matches else None
        # A batch's message to this receiver has the msg_id of the batch's five-minute bucket,
        # or — when the receiver had got the same random within five minutes, so the batch
        # sent it nothing new — that of the message before, up to five minutes older.
        sent_ms = key.time_s * 1000  # the batch was sent within the second after it
        candidates = {rest_message_id(receiver, key.random, t - back)
                      for t in (sent_ms, sent_ms + 999) for back in (0, REST_DEDUP_WINDOW_MS)}
        rows = await msg_store.with_ids(conn, conv_key, sender, candidates)
        return next((r for r in rows if r.time >= sent_ms - REST_DEDUP_WINDOW_MS), None)


async def _group_member(conn: AsyncConnection, conv_key: str, user_id: str,
                        row: sa.Row) -> sa.Row:
    """The caller's membership of the group whose log holds ``row``; a tip is nobody's."""
    group_id = group_of(conv_key)
    member = await groups_store.member(conn, group_id, user_id) if group_id else None
    if member is None:
        raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{user_id} is not a member of {group_id}")
    if _is_tip(row):
        raise IMError(ErrorCode.REVOKE_NOT_ALLOWED, "a group tip cannot be recalled")
    return member


def _is_tip(row: sa.Row) -> bool:
    return any(isinstance(elem, GroupTipsElem)
               for elem in _message_decoder.decode(row.body).elems)


async def _may_recall_others(conn: AsyncConnection, conv_key: str, user_id: str,
                             row: sa.Row) -> None:
    """Someone else's message: only in a group, by its owner or an admin over the sender's
    role now (a sender who left counts as a member)."""
    if group_of(conv_key) is None:
        raise IMError(ErrorCode.REVOKE_NOT_ALLOWED)
    member = await _group_member(conn, conv_key, user_id, row)
    sender = await groups_store.member(conn, group_of(conv_key) or "", row.sender)
    if not may_act_on(member.role, sender.role if sender is not None else MEMBER):
        raise IMError(ErrorCode.REVOKE_NOT_ALLOWED,
                      "only the owner or an admin recalls others' messages, and an admin "
                      "not the owner's or another admin's")
