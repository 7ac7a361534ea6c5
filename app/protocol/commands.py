"""Commands (client → service requests) and pushes (service → client), with their bodies.

Every command name maps to one request struct and one response struct in ``COMMANDS``; every push
name maps to one body struct in ``PUSHES``. PROTOCOL.md describes what each does.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from . import friends as f
from . import groups as g
from .conversations import ConversationState
from .elements import Elem
from .friends import CustomValue, Profile
from .messages import Message, MessageAck


class Platform(StrEnum):
    """Terminal classes for the kick policy (L8): one session per class by default."""

    DESKTOP = "desktop"
    WEB = "web"
    MOBILE = "mobile"
    PAD = "pad"


class Empty(msgspec.Struct):
    pass


# --- session -------------------------------------------------------------------------------

class LoginReq(msgspec.Struct, omit_defaults=True):
    sdk_app_id: int
    user_id: str
    user_sig: str
    platform: str = Platform.DESKTOP
    device_id: str = ""
    resume: bool = False
    """True for the SDK's automatic re-login after a network drop: refused with 6208 when another
    login of the same platform took this device's place in the meantime."""


class LoginResp(msgspec.Struct):
    server_time: int
    heartbeat_s: float
    profile: Profile
    sig_expire_at: int
    store_id: str = ""
    """Identity of the service's data store, made once when it is created: a different value
    means the data was replaced, and nothing the client holds can be trusted to match."""
    epoch: str = ""
    """Changes whenever the service starts. A client that last synced in another epoch checks
    that the service still holds what it holds (``ConvSyncReq.tips``): a store restored from a
    backup keeps its ``store_id`` but may have lost the newest messages."""


class HeartbeatResp(msgspec.Struct):
    server_time: int


# --- messages ------------------------------------------------------------------------------

class SendReq(msgspec.Struct):
    msg: Message


class SeqRange(msgspec.Struct, omit_defaults=True):
    """Messages with ``after_seq < seq <= until_seq`` (``until_seq == 0``: up to the newest)."""

    conv_id: str
    after_seq: int = 0
    until_seq: int = 0


class PullReq(msgspec.Struct, omit_defaults=True):
    ranges: list[SeqRange]
    limit: int = 500


class PullResp(msgspec.Struct):
    """Ascending by seq within each range, ranges in request order, at most ``limit`` in all."""

    messages: list[Message]
    more: bool


class HistoryReq(msgspec.Struct, omit_defaults=True):
    conv_id: str
    before_seq: int = 0
    """Exclusive anchor; 0 starts from the newest message."""
    limit: int = 20


class HistoryResp(msgspec.Struct):
    """Newest first; ``is_finished`` once the page reaches the first visible seq."""

    messages: list[Message]
    is_finished: bool


class ReadReq(msgspec.Struct):
    conv_id: str
    seq: int
    """Everything up to and including ``seq`` is read: the newest message the device has shown,
    never "whatever the service holds", so nothing the user did not see is marked or receipted.
    Must be ≥ 1; a seq past the newest message is clamped to it."""


class ReadResp(msgspec.Struct):
    """``unread`` is as of ``max_seq``, like ConversationState."""

    read_seq: int
    unread: int
    max_seq: int


class DeleteReq(msgspec.Struct):
    conv_id: str
    seqs: list[int]


class RevokeReq(msgspec.Struct):
    """Recall my message at ``seq`` of ``conv_id`` (my name for the chat). ``msg_id`` must be the
    message's too: a client acting on a stale cache names the message it means, not a position
    that may hold another one."""

    conv_id: str
    seq: int
    msg_id: str


class RevokeResp(msgspec.Struct):
    """The recall took effect at ``time``; the ``msg.revoked`` push every session gets names the
    same message and time."""

    conv_id: str
    seq: int
    msg_id: str
    time: int


class ModifyReq(msgspec.Struct, omit_defaults=True):
    """Edit my message at ``seq`` of ``conv_id`` (V2TIM ``modifyMessage``): its text (``elems``,
    one text element) and/or its cloud custom data; what is absent keeps its value.
    ``version`` is the ``modify_version`` of the copy the edit was made on: another edit since
    makes the service refuse this one (8006) rather than overwrite what the user never saw."""

    conv_id: str
    seq: int
    msg_id: str
    version: int
    elems: list[Elem] | None = None
    cloud_custom_data: str | None = None


