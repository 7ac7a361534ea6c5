"""Turns what the cache just learned into listener calls.

New messages, acks found by sync, conversation changes and the total unread count are all
derived from cache results here, so every path (push, pull, ack, read) announces the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.protocol import ConvType, RecvOpt
from app.protocol.ids import C2C_PREFIX

from .cache.store import CachedMessage, ConversationRow, StoreResult
from .models import Conversation, GroupAtInfo, GroupAtType, Message, MessageReceipt

if TYPE_CHECKING:
    from .client import IMClient


class Announcer:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._total_unread: int | None = None
        self._unread: dict[str, int] | None = None
        """Per conversation, what it adds to the total; kept current from the rows every
        announcement reads, so the total never needs a scan of all conversations."""

    def message(self, cached: CachedMessage) -> Message:
        msg = Message.from_wire(cached.wire, self.client.me, cached.status)
        return msg

    async def messages(self, result: StoreResult, announce_new: bool) -> None:
        client = self.client
        for cached in result.acked:
            client.outbox.resolve(self.message(cached))
        for msg_id, revoker in result.revoked.items():
            client.notify_message("on_recv_message_revoked", msg_id, revoker)
        for cached in result.modified.values():
            if cached.wire.msg_id not in result.revoked:
                client.notify_message("on_recv_message_modified", self.message(cached))
        if result.peer_reads:
            now = client.server_time_ms() // 1000
            client.notify_message("on_recv_c2c_read_receipt", [
                MessageReceipt(conv_id, conv_id[len(C2C_PREFIX):], seq, now)
                for conv_id, seq in result.peer_reads.items() if conv_id.startswith(C2C_PREFIX)])
        if not announce_new:
            return
        for conv_id, batch in result.contiguous.items():
            peer_read = 0
            conv = await client.cache.conversation(conv_id)
            if conv is not None:
                peer_read = conv.peer_read_seq
            for cached in batch:
                if cached.local or cached.wire.deleted:
                    continue
                msg = self.message(cached)
                msg.is_peer_read = msg.is_self and 0 < msg.seq <= peer_read
                client.notify_message("on_recv_new_message", msg)

    async def conversations(self, conv_ids: Iterable[str], new_ids: set[str]) -> None:
        ids = set(conv_ids)
        if ids:
            rows = await self.client.cache.conversations(ids)
            fresh: list[Conversation] = []
            changed: list[Conversation] = []
            deleted: list[str] = []
            for row, last, unread in rows:
                if self._unread is not None:
                    counted = not row.deleted and row.recv_opt != RecvOpt.NOT_RECEIVE
                    self._unread[row.conv_id] = unread if counted else 0
                if row.deleted:
                    deleted.append(row.conv_id)
                    continue
                conv = self.build(row, last, unread)
                (fresh if row.conv_id in new_ids else changed).append(conv)
            if fresh:
                self.client.notify_conversation("on_new_conversation", fresh)
            if changed:
                self.client.notify_conversation("on_conversation_changed", changed)
            if deleted:
                self.client.notify_conversation("on_conversation_deleted", deleted)
        await self.total_unread()

    def reset(self) -> None:
        """A new user's cache: forget the totals of the previous one."""
        self._unread = None
        self._total_unread = None

    async def current_total(self) -> int:
        if self._unread is None:
            self._unread = await self.client.cache.unread_by_conversation()
        return sum(self._unread.values())

    async def total_unread(self) -> None:
        total = await self.current_total()
        if total != self._total_unread:
            self._total_unread = total
            self.client.notify_conversation("on_total_unread_message_count_changed", total)

    def build(self, row: ConversationRow, last: CachedMessage | None, unread: int,
              ) -> Conversation:
        is_group = row.conv_type == ConvType.GROUP
        profile = None if is_group else self.client.profiles.get(row.target)
        group = self.client.group_manager.cached_group(row.target) if is_group else None
        if group is not None:
            show_name, face_url = group.name or row.target, group.face_url
        else:
            # C1: my remark for a friend, else their nickname, else their user ID.
            friend = self.client.friendship_manager.cached_friend(row.target)
            if profile is None and friend is not None:
                profile = friend.profile
            nick = profile.nick if profile else ""
            show_name = (friend.remark if friend else "") or nick or row.target
            face_url = profile.face_url if profile else ""
        last_message = None
        if last is not None:
            last_message = self.message(last)
            last_message.is_peer_read = (last_message.is_self
                                         and 0 < last_message.seq <= row.peer_read_seq)
        return Conversation(
            conversation_id=row.conv_id, type=ConvType(row.conv_type),
            user_id="" if is_group else row.target, group_id=row.target if is_group else "",
            show_name=show_name, face_url=face_url,
            last_message=last_message, unread_count=unread, draft_text=row.draft,
            draft_time=row.draft_time, is_pinned=row.pinned, recv_opt=RecvOpt(row.recv_opt),
            order_key=max(row.last_time, row.draft_time), read_seq=row.read_seq,
            peer_read_seq=row.peer_read_seq, max_seq=row.max_seq,
            group_at_info_list=mentions(row), group_type=group.group_type if group else "")


def mentions(row: ConversationRow) -> list[GroupAtInfo]:
    """The unread mentions of me in a group conversation, oldest first (one per kind: the
    newest of each, which is what a list's "[@me]" and a jump to it need)."""
    me, everyone = row.at_me_seq, row.at_all_seq
    if me > row.read_seq and me == everyone:
        return [GroupAtInfo(me, GroupAtType.AT_ALL_AT_ME)]
    found = [GroupAtInfo(seq, kind) for seq, kind in ((me, GroupAtType.AT_ME),
                                                       (everyone, GroupAtType.AT_ALL))
             if seq > row.read_seq]
    return sorted(found, key=lambda info: info.seq)
