"""The Tidings client SDK: an asyncio library whose API mirrors V2TIM in snake_case.

    client = IMClient()
    client.init(sdk_app_id, "ws://127.0.0.1:8700/ws", SDKConfig(data_dir=...), listener)
    await client.login(user_id, user_sig)
    msg = client.message_manager.create_text_message("hello")
    await client.message_manager.send_message(msg, receiver="bob")

No Qt here: the desktop app binds these listeners to Qt models.
"""

from .client import IMClient
from .config import LogLevel, SDKConfig
from .friends.manager import FriendApplicationResult, FriendshipManager
from .listeners import (
    AdvancedMsgListener,
    ConversationListener,
    FriendshipListener,
    GroupListener,
    SDKListener,
)
from .messaging import HistoryType
from .models import (
    ConnectionState,
    Conversation,
    ConversationResult,
    LoginStatus,
    Message,
    MessageReceipt,
    MessageStatus,
    UserInfo,
)
from .search import KeywordMatch, MessageSearchParam, MessageSearchResult, MessageSearchResultItem

__all__ = [
    "AdvancedMsgListener",
    "ConnectionState",
    "Conversation",
    "ConversationListener",
    "ConversationResult",
    "FriendApplicationResult",
    "FriendshipListener",
    "FriendshipManager",
    "GroupListener",
    "HistoryType",
    "IMClient",
    "KeywordMatch",
    "LogLevel",
    "LoginStatus",
    "Message",
    "MessageReceipt",
    "MessageSearchParam",
    "MessageSearchResult",
    "MessageSearchResultItem",
    "MessageStatus",
    "SDKConfig",
    "SDKListener",
    "UserInfo",
]
