"""Local operations waiting for the service: their persistent form and their effect on a row.

A read, pin, draft, receive option, deletion, group or friend change is applied to the cache at once
and queued here;
``OperationQueue`` (``app/sdk/operations.py``) replays the queue in order. While an operation is
queued, state from the service (catch-up, pushes, answers to other requests) must not undo it, so
every state the cache takes is overlaid with the pending operations of its conversation
(``overlay``) in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from collections.abc import Callable

    import sqlite_utils

    ReadLocally = Callable[[sqlite_utils.Database, str, int], None]


class Read(msgspec.Struct, tag="read"):
    conv_id: str
    seq: int


class Pin(msgspec.Struct, tag="pin"):
    conv_id: str
    pinned: bool


class Draft(msgspec.Struct, tag="draft"):
    conv_id: str
    text: str
    time: int


class ReceiveOption(msgspec.Struct, tag="recv_opt"):
    conv_id: str
    opt: int


class DeleteMessages(msgspec.Struct, tag="delete_messages"):
    conv_id: str
    seqs: list[int]


class DeleteConversation(msgspec.Struct, tag="delete_conversation"):
    conv_id: str
    seq: int
    """The newest seq the device held when the user deleted it."""


class GroupChange(msgspec.Struct, tag="group"):
    """A change to a group — its profile, a member, an application, my membership — as the
    request the service takes (``cmd`` and its body). Queued in the group chat's conversation,
    so it keeps its order with the reads of that chat. What it changes on this device before
    the service answers is the group manager's business (``GroupManager.overlay``), not a
    conversation row's."""
    conv_id: str
    cmd: str
    body: dict[str, Any]


class FriendChange(msgspec.Struct, tag="friend"):
    """A change to my relationships or my profile — a friend, a request, the blacklist, a
    friend group, ``profile.set`` — as the request the service takes. Queued under
    ``FRIENDS_QUEUE``, no conversation's; what it shows before the service answers is laid
    over the contacts by the friendship manager (``friends/overlay.py``)."""
    conv_id: str
    cmd: str
    body: dict[str, Any]
    time: int = 0
    """When it was made (ms, the service's clock): a block made offline lists as of then."""


FRIENDS_QUEUE = "@friends"
"""The ``conv_id`` of every ``FriendChange``: never a conversation's ID."""

Operation = (Read | Pin | Draft | ReceiveOption | DeleteMessages | DeleteConversation
             | GroupChange | FriendChange)

SUPERSEDING = (Read, Pin, Draft, ReceiveOption)
"""Kinds where a newer operation on a conversation makes an older queued one pointless."""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(Operation).decode


def encode(op: Operation) -> str:
    return _encode(op).decode()


def decode(body: str) -> Operation:
    return _decode(body)


def pending(db: sqlite_utils.Database, conv_id: str) -> list[Operation]:
    return [decode(body) for (body,) in db.execute(
        "SELECT body FROM operations WHERE conv_id = ? ORDER BY id", [conv_id])]


def overlay(db: sqlite_utils.Database, conv_id: str, read: ReadLocally) -> None:
    """Re-apply this conversation's queued operations on top of what the row now says."""
    for op in pending(db, conv_id):
        apply(db, op, read)


def apply(db: sqlite_utils.Database, op: Operation, read: ReadLocally) -> None:
    """The operation's effect on the cached conversation, as the service will apply it."""
    if isinstance(op, Read):
        read(db, op.conv_id, op.seq)
    elif isinstance(op, Pin):
        db.execute("UPDATE conversations SET pinned = ? WHERE conv_id = ?",
                   [int(op.pinned), op.conv_id])
    elif isinstance(op, Draft):
        db.execute("UPDATE conversations SET draft = ?, draft_time = ? WHERE conv_id = ?",
                   [op.text, op.time, op.conv_id])
    elif isinstance(op, ReceiveOption):
        db.execute("UPDATE conversations SET recv_opt = ? WHERE conv_id = ?",
                   [op.opt, op.conv_id])
    elif isinstance(op, DeleteConversation):
        # What arrived after the delete point stays visible, as on the service.
        db.execute("UPDATE conversations SET deleted = (max_seq <= ?), pinned = 0, draft = '', "
                   "draft_time = 0, min_seq = MAX(min_seq, ? + 1), "
                   "held_seq = MAX(held_seq, ?), floor_seq = MAX(floor_seq, ? + 1) "
                   "WHERE conv_id = ?", [op.seq, op.seq, op.seq, op.seq, op.conv_id])
