"""Tencent's relationship service for friends, ``/v4/sns/friend_*``, in its shapes: the admin
adds (by the target's allow type, or forced with ``ForceAddFlags`` 1), imports, updates,
deletes, checks and reads friend records for any account. Item lists answer per item with
``ResultItem``/``ResultCode`` and ``Fail_Account``, as Tencent's do; a malformed request is
30001 with the field named. The rules and events are the WebSocket's (``friends``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.friends import Friend, FriendAddReq, FriendResult, FriendSetInfoReq, Relation
from app.server.container import Services
from app.server.friends import fields as checks
from app.server.friends.records import NewRecord
from app.server.store.profiles import encode_custom

from .envelope import field, ok
from .fields import integer, strings, user_id

BAD: Final = ErrorCode.FRIEND_INVALID_PARAMETER
ITEMS_MAX: Final = 100
GET_PAGE: Final = 100
SNS_CUSTOM: Final = "Tag_SNS_Custom_"
ADD_TYPES: Final = {"Add_Type_Single": False, "Add_Type_Both": True}
DELETE_TYPES: Final = {"Delete_Type_Single": 1, "Delete_Type_Both": 2}
CHECK_TYPES: Final = {"CheckResult_Type_Single": 1, "CheckResult_Type_Both": 2}
RELATIONS: Final = {Relation.NONE: "CheckResult_Type_NoRelation",
                    Relation.IN_MY_LIST: "CheckResult_Type_AWithB",
                    Relation.IN_OTHER_LIST: "CheckResult_Type_BWithA",
                    Relation.BOTH_WAY: "CheckResult_Type_BothWay"}


def choice(body: dict[str, Any], name: str, options: dict[str, Any], default: str) -> Any:
    value = field(body, name, str, BAD, default)
    if value not in options:
        raise IMError(BAD, f"{name}: one of {', '.join(options)}")
    return options[value]


def accounts(body: dict[str, Any], name: str = "To_Account", most: int = ITEMS_MAX) -> list[str]:
    return list(dict.fromkeys(strings(body, name, most, code=BAD)))


def items(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    listed = field(body, name, list, BAD)
    if not 1 <= len(listed) <= ITEMS_MAX or not all(isinstance(i, dict) for i in listed):
        raise IMError(BAD, f"{name}: 1–{ITEMS_MAX} objects")
    return listed


def answered(results: list[FriendResult], **extra: Any) -> Response:
    return ok(ResultItem=[{"To_Account": r.user_id, "ResultCode": r.result_code,
                           "ResultInfo": r.result_info} for r in results],
              Fail_Account=[r.user_id for r in results if r.result_code], **extra)


async def each(targets: list[tuple[str, Callable[[], Awaitable[FriendResult]]]]
               ) -> list[FriendResult]:
    """Run one item after the other; a refusal fails its item alone."""
    out = []
    for target, run in targets:
        try:
            out.append(await run())
        except IMError as error:
            out.append(FriendResult(target, int(error.code), error.detail))
    return out


def custom_items(item: dict[str, Any]) -> dict[str, Any]:
    custom: dict[str, Any] = {}
    for entry in field(item, "CustomItem", list, BAD, []):
        tag = entry.get("Tag") if isinstance(entry, dict) else None
        if not isinstance(tag, str) or not tag.startswith(SNS_CUSTOM):
            raise IMError(BAD, f"CustomItem: each is {{\"Tag\": \"{SNS_CUSTOM}…\", \"Value\"}}")
        custom[tag[len(SNS_CUSTOM):]] = entry.get("Value")
    return custom


async def friend_add(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    both = choice(body, "AddType", ADD_TYPES, "Add_Type_Both")
    force = integer(body, "ForceAddFlags", 0, 1, default=0, code=BAD)
    friends = services.friends.relationships
    targets = []
    for item in items(body, "AddFriendItem"):
        target = field(item, "To_Account", str, BAD)
        req = FriendAddReq(target, 2 if both else 1, field(item, "Remark", str, BAD, ""),
                           field(item, "GroupName", str, BAD, ""),
                           field(item, "AddWording", str, BAD, ""),
                           field(item, "AddSource", str, BAD, ""))
        if force:
            record = NewRecord(req.remark, req.group_name, req.add_source, req.add_wording)
            targets.append((target, lambda t=target, r=record: friends.import_friend(
                owner, t, r, both)))
        else:
            targets.append((target, lambda r=req: friends.add(owner, r)))
    return answered(await each(targets))


async def friend_import(services: Services, body: dict[str, Any]) -> Response:
    """Records brought from another system into ``From_Account``'s list, one way, asking
    nobody (``GroupName`` is a list; the first group is kept)."""
    owner = user_id(body, "From_Account", code=BAD)
    friends = services.friends.relationships
    limits = services.config.limits
    targets = []
    for item in items(body, "AddFriendItem"):
        target = field(item, "To_Account", str, BAD)
        groups = field(item, "GroupName", list, BAD, [])
        if not all(isinstance(g, str) for g in groups):
            raise IMError(BAD, "GroupName: a list of names")
        record = NewRecord(
            checks.remark(field(item, "Remark", str, BAD, ""), limits),
            checks.group_name(groups[0], limits) if groups else "",
            checks.add_source(field(item, "AddSource", str, BAD, ""), limits),
            checks.wording(field(item, "AddWording", str, BAD, ""), limits),
            encode_custom(checks.friend_custom(custom_items(item), {}, limits,
                                               services.config.friend_custom_fields)))
        targets.append((target, lambda t=target, r=record: friends.import_friend(
            owner, t, r, False)))
    return answered(await each(targets))


async def friend_update(services: Services, body: dict[str, Any]) -> Response:
    """``Tag_SNS_IM_Remark``, ``Tag_SNS_IM_Group`` (the friend groups to be in, exactly) and
    ``Tag_SNS_Custom_*`` of the records named."""
    owner = user_id(body, "From_Account", code=BAD)
    friends = services.friends.relationships
    targets = []
    for item in items(body, "UpdateItem"):
        target = field(item, "To_Account", str, BAD)
        remark: str | None = None
        groups: list[str] | None = None
        custom: dict[str, Any] = {}
        for entry in field(item, "SnsItem", list, BAD):
            tag = entry.get("Tag") if isinstance(entry, dict) else None
            if tag == "Tag_SNS_IM_Remark":
                remark = field(entry, "Value", str, BAD, "")
            elif tag == "Tag_SNS_IM_Group":
                groups = field(entry, "Value", list, BAD)
                if not all(isinstance(g, str) for g in groups):
                    raise IMError(BAD, "Tag_SNS_IM_Group: a list of friend group names")
            elif isinstance(tag, str) and tag.startswith(SNS_CUSTOM):
                custom[tag[len(SNS_CUSTOM):]] = entry.get("Value")
            else:
                raise IMError(BAD, "SnsItem: Tag_SNS_IM_Remark, Tag_SNS_IM_Group or "
                                   f"{SNS_CUSTOM}*, not {tag!r}")
        req = FriendSetInfoReq(target, remark, custom)

        async def update(r: FriendSetInfoReq = req, g: list[str] | None = groups
                         ) -> FriendResult:
            await friends.set_info(owner, r)
            if g is not None:
                await services.friends.groups.place(owner, r.user_id, g)
            return FriendResult(r.user_id)
        targets.append((target, update))
    return answered(await each(targets))


async def friend_delete(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    kind = choice(body, "DeleteType", DELETE_TYPES, "Delete_Type_Both")
    return answered(await services.friends.relationships.delete(owner, accounts(body), kind))


async def friend_delete_all(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    kind = choice(body, "DeleteType", DELETE_TYPES, "Delete_Type_Single")
    await services.friends.relationships.delete_all(owner, kind == 2)
    return ok()


async def friend_check(services: Services, body: dict[str, Any]) -> Response:
    owner = user_id(body, "From_Account", code=BAD)
    kind = choice(body, "CheckType", CHECK_TYPES, "CheckResult_Type_Both")
    checks = await services.friends.relationships.check(owner, accounts(body), kind)
    return ok(InfoItem=[{"To_Account": c.user_id, "Relation": RELATIONS[Relation(c.relation)],
                         "ResultCode": 0, "ResultInfo": ""} for c in checks],
              Fail_Account=[])


def sns_items(friend: Friend) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"Tag": "Tag_SNS_IM_Remark", "Value": friend.remark},
        {"Tag": "Tag_SNS_IM_Group", "Value": friend.group_names},
        {"Tag": "Tag_SNS_IM_AddSource", "Value": friend.add_source},
        {"Tag": "Tag_SNS_IM_AddWording", "Value": friend.add_wording},
        {"Tag": "Tag_SNS_IM_AddTime", "Value": friend.add_time // 1000}]
    out += [{"Tag": SNS_CUSTOM + k, "Value": v} for k, v in friend.custom.items()]
    return out


async def friend_get(services: Services, body: dict[str, Any]) -> Response:
    """A page of the list from ``StartIndex`` (ID order); ``NextStartIndex`` 0 and
    ``CompleteFlag`` 1 on the last."""
    owner = user_id(body, "From_Account", code=BAD)
    start = integer(body, "StartIndex", 0, services.config.limits.friends_max, default=0,
                    code=BAD)
    friends, total = await services.friends.relationships.page_at(owner, start, GET_PAGE)
    done = start + len(friends) >= total
    return ok(UserDataItem=[{"To_Account": f.user_id, "ValueItem": sns_items(f)}
                            for f in friends],
              StandardSequence=0, CustomSequence=0, FriendNum=total,
              NextStartIndex=0 if done else start + len(friends), CompleteFlag=int(done))


async def friend_get_list(services: Services, body: dict[str, Any]) -> Response:
    """The records of the friends named, with the SNS tags asked (all when ``TagList`` is
    absent); 31704 for one not in the list."""
    owner = user_id(body, "From_Account", code=BAD)
    wanted = set(field(body, "TagList", list, BAD, []))
    results = await services.friends.relationships.info(owner, accounts(body))
    out, failed = [], []
    for r in results:
        if r.result_code or not r.relation & Relation.IN_MY_LIST or r.friend is None:
            code = r.result_code or int(ErrorCode.NOT_A_FRIEND)
            out.append({"To_Account": r.user_id, "SnsProfileItem": [], "ResultCode": code,
                        "ResultInfo": r.result_info or ErrorCode.NOT_A_FRIEND.message})
            failed.append(r.user_id)
            continue
        tags = [t for t in sns_items(r.friend) if not wanted or t["Tag"] in wanted]
        out.append({"To_Account": r.user_id, "SnsProfileItem": tags, "ResultCode": 0,
                    "ResultInfo": ""})
    return ok(InfoItem=out, Fail_Account=failed)
