"""Objects the SDK hands to applications: messages, conversations, receipts, profiles.

They mirror V2TIMMessage / V2TIMConversation in snake_case. A ``Message`` wraps the wire form
(``app.protocol.Message``) and adds what only a client knows: its status, whether it is mine,
whether the peer has read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeVar

from app.protocol import (
    ConvType,
    CustomElem,
    Elem,
    ElemType,
    FaceElem,
    FileElem,
    GroupTipsElem,
    ImageElem,
    LocationElem,
    MergerElem,
    OfflinePushInfo,
    Priority,
    Profile,
    RecvOpt,
    SoundElem,
    TextElem,
    VideoElem,
)
from app.protocol import Message as WireMessage
from app.protocol.ids import c2c_conversation_id, group_conversation_id

_E = TypeVar("_E")


class MessageStatus(IntEnum):
    """V2TIM_MSG_STATUS_*."""

    SENDING = 1
    SEND_SUCC = 2
    SEND_FAIL = 3
    HAS_DELETED = 4
    LOCAL_IMPORTED = 5
    LOCAL_REVOKED = 6


class LoginStatus(IntEnum):
    """V2TIM_STATUS_*."""

    LOGINED = 1
    LOGINING = 2
    LOGOUT = 3


class ConnectionState(IntEnum):
    DISCONNECTED = 0
    CONNECTING = 1
    CONNECTED = 2


@dataclass(slots=True)
class Message:
    msg_id: str
    conv_type: ConvType
    sender: str
    receiver: str = ""
    group_id: str = ""
    seq: int = 0
    time_ms: int = 0
    elems: list[Elem] = field(default_factory=list)
    status: MessageStatus = MessageStatus.SENDING
    is_self: bool = False
    priority: Priority = Priority.NORMAL
    online_user_only: bool = False
    is_excluded_from_unread_count: bool = False
    is_excluded_from_last_message: bool = False
    offline_push_info: OfflinePushInfo | None = None
    cloud_custom_data: str = ""
    nick_name: str = ""
    face_url: str = ""
    name_card: str = ""
    """The sender's name card in the group when the message was sent."""
    group_at_user_list: list[str] = field(default_factory=list)
    is_peer_read: bool = False
    random: int = 0
    revoker: str = ""
    """Who recalled it when not the sender: the group's owner or an admin."""
    modify_version: int = 0
    """How many times it was edited (``modify_message``): the service's version of it, which
    the next edit names so that one made elsewhere meanwhile is not overwritten (8006)."""
    modify_time_ms: int = 0
    """When it was last edited, in server milliseconds; 0 if never."""

    @property
    def is_modified(self) -> bool:
        """Edited since it was sent: the chat shows "edited" beside its time."""
        return self.modify_version > 0

    @property
    def conversation_id(self) -> str:
        if self.conv_type == ConvType.GROUP:
            return group_conversation_id(self.group_id)
        return c2c_conversation_id(self.receiver if self.is_self else self.sender)

    @property
    def user_id(self) -> str:
        """The C2C peer (V2TIMMessage.userID); empty for group messages."""
        if self.conv_type == ConvType.GROUP:
            return ""
        return self.receiver if self.is_self else self.sender

    @property
    def sender_show_name(self) -> str:
        """Name card → nickname → user ID (C1), as a group chat labels its messages."""
        return self.name_card or self.nick_name or self.sender

    @property
    def timestamp(self) -> int:
        """Seconds, as V2TIMMessage.timestamp."""
        return self.time_ms // 1000

    @property
    def elem_type(self) -> ElemType:
        return self.elems[0].elem_type if self.elems else ElemType.NONE

    @property
    def text_elem(self) -> TextElem | None:
        return self._first(TextElem)

    @property
    def custom_elem(self) -> CustomElem | None:
        return self._first(CustomElem)

    @property
    def face_elem(self) -> FaceElem | None:
        return self._first(FaceElem)

    @property
    def location_elem(self) -> LocationElem | None:
        return self._first(LocationElem)

    @property
    def image_elem(self) -> ImageElem | None:
        return self._first(ImageElem)

    @property
    def sound_elem(self) -> SoundElem | None:
        return self._first(SoundElem)

    @property
    def video_elem(self) -> VideoElem | None:
        return self._first(VideoElem)

    @property
    def file_elem(self) -> FileElem | None:
        return self._first(FileElem)

    @property
    def merger_elem(self) -> MergerElem | None:
        return self._first(MergerElem)

    @property
    def group_tips_elem(self) -> GroupTipsElem | None:
        return self._first(GroupTipsElem)

    @property
    def is_revoked(self) -> bool:
        return self.status == MessageStatus.LOCAL_REVOKED

    def _first(self, kind: type[_E]) -> _E | None:
        return next((e for e in self.elems if isinstance(e, kind)), None)

    def to_wire(self) -> WireMessage:
        return WireMessage(
            msg_id=self.msg_id, conv_type=int(self.conv_type), sender=self.sender,
            receiver=self.receiver, group_id=self.group_id, seq=self.seq, time=self.time_ms,
            elems=list(self.elems), priority=int(self.priority),
            online_only=self.online_user_only,
            exclude_unread=self.is_excluded_from_unread_count,
            exclude_last=self.is_excluded_from_last_message, push=self.offline_push_info,
            cloud_custom_data=self.cloud_custom_data, nick=self.nick_name,
            face_url=self.face_url, name_card=self.name_card,
            at_user_list=list(self.group_at_user_list), random=self.random)

    @classmethod
    def from_wire(cls, wire: WireMessage, me: str, status: MessageStatus | None = None,
                  ) -> Message:
        if status is None:
            status = MessageStatus.HAS_DELETED if wire.deleted else (
                MessageStatus.LOCAL_REVOKED if wire.revoked else MessageStatus.SEND_SUCC)
        return cls(
            msg_id=wire.msg_id, conv_type=ConvType(wire.conv_type), sender=wire.sender,
            receiver=wire.receiver, group_id=wire.group_id, seq=wire.seq, time_ms=wire.time,
            elems=list(wire.elems), status=status, is_self=wire.sender == me,
            priority=Priority(wire.priority), online_user_only=wire.online_only,
            is_excluded_from_unread_count=wire.exclude_unread,
            is_excluded_from_last_message=wire.exclude_last, offline_push_info=wire.push,
            cloud_custom_data=wire.cloud_custom_data, nick_name=wire.nick,
            face_url=wire.face_url, name_card=wire.name_card,
            group_at_user_list=list(wire.at_user_list), random=wire.random,
            revoker=wire.revoker, modify_version=wire.modify_version,
            modify_time_ms=wire.modify_time)


