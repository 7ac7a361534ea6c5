"""Telling people what happened to a group, after the change committed: listener events to
exactly the users §1.10 names, tips into the stream where the type keeps them (G1: not Meeting,
not AVChatRoom), notices to the users an event concerns (§1.12, ``notices``), and the members'
conversation rows that joining or leaving changed."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from app.protocol import ConvType, Message, PushName
from app.protocol.elements import GroupTipsElem
from app.protocol.frames import encode_push
from app.protocol.groups import GroupEventPush
from app.protocol.ids import new_message_id
from app.server.bus import Bus
from app.server.services.conversations import ConversationService
from app.server.services.keys import group_key
from app.server.services.writer import MessageWriter

from .notices import GroupNotices, notices_for
from .rules import TypeRules

log = logging.getLogger(__name__)


class GroupNews:
    def __init__(self, bus: Bus, writer: MessageWriter,
                 conversations: ConversationService, notices: GroupNotices) -> None:
        self._bus = bus
        self._writer = writer
        self._conversations = conversations
        self._notices = notices

    def tell(self, user_ids: Iterable[str], event: GroupEventPush) -> None:
        users = sorted(set(user_ids))
        if users:
            self._bus.publish(users, encode_push(PushName.GROUP_EVENT, event))

    async def notify(self, group_id: str,
                     events: Iterable[tuple[Iterable[str], GroupEventPush]]) -> None:
        """Each event's system notices, stored for the users it concerns."""
        await self._notices.send(group_id, [notice for told, event in events
                                            for notice in notices_for(event, told)])

    async def tip(self, group_id: str, rules: TypeRules, tips: GroupTipsElem) -> None:
        """Store the tip in the group's log (every member then gets it, and a device that was
        away finds it in its catch-up); waits for the commit so a caller's answer comes after."""
        if not (rules.tips_in_stream and rules.stores_messages):
            return
        message = Message(msg_id=new_message_id(), conv_type=ConvType.GROUP,
                          sender=tips.op_user, group_id=group_id, elems=[tips],
                          exclude_unread=True)
        try:
            await self._writer.submit(message, group_key(group_id), origin=None)
        except Exception:
            # The change itself committed; a lost tip is a missing line in the chat, not a
            # wrong state, and the listener events already went out.
            log.exception("storing a tip of group %s failed", group_id)

    async def rows_changed(self, group_id: str, rules: TypeRules,
                           user_ids: Collection[str]) -> None:
        """Push the users' group conversation row as it is now (joined: a new conversation;
        left: a deleted one)."""
        if not rules.stores_messages:
            return
        key = group_key(group_id)
        for user_id in sorted(set(user_ids)):
            await self._conversations.publish_current(user_id, [key])

