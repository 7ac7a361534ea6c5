"""Editing a stored message (V2TIM ``modifyMessage``; M4 "message modified"): by its sender
over the WebSocket (``msg.modify``: a text message's text, any message's cloud custom data) or
by the admin API (``openim/modify_c2c_msg``, ``openim/modify_group_msg``, Tencent's shapes:
``MsgBody`` and/or ``CloudCustomData``).

The stored body is rewritten in place — pulls, history and a conversation's last message return
the new text from then on — and carries a per-message version, ``modify_version``, raised by one
per edit. An edit over the WebSocket names the version it was made on and is refused with 8006
(V2TIM's ERR_SDK_MSG_MODIFY_CONFLICT) when the stored one has moved since: two devices editing
at once cannot overwrite each other unseen, and the check and the write are one write
transaction, so of two concurrent edits on one version exactly one takes effect on any number
of nodes. Clients keep the copy with the higher version, so pushes, catch-ups and pulls
arriving in any order leave every device with the text the service holds. The admin's edits
overwrite whatever is stored (as Tencent's do) and still raise the version.

Every participant who can see the message learns it (members who joined after it, or who
cleared the history past it, get nothing), as a revocation is told (``revocation``):

- sessions online now at once: ``msg.modified`` with the stored message;
- devices that were away at their next ``conv.sync``: the edit is stamped, for each
  participant, with that user's next state version (``modified_messages``, one row per user
  and message, restamped by a later edit), and the conversation comes back with the messages
  edited after the version the device holds, as stored now (``ConversationState.modified``).

Nothing of it lives in one process's memory, so it holds with several service nodes.
No window: V2TIM sets none, and a text corrected a day later is still a correction. A revoked
message cannot be edited (20023), nor a group tip; only text goes into a text message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Limits, Message, PushName
from app.protocol.commands import ModifiedPush, ModifyReq, ModifyResp
from app.protocol.elements import SERVICE_ELEMS, Elem, TextElem, media_uuids
from app.protocol.frames import encode_push
from app.protocol.messages import payload_size
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as groups_store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .content import SensitiveWords
from .keys import c2c_key, conv_id_for, group_key, group_of, peer_of, resolve
from .revocation import MessageKey, RevocationService

_encode = msgspec.json.Encoder().encode
_message_decoder = msgspec.json.Decoder(Message)

Finder = Callable[[AsyncConnection], Awaitable[sa.Row | None]]


class ModificationService:
    def __init__(self, db: Database, bus: Bus, revocations: RevocationService,
                 words: SensitiveWords, limits: Limits) -> None:
        self._db = db
        self._bus = bus
        self._revocations = revocations
        self._words = words
        self._limits = limits

    async def modify(self, user_id: str, req: ModifyReq) -> ModifyResp:
        """``msg.modify``: the sender edits their message. 20026 when ``conv_id`` holds no such
        message at ``seq``, 20032 when it is not the caller's or not text being put into a text
        message, 20023 when it was revoked, 8006 when ``req.version`` is not the stored
        version, 10012 when the caller left the group. Nothing changes on a refusal."""
        if req.seq < 1:
            raise IMError(ErrorCode.INVALID_BODY, "seq: must be at least 1")
        if req.elems is None and req.cloud_custom_data is None:
            raise IMError(ErrorCode.INVALID_BODY, "nothing to change: give elems or "
                          "cloud_custom_data")
        if req.elems is not None and (len(req.elems) != 1
                                      or not isinstance(req.elems[0], TextElem)):
            raise IMError(ErrorCode.MODIFY_NOT_ALLOWED, "an edit carries one text element")
        conv_key, _peer = resolve(req.conv_id, user_id)
        group_id = group_of(conv_key)

        async def find(conn: AsyncConnection) -> sa.Row | None:
            row = await msg_store.at_seq(conn, conv_key, req.seq)
            if row is None or row.msg_id != req.msg_id:
                return None
            if row.sender != user_id:
                raise IMError(ErrorCode.MODIFY_NOT_ALLOWED, "only its sender edits a message")
            if group_id is not None and await groups_store.member(conn, group_id,
                                                                  user_id) is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER,
                              f"{user_id} is not a member of {group_id}")
            return row

        stored = await self._modify(conv_key, find, req.elems, req.cloud_custom_data,
                                    req.version, f"no message {req.msg_id} at seq {req.seq} "
                                    f"of {req.conv_id}")
        return ModifyResp(stored)

    async def modify_c2c(self, sender: str, receiver: str, key: MessageKey,
                         elems: list[Elem] | None, cloud_custom_data: str | None) -> Message:
        """The admin API edits the message ``key`` names from ``sender`` to ``receiver``,
        whatever its version: 20026 when there is none, 20023 when it was revoked."""
        conv_key = c2c_key(sender, receiver)

        async def find(conn: AsyncConnection) -> sa.Row | None:
            return await self._revocations.find_c2c(conn, conv_key, sender, receiver, key)

        return await self._modify(conv_key, find, elems, cloud_custom_data, None,
                                  f"no message {key.seq}_{key.random}_{key.time_s} from "
                                  f"{sender} to {receiver}")

    async def modify_in_group(self, group_id: str, seq: int, elems: list[Elem] | None,
                              cloud_custom_data: str | None) -> Message:
        """The admin API edits the message at ``seq`` of the group, whatever its version:
        20026 when there is none, 20023 when it was revoked."""
        conv_key = group_key(group_id)

        async def find(conn: AsyncConnection) -> sa.Row | None:
            return await msg_store.at_seq(conn, conv_key, seq) if seq >= 1 else None

        return await self._modify(conv_key, find, elems, cloud_custom_data, None,
                                  f"no message at seq {seq} of {group_id}")

    def _edited(self, msg: Message, elems: list[Elem] | None,
                cloud_custom_data: str | None) -> Message:
        """``msg`` with the edit applied, or IMError if the edit may not be made."""
        if msg.revoked:
            raise IMError(ErrorCode.ALREADY_REVOKED, "a recalled message cannot be edited")
        if msg.deleted or any(isinstance(e, SERVICE_ELEMS) for e in msg.elems):
            raise IMError(ErrorCode.MODIFY_NOT_ALLOWED, "a group tip or notice is not edited")
        if elems is not None:
            if not elems:
                raise IMError(ErrorCode.INVALID_MESSAGE, "a message needs at least one element")
            for elem in elems:
                if isinstance(elem, SERVICE_ELEMS) or media_uuids(elem):
                    raise IMError(ErrorCode.MODIFY_NOT_ALLOWED,
                                  "an edit carries no media, tips or notices")
                if isinstance(elem, TextElem) and (word := self._words.find(elem.text)):
                    raise IMError(ErrorCode.SENSITIVE_WORD, f"the text contains {word!r}")
            if (isinstance(elems[0], TextElem)
                    and not (msg.elems and isinstance(msg.elems[0], TextElem))):
                raise IMError(ErrorCode.MODIFY_NOT_ALLOWED,
                              "only a text message takes a new text")
        new_elems = list(elems) if elems is not None else msg.elems
        data = cloud_custom_data if cloud_custom_data is not None else msg.cloud_custom_data
        size = payload_size(new_elems, data, msg.push)
        if size > self._limits.payload_bytes:
            raise IMError(ErrorCode.MESSAGE_TOO_LONG,
                          f"the payload is {size} bytes; at most {self._limits.payload_bytes}")
        return msgspec.structs.replace(msg, elems=new_elems, cloud_custom_data=data,
                                       modify_version=msg.modify_version + 1,
                                       modify_time=now_ms())

    async def _modify(self, conv_key: str, find: Finder, elems: list[Elem] | None,
                      cloud_custom_data: str | None, version: int | None,
                      missing: str) -> Message:
        """Edit the message ``find`` returns in one write transaction — checked first against
        a read snapshot, so a refusal never takes the write lock — then tell every session of
        every participant who can see it. ``version`` None: the admin, whatever the version."""
        async with self._db.read() as conn:
            row = await find(conn)
            if row is None:
                raise IMError(ErrorCode.MODIFY_TARGET_NOT_FOUND, missing)
            self._edited(_message_decoder.decode(row.body), elems, cloud_custom_data)
            self._check_version(_message_decoder.decode(row.body), version)
        group_id = group_of(conv_key)
        async with self._db.write() as conn:
            row = await find(conn)
            if row is None:
                raise IMError(ErrorCode.MODIFY_TARGET_NOT_FOUND, missing)
            current = _message_decoder.decode(row.body)
            stored = self._edited(current, elems, cloud_custom_data)
            self._check_version(current, version)
            await msg_store.rewrite_body(conn, conv_key, row.seq, _encode(stored))
            if group_id is None:
                participants = [row.sender, peer_of(conv_key, row.sender)]
            else:
                participants = sorted((await groups_store.member_ids(conn, [group_id]))[
                    group_id])
            told: list[str] = []
            for user_id in dict.fromkeys(participants):
                conv = await conv_store.row(conn, user_id, conv_key)
                if conv is None or conv.min_seq > row.seq:
                    continue  # an account deleted since, or one who cannot see it
                next_version = await accounts_store.next_version(conn, user_id)
                await conv_store.record_modified(conn, user_id, conv_key, row.seq,
                                                 next_version)
                await conv_store.update_row(conn, user_id, conv_key, version=next_version)
                told.append(user_id)
        if group_id is not None:
            push = ModifiedPush(conv_id_for(conv_key, row.sender), stored)
            self._bus.publish(told, encode_push(PushName.MSG_MODIFIED, push))
        else:
            for user_id in told:
                push = ModifiedPush(conv_id_for(conv_key, user_id), stored)
                self._bus.publish([user_id], encode_push(PushName.MSG_MODIFIED, push))
        return stored

    @staticmethod
    def _check_version(msg: Message, version: int | None) -> None:
        if version is not None and version != msg.modify_version:
            raise IMError(ErrorCode.MODIFY_CONFLICT,
                          f"edited elsewhere: version {msg.modify_version}, not {version}")
