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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ConversationState, ErrorCode, IMError, Message, PushName
from app.protocol.commands import RevokedPush, RevokeReq, RevokeResp
from app.protocol.frames import encode_push
from app.protocol.messages import revoked_form
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .conversations import ConversationService, load_states
from .keys import c2c_key, conv_id_for, resolve
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
            return await self._find(conn, conv_key, sender, receiver, key)

        conv_key = c2c_key(sender, receiver)
        await self._revoke(conv_key, sender, receiver, find,
                           f"no message {key.seq}_{key.random}_{key.time_s} from {sender} to "
                           f"{receiver}")

    async def recall(self, user_id: str, req: RevokeReq, window_ms: int) -> RevokeResp:
        """``msg.revoke``: the sender takes back their own message within ``window_ms`` of its
        server time. 20022 when ``conv_id`` holds no such message at ``seq``, 20031 when it is
        not the caller's, 20023 when it was revoked already, 20016 when the window has passed.
        Nothing changes on a refusal."""
        if req.seq < 1:
            raise IMError(ErrorCode.INVALID_BODY, "seq: must be at least 1")
        conv_key, peer = resolve(req.conv_id, user_id)
        missing = f"no message {req.msg_id} at seq {req.seq} of {req.conv_id}"

        async def find(conn: AsyncConnection) -> sa.Row | None:
            row = await msg_store.at_seq(conn, conv_key, req.seq)
            return row if row is not None and row.msg_id == req.msg_id else None

        async with self._db.read() as conn:
            row = await find(conn)
        if row is None:
            raise IMError(ErrorCode.REVOKE_TARGET_NOT_FOUND, missing)
        if row.sender != user_id:
            raise IMError(ErrorCode.REVOKE_NOT_ALLOWED)
        if row.revoked:
            raise IMError(ErrorCode.ALREADY_REVOKED)
        age_ms = now_ms() - row.time
        if window_ms <= 0 or age_ms > window_ms:
            raise IMError(ErrorCode.REVOKE_TIME_LIMIT,
                          f"sent {age_ms / 1000:.1f} s ago, past the {window_ms // 1000} s "
                          "recall window")
        push = await self._revoke(conv_key, user_id, peer, find, missing)
        return RevokeResp(req.conv_id, push.seq, push.msg_id, push.time)

    async def _revoke(self, conv_key: str, sender: str, receiver: str,
                      find: Callable[[AsyncConnection], Awaitable[sa.Row | None]],
                      missing: str) -> RevokedPush:
        """Revoke the message ``find`` returns in one write transaction, then tell every session
        of both participants. Returns the push as the sender's side names the chat."""
        async with self._db.write() as conn:
            row = await find(conn)
            if row is None:
                raise IMError(ErrorCode.REVOKE_TARGET_NOT_FOUND, missing)
            if row.revoked:
                raise IMError(ErrorCode.ALREADY_REVOKED)
            revoked = revoked_form(_message_decoder.decode(row.body))
            await msg_store.mark_revoked(conn, conv_key, row.seq, _encode(revoked))
            told: dict[str, tuple[int, ConversationState]] = {}
            for user_id in dict.fromkeys((sender, receiver)):
                if await conv_store.row(conn, user_id, conv_key) is None:
                    continue  # an account deleted since, with its rows
                version = await accounts_store.next_version(conn, user_id)
                await conv_store.record_revoked(conn, user_id, conv_key, row.seq, version)
                await conv_store.update_row(conn, user_id, conv_key, version=version)
                (state,) = await load_states(conn, user_id, [conv_key])
                state.revoked = [row.seq]
                told[user_id] = (version, state)
        time = now_ms()
        for user_id, (version, state) in told.items():
            push = RevokedPush(conv_id_for(conv_key, user_id), row.seq, row.msg_id, sender, time)
            self._bus.publish([user_id], encode_push(PushName.MSG_REVOKED, push))
            self._conversations.publish_changed(user_id, version, [state], None)
        return RevokedPush(conv_id_for(conv_key, sender), row.seq, row.msg_id, sender, time)

    async def _find(self, conn: AsyncConnection, conv_key: str, sender: str, receiver: str,
                    key: MessageKey) -> sa.Row | None:
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
