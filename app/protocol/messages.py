"""The message as it travels between SDK and service, and its send options."""

from __future__ import annotations

from enum import IntEnum

import msgspec

from .elements import Elem

AT_ALL = "__kImSDK_MesssageAtALL__"
"""In ``at_user_list``: the message mentions every member (V2TIM's kImSDK_MesssageAtALL, its
spelling kept so V2TIM-shaped clients match it)."""


class Priority(IntEnum):
    """Group delivery priority when a group exceeds its rate (M2, M14)."""

    HIGH = 1
    NORMAL = 2
    LOW = 3
    LOWEST = 4


class OfflinePushInfo(msgspec.Struct, frozen=True, omit_defaults=True):
    """What a notification for this message shows; the desktop form of offline push (N1)."""

    title: str = ""
    desc: str = ""
    ext: str = ""
    disable: bool = False
    sound: str = ""
    ignore_badge: bool = False


class Message(msgspec.Struct, omit_defaults=True):
    """One message.

    ``msg_id`` is chosen by the sending client at creation and is unique per sender: the service
    stores ``(sender, msg_id)`` once, so a resend returns the original ack. ``seq`` and ``time``
    (server milliseconds) are assigned by the service when it stores the message; online-only
    messages are never stored and keep ``seq == 0``.

    ``deleted`` marks a placeholder for a message the reader deleted for themselves; it keeps the
    seq range contiguous so a client can prove it has no holes.
    """

    msg_id: str
    conv_type: int
    sender: str
    receiver: str = ""
    group_id: str = ""
    seq: int = 0
    time: int = 0
    elems: list[Elem] = []
    priority: int = Priority.NORMAL
    online_only: bool = False
    exclude_unread: bool = False
    exclude_last: bool = False
    push: OfflinePushInfo | None = None
    cloud_custom_data: str = ""
    nick: str = ""
    face_url: str = ""
    name_card: str = ""
    """The sender's name card in the group when the message was stored (service-written)."""
    at_user_list: list[str] = []
    """Group messages: the members mentioned, or ``AT_ALL`` for everyone (M11)."""
    revoked: bool = False
    revoker: str = ""
    """Who recalled it when that was not the sender (a group's owner or an admin)."""
    deleted: bool = False
    random: int = 0
    modify_version: int = 0
    """How many times the sender edited it (``msg.modify``): the service's per-message
    version. An edit names the version it was made on and is refused (8006) when another edit
    came first, and a device takes a copy only when its version is higher than the one it
    holds, so edits arriving in any order by any path leave every device with the same text."""
    modify_time: int = 0
    """Server milliseconds of the last edit; 0 for a message never edited."""


_encode = msgspec.json.Encoder().encode


def payload_size(elems: list[Elem], cloud_custom_data: str,
                 push: OfflinePushInfo | None) -> int:
    """What the payload limit (12 KB by default) measures: every byte the sender chose — the
    encoded elements, cloud custom data and the notification texts — as all of it is stored and
    pushed to every recipient."""
    size = len(_encode(elems)) + len(cloud_custom_data.encode())
    if push is not None:
        size += sum(len(text.encode()) for text in (push.title, push.desc, push.ext, push.sound))
    return size


def revoked_form(msg: Message, revoker: str = "") -> Message:
    """A revoked message as service and clients keep it: flagged, its content gone (elements,
    cloud custom data, notification texts), its place in the log and its sender kept, and who
    recalled it when not its sender."""
    return msgspec.structs.replace(msg, revoked=True, elems=[], cloud_custom_data="", push=None,
                                   revoker=revoker if revoker != msg.sender else msg.revoker)


class MessageAck(msgspec.Struct):
    msg_id: str
    seq: int
    time: int