class ModifyResp(msgspec.Struct):
    """The message as stored after the edit (its new ``modify_version`` and ``modify_time``);
    every session of every participant gets the same as a ``msg.modified`` push."""

    message: Message


class ModifiedPush(msgspec.Struct):
    """A message of ``conv_id`` (the receiver's ID for the chat) was edited: ``message`` is
    its stored form now. Take it when its ``modify_version`` is above the one held."""

    conv_id: str
    message: Message


# --- conversations -------------------------------------------------------------------------

class ConvSyncReq(msgspec.Struct, omit_defaults=True):
    version: int = 0
    """The client's state version; per-user changes after it are returned."""
    known: dict[str, int] = {}
    """conv_id → the highest seq the client holds; conversations that moved past it are returned."""
    tips: dict[str, str] = {}
    """conv_id → msg_id of the message at the seq given in ``known``. Sent after the service's
    epoch changed: the service reports in ``diverged`` every conversation whose log no longer
    has that message at that seq (or is shorter than ``known`` says)."""
    after: str = ""
    """Paging cursor: only conversations with ``conv_id > after`` (from ``next_after``)."""


class ConvSyncResp(msgspec.Struct, omit_defaults=True):
    """Sorted by ``conv_id`` and cut at the answer byte budget. While ``more`` is true the client
    asks again with the same ``version``/``known`` and ``after = next_after``; it may store
    ``version`` only after the last page (changes made meanwhile come with a later version)."""

    version: int
    conversations: list[ConversationState]
    more: bool = False
    next_after: str = ""
    diverged: list[str] = []


class ConvUpdateReq(msgspec.Struct, omit_defaults=True):
    conv_id: str
    pinned: bool | None = None
    draft: str | None = None
    recv_opt: int | None = None


class ConvDeleteReq(msgspec.Struct, omit_defaults=True):
    conv_id: str
    seq: int = 0
    """Hide the conversation's messages up to and including ``seq`` — the newest the device had
    when the user deleted it, so a delete replayed after reconnect spares what arrived since.
    0 hides everything the service holds (admin and legacy callers)."""


# --- profiles ------------------------------------------------------------------------------

class ProfileGetReq(msgspec.Struct):
    user_ids: list[str]


class ProfileGetResp(msgspec.Struct):
    profiles: list[Profile]


class ProfileSetReq(msgspec.Struct, omit_defaults=True):
    """The fields to change; absent ones keep their value (an empty body changes nothing).
    ``custom`` sets the keys given, an empty string removing one. ``admin_forbid_type`` is the
    App admin's (``portrait_set``), not the user's."""

    nick: str | None = None
    face_url: str | None = None
    self_signature: str | None = None
    gender: int | None = None
    birthday: int | None = None
    location: str | None = None
    language: int | None = None
    level: int | None = None
    role: int | None = None
    allow_type: int | None = None
    custom: dict[str, CustomValue] = {}


# --- pushes --------------------------------------------------------------------------------

class ReceiptPush(msgspec.Struct):
    """The peer has read every message of ``conv_id`` (the receiver's ID for the chat) up to
    ``read_seq``."""

    conv_id: str
    reader: str
    read_seq: int
    time: int


class RevokedPush(msgspec.Struct):
    """The message at ``seq`` of ``conv_id`` (the receiver's ID for the chat) was revoked at
    ``time``: it no longer counts as unread and shows as revoked, without its content."""

    conv_id: str
    seq: int
    msg_id: str
    sender: str
    time: int
    revoker: str = ""
    """Who recalled it when not the sender: a group's owner or an admin."""


class ConvChangedPush(msgspec.Struct):
    version: int
    conversations: list[ConversationState]


class KickedPush(msgspec.Struct):
    reason: str
    code: int


