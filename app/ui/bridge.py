"""SDK listeners re-emitted as Qt signals.

The SDK runs on the qasync loop, i.e. on the GUI thread, so its callbacks can emit directly;
this object only changes the shape (listener methods → signals) so models and views connect to
what they need and nothing imports SDK listener classes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.sdk import (
    AdvancedMsgListener,
    ConnectionState,
    Conversation,
    ConversationListener,
    IMClient,
    Message,
    MessageReceipt,
    SDKListener,
    UserInfo,
)
from app.ui.system_conversation import named


class SdkBridge(QObject, SDKListener, AdvancedMsgListener, ConversationListener):
    connection_changed = Signal(int, int, str)
    """ConnectionState, error code, detail."""
    retry_scheduled = Signal(float)
    kicked = Signal()
    sig_expired = Signal()
    self_info_updated = Signal(object)
    server_data_reset = Signal(str)
    """The service's data was restored from an earlier copy or replaced; the SDK dropped its
    history and resyncs (the reason, in English, for logs)."""
    new_message = Signal(object)
    message_status_changed = Signal(object)
    send_progress = Signal(str, int)
    """msg_id, upload progress 0–100 of a media message of mine."""
    message_revoked = Signal(str, str)
    message_modified = Signal(object)
    """A message was edited: the Message as it is now (a newer ``modify_version``)."""
    typing_status = Signal(str, bool)
    """A peer is typing to me (True) or stopped."""
    """msg_id of a message recalled by its sender (or the admin API)."""
    receipts = Signal(list)
    conversations_changed = Signal(list)
    conversations_deleted = Signal(list)
    total_unread_changed = Signal(int)
    sync_started = Signal()
    sync_finished = Signal()
    sync_failed = Signal()

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        client.add_listener(self)
        client.message_manager.add_advanced_msg_listener(self)
        client.conversation_manager.add_conversation_listener(self)

    def detach(self) -> None:
        self.client.remove_listener(self)
        self.client.message_manager.remove_advanced_msg_listener(self)
        self.client.conversation_manager.remove_conversation_listener(self)

    # SDKListener
    def on_connecting(self) -> None:
        self.connection_changed.emit(ConnectionState.CONNECTING, 0, "")

    def on_connect_success(self) -> None:
        self.connection_changed.emit(ConnectionState.CONNECTED, 0, "")

    def on_connect_failed(self, code: int, error: str) -> None:
        self.connection_changed.emit(ConnectionState.DISCONNECTED, code, error)

    def on_retry_scheduled(self, delay_s: float) -> None:
        self.retry_scheduled.emit(delay_s)

    def on_kicked_offline(self) -> None:
        self.kicked.emit()

    def on_user_sig_expired(self) -> None:
        self.sig_expired.emit()

    def on_self_info_updated(self, info: UserInfo) -> None:
        self.self_info_updated.emit(info)

    def on_server_data_reset(self, reason: str) -> None:
        self.server_data_reset.emit(reason)

    # AdvancedMsgListener
    def on_recv_new_message(self, msg: Message) -> None:
        self.new_message.emit(msg)

    def on_message_status_changed(self, msg: Message) -> None:
        self.message_status_changed.emit(msg)

    def on_send_progress(self, msg: Message, progress: int) -> None:
        self.send_progress.emit(msg.msg_id, progress)

    def on_recv_message_revoked(self, msg_id: str, revoker: str) -> None:
        self.message_revoked.emit(msg_id, revoker)

    def on_recv_message_modified(self, msg: Message) -> None:
        self.message_modified.emit(msg)

    def on_recv_typing_status(self, user_id: str, typing: bool) -> None:
        self.typing_status.emit(user_id, typing)

    def on_recv_c2c_read_receipt(self, receipts: list[MessageReceipt]) -> None:
        self.receipts.emit(receipts)

    # ConversationListener
    def on_sync_server_start(self) -> None:
        self.sync_started.emit()

    def on_sync_server_finish(self) -> None:
        self.sync_finished.emit()

    def on_sync_server_failed(self) -> None:
        self.sync_failed.emit()

    def on_new_conversation(self, conversations: list[Conversation]) -> None:
        self.conversations_changed.emit(named(conversations))

    def on_conversation_changed(self, conversations: list[Conversation]) -> None:
        self.conversations_changed.emit(named(conversations))

    def on_conversation_deleted(self, conversation_ids: list[str]) -> None:
        self.conversations_deleted.emit(conversation_ids)

    def on_total_unread_message_count_changed(self, total: int) -> None:
        self.total_unread_changed.emit(total)
