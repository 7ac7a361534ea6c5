"""Tencent's commands for the App admin to manage a group's profile and members,
``/v4/group_open_http_svc/*``: edit the profile, change a member's role, name card or mute,
mute several, list who is muted, ask roles, hand the group over.

Each is the member API's operation with the admin's rights (``admin=True``), so the type's own
rules still hold — a Work group has no admins and no muting (10033) — and members hear the same
events and tips as when a member does it. Fields absent from a body are left as they are.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.groups import GroupMember, GroupMembersReq, GroupSetInfoReq, GroupSetMemberReq
from app.server.clock import now_ms
from app.server.container import Services

from .envelope import field, ok
from .fields import UINT32_MAX, integer, user_id
from .group_svc import JOIN, MEMBERS_MAX, ROLE_NAME, ROLES, group_id_of

_BAD: Final = ErrorCode.GROUP_INVALID_PARAMETER
SWITCH: Final = {"On": True, "Off": False}


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
    if "MaxMemberNum" in body:
        raise IMError(_BAD, "MaxMemberNum: a group's capacity is set when it is created")
    await services.groups.set_info(None, GroupSetInfoReq(
        group_id=group_id_of(body), name=_text(body, "Name"),
        introduction=_text(body, "Introduction"), notification=_text(body, "Notification"),
        face_url=_text(body, "FaceUrl"), join_option=JOIN[join] if join else None,
        all_muted=SWITCH[mute_all] if mute_all else None), admin=True)
    return ok()


async def modify_group_member_info(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    member = user_id(body, "Member_Account", code=_BAD)
    role = field(body, "Role", str, _BAD, "")
    if role and role not in ROLES:
        raise IMError(_BAD, "Role: Admin or Member")
    name_card = _text(body, "NameCard")
    mute = (integer(body, "ShutUpTime", 0, UINT32_MAX, code=_BAD) if "ShutUpTime" in body
            else None)
    if role:
        await services.groups.set_role(None, group_id, member, ROLES[role], admin=True)
    if name_card is not None:
        await services.groups.set_member(None, GroupSetMemberReq(
            group_id, member, name_card=name_card), admin=True)
    if mute is not None:
        await services.groups.mute(None, group_id, member, mute, admin=True)
    return ok()


async def forbid_send_msg(services: Services, body: dict[str, Any]) -> Response:
    """Mute each of ``Members_Account`` for ``MuteTime`` seconds (0 unmutes)."""
    group_id = group_id_of(body)
    members = field(body, "Members_Account", list, _BAD)
    if not 1 <= len(members) <= MEMBERS_MAX or not all(isinstance(m, str) for m in members):
        raise IMError(_BAD, f"Members_Account: 1–{MEMBERS_MAX} user IDs")
    seconds = integer(body, "MuteTime", 0, UINT32_MAX, code=_BAD)
    for member in dict.fromkeys(members):
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
    most = services.config.limits.group_members_info_max
    if not 1 <= len(users) <= most or not all(isinstance(u, str) and u for u in users):
        raise IMError(_BAD, f"User_Account: 1–{most} user IDs")
    asked = list(dict.fromkeys(users))
    roles = {m.user_id: ROLE_NAME.get(m.role, "Member")
             for m in await services.groups.members_info(None, group_id, asked)}
    return ok(UserIdList=[{"Member_Account": u, "Role": roles.get(u, "NotMember")}
                          for u in asked])


async def change_group_owner(services: Services, body: dict[str, Any]) -> Response:
    await services.groups.transfer(None, group_id_of(body),
                                   user_id(body, "NewOwner_Account", code=_BAD), admin=True)
    return ok()