@dataclass(slots=True)
class HistoryPage:
    messages: list[Message]
    """Newest first; a page of newer messages (``HistoryType.*_NEWER``) oldest first, in the
    order they follow the anchor."""
    gap_before: bool = False
    """Older messages exist but this device cannot show them without the service."""
    is_finished: bool = False
    """Nothing older is visible to me (for a newer page: it reached the newest message)."""
    gap_after: bool = False
    """A newer page stopped where this device cannot show what follows without the service."""


@dataclass(slots=True)
class MessageReceipt:
    """The peer has read everything in ``conversation_id`` up to ``read_seq``."""

    conversation_id: str
    user_id: str
    read_seq: int
    timestamp: int


@dataclass(slots=True)
class UserInfo:
    """V2TIMUserFullInfo: every profile field of §3.1 the service keeps."""

    user_id: str
    nick_name: str = ""
    face_url: str = ""
    self_signature: str = ""
    gender: int = 0
    birthday: int = 0
    location: str = ""
    language: int = 0
    level: int = 0
    role: int = 0
    allow_type: int = 1
    """NEED_CONFIRM unless set (``app.protocol.friends.AllowType``)."""
    custom: dict[str, str | int] = field(default_factory=dict)
    """``Tag_Profile_Custom_*`` fields, without the prefix."""

    @classmethod
    def of(cls, profile: Profile) -> UserInfo:
        return cls(profile.user_id, profile.nick, profile.face_url, profile.self_signature,
                   profile.gender, profile.birthday, profile.location, profile.language,
                   profile.level, profile.role, profile.allow_type, dict(profile.custom))


class GroupAtType(IntEnum):
    """V2TIM_AT_ME / V2TIM_AT_ALL / V2TIM_AT_ALL_AT_ME."""

    AT_ME = 1
    AT_ALL = 2
    AT_ALL_AT_ME = 3


@dataclass(slots=True, frozen=True)
class GroupAtInfo:
    """An unread message that mentions me (V2TIMGroupAtInfo)."""

    seq: int
    at_type: GroupAtType


@dataclass(slots=True)
class Conversation:
    conversation_id: str
    type: ConvType
    user_id: str = ""
    group_id: str = ""
    show_name: str = ""
    face_url: str = ""
    last_message: Message | None = None
    unread_count: int = 0
    draft_text: str = ""
    draft_time: int = 0
    is_pinned: bool = False
    recv_opt: RecvOpt = RecvOpt.RECEIVE
    order_key: int = 0
    read_seq: int = 0
    peer_read_seq: int = 0
    max_seq: int = 0
    group_at_info_list: list[GroupAtInfo] = field(default_factory=list)
    """Unread mentions of me, newest last; empty once read past them (M11)."""
    group_type: str = ""

    @property
    def at_me(self) -> bool:
        return any(i.at_type != GroupAtType.AT_ALL for i in self.group_at_info_list)

    @property
    def at_all(self) -> bool:
        return any(i.at_type != GroupAtType.AT_ME for i in self.group_at_info_list)


@dataclass(slots=True)
class ConversationResult:
    conversation_list: list[Conversation]
    next_seq: int
    is_finished: bool
