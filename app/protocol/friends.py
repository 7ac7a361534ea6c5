"""The relationship slice of the protocol (R1–R7): profile enums, friend records, applications,
friend groups, the blacklist, the ``friend.*`` command bodies and the ``friend.event`` push.

Numbers follow V2TIM's enums (V2TIMFriendAllowType, V2TIMFriendType, V2TIMFriendRelationType,
V2TIMFriendApplicationType, V2TIMFriendAcceptType), so a V2TIM-shaped client maps them one to
one. Friendship is directional: "A has B" means B is in A's list; both directions are two
records. Custom fields travel without their prefix (``Test1`` for ``Tag_Profile_Custom_Test1``
and ``Tag_SNS_Custom_Test1``), as V2TIM's ``customInfo`` does.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import msgspec

ADD_SOURCE_PREFIX = "AddSource_Type_"
"""Every add source starts with this; the part after it is at most ``Limits.add_source_bytes``."""


class Gender(IntEnum):
    UNKNOWN = 0
    MALE = 1
    FEMALE = 2


class AllowType(IntEnum):
    """How the service answers friend requests to this user (V2TIM_FRIEND_*)."""

    ALLOW_ANY = 0
    NEED_CONFIRM = 1
    DENY_ANY = 2


class AdminForbidType(IntEnum):
    """Set by the App admin only: SEND_OUT forbids the user to send friend requests."""

    NONE = 0
    SEND_OUT = 1


class FriendType(IntEnum):
    """Add, delete and check: my list only (SINGLE) or both directions (BOTH)."""

    SINGLE = 1
    BOTH = 2


class Relation(IntEnum):
    NONE = 0
    IN_MY_LIST = 1
    """They are in my list."""
    IN_OTHER_LIST = 2
    """I am in theirs."""
    BOTH_WAY = 3


class ApplicationType(IntEnum):
    COME_IN = 1
    """Sent to me."""
    SEND_OUT = 2
    """Sent by me."""
    BOTH = 3
    """Listing only: either."""


class AcceptType(IntEnum):
    AGREE = 0
    """The applicant gets me in their list; they stay out of mine."""
    AGREE_AND_ADD = 1
    """Both directions."""


class FriendEventKind(StrEnum):
    """V2TIMFriendshipListener's callbacks; ``friend_groups_changed`` is this service's, so a
    user's other devices learn of friend groups made, renamed or deleted."""

    FRIEND_LIST_ADDED = "friend_list_added"
    FRIEND_LIST_DELETED = "friend_list_deleted"
    FRIEND_INFO_CHANGED = "friend_info_changed"
    APPLICATION_LIST_ADDED = "application_list_added"
    APPLICATION_LIST_DELETED = "application_list_deleted"
    APPLICATION_LIST_READ = "application_list_read"
    BLACK_LIST_ADDED = "black_list_added"
    BLACK_LIST_DELETED = "black_list_deleted"
    FRIEND_GROUPS_CHANGED = "friend_groups_changed"


CustomValue = str | int


class Profile(msgspec.Struct, omit_defaults=True):
    """A user's profile (§3.1). Anyone may read it; only its user (or the App admin) writes it,
    and only the admin writes ``admin_forbid_type``."""

    user_id: str
    nick: str = ""
    face_url: str = ""
    self_signature: str = ""
    gender: int = int(Gender.UNKNOWN)
    birthday: int = 0
    """Recommended as YYYYMMDD, e.g. 20000101."""
    location: str = ""
    language: int = 0
    level: int = 0
    role: int = 0
    allow_type: int = int(AllowType.NEED_CONFIRM)
    admin_forbid_type: int = int(AdminForbidType.NONE)
    custom: dict[str, CustomValue] = {}


class Friend(msgspec.Struct, omit_defaults=True):
    """One record of my list: what I keep about ``user_id``, and their profile."""

    user_id: str
    remark: str = ""
    group_names: list[str] = []
    custom: dict[str, CustomValue] = {}
    add_source: str = ""
    add_wording: str = ""
    add_time: int = 0
    profile: Profile | None = None


class FriendApplication(msgspec.Struct, omit_defaults=True):
    """A request waiting for ``user_id``'s side to decide, as its receiver sees it (``type``
    COME_IN: ``user_id`` asked me) or its sender (SEND_OUT: I asked ``user_id``)."""

    user_id: str
    type: int
    add_type: int = int(FriendType.BOTH)
    add_source: str = ""
    add_wording: str = ""
    add_time: int = 0
    read: bool = False
    """Receiver's side only: marked read by ``friend.set_applications_read``."""
    nick: str = ""
    face_url: str = ""


class FriendResult(msgspec.Struct, omit_defaults=True):
    """The outcome for one user (V2TIMFriendOperationResult): 0, or a relationship code."""

    user_id: str
    result_code: int = 0
    result_info: str = ""


