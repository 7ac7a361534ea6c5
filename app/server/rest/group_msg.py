"""Tencent's group message commands for the App admin, ``/v4/group_open_http_svc/*``: send and
import into a group, read its log, recall, clear a sender's messages, a custom system notice,
and how many members are online.

Imported messages keep their ``SendTime``, are pushed to nobody and skip the send rate
(history, not traffic); import oldest first, as seqs follow arrival. The admin recalls any
message but a tip at any age, as the API's identifier (``revoker``); members are told as for a
member's recall. ``delete_group_msg_by_sender`` recalls every message of the sender rather
than dropping rows: a log's seqs never disappear (clients would see holes), and a recalled
message keeps no content, stops counting as unread and is gone from every device, which is
what the command is for (cleaning up after a spammer).
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.ids import ConvType
from app.protocol.messages import Message
from app.server.clock import now_ms
from app.server.container import Services
from app.server.media import tim
from app.server.services.presence import Status

from .envelope import field, ok
from .fields import SEQ_MAX, UINT32_MAX, integer, user_id
from .group_svc import group_id_of

_BAD: Final = ErrorCode.GROUP_INVALID_PARAMETER
IMPORT_MAX: Final = 20
"""Messages per ``import_group_msg`` (Tencent's limit)."""
SIMPLE_MAX: Final = 20
"""Messages per ``group_msg_get_simple`` page (Tencent's limit)."""
RECALL_MAX: Final = 100
NOTICE_MEMBERS_MAX: Final = 500


async def _group_message(services: Services, body: dict[str, Any], group_id: str,
                         msg_id: str) -> Message:
    return Message(
        msg_id=msg_id, conv_type=ConvType.GROUP, group_id=group_id,
        sender=user_id(body, "From_Account", services.config.admin),
        elems=await tim.elems_from_tim(services.db, body.get("MsgBody")),
        cloud_custom_data=field(body, "CloudCustomData", str, _BAD, ""),
        random=integer(body, "Random", 0, UINT32_MAX, default=0))


async def send_group_msg(services: Services, body: dict[str, Any]) -> Response:
    """A message into the group as ``From_Account`` (a member), or as the admin."""
    group_id = group_id_of(body)
    random = integer(body, "Random", 0, UINT32_MAX, default=0)
    msg = await _group_message(services, body, group_id,
                               f"rest-group-{group_id}-{random}-{now_ms()}")
    ack = await services.messaging.send_group_rest(msg)
    return ok(MsgTime=ack.time // 1000, MsgSeq=ack.seq)


async def import_group_msg(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    items = field(body, "MsgList", list, _BAD)
    if not 1 <= len(items) <= IMPORT_MAX:
        raise IMError(_BAD, f"MsgList: 1–{IMPORT_MAX} messages")
    results = []
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, "MsgList: each item is a message object")
        sent = field(item, "SendTime", int, _BAD)
        if not 0 < sent <= now_ms() // 1000:
            raise IMError(_BAD, "SendTime: seconds since the epoch, not in the future")
        random = integer(item, "Random", 0, UINT32_MAX, default=0)
        sender = user_id(item, "From_Account")
        msg = await _group_message(services, item, group_id,
                                   f"import-group-{group_id}-{sender}-{random}-{sent}")
        ack = await services.messaging.import_group_message(msg, sent * 1000)
        results.append({"MsgTime": sent, "MsgSeq": ack.seq, "Result": 0})
    return ok(ImportMsgResult=results)


async def group_msg_get_simple(services: Services, body: dict[str, Any]) -> Response:
    """The log newest first from ``ReqMsgSeq`` down (the newest when absent); ``IsFinished``
    is 1 once the oldest message is in the answer."""
    group_id = group_id_of(body)
    count = integer(body, "ReqMsgNumber", 1, SIMPLE_MAX, code=_BAD)
    top = integer(body, "ReqMsgSeq", 0, UINT32_MAX, default=0, code=_BAD)
    messages, finished = await services.messaging.group_log(
        group_id, top + 1 if top else None, count)
    return ok(GroupId=group_id, IsFinished=int(finished), RspMsgList=[{
        "From_Account": m.sender, "IsPlaceMsg": int(m.revoked), "MsgBody":
        tim.tim_from_elems(m.elems), "MsgPriority": m.priority, "MsgRandom": m.random,
        "MsgSeq": m.seq, "MsgTimeStamp": m.time // 1000,
        **({"CloudCustomData": m.cloud_custom_data} if m.cloud_custom_data else {}),
    } for m in messages])


async def _recall_each(services: Services, group_id: str, seqs: list[int]
                       ) -> list[dict[str, int]]:
    results = []
    for seq in seqs:
        try:
            await services.revocations.revoke_in_group(group_id, seq, services.config.admin)
            code = 0
        except IMError as error:
            code = int(error.code)
        results.append({"MsgSeq": seq, "RetCode": code})
    return results


async def group_msg_recall(services: Services, body: dict[str, Any]) -> Response:
    """Each seq of ``MsgSeqList`` recalled, or its ``RetCode`` (20022 none, 20023 recalled
    already, 20031 a tip); 10010 for a group that does not exist."""
    group_id = group_id_of(body)
    items = field(body, "MsgSeqList", list, _BAD)
    if not 1 <= len(items) <= RECALL_MAX or not all(
            isinstance(i, dict) and isinstance(i.get("MsgSeq"), int) for i in items):
        raise IMError(_BAD, f'MsgSeqList: 1–{RECALL_MAX} items {{"MsgSeq": n}}')
    await services.groups.member_ids(group_id)  # 10010 before any item
    seqs = list(dict.fromkeys(int(i["MsgSeq"]) for i in items))
    return ok(RecallRetList=await _recall_each(services, group_id, seqs))


async def modify_group_msg(services: Services, body: dict[str, Any]) -> Response:
    """Overwrite the MsgBody and/or CloudCustomData of the message at MsgSeq (Tencent files it
    under ``openim``): 20026 when there is none, 20023 when it was recalled; every member who
    can see it is told."""
    group_id = group_id_of(body)
    seq = integer(body, "MsgSeq", 1, SEQ_MAX)
    if body.get("MsgBody") is None and "CloudCustomData" not in body:
        raise IMError(_BAD, "MsgBody or CloudCustomData: give what to change")
    elems = (None if body.get("MsgBody") is None
             else await tim.elems_from_tim(services.db, body.get("MsgBody")))
    data = field(body, "CloudCustomData", str, _BAD, "") if "CloudCustomData" in body else None
    await services.groups.member_ids(group_id)  # 10010 for a group that does not exist
    await services.modifications.modify_in_group(group_id, seq, elems, data)
    return ok()


async def set_unread_msg_num(services: Services, body: dict[str, Any]) -> Response:
    """The member's unread count in the group set to ``UnreadMsgNum``: every device of theirs
    shows it, even one that had read further."""
    group_id = group_id_of(body)
    member = user_id(body, "Member_Account")
    count = integer(body, "UnreadMsgNum", 0, UINT32_MAX, code=_BAD)
    await services.messaging.set_unread(group_id, member, count)
    return ok()


async def delete_group_msg_by_sender(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    sender = user_id(body, "Sender_Account")
    await services.groups.member_ids(group_id)  # 10010 for no such group
    results = await _recall_each(services, group_id,
                                 await services.messaging.sent_by(group_id, sender))
    failed = [r for r in results if r["RetCode"] not in (0, ErrorCode.ALREADY_REVOKED)]
    if failed:
        raise IMError(ErrorCode(failed[0]["RetCode"]),
                      f"{len(failed)} of {sender}'s messages could not be deleted")
    return ok()


async def send_group_system_notification(services: Services, body: dict[str, Any]
                                         ) -> Response:
    group_id = group_id_of(body)
    to = field(body, "ToMembers_Account", list, _BAD, [])
    if len(to) > NOTICE_MEMBERS_MAX or not all(isinstance(u, str) and u for u in to):
        raise IMError(_BAD, f"ToMembers_Account: at most {NOTICE_MEMBERS_MAX} user IDs")
    await services.groups.system_notice(group_id, list(dict.fromkeys(to)),
                                        field(body, "Content", str, _BAD))
    return ok()


async def get_online_member_num(services: Services, body: dict[str, Any]) -> Response:
    """Members with a session connected now, on any node (from the database's presence)."""
    group_id = group_id_of(body)
    members = await services.groups.member_ids(group_id)
    statuses = await services.presence.statuses(members)
    return ok(OnlineMemberNum=sum(1 for p in statuses.values() if p.status == Status.ONLINE))
