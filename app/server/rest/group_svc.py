"""Tencent's group service for the App admin, ``/v4/group_open_http_svc/*``: create and
destroy groups, read their profiles and members, add and remove members, send and import group
messages — in Tencent's shapes, so a business server that manages groups there keeps working.

Types are Tencent's names: ``Private`` (and its newer name ``Work``) → Work, ``Public``,
``ChatRoom`` (and ``Meeting``) → Meeting, ``AVChatRoom``. ``ApplyJoinOption`` is
``FreeAccess`` / ``NeedPermission`` / ``DisableApply``. The rules are ``GroupService``'s with
the admin's rights (``admin=True``): the admin adds members to any type that has members,
dismisses any group, and is no member itself. The group's messages are ``group_msg``'s.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import Response

from app.protocol import ErrorCode, IMError
from app.protocol.groups import (
    GroupCreateReq,
    GroupInfo,
    GroupMember,
    GroupMembersReq,
    GroupRole,
    GroupType,
    JoinOption,
    MemberSpec,
)
from app.server.container import Services

from .envelope import field, ok
from .fields import UINT32_MAX, integer, user_id

_BAD: Final = ErrorCode.GROUP_INVALID_PARAMETER
MEMBERS_MAX: Final = 500
MEMBER_PAGE_MAX: Final = 6000

TYPES: Final = {"Private": GroupType.WORK, "Work": GroupType.WORK, "Public": GroupType.PUBLIC,
                "ChatRoom": GroupType.MEETING, "Meeting": GroupType.MEETING,
                "AVChatRoom": GroupType.AVCHATROOM}
TENCENT_TYPE: Final = {GroupType.WORK: "Private", GroupType.PUBLIC: "Public",
                       GroupType.MEETING: "ChatRoom", GroupType.AVCHATROOM: "AVChatRoom"}
JOIN: Final = {"FreeAccess": JoinOption.ANY, "NeedPermission": JoinOption.AUTH,
               "DisableApply": JoinOption.FORBID}
JOIN_NAME: Final = {v: k for k, v in JOIN.items()}
ROLES: Final = {"Admin": GroupRole.ADMIN, "Member": GroupRole.MEMBER}
ROLE_NAME: Final = {GroupRole.OWNER: "Owner", GroupRole.ADMIN: "Admin",
                    GroupRole.MEMBER: "Member"}


def group_id_of(body: dict[str, Any]) -> str:
    group_id: str = field(body, "GroupId", str, _BAD)
    if not group_id:
        raise IMError(ErrorCode.INVALID_GROUP_ID, "GroupId is empty")
    return group_id


def _accounts(items: Any, name: str, key: str = "Member_Account") -> list[MemberSpec]:
    if not isinstance(items, list) or len(items) > MEMBERS_MAX:
        raise IMError(_BAD, f"{name}: a list of at most {MEMBERS_MAX} members")
    members: list[MemberSpec] = []
    for item in items:
        if not isinstance(item, dict):
            raise IMError(_BAD, f'{name}: each item is {{"{key}": …}}')
        role = field(item, "Role", str, _BAD, "Member")
        if role not in ROLES:
            raise IMError(_BAD, f"{name}: Role is Admin or Member")
        members.append(MemberSpec(user_id(item, key), ROLES[role]))
    return members


def _account_list(body: dict[str, Any], name: str) -> list[str]:
    items = field(body, name, list, _BAD)
    if not 1 <= len(items) <= MEMBERS_MAX or not all(isinstance(i, str) and i for i in items):
        raise IMError(_BAD, f"{name}: 1–{MEMBERS_MAX} user IDs")
    return list(dict.fromkeys(items))


def _tencent_info(group: GroupInfo) -> dict[str, Any]:
    return {"GroupId": group.group_id, "Type": TENCENT_TYPE.get(GroupType(group.group_type)),
            "Name": group.name, "Introduction": group.introduction,
            "Notification": group.notification, "FaceUrl": group.face_url,
            "Owner_Account": group.owner, "CreateTime": group.create_time,
            "LastInfoTime": group.info_time, "MemberNum": group.member_count,
            "MaxMemberNum": group.max_member_count,
            "ApplyJoinOption": JOIN_NAME.get(JoinOption(group.join_option), "DisableApply"),
            "ShutUpAllMember": "On" if group.all_muted else "Off"}


def _tencent_member(member: GroupMember) -> dict[str, Any]:
    return {"Member_Account": member.user_id, "Role": ROLE_NAME.get(GroupRole(member.role),
                                                                    "Member"),
            "JoinTime": member.join_time, "NameCard": member.name_card,
            "ShutUpUntil": member.mute_until}


async def create_group(services: Services, body: dict[str, Any]) -> Response:
    kind = field(body, "Type", str, _BAD)
    if kind not in TYPES:
        raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                      f"Type: one of {', '.join(sorted(TYPES))}")
    owner = field(body, "Owner_Account", str, _BAD, "")
    if owner:
        owner = user_id(body, "Owner_Account")
    join = field(body, "ApplyJoinOption", str, _BAD, "")
    if join and join not in JOIN:
        raise IMError(_BAD, "ApplyJoinOption: FreeAccess, NeedPermission or DisableApply")
    members = _accounts(field(body, "MemberList", list, _BAD, []), "MemberList")
    req = GroupCreateReq(
        group_type=TYPES[kind].value, name=field(body, "Name", str, _BAD),
        group_id=field(body, "GroupId", str, _BAD, ""),
        introduction=field(body, "Introduction", str, _BAD, ""),
        notification=field(body, "Notification", str, _BAD, ""),
        face_url=field(body, "FaceUrl", str, _BAD, ""),
        join_option=JOIN[join] if join else None,
        max_member_count=integer(body, "MaxMemberCount", 0, UINT32_MAX, default=0),
        members=[m for m in members if m.user_id != owner])
    group_id = await services.groups.create(None, req, admin=True, owner=owner or None)
    return ok(GroupId=group_id)


async def destroy_group(services: Services, body: dict[str, Any]) -> Response:
    await services.groups.dismiss(None, group_id_of(body), admin=True)
    return ok()


async def get_group_info(services: Services, body: dict[str, Any]) -> Response:
    ids = field(body, "GroupIdList", list, _BAD)
    if not 1 <= len(ids) <= 50 or not all(isinstance(i, str) and i for i in ids):
        raise IMError(_BAD, "GroupIdList: 1–50 group IDs")
    infos, failed = await services.groups.info(None, ids)
    found = {g.group_id: g for g in infos}
    answers = []
    for group_id in dict.fromkeys(ids):
        if group_id in found:
            answers.append({"ErrorCode": 0, **_tencent_info(found[group_id])})
        else:
            answers.append({"GroupId": group_id,
                            "ErrorCode": failed.get(group_id, ErrorCode.GROUP_NOT_FOUND),
                            "ErrorInfo": "no such group"})
    return ok(GroupInfo=answers)


async def get_joined_group_list(services: Services, body: dict[str, Any]) -> Response:
    groups = await services.groups.joined(user_id(body, "Member_Account"))
    return ok(TotalCount=len(groups),
              GroupIdList=[{"GroupId": g.group_id, "Name": g.name,
                            "Type": TENCENT_TYPE.get(GroupType(g.group_type))} for g in groups])


async def get_group_member_info(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    limit = integer(body, "Limit", 1, MEMBER_PAGE_MAX, default=MEMBER_PAGE_MAX)
    offset = integer(body, "Offset", 0, UINT32_MAX, default=0)
    members: list[GroupMember] = []
    next_seq = 0
    while len(members) < offset + limit:
        page = await services.groups.members(None, GroupMembersReq(
            group_id, next_seq=next_seq, count=services.config.limits.group_members_page_max))
        members.extend(page.members)
        next_seq = page.next_seq
        if not next_seq:
            break
    infos, _failed = await services.groups.info(None, [group_id])
    total = infos[0].member_count if infos else len(members)
    return ok(MemberNum=total,
              MemberList=[_tencent_member(m) for m in members[offset:offset + limit]])


async def add_group_member(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    members = _accounts(field(body, "MemberList", list, _BAD), "MemberList")
    if not members:
        raise IMError(_BAD, "MemberList: at least one member")
    resp = await services.groups.invite(None, group_id, [m.user_id for m in members],
                                        admin=True)
    added, existed = set(resp.succeeded), set(resp.existed)
    return ok(MemberList=[{"Member_Account": m.user_id,
                           "Result": 1 if m.user_id in added else 2 if m.user_id in existed
                           else 0} for m in members])


async def delete_group_member(services: Services, body: dict[str, Any]) -> Response:
    group_id = group_id_of(body)
    users = _account_list(body, "MemberToDel_Account")
    await services.groups.kick(None, group_id, users, field(body, "Reason", str, _BAD, ""),
                               admin=True)
    return ok()
