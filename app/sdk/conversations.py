"""ConversationManager: the conversation list, unread totals, drafts, pins, deletion
(V2TIMConversationManager)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from app.protocol import Cmd, ConversationState, ErrorCode, IMError
from app.protocol.commands import ConvDeleteReq, ConvUpdateReq
from app.protocol.ids import parse_conversation_id

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
        await self.client.cache.set_local_fields(
            conversation_id, draft=draft_text,
            draft_time=time.time_ns() // 1_000_000 if draft_text else 0)
        await self.client.announcer.conversations({conversation_id}, set())
        if self.client.ready:
            await self._update(ConvUpdateReq(conv_id=conversation_id, draft=draft_text))

    async def pin_conversation(self, conversation_id: str, is_pinned: bool) -> None:
        _check(conversation_id)
        await self.client.cache.set_local_fields(conversation_id, pinned=int(is_pinned))
        await self.client.announcer.conversations({conversation_id}, set())
        if self.client.ready:
            await self._update(ConvUpdateReq(conv_id=conversation_id, pinned=is_pinned))

    async def set_conversation_receive_option(self, conversation_id: str, opt: int) -> None:
        _check(conversation_id)
        await self._update(ConvUpdateReq(conv_id=conversation_id, recv_opt=opt))

    async def _update(self, req: ConvUpdateReq) -> None:
        try:
            state: ConversationState = await self.client.request(Cmd.CONV_UPDATE, req)
        except IMError as exc:
            if exc.code == ErrorCode.CONVERSATION_NOT_FOUND:
                return
            raise
        client = self.client

        async def apply() -> None:
            result = await client.cache.apply_states([state])
            await client.announcer.messages(result, announce_new=True)
            await client.announcer.conversations(result.touched, set(result.new_conversations))

        await client.sync.serialized(apply)

    async def delete_conversation(self, conversation_id: str) -> None:
        """Remove it from my list and hide its history for me (C5); a new message brings the
        conversation back, without the old history."""
        _check(conversation_id)
        try:
            await self.client.request(Cmd.CONV_DELETE, ConvDeleteReq(conv_id=conversation_id))
        except IMError as exc:
            if exc.code != ErrorCode.CONVERSATION_NOT_FOUND:
                raise
        conv = await self.client.cache.conversation(conversation_id)
        if conv is not None:
            top = max(conv.max_seq, conv.held_seq)
            await self.client.cache.set_local_fields(
                conversation_id, deleted=1, pinned=0, draft="", min_seq=top + 1,
                held_seq=top, floor_seq=top + 1, last_id=None)
        await self.client.announcer.conversations({conversation_id}, set())
