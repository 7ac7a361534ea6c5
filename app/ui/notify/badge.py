"""The number on the tray icon and the dock/taskbar badge (N3, seed §5.5 and §8).

It is not the in-app unread total: the badge is the sum of unread over the conversations that
notify — "receive without notify" ones show a dot in the list and add nothing here, nor does the
system conversation — less the unread messages whose sender set `ignore_badge` (they count in
their chat's number, not on the app's icon).

The SDK keeps unread per conversation but not which unread messages ignore the badge, and its
cache is the SDK's business; so this counter keeps, per conversation, the seqs of unread
ignore-badge messages: from the cache at start (only conversations with unread, only their
unread messages) and from new messages after, dropping each once the chat is read past it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.protocol import RecvOpt
from app.sdk import Conversation, IMClient, Message
from app.sdk.messaging import HistoryType
from app.ui.system_conversation import is_system

log = logging.getLogger(__name__)

SCAN_LIMIT = 100
"""At start, at most this many unread messages are read per conversation to find ignore-badge
ones (the cache's newest; a chat with more unread is far past a badge's precision anyway)."""


def ignores_badge(msg: Message) -> bool:
    push = msg.offline_push_info
    return (push is not None and push.ignore_badge and not msg.is_self and msg.seq > 0
            and not msg.is_excluded_from_unread_count)


class BadgeCount(QObject):
    changed = Signal(int)

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._unread: dict[str, int] = {}
        """Per conversation that counts: its unread number."""
        self._read: dict[str, int] = {}
        self._ignored: dict[str, set[int]] = {}
        """Per conversation: seqs of unread messages that ignore the badge."""
        self.value = 0

    async def start(self, conversations: list[Conversation]) -> None:
        """Take the listed conversations and the ignore-badge messages among their unread."""
        self.update(conversations)
        manager = self._client.message_manager
        for conv in conversations:
            if conv.unread_count <= 0 or not self._counts(conv):
                continue
            try:
                page = await manager.get_history_message_list(
                    conv.conversation_id, min(conv.unread_count, SCAN_LIMIT),
                    get_type=HistoryType.LOCAL_OLDER)
            except Exception as exc:  # the badge is worth less than a failed start
                log.info("ignore-badge scan of %s failed: %s", conv.conversation_id, exc)
                continue
            for msg in page:
                self.message(msg)
        self._recount()

    def message(self, msg: Message) -> None:
        """A new message: remember it when it ignores the badge (before its conversation's
        new unread number arrives, which is the order the SDK announces them in)."""
        if ignores_badge(msg) and msg.seq > self._read.get(msg.conversation_id, 0):
            # Counted when the conversation's new unread number comes, right after: counting
            # now would dip the badge for a moment.
            self._ignored.setdefault(msg.conversation_id, set()).add(msg.seq)

    def update(self, conversations: list[Conversation]) -> None:
        for conv in conversations:
            conv_id = conv.conversation_id
            self._read[conv_id] = conv.read_seq
            if self._counts(conv):
                self._unread[conv_id] = conv.unread_count
            else:
                self._unread.pop(conv_id, None)
            ignored = self._ignored.get(conv_id)
            if ignored:
                ignored.difference_update({s for s in ignored if s <= conv.read_seq})
                if conv.unread_count <= 0:
                    ignored.clear()
        self._recount()

    def remove(self, conversation_ids: list[str]) -> None:
        for conv_id in conversation_ids:
            self._unread.pop(conv_id, None)
            self._ignored.pop(conv_id, None)
        self._recount()

    @staticmethod
    def _counts(conv: Conversation) -> bool:
        return conv.recv_opt == RecvOpt.RECEIVE and not is_system(conv.conversation_id)

    def _recount(self) -> None:
        total = 0
        for conv_id, unread in self._unread.items():
            total += max(0, unread - len(self._ignored.get(conv_id, ())))
        if total != self.value:
            self.value = total
            self.changed.emit(total)
