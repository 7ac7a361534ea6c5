"""The group slice of the protocol (G1–G6): types, roles, the profile and member structs, the
``group.*`` command bodies and the ``group.event`` push.

Numbers follow V2TIM's enums so a V2TIM-shaped client maps them one to one. A group's messages
are a log like a C2C chat's, named ``group_<groupID>`` by every member; what a member sees of it
and who may do what is the service's to decide (``app.server.groups``).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import msgspec


class GroupType(StrEnum):
    WORK = "Work"
    PUBLIC = "Public"
    MEETING = "Meeting"
    AVCHATROOM = "AVChatRoom"


class GroupRole(IntEnum):
    """V2TIM_GROUP_MEMBER_ROLE_*; 0 is "not a member"."""

    NONE = 0
    MEMBER = 200
    ADMIN = 300
    OWNER = 400


class JoinOption(IntEnum):
    """V2TIM_GROUP_ADD_*: who may join without an invitation."""

    FORBID = 0
    AUTH = 1
    ANY = 2


class MemberFilter(IntEnum):
    """V2TIM_GROUP_MEMBER_FILTER_*: a bit set of roles (0: everyone)."""

    ALL = 0
    OWNER = 1
    ADMIN = 2
    COMMON = 4


class ApplicationStatus(IntEnum):
    PENDING = 0
    ACCEPTED = 1
    REFUSED = 2


class JoinStatus(StrEnum):
    """What ``group.join`` did (Tencent Web's joinGroup status)."""

    JOINED = "joined"
    PENDING = "pending"
    ALREADY_MEMBER = "already_member"


class GroupInfo(msgspec.Struct, omit_defaults=True):
    """A group's profile, plus the asker's own role in it (``role``, 0 for a non-member)."""

    group_id: str
    group_type: str
    name: str
    introduction: str = ""
    notification: str = ""
    face_url: str = ""
    owner: str = ""
    create_time: int = 0
    info_time: int = 0
    member_count: int = 0
    max_member_count: int = 0
    join_option: int = JoinOption.FORBID
    all_muted: bool = False
    custom: dict[str, str] = {}
    role: int = GroupRole.NONE


class GroupMember(msgspec.Struct, omit_defaults=True):
    user_id: str
    role: int = GroupRole.MEMBER
    nick: str = ""
    face_url: str = ""
    name_card: str = ""
    join_time: int = 0
    mute_until: int = 0
    """Unix seconds; muted while it lies in the future."""
    custom: dict[str, str] = {}


class MemberSpec(msgspec.Struct, omit_defaults=True):
    """An initial member of a new group."""

    user_id: str
    role: int = GroupRole.MEMBER


class GroupApplication(msgspec.Struct, omit_defaults=True):
    group_id: str
    applicant: str
    message: str = ""
    time: int = 0
    status: int = ApplicationStatus.PENDING
    handler: str = ""
    handle_message: str = ""


# --- commands ------------------------------------------------------------------------------

class GroupCreateReq(msgspec.Struct, omit_defaults=True):
    group_type: str
    name: str
    group_id: str = ""
    """Empty: the service makes one (``@TGS#…``, a prefix custom IDs may not use)."""
    introduction: str = ""
    notification: str = ""
    face_url: str = ""
    join_option: int | None = None
    """Public only; the others' are fixed."""
    max_member_count: int = 0
    """0: the service's default."""
    custom: dict[str, str] = {}
    members: list[MemberSpec] = []


class GroupIdReq(msgspec.Struct):
    group_id: str


class GroupIdResp(msgspec.Struct):
    group_id: str


class GroupJoinReq(msgspec.Struct, omit_defaults=True):
    group_id: str
    message: str = ""


class GroupJoinResp(msgspec.Struct):
    status: str


class GroupUsersReq(msgspec.Struct, omit_defaults=True):
    """Invite (``group.invite``) or remove (``group.kick``) users; ``reason`` for a kick."""

    group_id: str
    user_ids: list[str]
    reason: str = ""


class GroupUsersResp(msgspec.Struct, omit_defaults=True):
    """Per user: done, already so (``existed``), or failed with a code."""

    succeeded: list[str] = []
    existed: list[str] = []
    failed: dict[str, int] = {}


class GroupInfoReq(msgspec.Struct):
    group_ids: list[str]


class GroupInfoResp(msgspec.Struct, omit_defaults=True):
    groups: list[GroupInfo] = []
    failed: dict[str, int] = {}


class GroupSetInfoReq(msgspec.Struct, omit_defaults=True):
    """A partial update: fields left ``None`` keep their value; ``custom`` values are set per
    key (an empty value removes the key)."""

    group_id: str
    name: str | None = None
    introduction: str | None = None
    notification: str | None = None
    face_url: str | None = None
    join_option: int | None = None
    all_muted: bool | None = None
    custom: dict[str, str] | None = None


class GroupMembersReq(msgspec.Struct, omit_defaults=True):
    group_id: str
    filter: int = MemberFilter.ALL
    next_seq: int = 0
    """0 for the first page; then the ``next_seq`` of the page before."""
    count: int = 50


class GroupMembersResp(msgspec.Struct):
    members: list[GroupMember]
    next_seq: int
    """0: that was the last page."""


class GroupMembersInfoReq(msgspec.Struct):
    group_id: str
    user_ids: list[str]


class GroupMembersInfoResp(msgspec.Struct):
    members: list[GroupMember]


class GroupSetMemberReq(msgspec.Struct, omit_defaults=True):
    """Name card and custom fields of a member (oneself, or as the rights of §1.4 allow)."""

    group_id: str
    user_id: str
    name_card: str | None = None
    custom: dict[str, str] | None = None


class GroupMuteReq(msgspec.Struct):
    group_id: str
    user_id: str
    seconds: int
    """0 unmutes."""


class GroupRoleReq(msgspec.Struct):
    group_id: str
    user_id: str
    role: int


class GroupTransferReq(msgspec.Struct):
    group_id: str
    user_id: str


class GroupListResp(msgspec.Struct):
    groups: list[GroupInfo]


class GroupApplicationsResp(msgspec.Struct):
    applications: list[GroupApplication]


class GroupDecideReq(msgspec.Struct, omit_defaults=True):
    group_id: str
    applicant: str
    accept: bool
    reason: str = ""


class GroupAttrsReq(msgspec.Struct):
    """``group.attr_init`` (the whole set becomes ``attributes``) and ``group.attr_set`` (each
    key of ``attributes`` is added or replaced, the others stay)."""

    group_id: str
    attributes: dict[str, str]


class GroupAttrKeysReq(msgspec.Struct, omit_defaults=True):
    """``group.attr_delete`` and ``group.attr_get``: those keys, or every key when empty
    (V2TIM's ``null``)."""

    group_id: str
    keys: list[str] = []


class GroupAttrsResp(msgspec.Struct):
    """The attributes asked for; after a change, the group's whole set as it is now."""

    attributes: dict[str, str]


# --- the push --------------------------------------------------------------------------------

class GroupEventKind(StrEnum):
    """One per V2TIMGroupListener callback (§1.10)."""

    MEMBER_ENTER = "member_enter"
    MEMBER_LEAVE = "member_leave"
    QUIT_FROM_GROUP = "quit_from_group"
    MEMBER_INVITED = "member_invited"
    MEMBER_KICKED = "member_kicked"
    MEMBER_INFO_CHANGED = "member_info_changed"
    GROUP_INFO_CHANGED = "group_info_changed"
    GROUP_DISMISSED = "group_dismissed"
    GROUP_CREATED = "group_created"
    JOIN_APPLICATION = "join_application"
    APPLICATION_PROCESSED = "application_processed"
    GRANT_ADMINISTRATOR = "grant_administrator"
    REVOKE_ADMINISTRATOR = "revoke_administrator"
    ATTRIBUTES_CHANGED = "attributes_changed"
    """onGroupAttributeChanged: ``attributes`` is the whole set after the change (§1.8)."""
    REST_CUSTOM_DATA = "rest_custom_data"
    """onReceiveRESTCustomData: a system notice the admin API sent (§1.12, type 255), ``data``."""


class GroupEventPush(msgspec.Struct, omit_defaults=True):
    """Told to exactly the users §1.10 names for the kind. ``members`` are the members concerned
    (who entered, left, was invited, kicked, changed or promoted); ``changes`` the profile fields
    changed (as in ``GroupTipsElem``); ``application`` the application received or decided;
    ``attributes`` the group's attributes."""

    group_id: str
    kind: str
    op_user: str = ""
    members: list[GroupMember] = []
    changes: dict[str, str] = {}
    application: GroupApplication | None = None
    info: GroupInfo | None = None
    """The group after the change, for kinds that change what a member lists."""
    attributes: dict[str, str] = {}
    """``attributes_changed``: every attribute of the group now, not just what changed."""
    data: str = ""
    """``rest_custom_data``: the notice's content, as the business server wrote it."""
