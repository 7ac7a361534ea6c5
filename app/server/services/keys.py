"""Conversation keys: the name of a conversation independent of who looks at it.

Clients name a C2C chat by the peer (``c2c_bob`` for Alice, ``c2c_alice`` for Bob); the store
needs one key for both, so it uses the sorted pair. ':' cannot occur in a UserID, so the key
splits back unambiguously. A group's log is ``group:<groupID>`` and every member names it
``group_<groupID>``.
"""

from __future__ import annotations

from app.protocol.ids import (
    ConvType,
    c2c_conversation_id,
    group_conversation_id,
    parse_conversation_id,
)

_C2C = "c2c:"
_GROUP = "group:"


def group_key(group_id: str) -> str:
    return _GROUP + group_id


def group_of(key: str) -> str | None:
    """The group ID of a group log's key; None for a C2C key."""
    return key[len(_GROUP):] if key.startswith(_GROUP) else None


def c2c_key(a: str, b: str) -> str:
    return f"{_C2C}{a}:{b}" if a <= b else f"{_C2C}{b}:{a}"


def peer_of(key: str, user_id: str) -> str:
    """The other participant of a C2C conversation (the user themself in a chat with self)."""
    a, b = key[len(_C2C):].split(":", 1)
    return b if a == user_id else a


def conv_id_for(key: str, user_id: str) -> str:
    group_id = group_of(key)
    if group_id is not None:
        return group_conversation_id(group_id)
    return c2c_conversation_id(peer_of(key, user_id))


def resolve(conv_id: str, user_id: str) -> tuple[str, str]:
    """A client conversation ID → (conv_key, peer); the peer is empty for a group."""
    conv_type, target = parse_conversation_id(conv_id)
    if conv_type == ConvType.GROUP:
        return group_key(target), ""
    return c2c_key(user_id, target), target