class FriendCheck(msgspec.Struct, omit_defaults=True):
    user_id: str
    relation: int = int(Relation.NONE)
    result_code: int = 0
    result_info: str = ""


class FriendInfoResult(msgspec.Struct, omit_defaults=True):
    """``friend.info``: the record when ``user_id`` is in my list, else just their profile."""

    user_id: str
    relation: int = int(Relation.NONE)
    result_code: int = 0
    result_info: str = ""
    friend: Friend | None = None


class FriendGroup(msgspec.Struct, omit_defaults=True):
    name: str
    user_ids: list[str] = []


class BlackEntry(msgspec.Struct, omit_defaults=True):
    user_id: str
    add_time: int = 0
    profile: Profile | None = None


# --- commands ------------------------------------------------------------------------------

class FriendAddReq(msgspec.Struct, omit_defaults=True):
    user_id: str
    add_type: int = int(FriendType.BOTH)
    remark: str = ""
    group_name: str = ""
    """A friend group of mine the new friend goes into (made when it does not exist)."""
    add_wording: str = ""
    add_source: str = ""


class FriendListReq(msgspec.Struct, omit_defaults=True):
    after: str = ""
    """Paging cursor: friends with ``user_id > after`` (``next_after`` of the previous page)."""
    count: int = 500


class FriendListResp(msgspec.Struct, omit_defaults=True):
    """Sorted by user ID, cut at ``count`` or the answer byte budget; ``next_after`` is empty on
    the last page."""

    friends: list[Friend]
    next_after: str = ""


class UserIdsReq(msgspec.Struct):
    user_ids: list[str]


class FriendTypedReq(msgspec.Struct, omit_defaults=True):
    """``friend.delete`` and ``friend.check``: which direction counts."""

    user_ids: list[str]
    type: int = int(FriendType.BOTH)


class FriendResultsResp(msgspec.Struct):
    results: list[FriendResult]


class FriendCheckResp(msgspec.Struct):
    results: list[FriendCheck]


class FriendInfoResp(msgspec.Struct):
    results: list[FriendInfoResult]


class FriendSetInfoReq(msgspec.Struct, omit_defaults=True):
    user_id: str
    remark: str | None = None
    custom: dict[str, CustomValue] = {}
    """Fields to set; an empty string removes one."""


class ApplicationsReq(msgspec.Struct, omit_defaults=True):
    type: int = int(ApplicationType.BOTH)
    start: int = 0
    """Paging position: 0 on the first page, then ``next``."""
    count: int = 100


class ApplicationsResp(msgspec.Struct, omit_defaults=True):
    """Newest first. ``unread_count`` counts unread COME_IN applications (the badge); ``next``
    is 0 on the last page."""

    applications: list[FriendApplication]
    unread_count: int = 0
    next: int = 0


class AcceptReq(msgspec.Struct, omit_defaults=True):
    user_id: str
    """The applicant."""
    type: int = int(AcceptType.AGREE)
    remark: str = ""
    """AGREE_AND_ADD: my remark for the applicant."""


class ApplicationReq(msgspec.Struct, omit_defaults=True):
    """``friend.refuse`` (the applicant, COME_IN) and ``friend.delete_application``."""

    user_id: str
    type: int = int(ApplicationType.COME_IN)


class ApplicationsReadReq(msgspec.Struct, omit_defaults=True):
    until: int = 0
    """Mark COME_IN applications up to this time (ms) read; 0: all of them."""


class FriendGroupCreateReq(msgspec.Struct, omit_defaults=True):
    name: str
    user_ids: list[str] = []


class FriendGroupNamesReq(msgspec.Struct, omit_defaults=True):
    names: list[str] = []
    """``friend.groups``: empty lists all of them."""


class FriendGroupRenameReq(msgspec.Struct):
    old_name: str
    new_name: str


class FriendGroupMembersReq(msgspec.Struct):
    name: str
    user_ids: list[str]


class FriendGroupsResp(msgspec.Struct):
    groups: list[FriendGroup]


class BlackListResp(msgspec.Struct):
    users: list[BlackEntry]


# --- push ----------------------------------------------------------------------------------

class FriendEventPush(msgspec.Struct, omit_defaults=True):
    """One relationship change, told to every session of each user it concerns (§4.7): the
    sides whose list changed, both sides of an application, the owner alone of a blacklist,
    an application's read state or a friend group."""

    kind: str
    friends: list[Friend] = []
    """friend_list_added, friend_info_changed, black_list_added (``profile`` only)."""
    user_ids: list[str] = []
    """friend_list_deleted, application_list_deleted, black_list_deleted."""
    applications: list[FriendApplication] = []
    groups: list[FriendGroup] = []
    """friend_groups_changed: the groups as they are now."""
    deleted_groups: list[str] = []
    """friend_groups_changed: names that no longer exist (deleted, or renamed away from)."""
