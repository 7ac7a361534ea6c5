"""The admin REST API (OPS2) in the shape of Tencent's server API:
``POST /v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json``.

Field names, item lists and per-item ``ResultCode`` follow Tencent's documentation so existing
integrations can point at this service; times in bodies are seconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.protocol import ErrorCode, IMError, OfflinePushInfo
from app.protocol.ids import ConvType, is_valid_user_id
from app.protocol.messages import Message
from app.server.clock import now_ms
from app.server.container import Services
from app.server.services.messaging import REST_DEDUP_WINDOW_MS

from .envelope import api, field, json_object, ok, refusal, services_of, verify_admin
from .msgbody import elems_from_tim, tim_from_elems

ITEMS_MAX = 100
ROAM_PAGE_MAX = 100
RANDOM_MAX = 2**32 - 1
_BAD = ErrorCode.INVALID_PARAMETER

Command = Callable[[Services, dict[str, Any]], Awaitable[Response]]


def _user_id(body: dict[str, Any], name: str, default: str | None = None) -> str:
    user_id = field(body, name, str, _BAD, default)
    if not is_valid_user_id(user_id):
        raise IMError(_BAD, f"{name}: invalid UserID {user_id!r}: use 1–32 bytes of letters, "
                      "digits, '_' and '-'")
    return user_id


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    """A field that, when absent, leaves the stored value as it is."""
    return None if body.get(name) is None else field(body, name, str, _BAD)


def _items(body: dict[str, Any], name: str) -> list[str]:
    items = field(body, name, list, _BAD)
    if not 1 <= len(items) <= ITEMS_MAX:
        raise IMError(_BAD, f"{name}: 1–{ITEMS_MAX} items")
    return [field(item, "UserID", str, _BAD) if isinstance(item, dict) else "" for item in items]


def _msg_key(seq: int, random: int, time_ms: int) -> str:
    return f"{seq}_{random}_{time_ms // 1000}"


# --- im_open_login_svc ---------------------------------------------------------------------

async def account_import(services: Services, body: dict[str, Any]) -> Response:
    user_id = field(body, "UserID", str, _BAD)
    await services.accounts.import_account(
        user_id, _optional_str(body, "Nick"), _optional_str(body, "FaceUrl"))
    return ok()


async def account_check(services: Services, body: dict[str, Any]) -> Response:
    user_ids = _items(body, "CheckItem")
    found = await services.accounts.existing(user_ids)
    return ok(ResultItem=[{"UserID": u, "ResultCode": 0, "ResultInfo": "",
                           "AccountStatus": "Imported" if u in found else "NotImported"}
                          for u in user_ids])


async def account_delete(services: Services, body: dict[str, Any]) -> Response:
    results = []
    for user_id in _items(body, "DeleteItem"):
        if is_valid_user_id(user_id) and await services.accounts.delete(user_id):
            results.append({"UserID": user_id, "ResultCode": 0, "ResultInfo": ""})
        else:
            results.append({"UserID": user_id, "ResultCode": int(ErrorCode.ACCOUNT_NOT_FOUND),
                            "ResultInfo": ErrorCode.ACCOUNT_NOT_FOUND.message})
    return ok(ResultItem=results)


async def kick(services: Services, body: dict[str, Any]) -> Response:
    await services.devices.kick_all(_user_id(body, "UserID"))
    return ok()


# --- openim --------------------------------------------------------------------------------

def _push_info(body: dict[str, Any]) -> OfflinePushInfo | None:
    info = field(body, "OfflinePushInfo", dict, _BAD, {})
    if not info:
        return None
    apns = info.get("ApnsInfo") if isinstance(info.get("ApnsInfo"), dict) else {}
    android = info.get("AndroidInfo") if isinstance(info.get("AndroidInfo"), dict) else {}
    return OfflinePushInfo(
        title=field(info, "Title", str, _BAD, ""), desc=field(info, "Desc", str, _BAD, ""),
        ext=field(info, "Ext", str, _BAD, ""), disable=info.get("PushFlag") == 1,
        sound=str(apns.get("Sound") or android.get("Sound") or ""),
        ignore_badge=apns.get("BadgeMode") == 1)


async def sendmsg(services: Services, body: dict[str, Any]) -> Response:
    sync = field(body, "SyncOtherMachine", int, _BAD, 1)
    if sync not in (1, 2):
        raise IMError(_BAD, "SyncOtherMachine: 1 (sync to the sender) or 2 (do not)")
    sender = _user_id(body, "From_Account", services.config.admin)
    receiver = _user_id(body, "To_Account")
    random = field(body, "MsgRandom", int, _BAD)
    if not 0 <= random <= RANDOM_MAX:
        raise IMError(_BAD, "MsgRandom: a 32-bit unsigned integer")
    # Same (receiver, random) in the same five-minute bucket → same msg_id, so concurrent
    # duplicates meet in the writer's dedup; the service looks back five minutes for the rest.
    bucket = now_ms() // REST_DEDUP_WINDOW_MS
    msg = Message(
        msg_id=f"rest-{receiver}-{random}-{bucket}", conv_type=ConvType.C2C, sender=sender,
        receiver=receiver, elems=elems_from_tim(body.get("MsgBody")),
        cloud_custom_data=field(body, "CloudCustomData", str, _BAD, ""),
        push=_push_info(body), random=random)
    ack = await services.messaging.send_rest(msg, sync_sender=sync == 1)
    return ok(MsgTime=ack.time // 1000, MsgKey=_msg_key(ack.seq, random, ack.time),
              MsgSeq=ack.seq)


async def importmsg(services: Services, body: dict[str, Any]) -> Response:
    """Tencent's ``openim/importmsg``: bring history over from another system at its original
    time, without pushing it; importing the same (From, To, MsgRandom, MsgTimeStamp) again is a
    no-op."""
    mode = field(body, "SyncFromOldSystem", int, _BAD)
    if mode not in (1, 2):
        raise IMError(_BAD, "SyncFromOldSystem: 1 (counts as unread) or 2 (history, does not)")
    sender = _user_id(body, "From_Account")
    receiver = _user_id(body, "To_Account")
    random = field(body, "MsgRandom", int, _BAD)
    if not 0 <= random <= RANDOM_MAX:
        raise IMError(_BAD, "MsgRandom: a 32-bit unsigned integer")
    timestamp = field(body, "MsgTimeStamp", int, _BAD)
    if not 0 < timestamp <= now_ms() // 1000:
        raise IMError(_BAD, "MsgTimeStamp: seconds since the epoch, not in the future")
    msg = Message(
        msg_id=f"import-{receiver}-{random}-{timestamp}", conv_type=ConvType.C2C, sender=sender,
        receiver=receiver, elems=elems_from_tim(body.get("MsgBody")),
        cloud_custom_data=field(body, "CloudCustomData", str, _BAD, ""), random=random)
    await services.messaging.import_message(msg, timestamp * 1000, counts_unread=mode == 1)
    return ok()


async def admin_getroammsg(services: Services, body: dict[str, Any]) -> Response:
    operator = _user_id(body, "Operator_Account")
    peer = _user_id(body, "Peer_Account")
    max_cnt = field(body, "MaxCnt", int, _BAD)
    if not 1 <= max_cnt <= ROAM_PAGE_MAX:
        raise IMError(_BAD, f"MaxCnt: 1–{ROAM_PAGE_MAX}")
    min_time = field(body, "MinTime", int, _BAD)
    max_time = field(body, "MaxTime", int, _BAD)
    before_seq = None
    last_key = field(body, "LastMsgKey", str, _BAD, "")
    if last_key:
        try:
            before_seq = int(last_key.split("_", 1)[0])
        except ValueError:
            raise IMError(_BAD, "LastMsgKey: pass the value of a previous reply") from None
    messages, complete = await services.messaging.roaming(
        operator, peer, min_time * 1000, max_time * 1000 + 999, before_seq, max_cnt)
    items = [{
        "From_Account": m.sender, "To_Account": m.receiver, "MsgSeq": m.seq,
        "MsgRandom": m.random, "MsgTimeStamp": m.time // 1000,
        "MsgKey": _msg_key(m.seq, m.random, m.time), "MsgBody": tim_from_elems(m.elems),
        **({"CloudCustomData": m.cloud_custom_data} if m.cloud_custom_data else {}),
    } for m in messages]
    return ok(Complete=int(complete), MsgCnt=len(items),
              LastMsgTime=items[-1]["MsgTimeStamp"] if items else 0,
              LastMsgKey=items[-1]["MsgKey"] if items else "", MsgList=items)


COMMANDS: dict[tuple[str, str], Command] = {
    ("im_open_login_svc", "account_import"): account_import,
    ("im_open_login_svc", "account_check"): account_check,
    ("im_open_login_svc", "account_delete"): account_delete,
    ("im_open_login_svc", "kick"): kick,
    ("openim", "sendmsg"): sendmsg,
    ("openim", "importmsg"): importmsg,
    ("openim", "admin_getroammsg"): admin_getroammsg,
}


@api
async def endpoint(request: Request) -> Response:
    command = COMMANDS.get((request.path_params["service"], request.path_params["command"]))
    if command is None:
        return refusal(IMError(ErrorCode.UNKNOWN_API, f"unknown API {request.url.path}"), 404)
    services = services_of(request)
    verify_admin(request, services.config)
    return await command(services, await json_object(request))
