"""C2C messaging: validation and send (S1–S3, M2, M9, M10, M14) — the admin API's single and
batch sends too —, pull and history (S4, M8), read positions and receipts (M7, C3), delete-for-me
(M6). Revoking is ``revocation``'s.

Pull and history answer with the stored message bytes embedded as ``msgspec.Raw``; messages
hidden from the reader come back as placeholders (``deleted: true``, no elements) so every seq of
a range is accounted for and a client can prove it has no holes. Both answers are cut at the
answer byte budget (``paging``), so a client can always take a page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import (
    AT_ALL,
    ConversationState,
    ErrorCode,
    IMError,
    Limits,
    Message,
    MessageAck,
    Priority,
    PushName,
)
from app.protocol.commands import HistoryReq, PullReq, ReadResp, ReceiptPush
from app.protocol.elements import SERVICE_ELEMS, TextElem, media_uuids
from app.protocol.frames import encode_push
from app.protocol.groups import GroupType
from app.protocol.ids import (
    ConvType,
    c2c_conversation_id,
    is_valid_group_id,
    is_valid_message_id,
    is_valid_user_id,
)
from app.protocol.messages import payload_size
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.friends.gate import Delivery
from app.server.groups.gate import admit_sender, is_member
from app.server.groups.send_rate import GroupSendRate
from app.server.media.access import check_references
from app.server.media.elements import check_media_fields
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as groups_store
from app.server.store import messages as msg_store
from app.server.store.db import Database

from .content import SensitiveWords
from .conversations import ConversationService, load_states
from .keys import c2c_key, group_key, group_of, resolve
from .paging import PageBudget
from .writer import MessageWriter

PULL_CHUNK_ROWS: Final = 100
"""Rows a pull reads at a time, so a pull cut early by the byte budget reads little beyond it."""
REST_DEDUP_WINDOW_MS: Final = 5 * 60 * 1000
"""REST sends with the same From, To and MsgRandom within this window are one message."""

_PRIORITIES = frozenset(Priority)
_encode = msgspec.json.Encoder().encode
_message_decoder = msgspec.json.Decoder(Message)


def rest_message_id(receiver: str, random: int, at_ms: int) -> str:
    """The msg_id of a REST send (``sendmsg``, ``batchsendmsg``) made at ``at_ms``: the same
    receiver and ``random`` in the same five-minute bucket give the same ID, so concurrent
    duplicates meet in the writer's (msg_id, sender) dedup, and a revocation can find a batch's
    message in each receiver's log from the batch's MsgKey."""
    return f"rest-{receiver}-{random}-{at_ms // REST_DEDUP_WINDOW_MS}"


@dataclass(frozen=True, slots=True)
class BatchSent:
    """What ``openim/batchsendmsg`` answers: when the batch was sent (its MsgKey names it), and
    why each receiver that did not get the message did not."""

    time: int
    errors: dict[str, IMError]


class PulledMessages(msgspec.Struct):
    """``PullResp`` with stored messages embedded verbatim."""

    messages: list[msgspec.Raw]
    more: bool


class HistoryPage(msgspec.Struct):
    """``HistoryResp`` with stored messages embedded verbatim."""

    messages: list[msgspec.Raw]
    is_finished: bool


def _listed(rows: Sequence[sa.Row], conv_type: int, min_seq: int) -> list[msgspec.Raw]:
    out = []
    for row in rows:
        if row.hidden or row.seq < min_seq:
            placeholder = Message(msg_id=row.msg_id, conv_type=conv_type, sender=row.sender,
                                  receiver=row.receiver, group_id=row.group_id, seq=row.seq,
                                  time=row.time, deleted=True)
            out.append(msgspec.Raw(_encode(placeholder)))
        else:
            out.append(msgspec.Raw(row.body))
    return out


async def _may_read(conn: AsyncConnection, user_id: str, conv_key: str) -> bool:
    """A group's log is read by its members only; a C2C log by whoever has a row in it."""
    group_id = group_of(conv_key)
    return group_id is None or await is_member(conn, user_id, group_id)


