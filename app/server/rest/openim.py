"""Tencent's C2C message service, ``/v4/openim/*`` (its online-status commands are in
``presence``): send, batch send, import, roaming history, revoke, read and unread.

``MsgKey`` is ``<seq>_<random>_<time in seconds>``; a batch's is ``0_<random>_<time>``, since its
messages have a seq per receiver's log (see ``services.revocation``). Times in bodies are
seconds. ``MsgBody`` is read and answered by ``media.tim``: Tencent's media elements, the rest
through ``msgbody``.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
from starlette.responses import Response

from app.protocol import ErrorCode, IMError, OfflinePushInfo
from app.protocol.ids import ConvType
from app.protocol.messages import Message
from app.server.clock import now_ms
from app.server.container import Services
from app.server.media import tim
from app.server.services.messaging import rest_message_id
from app.server.services.revocation import MessageKey

from .envelope import field, ok
from .fields import BAD, SEQ_MAX, UINT32_MAX, failed, integer, strings, user_id

ROAM_PAGE_MAX: Final = 100
BATCH_MAX: Final = 500
UNREAD_PEERS_MAX: Final = 10
"""Peer_Account entries of one ``get_c2c_unread_msg_num`` (Tencent's limit)."""


def _msg_key(seq: int, random: int, time_ms: int) -> str:
    return f"{seq}_{random}_{time_ms // 1000}"


def _parse_msg_key(text: str, code: ErrorCode, name: str) -> MessageKey:
    parts = text.split("_")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise IMError(code, f"{name}: {text!r} is not a MsgKey (<seq>_<random>_<time>)")
    seq, random, time_s = map(int, parts)
    if seq > SEQ_MAX or random > UINT32_MAX or time_s > UINT32_MAX:
        raise IMError(code, f"{name}: {text!r} is out of range")
    return MessageKey(seq, random, time_s)


def _sync_other_machine(body: dict[str, Any]) -> bool:
    sync = field(body, "SyncOtherMachine", int, BAD, 1)
    if sync not in (1, 2):
        raise IMError(BAD, "SyncOtherMachine: 1 (sync to the sender) or 2 (do not)")
    return sync == 1


def _push_info(body: dict[str, Any]) -> OfflinePushInfo | None:
    info = field(body, "OfflinePushInfo", dict, BAD, {})
    if not info:
        return None
    apns = info.get("ApnsInfo") if isinstance(info.get("ApnsInfo"), dict) else {}
    android = info.get("AndroidInfo") if isinstance(info.get("AndroidInfo"), dict) else {}
    return OfflinePushInfo(
        title=field(info, "Title", str, BAD, ""), desc=field(info, "Desc", str, BAD, ""),
        ext=field(info, "Ext", str, BAD, ""), disable=info.get("PushFlag") == 1,
        sound=str(apns.get("Sound") or android.get("Sound") or ""),
        ignore_badge=apns.get("BadgeMode") == 1)


async def _outgoing(services: Services, body: dict[str, Any], receiver: str = "") -> Message:
    """The message a send composes; its ``msg_id`` is set per receiver (``rest_message_id``),
    and a batch's receivers are set by the service. Media naming content held here refers to
    it (``media.tim``)."""
    return Message(
        msg_id="rest", conv_type=ConvType.C2C,
        sender=user_id(body, "From_Account", services.config.admin), receiver=receiver,
        elems=await tim.elems_from_tim(services.db, body.get("MsgBody")),
        cloud_custom_data=field(body, "CloudCustomData", str, BAD, ""),
        push=_push_info(body), random=integer(body, "MsgRandom", 0, UINT32_MAX))


async def sendmsg(services: Services, body: dict[str, Any]) -> Response:
    sync = _sync_other_machine(body)
    receiver = user_id(body, "To_Account")
    msg = await _outgoing(services, body, receiver)
    msg = msgspec.structs.replace(msg, msg_id=rest_message_id(receiver, msg.random, now_ms()))
    ack = await services.messaging.send_rest(msg, sync_sender=sync)
    return ok(MsgTime=ack.time // 1000, MsgKey=_msg_key(ack.seq, msg.random, ack.time),
              MsgSeq=ack.seq)


async def batchsendmsg(services: Services, body: dict[str, Any]) -> Response:
    """One message to up to 500 receivers; ``ErrorList`` names each receiver that did not get
    it, with its code. A batch that reached nobody is a refusal (with the list)."""
    sync = _sync_other_machine(body)
    receivers = strings(body, "To_Account", BATCH_MAX)
    msg = await _outgoing(services, body)
    sent = await services.messaging.send_rest_batch(msg, receivers, sync_sender=sync)
    errors = [{"To_Account": r, "ErrorCode": int(sent.errors[r].code)}
              for r in dict.fromkeys(receivers) if r in sent.errors]
    if len(sent.errors) == len(set(receivers)):
        first = next(iter(sent.errors.values()))
        return failed(IMError(first.code, f"no receiver got the message: {first.detail}"),
                      ErrorList=errors)
    return ok(MsgKey=_msg_key(0, msg.random, sent.time), ErrorList=errors)


async def importmsg(services: Services, body: dict[str, Any]) -> Response:
    """History brought over from another system at its original time, without pushing it;
    importing the same (From, To, MsgRandom, MsgTimeStamp) again is a no-op."""
    mode = field(body, "SyncFromOldSystem", int, BAD)
    if mode not in (1, 2):
        raise IMError(BAD, "SyncFromOldSystem: 1 (counts as unread) or 2 (history, does not)")
    sender = user_id(body, "From_Account")
    receiver = user_id(body, "To_Account")
    random = integer(body, "MsgRandom", 0, UINT32_MAX)
    timestamp = field(body, "MsgTimeStamp", int, BAD)
    if not 0 < timestamp <= now_ms() // 1000:
        raise IMError(BAD, "MsgTimeStamp: seconds since the epoch, not in the future")
    msg = Message(
        msg_id=f"import-{receiver}-{random}-{timestamp}", conv_type=ConvType.C2C, sender=sender,
        receiver=receiver, elems=await tim.elems_from_tim(services.db, body.get("MsgBody")),
        cloud_custom_data=field(body, "CloudCustomData", str, BAD, ""), random=random)
    await services.messaging.import_message(msg, timestamp * 1000, counts_unread=mode == 1)
    return ok()


def _either(body: dict[str, Any], name: str, older: str) -> str:
    """Tencent renamed the pair's fields (From/To_Account → Operator/Peer_Account); either."""
    return user_id(body, name if body.get(name) is not None or body.get(older) is None
                   else older)


async def admin_getroammsg(services: Services, body: dict[str, Any]) -> Response:
    operator = _either(body, "Operator_Account", "From_Account")
    peer = _either(body, "Peer_Account", "To_Account")
    max_cnt = integer(body, "MaxCnt", 1, ROAM_PAGE_MAX)
    min_time = integer(body, "MinTime", 0, UINT32_MAX)
    max_time = integer(body, "MaxTime", 0, UINT32_MAX)
    if min_time > max_time:
        raise IMError(BAD, "MinTime: must not be after MaxTime")
    before_seq = None
    last_key = field(body, "LastMsgKey", str, BAD, "")
    if last_key:
        before_seq = _parse_msg_key(last_key, BAD, "LastMsgKey").seq
    messages, complete = await services.messaging.roaming(
        operator, peer, min_time * 1000, max_time * 1000 + 999, before_seq, max_cnt)
    items = [{
        "From_Account": m.sender, "To_Account": m.receiver, "MsgSeq": m.seq,
        "MsgRandom": m.random, "MsgTimeStamp": m.time // 1000,
        "MsgKey": _msg_key(m.seq, m.random, m.time), "MsgBody": tim.tim_from_elems(m.elems),
        **({"CloudCustomData": m.cloud_custom_data} if m.cloud_custom_data else {}),
    } for m in messages]
    return ok(Complete=int(complete), MsgCnt=len(items),
              LastMsgTime=items[-1]["MsgTimeStamp"] if items else 0,
              LastMsgKey=items[-1]["MsgKey"] if items else "", MsgList=items)


async def admin_msgwithdraw(services: Services, body: dict[str, Any]) -> Response:
    """Revoke a message: 90054 for a key that is not a MsgKey, 20022 when the pair has no such
    message, 20023 when it was revoked already."""
    sender = user_id(body, "From_Account")
    receiver = user_id(body, "To_Account")
    key = _parse_msg_key(field(body, "MsgKey", str, ErrorCode.INVALID_MSG_KEY),
                         ErrorCode.INVALID_MSG_KEY, "MsgKey")
    await services.revocations.revoke(sender, receiver, key)
    return ok()


async def _edit(services: Services, body: dict[str, Any], code: ErrorCode,
                ) -> tuple[list[Any] | None, str | None]:
    """An edit's ``MsgBody`` and ``CloudCustomData``, each None when absent; one at least."""
    elems = (None if body.get("MsgBody") is None
             else await tim.elems_from_tim(services.db, body.get("MsgBody")))
    data = field(body, "CloudCustomData", str, code, "") if "CloudCustomData" in body else None
    if elems is None and data is None:
        raise IMError(code, "MsgBody or CloudCustomData: give what to change")
    return elems, data


async def modify_c2c_msg(services: Services, body: dict[str, Any]) -> Response:
    """Overwrite the MsgBody and/or CloudCustomData of a message (``services.modification``):
    90054 for a key that is not a MsgKey, 20026 when the pair has no such message, 20023 when it
    was revoked. Both participants' sessions are told, and their devices that were away at
    their next sync."""
    sender = user_id(body, "From_Account")
    receiver = user_id(body, "To_Account")
    key = _parse_msg_key(field(body, "MsgKey", str, ErrorCode.INVALID_MSG_KEY),
                         ErrorCode.INVALID_MSG_KEY, "MsgKey")
    elems, data = await _edit(services, body, BAD)
    await services.modifications.modify_c2c(sender, receiver, key, elems, data)
    return ok()


async def admin_set_msg_read(services: Services, body: dict[str, Any]) -> Response:
    """Mark Report_Account's chat with Peer_Account read up to MsgReadTime (seconds; absent:
    everything), with the pushes a read on the WebSocket makes."""
    reader = user_id(body, "Report_Account")
    peer = user_id(body, "Peer_Account")
    read_time = body.get("MsgReadTime")
    until_ms = None
    if read_time is not None:
        until_ms = integer(body, "MsgReadTime", 0, UINT32_MAX) * 1000 + 999
    await services.messaging.read_until(reader, peer, until_ms)
    return ok()


async def get_c2c_unread_msg_num(services: Services, body: dict[str, Any]) -> Response:
    """To_Account's unread count in all and, for each Peer_Account, in the chat with them;
    peers that are not accounts are in ErrorList (70107)."""
    user = user_id(body, "To_Account")
    peers = (None if body.get("Peer_Account") is None
             else list(dict.fromkeys(strings(body, "Peer_Account", UNREAD_PEERS_MAX))))
    found = await services.accounts.existing([user, *(peers or [])])
    if user not in found:
        raise IMError(ErrorCode.ACCOUNT_NOT_FOUND, f"To_Account: no account {user!r}")
    known = [p for p in peers or [] if p in found]
    total, per_peer = await services.conversations.unread_counts(user, known)
    if peers is None:
        return ok(AllC2CUnreadMsgNum=total)
    return ok(AllC2CUnreadMsgNum=total,
              C2CUnreadMsgNumList=[{"Peer_Account": p, "C2CUnreadMsgNum": n}
                                   for p, n in per_peer.items()],
              ErrorList=[{"Peer_Account": p, "ErrorCode": int(ErrorCode.ACCOUNT_NOT_FOUND)}
                         for p in peers if p not in found])
