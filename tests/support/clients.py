"""Real SDK clients for tests, with a listener that records everything it is told."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.protocol import Platform
from app.sdk import (
    AdvancedMsgListener,
    Conversation,
    ConversationListener,
    IMClient,
    Message,
    MessageReceipt,
    SDKConfig,
    SDKListener,
)
from app.sdk.conversations import ConversationManager
from app.sdk.messaging import MessageManager

from .service import Service
from .waiting import wait_until as wait_until  # re-exported: the integration tests use it


@dataclass
class Recorder(SDKListener, AdvancedMsgListener, ConversationListener):
    messages: list[Message] = field(default_factory=list)
    receipts: list[MessageReceipt] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    total_unread: int = 0
    status_changes: list[Message] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    revokers: dict[str, str] = field(default_factory=dict)
    """Who recalled each revoked message, when not its sender."""
    modified: list[Message] = field(default_factory=list)
    """Messages as ``on_recv_message_modified`` gave them, in the order heard."""

    def on_connecting(self) -> None:
        self.events.append("connecting")

    def on_connect_success(self) -> None:
        self.events.append("connected")

    def on_connect_failed(self, code: int, error: str) -> None:
        self.events.append("connect_failed")

    def on_kicked_offline(self) -> None:
        self.events.append("kicked")

    def on_user_sig_expired(self) -> None:
        self.events.append("sig_expired")

    def on_server_data_reset(self, reason: str) -> None:
        self.events.append("data_reset")

    def on_recv_new_message(self, msg: Message) -> None:
        self.messages.append(msg)

    def on_recv_c2c_read_receipt(self, receipts: list[MessageReceipt]) -> None:
        self.receipts.extend(receipts)

    def on_recv_message_revoked(self, msg_id: str, revoker: str) -> None:
        self.revoked.append(msg_id)
        if revoker:
            self.revokers[msg_id] = revoker

    def on_recv_message_modified(self, msg: Message) -> None:
        self.modified.append(msg)

    def on_message_status_changed(self, msg: Message) -> None:
        self.status_changes.append(msg)

    def on_sync_server_finish(self) -> None:
        self.events.append("synced")

    def on_new_conversation(self, conversations: list[Conversation]) -> None:
        for conv in conversations:
            self.conversations[conv.conversation_id] = conv

    def on_conversation_changed(self, conversations: list[Conversation]) -> None:
        for conv in conversations:
            self.conversations[conv.conversation_id] = conv

    def on_total_unread_message_count_changed(self, total: int) -> None:
        self.total_unread = total


@dataclass
class Peer:
    """One device: a client, its recorder and its own data directory."""

    client: IMClient
    recorder: Recorder
    user_id: str
    data_dir: Path

    @property
    def mm(self) -> MessageManager:
        return self.client.message_manager

    @property
    def cm(self) -> ConversationManager:
        return self.client.conversation_manager

    async def close(self) -> None:
        await self.client.uninit()


def sdk_config(data_dir: Path, platform: Platform = Platform.DESKTOP, **overrides: float,
               ) -> SDKConfig:
    settings: dict[str, float] = {"reconnect_min_s": 0.05, "reconnect_max_s": 0.5, **overrides}
    return SDKConfig(data_dir=data_dir, platform=platform, **settings)


async def connect(service: Service, user_id: str, data_dir: Path,
                  platform: Platform = Platform.DESKTOP, login: bool = True,
                  url: str | None = None, **overrides: float) -> Peer:
    """A device of ``user_id``; ``url`` reaches the service another way (through a proxy)."""
    recorder = Recorder()
    client = IMClient()
    client.init(service.sdk_app_id, url or service.ws,
                sdk_config(data_dir, platform, **overrides), recorder)
    client.message_manager.add_advanced_msg_listener(recorder)
    client.conversation_manager.add_conversation_listener(recorder)
    if login:
        await client.login(user_id, service.sig(user_id))
    return Peer(client, recorder, user_id, data_dir)