class MessagingService:
    def __init__(self, db: Database, bus: Bus, writer: MessageWriter,
                 conversations: ConversationService, words: SensitiveWords,
                 limits: Limits) -> None:
        self._db = db
        self._bus = bus
        self._writer = writer
        self._conversations = conversations
        self._words = words
        self._limits = limits
        self._policy = writer.policy
        self._group_rate = GroupSendRate(db, limits)

    # --- send ------------------------------------------------------------------------------

    def _checked(self, sender: str, msg: Message, *, elems_max: int | None = None) -> Message:
        """The message as the service will store it, or IMError if it may not be sent.

        Server-owned fields (sender, seq, time, profile snapshot, flags) are reset whatever the
        client put in them. The size limit counts every byte the client chose — elements, cloud
        custom data and the notification fields — since all of it is stored and pushed.
        ``elems_max`` is 1 for the SDK (one element per new message, M1); Tencent's REST API
        still composes messages of several elements.
        """
        if not is_valid_message_id(msg.msg_id):
            raise IMError(ErrorCode.INVALID_MESSAGE_ID)
        if msg.conv_type == ConvType.GROUP:
            if not is_valid_group_id(msg.group_id):
                raise IMError(ErrorCode.INVALID_GROUP_ID, f"invalid group {msg.group_id!r}")
        elif msg.conv_type != ConvType.C2C:
            raise IMError(ErrorCode.INVALID_MESSAGE, "conv_type must be 1 (C2C) or 2 (group)")
        elif not is_valid_user_id(msg.receiver):
            raise IMError(ErrorCode.RECEIVER_NOT_FOUND, f"invalid receiver {msg.receiver!r}")
        if not msg.elems:
            raise IMError(ErrorCode.INVALID_MESSAGE, "a message needs at least one element")
        if elems_max is not None and len(msg.elems) > elems_max:
            raise IMError(ErrorCode.INVALID_MESSAGE,
                          f"a message carries one element; this one has {len(msg.elems)}")
        if msg.priority not in _PRIORITIES:
            raise IMError(ErrorCode.INVALID_MESSAGE, "priority must be 1–4")
        size = payload_size(msg.elems, msg.cloud_custom_data, msg.push)
        if size > self._limits.payload_bytes:
            raise IMError(ErrorCode.MESSAGE_TOO_LONG,
                          f"the payload is {size} bytes; at most {self._limits.payload_bytes}")
        for elem in msg.elems:
            if isinstance(elem, SERVICE_ELEMS):
                raise IMError(ErrorCode.INVALID_MESSAGE,
                              "group tips and notices are the service's to write")
            if isinstance(elem, TextElem) and (word := self._words.find(elem.text)) is not None:
                raise IMError(ErrorCode.SENSITIVE_WORD, f"the text contains {word!r}")
            check_media_fields(elem, self._limits)
            if msg.online_only and media_uuids(elem):
                # Only a stored message lets its receiver read the media it carries.
                raise IMError(ErrorCode.INVALID_MESSAGE, "media cannot be sent online-only")
        is_group = msg.conv_type == ConvType.GROUP
        return msgspec.structs.replace(
            msg, sender=sender, receiver="" if is_group else msg.receiver,
            group_id=msg.group_id if is_group else "", seq=0, time=0, nick="", face_url="",
            name_card="", at_user_list=self._mentions(msg), revoked=False, revoker="",
            deleted=False, modify_version=0, modify_time=0)

    def _mentions(self, msg: Message) -> list[str]:
        """M11: mentions belong to group messages; each a user ID or AT_ALL, once."""
        if not msg.at_user_list:
            return []
        if msg.conv_type != ConvType.GROUP:
            raise IMError(ErrorCode.INVALID_MESSAGE, "only group messages mention members")
        mentioned = list(dict.fromkeys(msg.at_user_list))
        if len(mentioned) > self._limits.group_at_users_max:
            raise IMError(ErrorCode.INVALID_MESSAGE,
                          f"a message mentions at most {self._limits.group_at_users_max} members")
        for user_id in mentioned:
            if user_id != AT_ALL and not is_valid_user_id(user_id):
                raise IMError(ErrorCode.INVALID_MESSAGE, f"cannot mention {user_id!r}")
        return mentioned

    async def send(self, sender: str, msg: Message, origin: str | None
                   ) -> asyncio.Future[MessageAck]:
        """Validate and hand the message on; the future resolves with the ack (after commit for
        stored messages), so the caller can go on reading requests meanwhile. Media it refers to
        must be readable by the sender (23008, ``media.access``); admin sends are trusted. A
        C2C message passes the relationship policy first (M12, ``friends.gate``): refused, or
        dropped for a receiver who blocks the sender."""
        msg = self._checked(sender, msg, elems_max=1)
        await check_references(self._db, sender, msg.elems)
        if msg.conv_type == ConvType.GROUP:
            return await self._send_group(msg, origin)
        if not msg.online_only:
            return self._writer.submit(msg, c2c_key(sender, msg.receiver), origin=origin,
                                       relationship_checked=True)
        done: asyncio.Future[MessageAck] = asyncio.get_running_loop().create_future()
        done.set_result(await self._relay(msg))
        return done

    async def _send_group(self, msg: Message, origin: str | None
                          ) -> asyncio.Future[MessageAck]:
        """Into the group's log, fanned out to its members when stored; an AVChatRoom (which
        stores nothing) and online-only messages go straight to the members online. Either
        way only once the group's rate admits it (``groups.send_rate``: 10023 over the rate, lower
        priorities first), after the sender was found allowed to send."""
        async with self._db.read() as conn:
            rules = await admit_sender(conn, msg.sender, msg.group_id, now_ms() // 1000)
            if msg.online_only or not rules.stores_messages:
                members = (await groups_store.member_ids(conn, [msg.group_id]))[msg.group_id]
                profiles = await accounts_store.profiles(conn, [msg.sender])
        await self._group_rate.admit(msg.group_id, msg.priority)
        if msg.online_only or not rules.stores_messages:
            sender = profiles.get(msg.sender)
            msg = msgspec.structs.replace(msg, time=now_ms(), nick=sender.nick if sender else "",
                                          face_url=sender.face_url if sender else "")
            self._bus.publish(members, encode_push(PushName.MSG_NEW, msg), exclude=origin)
            done: asyncio.Future[MessageAck] = asyncio.get_running_loop().create_future()
            done.set_result(MessageAck(msg.msg_id, 0, msg.time))
            return done
        if not rules.counts_unread:
            msg = msgspec.structs.replace(msg, exclude_unread=True)
        return self._writer.submit(msg, group_key(msg.group_id), origin=origin)

    async def _relay(self, msg: Message) -> MessageAck:
        """Online-only (M9): straight to the receiver's live sessions, never stored — unless the
        receiver blocks the sender (M12: refused, or answered as sent and dropped)."""
        if msg.receiver == msg.sender:
            raise IMError(ErrorCode.SEND_TO_SELF_ONLINE_ONLY)
        async with self._db.read() as conn:
            profiles = await accounts_store.profiles(conn, [msg.sender, msg.receiver])
            if msg.receiver not in profiles:
                raise IMError(ErrorCode.RECEIVER_NOT_FOUND, f"no account {msg.receiver!r}")
            delivery = await self._policy.admit(conn, msg.sender, msg.receiver)
        sender = profiles.get(msg.sender)
        msg = msgspec.structs.replace(msg, time=now_ms(), nick=sender.nick if sender else "",
                                      face_url=sender.face_url if sender else "")
        if delivery == Delivery.DELIVER:
            self._bus.publish([msg.receiver], encode_push(PushName.MSG_NEW, msg))
        return MessageAck(msg.msg_id, 0, msg.time)

    async def send_rest(self, msg: Message, *, sync_sender: bool) -> MessageAck:
        """An admin send (``openim/sendmsg``): same checks, plus Tencent's rule that a message
        with the same sender, receiver and ``random`` within five minutes is the same message.

        ``msg.msg_id`` should be ``rest_message_id``'s, so that concurrent duplicates also meet
        in the writer's (msg_id, sender) dedup.
        """
        msg = self._checked(msg.sender, msg)
        conv_key = c2c_key(msg.sender, msg.receiver)
        async with self._db.read() as conn:
            if not await accounts_store.existing(conn, [msg.sender]):
                raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"no account {msg.sender!r}")
            earlier = await msg_store.recent_with_random(
                conn, conv_key, msg.sender, msg.random, now_ms() - REST_DEDUP_WINDOW_MS)
        if earlier is not None:
            return MessageAck(msg.msg_id, *earlier)
        return await self._writer.submit(msg, conv_key, origin=None, sync_sender=sync_sender,
                                         hide_for_sender=not sync_sender)

    async def send_rest_batch(self, msg: Message, receivers: Sequence[str], *,
                              sync_sender: bool) -> BatchSent:
        """``openim/batchsendmsg``: the message as its own C2C message to each receiver, under
        ``send_rest``'s rules (a receiver that got a message with this ``random`` from the
        sender within five minutes is not sent another). The message is checked once: a bad
        one refuses the whole batch; a receiver that does not exist fails alone (70107).

        All messages go to the writer at once, so a batch shares its group commits.
        """
        now = now_ms()
        errors: dict[str, IMError] = {}
        wanted = list(dict.fromkeys(receivers))
        for receiver in wanted:
            if not is_valid_user_id(receiver):
                errors[receiver] = IMError(ErrorCode.ACCOUNT_NOT_FOUND,
                                           f"{receiver!r} cannot be a UserID")
        wanted = [r for r in wanted if r not in errors]
        # Checked once, addressed to the sender: each receiver is checked on its own.
        template = self._checked(msg.sender, msgspec.structs.replace(msg, receiver=msg.sender))
        keys = {receiver: c2c_key(msg.sender, receiver) for receiver in wanted}
        async with self._db.read() as conn:
            if not await accounts_store.existing(conn, [msg.sender]):
                raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"no account {msg.sender!r}")
            found = await accounts_store.existing(conn, wanted)
            earlier = await msg_store.recent_with_random_in(
                conn, keys.values(), msg.sender, msg.random, now - REST_DEDUP_WINDOW_MS)
        sends: dict[str, asyncio.Future[MessageAck]] = {}
        for receiver in wanted:
            if receiver not in found:
                errors[receiver] = IMError(ErrorCode.ACCOUNT_NOT_FOUND,
                                           f"no account {receiver!r}")
            elif keys[receiver] not in earlier:
                one = msgspec.structs.replace(
                    template, receiver=receiver,
                    msg_id=rest_message_id(receiver, msg.random, now))
                sends[receiver] = self._writer.submit(
                    one, keys[receiver], origin=None, sync_sender=sync_sender,
                    hide_for_sender=not sync_sender)
        results = await asyncio.gather(*sends.values(), return_exceptions=True)
        for receiver, result in zip(sends, results, strict=True):
            if isinstance(result, IMError):
                errors[receiver] = result
            elif isinstance(result, BaseException):
                raise result
        return BatchSent(now, errors)

    async def send_group_rest(self, msg: Message) -> MessageAck:
        """``group_open_http_svc/send_group_msg``: as ``send`` for a group message, from a
        member allowed to send there (the admin is no member and is refused, 10007)."""
        return await (await self.send(msg.sender, msg, None))

    async def import_group_message(self, msg: Message, time_ms: int) -> MessageAck:
        """``import_group_msg``: a member's message from another system, at its own time,
        pushed to nobody, not unread, and outside the send rate (history, not traffic)."""
        msg = msgspec.structs.replace(self._checked(msg.sender, msg), exclude_unread=True)
        async with self._db.read() as conn:
            if not await is_member(conn, msg.sender, msg.group_id):
                raise IMError(ErrorCode.NOT_GROUP_MEMBER,
                              f"{msg.sender!r} is not a member of {msg.group_id!r}")
        return await self._writer.submit(msg, group_key(msg.group_id), origin=None,
                                         time=time_ms, push=False)

    async def import_message(self, msg: Message, time_ms: int, *, counts_unread: bool
                             ) -> MessageAck:
        """History from another system (``openim/importmsg``): stored at its own time, pushed to
        nobody, and left out of unread unless ``counts_unread`` (Tencent's SyncFromOldSystem 1).

        Nothing is delivered live, so clients learn of it at their next sync; seqs follow arrival,
        so import each conversation oldest first. ``msg.msg_id`` should be derived from
        (receiver, random, time) so that importing the same message twice stores it once.
        """
        msg = msgspec.structs.replace(self._checked(msg.sender, msg),
                                      exclude_unread=not counts_unread)
        async with self._db.read() as conn:
            if not await accounts_store.existing(conn, [msg.sender]):
                raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"no account {msg.sender!r}")
        return await self._writer.submit(msg, c2c_key(msg.sender, msg.receiver), origin=None,
                                         time=time_ms, push=False)

    # --- read back -------------------------------------------------------------------------

    async def pull(self, user_id: str, req: PullReq) -> PulledMessages:
        """Every seq of each range in order, cut at ``limit`` messages or at the answer byte
        budget, whichever comes first; ``more`` says it was cut."""
        if not 1 <= req.limit <= self._limits.pull_batch_max:
            raise IMError(ErrorCode.INVALID_BODY,
                          f"limit: expected 1–{self._limits.pull_batch_max}")
        if not 1 <= len(req.ranges) <= self._limits.pull_ranges_max:
            raise IMError(ErrorCode.INVALID_BODY,
                          f"ranges: expected 1–{self._limits.pull_ranges_max}")
        if any(r.after_seq < 0 or r.until_seq < 0 for r in req.ranges):
            raise IMError(ErrorCode.INVALID_BODY, "ranges: seqs cannot be negative")
        targets = [resolve(r.conv_id, user_id)[0] for r in req.ranges]
        remaining = req.limit
        budget = PageBudget(self._limits.answer_bytes)
        out: list[msgspec.Raw] = []
        async with self._db.read() as conn:
            for r, conv_key in zip(req.ranges, targets, strict=True):
                row = await conv_store.row(conn, user_id, conv_key)
                if row is None or not await _may_read(conn, user_id, conv_key):
                    continue
                upper = min(r.until_seq or row.max_seq, row.max_seq)
                after = r.after_seq
                while after < upper:
                    if remaining == 0:
                        return PulledMessages(out, True)
                    rows = await msg_store.seq_range(conn, user_id, conv_key, after, upper,
                                                     min(remaining, PULL_CHUNK_ROWS))
                    if not rows:
                        break
                    for item in _listed(rows, row.conv_type, row.min_seq):
                        if not budget.take(len(item)):
                            return PulledMessages(out, True)
                        out.append(item)
                    remaining -= len(rows)
                    after = rows[-1].seq
        return PulledMessages(out, False)

    async def history(self, user_id: str, req: HistoryReq) -> HistoryPage:
        """Newest first, cut at ``limit`` or at the answer byte budget; a page cut by the budget
        is never finished, though it holds fewer messages than asked."""
        if not 1 <= req.limit <= self._limits.history_page_max:
            raise IMError(ErrorCode.INVALID_BODY,
                          f"limit: expected 1–{self._limits.history_page_max}")
        if req.before_seq < 0:
            raise IMError(ErrorCode.INVALID_BODY, "before_seq cannot be negative")
        conv_key, _ = resolve(req.conv_id, user_id)
        async with self._db.read() as conn:
            row = await conv_store.row(conn, user_id, conv_key)
            if row is None or not await _may_read(conn, user_id, conv_key):
                return HistoryPage([], True)
            before = min(req.before_seq or row.max_seq + 1, row.max_seq + 1)
            rows = await msg_store.page_before(conn, user_id, conv_key, before, row.min_seq,
                                               req.limit)
        budget = PageBudget(self._limits.answer_bytes)
        page: list[msgspec.Raw] = []
        for item in _listed(rows, row.conv_type, row.min_seq):
            if not budget.take(len(item)):
                return HistoryPage(page, False)
            page.append(item)
        finished = len(rows) < req.limit or rows[-1].seq <= row.min_seq
        return HistoryPage(page, finished)

    async def roaming(self, operator: str, peer: str, min_ms: int, max_ms: int,
                      before_seq: int | None, limit: int) -> tuple[list[Message], bool]:
        """The operator's view of the pair's messages in a time range, newest first, and whether
        that was the last page (``admin_getroammsg``)."""
        conv_key = c2c_key(operator, peer)
        async with self._db.read() as conn:
            row = await conv_store.row(conn, operator, conv_key)
            if row is None:
                return [], True
            rows = await msg_store.visible_in_time_range(
                conn, operator, conv_key, row.min_seq, min_ms, max_ms, before_seq, limit + 1)
        return [_message_decoder.decode(r.body) for r in rows[:limit]], len(rows) <= limit

    async def group_log(self, group_id: str, before_seq: int | None, limit: int,
                        ) -> tuple[list[Message], bool]:
        """The group's stored messages below ``before_seq`` (all when None), newest first, and
        whether nothing older is left (``group_msg_get_simple``): the admin reads the log as
        it is, revoked messages in their revoked form."""
        async with self._db.read() as conn:
            group = await groups_store.get(conn, group_id)
            if group is None or group.dismissed:
                raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
            if group.group_type == GroupType.AVCHATROOM:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED, "an AVChatRoom stores nothing")
            rows = await msg_store.page_before(conn, "", group_key(group_id),
                                               before_seq or 2**62, 1, limit + 1)
        return [_message_decoder.decode(r.body) for r in rows[:limit]], len(rows) <= limit

    async def sent_by(self, group_id: str, sender: str) -> list[int]:
        """Seqs of the group's messages from ``sender`` not revoked yet, oldest first."""
        async with self._db.read() as conn:
            return await msg_store.seqs_from(conn, group_key(group_id), sender)

    # --- per-user changes ------------------------------------------------------------------

    async def read(self, user_id: str, conv_id: str, seq: int, origin: str | None) -> ReadResp:
        """Move the read position forward to ``seq`` (M7), clamped to the newest message; in
        C2C it becomes the peer's ``peer_read_seq`` and a receipt naming the clamped seq is
        pushed to the peer's sessions. ``conv.changed`` goes to the reader's sessions other
        than ``origin`` (all of them when the admin API marked it)."""
        if seq < 1:
            raise IMError(ErrorCode.INVALID_BODY,
                          "seq: the newest message this device has shown, at least 1")
        conv_key, peer = resolve(conv_id, user_id)
        async with self._db.write() as conn:
            row = await conv_store.row(conn, user_id, conv_key)
            if row is None:
                return ReadResp(0, 0, 0)
            target = min(seq, row.max_seq)
            if target <= row.read_seq:
                return ReadResp(row.read_seq, await conv_store.unread(
                    conn, user_id, conv_key, row.read_seq, row.min_seq, row.max_seq),
                    row.max_seq)
            version = await accounts_store.next_version(conn, user_id)
            await conv_store.update_row(conn, user_id, conv_key, read_seq=target,
                                        version=version)
            if peer and peer != user_id and await conv_store.raise_peer_read(
                    conn, peer, conv_key, target):
                peer_version = await accounts_store.next_version(conn, peer)
                await conv_store.update_row(conn, peer, conv_key, version=peer_version)
            (state,) = await load_states(conn, user_id, [conv_key])
        self._conversations.publish_changed(user_id, version, [state], origin)
        if peer and peer != user_id:
            receipt = ReceiptPush(c2c_conversation_id(user_id), user_id, target, now_ms())
            self._bus.publish([peer], encode_push(PushName.MSG_RECEIPT, receipt))
        return ReadResp(target, state.unread, state.max_seq)

    async def set_unread(self, group_id: str, user_id: str, count: int) -> None:
        """``set_unread_msg_num``: put a member's read position where ``count`` messages that
        count are above it — back as well as forward, the one way a read position moves back,
        so the state carries the reset's version for devices to take it over their own."""
        if count < 0:
            raise IMError(ErrorCode.INVALID_BODY, "the unread count cannot be negative")
        conv_key = group_key(group_id)
        async with self._db.write() as conn:
            group = await groups_store.get(conn, group_id)
            if group is None or group.dismissed:
                raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
            if group.group_type == GroupType.AVCHATROOM:
                raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED, "an AVChatRoom has no unread")
            row = await conv_store.row(conn, user_id, conv_key)
            if row is None or await groups_store.member(conn, group_id, user_id) is None:
                raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{user_id} is not in {group_id}")
            seq = row.max_seq
            if count:
                nth = await conv_store.counted_seq(conn, user_id, conv_key, row.min_seq, count)
                seq = row.min_seq - 1 if nth is None else nth - 1
            version = await accounts_store.next_version(conn, user_id)
            await conv_store.reset_read(conn, user_id, conv_key, max(seq, 0), version)
            (state,) = await load_states(conn, user_id, [conv_key])
        self._conversations.publish_changed(user_id, version, [state], None)

    async def read_until(self, user_id: str, peer: str, until_ms: int | None) -> None:
        """``openim/admin_set_msg_read``: mark the C2C conversation with ``peer`` read for
        ``user_id`` up to ``until_ms`` (None: everything), as ``msg.read`` from no session does
        — receipt to the peer, ``conv.changed`` to every session of the user.

        The read position is a seq, and seqs need not follow times (imports bring older times
        later), so the position stops below the first message newer than ``until_ms``: nothing
        newer than the time given is ever marked read, though an older one after it may stay
        unread.
        """
        async with self._db.read() as conn:
            missing = {user_id, peer} - await accounts_store.existing(conn, [user_id, peer])
            if missing:
                raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"no account {min(missing)!r}")
            conv_key = c2c_key(user_id, peer)
            row = await conv_store.row(conn, user_id, conv_key)
            if row is None or row.max_seq == 0:
                return
            seq = row.max_seq
            if until_ms is not None:
                newer = await msg_store.first_seq_after(conn, conv_key, until_ms)
                seq = row.max_seq if newer is None else newer - 1
        if seq >= 1:
            await self.read(user_id, c2c_conversation_id(peer), seq, None)

    async def delete(self, user_id: str, conv_id: str, seqs: list[int], origin: str,
                     ) -> ConversationState:
        """Delete messages for this user only (M6); others keep them. Returns the state after
        it (unread no longer counts them), which the deleting device takes as the service's
        word: the push goes only to the user's other devices."""
        most = self._limits.delete_batch_max
        if not 1 <= len(seqs) <= most:
            raise IMError(ErrorCode.INVALID_BODY, f"seqs: 1–{most} per call")
        conv_key, _ = resolve(conv_id, user_id)
        async with self._db.write() as conn:
            row = await conv_store.row(conn, user_id, conv_key)
            max_seq = row.max_seq if row is not None else 0
            missing = [s for s in seqs if not 1 <= s <= max_seq]
            if row is None or missing:
                raise IMError(ErrorCode.MESSAGE_NOT_FOUND,
                              f"no message with seq {missing[0] if missing else seqs[0]}")
            hidden = sorted(s for s in set(seqs) if s >= row.min_seq)
            version = await accounts_store.next_version(conn, user_id)
            await conv_store.hide(conn, [(user_id, conv_key, s) for s in hidden], version)
            await conv_store.update_row(conn, user_id, conv_key, version=version)
            (state,) = await load_states(conn, user_id, [conv_key])
        state.hidden = hidden
        self._conversations.publish_changed(user_id, version, [state], origin)
        return state
