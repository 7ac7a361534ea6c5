"""Tencent's commands for the App admin to manage a group's profile and members,
``/v4/group_open_http_svc/*``: edit the profile, change a member's role, name card or mute,
mute several, list who is muted, ask roles, hand the group over; list the App's groups
(``get_appid_group_list``) and import members from an old system (``import_group_member``).

Each is the member API's operation with the admin's rights (``admin=True``), so the type's own
rules still hold — a Work group has no admins and no muting (10033) — and members hear the same
events and tips as when a member does it. Fields absent from a body are left as they are.
Mute times are Tencent's 32-bit seconds, 4294967295 meaning "for good"; a mute here lasts at
most ten years (``GroupService.mute``), so longer ones are cut to that.

``get_appid_group_list``'s ``Next`` is a position in the groups' creation order that holds as
groups come and go (``store.groups.app_groups``). ``import_group_member`` is history, not news:
members keep their ``JoinTime`` and role, the group's log gets no tip for them (the members are
still told, as for any entry), and ``UnreadMsgNum`` is not kept — unread counts here come from
the log, which holds nothing for imported members until messages are imported after them.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.groups import (
    GroupMember,
    GroupMembersReq,
    GroupRole,
    GroupSetInfoReq,
    GroupSetMemberReq,
)
from app.server.clock import now_ms
from app.server.container import Services

from .envelope import field, ok
from .fields import UINT32_MAX, integer, user_id
from .group_svc import JOIN, MEMBERS_MAX, ROLE_NAME, ROLES, TYPES, group_id_of

_BAD: Final = ErrorCode.GROUP_INVALID_PARAMETER
SWITCH: Final = {"On": True, "Off": False}
MUTE_MAX_S: Final = 10 * 365 * 86400
"""The longest mute ``GroupService.mute`` sets."""
APP_GROUPS_MAX: Final = 10000
"""Group IDs per ``get_appid_group_list`` page (Tencent's limit and default)."""


def _text(body: dict[str, Any], name: str) -> str | None:
    """An optional text field: None when the body leaves it out."""
    if body.get(name) is None:
        return None
    value: str = field(body, name, str, _BAD)
    return value


async def modify_group_base_info(services: Services, body: dict[str, Any]) -> Response:
    join = field(body, "ApplyJoinOption", str, _BAD, "")
    if join and join not in JOIN:
        raise IMError(_BAD, "ApplyJoinOption: FreeAccess, NeedPermission or DisableApply")
    mute_all = field(body, "ShutUpAllMember", str, _BAD, "")
    if mute_all and mute_all not in SWITCH:
        raise IMError(_BAD, "ShutUpAllMember: On or Off")
    capacity = (integer(body, "MaxMemberNum", 1, UINT32_MAX, code=_BAD)
                if "MaxMemberNum" in body else None)
    await services.groups.set_info(None, GroupSetInfoReq(
        group_id=group_id_of(body), name=_text(body, "Name"),
        introduction=_text(body, "Introduction"), notification=_text(body, "Notification"),
        face_url=_text(body, "FaceUrl"), join_option=JOIN[join] if join else None,
        all_muted=SWITCH[mute_all] if mute_all else None), admin=True, max_members=capacity)
    return ok()


async def modify_group_member_info(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    member = user_id(body, "Member_Account", code=_BAD)
    role = field(body, "Role", str, _BAD, "")
    if role and role not in ROLES:
        raise IMError(_BAD, "Role: Admin or Member")
    name_card = _text(body, "NameCard")
    mute = (_mute_seconds(body, "ShutUpTime") if body.get("ShutUpTime") is not None
            else None)
    if role:
        await services.groups.set_role(None, group_id, member, ROLES[role], admin=True)
    if name_card is not None:
        await services.groups.set_member(None, GroupSetMemberReq(
            group_id, member, name_card=name_card), admin=True)
    if mute is not None:
        await services.groups.mute(None, group_id, member, mute, admin=True)
    return ok()


def _mute_seconds(body: dict[str, Any], name: str) -> int:
    """Tencent's 32-bit seconds (0 unmutes), cut to the longest mute there is here."""
    return min(integer(body, name, 0, UINT32_MAX, code=_BAD), MUTE_MAX_S)


async def _members_of(services: Services, group_id: str,
                      users: list[str]) -> dict[str, GroupMember]:
    """Which of ``users`` are members, asked in pages as ``members_info`` allows."""
    most = services.config.limits.group_members_info_max
    found: dict[str, GroupMember] = {}
    for start in range(0, len(users), most):
        for member in await services.groups.members_info(None, group_id,
                                                         users[start:start + most]):
            found[member.user_id] = member
    return found


async def forbid_send_msg(services: Services, body: dict[str, Any]) -> Response:
    """Mute each of ``Members_Account`` for ``MuteTime`` seconds (0 unmutes). The names are
    checked first — all members, none the owner — so a bad list changes nobody."""
    group_id = group_id_of(body)
    members = field(body, "Members_Account", list, _BAD)
    if not 1 <= len(members) <= MEMBERS_MAX or not all(isinstance(m, str) for m in members):
        raise IMError(_BAD, f"Members_Account: 1–{MEMBERS_MAX} user IDs")
    seconds = _mute_seconds(body, "MuteTime")
    wanted = list(dict.fromkeys(members))
    found = await _members_of(services, group_id, wanted)
    outside = [u for u in wanted if u not in found]
    if outside:
        raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{outside[0]} is not a member of {group_id}")
    owners = [u for u in wanted if found[u].role == GroupRole.OWNER]
    if owners:
        raise IMError(ErrorCode.GROUP_PERMISSION_DENIED, f"{owners[0]} owns {group_id}: the "
                      "owner is never muted")
    for member in wanted:
        await services.groups.mute(None, group_id, member, seconds, admin=True)
    return ok()


async def _all_members(services: Services, group_id: str) -> list[GroupMember]:
    members: list[GroupMember] = []
    next_seq = 0
    while True:
        page = await services.groups.members(None, GroupMembersReq(
            group_id, next_seq=next_seq, count=services.config.limits.group_members_page_max))
        members.extend(page.members)
        next_seq = page.next_seq
        if not next_seq:
            return members


async def get_group_shutted_uin(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    now_s = now_ms() // 1000
    muted = [m for m in await _all_members(services, group_id) if m.mute_until > now_s]
    return ok(GroupId=group_id, ShuttedUinList=[
        {"Member_Account": m.user_id, "ShuttedUntil": m.mute_until} for m in muted])


async def get_role_in_group(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    users = field(body, "User_Account", list, _BAD)
    if not 1 <= len(users) <= MEMBERS_MAX or not all(isinstance(u, str) and u for u in users):
        raise IMError(_BAD, f"User_Account: 1–{MEMBERS_MAX} user IDs")
    asked = list(dict.fromkeys(users))
    found = await _members_of(services, group_id, asked)
    return ok(UserIdList=[{"Member_Account": u, "Role": ROLE_NAME.get(found[u].role, "Member")
                           if u in found else "NotMember"} for u in asked])


async def change_group_owner(services: Services, body: dict[str, Any]) -> Response:
    await services.groups.transfer(None, group_id_of(body),
                                   user_id(body, "NewOwner_Account", code=_BAD), admin=True)
    return ok()


async def get_appid_group_list(services: Services, body: dict[str, Any]) -> Response:
    """The App's live groups, ``Limit`` a page from ``Next`` (0 first; the answer's ``Next`` is
    0 after the last page); ``TotalCount`` counts them all, of ``GroupType`` when given."""
    limit = integer(body, "Limit", 1, APP_GROUPS_MAX, default=APP_GROUPS_MAX, code=_BAD)
    after = integer(body, "Next", 0, UINT32_MAX, default=0, code=_BAD)
    kind = field(body, "GroupType", str, _BAD, "")
    if kind and kind not in TYPES:
        raise IMError(_BAD, f"GroupType: one of {', '.join(sorted(TYPES))}")
    ids, next_key, total = await services.groups.app_groups(
        TYPES[kind] if kind else None, after, limit)
    return ok(TotalCount=total, GroupIdList=[{"GroupId": g} for g in ids], Next=next_key)


async def import_group_member(services: Services, body: dict[str, Any]) -> Response:
    """Up to 500 members as they were: ``Role`` (``Admin`` or ``Member``), ``JoinTime``
    (seconds, now when absent); per member ``Result`` 1 added, 2 already a member (left as
    they are), 0 failed (no such account, the group full). ``UnreadMsgNum`` is read and not
    kept (see the module's note)."""
    group_id = group_id_of(body)
    items = field(body, "MemberList", list, _BAD)
    if not 1 <= len(items) <= MEMBERS_MAX:
        raise IMError(_BAD, f"MemberList: 1–{MEMBERS_MAX} members")
    now_s = now_ms() // 1000
    specs: list[tuple[str, int, int]] = []
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, 'MemberList: each item is {"Member_Account": …}')
        role = field(item, "Role", str, _BAD, "Member")
        if role not in ROLES:
            raise IMError(_BAD, "MemberList: Role is Admin or Member")
        joined = integer(item, "JoinTime", 1, now_s, default=now_s, code=_BAD)
        integer(item, "UnreadMsgNum", 0, UINT32_MAX, default=0, code=_BAD)
        specs.append((user_id(item, "Member_Account", code=_BAD), ROLES[role], joined))
    result = await services.groups.import_members(group_id, specs)
    added, existed = set(result.succeeded), set(result.existed)
    return ok(MemberList=[{"Member_Account": u, "Result": 1 if u in added else 2 if u in existed
                           else 0} for u, _role, _joined in specs])
