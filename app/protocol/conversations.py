"""A user's view of one conversation, as the service reports it during sync and on change."""

from __future__ import annotations

from enum import IntEnum

import msgspec

from .messages import Message


class RecvOpt(IntEnum):
    """Numbers follow V2TIM_RECEIVE_MESSAGE / NOT_RECEIVE / RECEIVE_NOT_NOTIFY (C6)."""

    RECEIVE = 0
    NOT_RECEIVE = 1
    RECEIVE_NOT_NOTIFY = 2


class ConversationState(msgspec.Struct, omit_defaults=True):
    """Per-user state of a conversation.

    ``unread`` is computed by the service as of ``max_seq``: messages from others with
    ``read_seq < seq <= max_seq`` that count (not online-only, not excluded, not revoked, not
    deleted for me). A client adds the counting messages it receives with ``seq > max_seq``.
    ``min_seq`` is the first seq visible to this user; everything below it was cleared or
    deleted with the conversation. ``version`` is this user's state version at the last change of
    the per-user fields (read position, pin, draft, receive option, deletion).
    """

    conv_id: str
    conv_type: int
    max_seq: int = 0
    read_seq: int = 0
    unread: int = 0
    peer_read_seq: int = 0
    min_seq: int = 1
    last_msg: Message | None = None
    pinned: bool = False
    draft: str = ""
    draft_time: int = 0
    recv_opt: int = RecvOpt.RECEIVE
    deleted: bool = False
    version: int = 0
    hidden: list[int] = msgspec.field(default_factory=list)
    """Seqs the user deleted for themselves (on another device, or while this one was away):
    in ``conv.sync`` those deleted after the version asked from, in a push or an answer those
    just deleted. A device deletes them too; ``unread`` already leaves them out."""
    revoked: list[int] = msgspec.field(default_factory=list)
    """Seqs whose messages were revoked: in ``conv.sync`` those revoked after the version asked
    from, so a device that was away marks them too; in a ``conv.changed`` push the one just
    revoked. ``unread`` already leaves them out."""
    revokers: dict[int, str] = msgspec.field(default_factory=dict)
    """With ``revoked`` in ``conv.sync``: who recalled each of those messages where it was not
    its sender (a group's owner or admin), so the device names them as a live push would."""
    modified: list[Message] = msgspec.field(default_factory=list)
    """In ``conv.sync``: the messages edited after the version asked from (``msg.modify``), as
    stored now, so a device that was away takes the edits its peers' and my other devices'
    sessions heard as ``msg.modified``; a device keeps a copy whose ``modify_version`` is not
    lower than one of these."""
    at_me_seq: int = 0
    """Groups: the newest unread message (``seq > read_seq``) from someone else that mentions
    me by ID, or 0; ``at_all_seq`` the same for messages mentioning everyone (M11)."""
    at_all_seq: int = 0
    read_reset: int = 0
    """The user's state version when the admin last moved this read position back
    (``set_unread_msg_num``), or 0. Read positions otherwise only move forward: a device
    takes a lower ``read_seq`` from a state with a newer ``read_reset`` than it holds, and
    none from a state with an older one."""
