"""Identifiers: UserIDs, message IDs and the V2TIM-style conversation IDs clients use.

A conversation ID is always relative to the user who holds it: Alice's chat with Bob is
``c2c_bob`` for Alice and ``c2c_alice`` for Bob; a group chat is ``group_<groupID>`` for everyone.
"""

from __future__ import annotations

import re
import secrets
import time
from enum import IntEnum

from .errors import ErrorCode, IMError
from .limits import GROUP_ID_MAX_BYTES, MESSAGE_ID_MAX_LEN, USER_ID_MAX_BYTES

_USER_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{USER_ID_MAX_BYTES}}}")
_MESSAGE_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MESSAGE_ID_MAX_LEN}}}")
_GROUP_ID = re.compile(rf"[!-~]{{1,{GROUP_ID_MAX_BYTES}}}")

C2C_PREFIX = "c2c_"
GROUP_PREFIX = "group_"
SYSTEM_USER = "@TIM#SYSTEM"
"""The sender of group system notices (Tencent's name for the system conversation's peer): an
account no one can sign in as or write to, since no valid UserID starts with '@'."""
SYSTEM_CONVERSATION_ID = C2C_PREFIX + SYSTEM_USER


class ConvType(IntEnum):
    """Numbers follow V2TIM's V2TIM_C2C / V2TIM_GROUP."""

    C2C = 1
    GROUP = 2


def is_valid_user_id(user_id: object) -> bool:
    return isinstance(user_id, str) and _USER_ID.fullmatch(user_id) is not None


def check_user_id(user_id: object) -> str:
    if not is_valid_user_id(user_id):
        raise IMError(ErrorCode.INVALID_USER_ID, f"invalid UserID {user_id!r}: "
                      "use 1–32 bytes of letters, digits, '_' and '-'")
    return user_id  # type: ignore[return-value]


def is_valid_message_id(msg_id: object) -> bool:
    return isinstance(msg_id, str) and _MESSAGE_ID.fullmatch(msg_id) is not None


def is_valid_group_id(group_id: object) -> bool:
    return isinstance(group_id, str) and _GROUP_ID.fullmatch(group_id) is not None


def new_message_id() -> str:
    """Time-prefixed so IDs sort roughly by creation; 80 random bits make collisions moot."""
    return f"{time.time_ns() // 1_000_000:x}{secrets.token_hex(10)}"


def c2c_conversation_id(peer: str) -> str:
    return C2C_PREFIX + peer


def group_conversation_id(group_id: str) -> str:
    return GROUP_PREFIX + group_id


def parse_conversation_id(conv_id: object) -> tuple[ConvType, str]:
    """Split a client conversation ID into its type and target, refusing malformed ones."""
    if isinstance(conv_id, str):
        if conv_id.startswith(C2C_PREFIX):
            peer = conv_id[len(C2C_PREFIX):]
            if is_valid_user_id(peer) or peer == SYSTEM_USER:
                return ConvType.C2C, peer
        elif conv_id.startswith(GROUP_PREFIX):
            group_id = conv_id[len(GROUP_PREFIX):]
            if is_valid_group_id(group_id):
                return ConvType.GROUP, group_id
    raise IMError(ErrorCode.INVALID_CONVERSATION_ID, f"invalid conversation ID {conv_id!r}")
