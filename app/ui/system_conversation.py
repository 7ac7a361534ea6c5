"""The system conversation (``c2c_@TIM#SYSTEM``), where the service keeps the group notices
addressed to me: listed and opened like a chat, but named in my language, drawn with a bell,
read-only (no one can write to it), and never a target to forward to or a person to invite.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication

from app.protocol.ids import SYSTEM_CONVERSATION_ID, SYSTEM_USER
from app.sdk import Conversation


def is_system(conversation_id: str) -> bool:
    return conversation_id == SYSTEM_CONVERSATION_ID


def is_system_user(user_id: str) -> bool:
    return user_id == SYSTEM_USER


def system_name() -> str:
    return QCoreApplication.translate("SystemConversation", "Group notifications")


def named(conversations: list[Conversation]) -> list[Conversation]:
    """The SDK's conversations with the system conversation given its name."""
    return [dataclasses.replace(c, show_name=system_name()) if is_system(c.conversation_id)
            else c for c in conversations]
