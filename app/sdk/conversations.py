"""ConversationManager: the conversation list, unread totals, drafts, pins, deletion
(V2TIMConversationManager)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from app.protocol import ErrorCode, IMError
from app.protocol.ids import parse_conversation_id

from .cache.operations import DeleteConversation, Draft, Pin, ReceiveOption
from .listeners import ConversationListener
from .models import Conversation, ConversationResult

if TYPE_CHECKING:
    from .client import IMClient


def _check(conversation_id: str) -> None:
    try:
        parse_conversation_id(conversation_id)
    except IMError as exc:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, exc.detail) from None


class ConversationManager:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self.listeners: list[ConversationListener] = []

    def add_conversation_listener(self, listener: ConversationListener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def remove_conversation_listener(self, listener: ConversationListener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    async def get_conversation_list(self, next_seq: int = 0, count: int = 50,
                                    ) -> ConversationResult:
        """A page of the list, pinned first, then by last activity; served from the cache, which
        sync keeps current, so it works offline and needs no round trip."""
        rows = await self.client.cache.conversations(offset=next_seq, limit=count + 1)
        page = rows[:count]
        convs = [self.client.announcer.build(row, last, unread) for row, last, unread in page]
        return ConversationResult(convs, next_seq + len(page), len(rows) <= count)

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        _check(conversation_id)
        rows = await self.client.cache.conversations([conversation_id])
        if not rows or rows[0][0].deleted:
            return None
        return self.client.announcer.build(*rows[0])

    async def get_total_unread_message_count(self) -> int:
        return await self.client.announcer.current_total()

    async def set_conversation_draft(self, conversation_id: str, draft_text: str) -> None:
        """Kept locally at once and synced to my other devices when online (C4)."""
        _check(conversation_id)
        await self._ensure(conversation_id)
        stamp = time.time_ns() // 1_000_000 if draft_text else 0
        await self.client.operations.submit(Draft(conversation_id, draft_text, stamp))

    async def pin_conversation(self, conversation_id: str, is_pinned: bool) -> None:
        _check(conversation_id)
        await self.client.operations.submit(Pin(conversation_id, is_pinned))

    async def set_conversation_receive_option(self, conversation_id: str, opt: int) -> None:
        _check(conversation_id)
        await self.client.operations.submit(ReceiveOption(conversation_id, int(opt)))

    async def delete_conversation(self, conversation_id: str) -> None:
        """Remove it from my list and hide its history for me (C5), up to the newest message
        this device knows of; a new message brings the conversation back, without the old
        history."""
        _check(conversation_id)
        conv = await self.client.cache.conversation(conversation_id)
        top = max(conv.max_seq, conv.held_seq) if conv is not None else 0
        await self.client.operations.submit(DeleteConversation(conversation_id, top))

    async def _ensure(self, conversation_id: str) -> None:
        """A draft may be the first thing in a conversation this device never had."""
        kind, target = parse_conversation_id(conversation_id)
        await self.client.cache.ensure_conversation(conversation_id, kind, target)