class Cmd(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    HEARTBEAT = "heartbeat"
    MSG_SEND = "msg.send"
    MSG_PULL = "msg.pull"
    MSG_HISTORY = "msg.history"
    MSG_READ = "msg.read"
    MSG_DELETE = "msg.delete"
    MSG_REVOKE = "msg.revoke"
    MSG_MODIFY = "msg.modify"
    CONV_SYNC = "conv.sync"
    CONV_UPDATE = "conv.update"
    CONV_DELETE = "conv.delete"
    PROFILE_GET = "profile.get"
    PROFILE_SET = "profile.set"
    GROUP_CREATE = "group.create"
    GROUP_JOIN = "group.join"
    GROUP_INVITE = "group.invite"
    GROUP_QUIT = "group.quit"
    GROUP_DISMISS = "group.dismiss"
    GROUP_KICK = "group.kick"
    GROUP_INFO = "group.info"
    GROUP_SET_INFO = "group.set_info"
    GROUP_MEMBERS = "group.members"
    GROUP_MEMBERS_INFO = "group.members_info"
    GROUP_SET_MEMBER = "group.set_member"
    GROUP_MUTE = "group.mute"
    GROUP_SET_ROLE = "group.set_role"
    GROUP_TRANSFER = "group.transfer"
    GROUP_JOINED = "group.joined"
    GROUP_SEARCH = "group.search"
    GROUP_APPLICATIONS = "group.applications"
    GROUP_DECIDE = "group.decide"
    GROUP_ATTR_INIT = "group.attr_init"
    GROUP_ATTR_SET = "group.attr_set"
    GROUP_ATTR_DELETE = "group.attr_delete"
    GROUP_ATTR_GET = "group.attr_get"
    FRIEND_ADD = "friend.add"
    FRIEND_DELETE = "friend.delete"
    FRIEND_CHECK = "friend.check"
    FRIEND_LIST = "friend.list"
    FRIEND_INFO = "friend.info"
    FRIEND_SET_INFO = "friend.set_info"
    FRIEND_APPLICATIONS = "friend.applications"
    FRIEND_ACCEPT = "friend.accept"
    FRIEND_REFUSE = "friend.refuse"
    FRIEND_DELETE_APPLICATION = "friend.delete_application"
    FRIEND_SET_APPLICATIONS_READ = "friend.set_applications_read"
    FRIEND_GROUP_CREATE = "friend.group_create"
    FRIEND_GROUP_DELETE = "friend.group_delete"
    FRIEND_GROUP_RENAME = "friend.group_rename"
    FRIEND_GROUPS = "friend.groups"
    FRIEND_GROUP_ADD = "friend.group_add"
    FRIEND_GROUP_REMOVE = "friend.group_remove"
    BLACK_ADD = "friend.black_add"
    BLACK_REMOVE = "friend.black_remove"
    BLACK_LIST = "friend.black_list"


class PushName(StrEnum):
    MSG_NEW = "msg.new"
    MSG_RECEIPT = "msg.receipt"
    MSG_REVOKED = "msg.revoked"
    MSG_MODIFIED = "msg.modified"
    CONV_CHANGED = "conv.changed"
    PROFILE_CHANGED = "profile.changed"
    KICKED = "kicked"
    GROUP_EVENT = "group.event"
    FRIEND_EVENT = "friend.event"


class KickReason(StrEnum):
    MULTI_DEVICE = "multi_device"
    ADMIN = "admin"
    SIG_EXPIRED = "sig_expired"
    ACCOUNT_DELETED = "account_deleted"


COMMANDS: dict[str, tuple[type, type]] = {
    Cmd.LOGIN: (LoginReq, LoginResp),
    Cmd.LOGOUT: (Empty, Empty),
    Cmd.HEARTBEAT: (Empty, HeartbeatResp),
    Cmd.MSG_SEND: (SendReq, MessageAck),
    Cmd.MSG_PULL: (PullReq, PullResp),
    Cmd.MSG_HISTORY: (HistoryReq, HistoryResp),
    Cmd.MSG_READ: (ReadReq, ReadResp),
    Cmd.MSG_DELETE: (DeleteReq, ConversationState),
    Cmd.MSG_REVOKE: (RevokeReq, RevokeResp),
    Cmd.MSG_MODIFY: (ModifyReq, ModifyResp),
    Cmd.CONV_SYNC: (ConvSyncReq, ConvSyncResp),
    Cmd.CONV_UPDATE: (ConvUpdateReq, ConversationState),
    Cmd.CONV_DELETE: (ConvDeleteReq, ConversationState),
    Cmd.PROFILE_GET: (ProfileGetReq, ProfileGetResp),
    Cmd.PROFILE_SET: (ProfileSetReq, Profile),
    Cmd.GROUP_CREATE: (g.GroupCreateReq, g.GroupIdResp),
    Cmd.GROUP_JOIN: (g.GroupJoinReq, g.GroupJoinResp),
    Cmd.GROUP_INVITE: (g.GroupUsersReq, g.GroupUsersResp),
    Cmd.GROUP_QUIT: (g.GroupIdReq, Empty),
    Cmd.GROUP_DISMISS: (g.GroupIdReq, Empty),
    Cmd.GROUP_KICK: (g.GroupUsersReq, g.GroupUsersResp),
    Cmd.GROUP_INFO: (g.GroupInfoReq, g.GroupInfoResp),
    Cmd.GROUP_SET_INFO: (g.GroupSetInfoReq, g.GroupInfo),
    Cmd.GROUP_MEMBERS: (g.GroupMembersReq, g.GroupMembersResp),
    Cmd.GROUP_MEMBERS_INFO: (g.GroupMembersInfoReq, g.GroupMembersInfoResp),
    Cmd.GROUP_SET_MEMBER: (g.GroupSetMemberReq, g.GroupMember),
    Cmd.GROUP_MUTE: (g.GroupMuteReq, g.GroupMember),
    Cmd.GROUP_SET_ROLE: (g.GroupRoleReq, g.GroupMember),
    Cmd.GROUP_TRANSFER: (g.GroupTransferReq, g.GroupInfo),
    Cmd.GROUP_JOINED: (Empty, g.GroupListResp),
    Cmd.GROUP_SEARCH: (g.GroupIdReq, g.GroupInfo),
    Cmd.GROUP_APPLICATIONS: (Empty, g.GroupApplicationsResp),
    Cmd.GROUP_DECIDE: (g.GroupDecideReq, g.GroupApplication),
    Cmd.GROUP_ATTR_INIT: (g.GroupAttrsReq, g.GroupAttrsResp),
    Cmd.GROUP_ATTR_SET: (g.GroupAttrsReq, g.GroupAttrsResp),
    Cmd.GROUP_ATTR_DELETE: (g.GroupAttrKeysReq, g.GroupAttrsResp),
    Cmd.GROUP_ATTR_GET: (g.GroupAttrKeysReq, g.GroupAttrsResp),
    Cmd.FRIEND_ADD: (f.FriendAddReq, f.FriendResult),
    Cmd.FRIEND_DELETE: (f.FriendTypedReq, f.FriendResultsResp),
    Cmd.FRIEND_CHECK: (f.FriendTypedReq, f.FriendCheckResp),
    Cmd.FRIEND_LIST: (f.FriendListReq, f.FriendListResp),
    Cmd.FRIEND_INFO: (f.UserIdsReq, f.FriendInfoResp),
    Cmd.FRIEND_SET_INFO: (f.FriendSetInfoReq, f.Friend),
    Cmd.FRIEND_APPLICATIONS: (f.ApplicationsReq, f.ApplicationsResp),
    Cmd.FRIEND_ACCEPT: (f.AcceptReq, f.FriendResult),
    Cmd.FRIEND_REFUSE: (f.ApplicationReq, f.FriendResult),
    Cmd.FRIEND_DELETE_APPLICATION: (f.ApplicationReq, f.FriendResult),
    Cmd.FRIEND_SET_APPLICATIONS_READ: (f.ApplicationsReadReq, Empty),
    Cmd.FRIEND_GROUP_CREATE: (f.FriendGroupCreateReq, f.FriendResultsResp),
    Cmd.FRIEND_GROUP_DELETE: (f.FriendGroupNamesReq, Empty),
    Cmd.FRIEND_GROUP_RENAME: (f.FriendGroupRenameReq, Empty),
    Cmd.FRIEND_GROUPS: (f.FriendGroupNamesReq, f.FriendGroupsResp),
    Cmd.FRIEND_GROUP_ADD: (f.FriendGroupMembersReq, f.FriendResultsResp),
    Cmd.FRIEND_GROUP_REMOVE: (f.FriendGroupMembersReq, f.FriendResultsResp),
    Cmd.BLACK_ADD: (f.UserIdsReq, f.FriendResultsResp),
    Cmd.BLACK_REMOVE: (f.UserIdsReq, f.FriendResultsResp),
    Cmd.BLACK_LIST: (Empty, f.BlackListResp),
}

PUSHES: dict[str, type] = {
    PushName.MSG_NEW: Message,
    PushName.MSG_RECEIPT: ReceiptPush,
    PushName.MSG_REVOKED: RevokedPush,
    PushName.MSG_MODIFIED: ModifiedPush,
    PushName.CONV_CHANGED: ConvChangedPush,
    PushName.PROFILE_CHANGED: Profile,
    PushName.KICKED: KickedPush,
    PushName.GROUP_EVENT: g.GroupEventPush,
    PushName.FRIEND_EVENT: f.FriendEventPush,
}
