"""MessageManager: create, send, page history, mark read, delete (V2TIMMessageManager)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

import msgspec

from app.protocol import (
    Cmd,
    ConvType,
    CustomElem,
    Elem,
    ErrorCode,
    FaceElem,
    IMError,
    LocationElem,
    OfflinePushInfo,
    Priority,
    TextElem,
)
from app.protocol import Message as WireMessage
from app.protocol.commands import HistoryReq, HistoryResp, PullReq, PullResp, SendReq, SeqRange
from app.protocol.ids import (
    c2c_conversation_id,
    group_conversation_id,
    is_valid_group_id,
    is_valid_user_id,
    new_message_id,
    parse_conversation_id,
)
from app.protocol.messages import payload_size

from . import forwarding, modifying, revoking, search
from .attachments import Attachments, uploads_of
from .cache.operations import DeleteMessages, Read
from .cache.store import CachedMessage, ConversationRow
from .listeners import AdvancedMsgListener
from .models import HistoryPage, Message, MessageStatus
from .search import MessageSearchParam, MessageSearchResult

if TYPE_CHECKING:
    from .client import IMClient

_encode = msgspec.json.Encoder().encode



class HistoryType(IntEnum):
    """V2TIM_GET_CLOUD_OLDER_MSG … V2TIM_GET_LOCAL_NEWER_MSG."""

    CLOUD_OLDER = 1
    CLOUD_NEWER = 2
    LOCAL_OLDER = 3
    LOCAL_NEWER = 4

    @property
    def newer(self) -> bool:
        return self in (HistoryType.CLOUD_NEWER, HistoryType.LOCAL_NEWER)

    @property
    def cloud(self) -> bool:
        return self in (HistoryType.CLOUD_OLDER, HistoryType.CLOUD_NEWER)


def covers(conv: ConversationRow | None, anchor: int, count: int) -> bool:
    """Whether the cache has proven every visible seq of the requested page."""
    if conv is None:
        return False
    top = anchor - 1 if anchor else conv.max_seq
    if top < conv.min_seq:
        return True
    low = max(top - count + 1, conv.min_seq)
    return top <= conv.held_seq and low >= conv.floor_seq


def covers_newer(conv: ConversationRow | None, after: int, count: int) -> bool:
    """Whether the cache has proven every seq of the page after ``after``."""
    if conv is None:
        return False
    top = min(after + count, conv.max_seq)
    return top <= after or (after + 1 >= conv.floor_seq and top <= conv.held_seq)


class MessageManager:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self.listeners: list[AdvancedMsgListener] = []
        self.attachments = Attachments(lambda: client.media.cache, lambda: client.limits)

    def add_advanced_msg_listener(self, listener: AdvancedMsgListener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def remove_advanced_msg_listener(self, listener: AdvancedMsgListener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    # --- create --------------------------------------------------------------------------

    def _create(self, elem: Elem) -> Message:
        return Message(msg_id=new_message_id(), conv_type=ConvType.C2C,
                       sender=self.client.me, elems=[elem], is_self=True,
                       time_ms=self.client.server_time_ms())

    def create_text_message(self, text: str) -> Message:
        return self._create(TextElem(text))

    def create_text_at_message(self, text: str, at_user_list: list[str]) -> Message:
        """A group text mentioning members by ID, or everyone with ``AT_ALL`` (M11)."""
        if not at_user_list:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "mention at least one member")
        msg = self._create(TextElem(text))
        msg.group_at_user_list = list(dict.fromkeys(at_user_list))
        return msg

    def create_custom_message(self, data: str | bytes, description: str = "",
                              extension: str = "") -> Message:
        if isinstance(data, bytes):
            try:
                data = data.decode()
            except UnicodeDecodeError:
                raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                              "custom data must be UTF-8 text") from None
        return self._create(CustomElem(data, description, extension))

    def create_face_message(self, index: int, data: str = "") -> Message:
        return self._create(FaceElem(index, data))

    def create_location_message(self, desc: str, longitude: float, latitude: float) -> Message:
        return self._create(LocationElem(desc, longitude, latitude))

    # Media messages take their files into the media cache and decode them in an executor, so
    # unlike V2TIM's these are coroutines; the message they return can be shown at once.

    async def create_image_message(self, path: str) -> Message:
        """Original, large (shorter side 720 px) and thumb (198 px), EXIF orientation applied;
        a corrupt picture or a decompression bomb is refused here, before any upload."""
        return self._create(await self.attachments.image(path))

    async def create_file_message(self, path: str, name: str = "") -> Message:
        return self._create(await self.attachments.file(path, name))

    async def create_sound_message(self, path: str, duration: int = 0) -> Message:
        """``duration`` in seconds; measured from the file when 0."""
        return self._create(await self.attachments.sound(path, duration))

    async def create_video_message(self, path: str, type: str = "", duration: int = 0,
                                   snapshot_path: str = "") -> Message:
        """What is not given (format, duration, snapshot) is taken from the video itself, the
        snapshot from its first good frame."""
        return self._create(await self.attachments.video(path, type, duration, snapshot_path))

    async def create_merger_message(self, messages: list[Message], title: str,
                                    abstracts: list[str], compatible_text: str) -> Message:
        """Several messages forwarded as one "chat history" (oldest first as given)."""
        if not messages:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "nothing to forward")
        if not compatible_text:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                          "a merged message needs a compatible text for older clients")
        return self._create(await self.attachments.merger(
            [m.to_wire() for m in messages], title, abstracts, compatible_text))

    async def download_merger_message(self, msg: Message) -> list[Message]:
        """The messages a merged message carries, fetched into the media cache first."""
        elem = msg.merger_elem
        if elem is None or not elem.uuid:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "not a merged message")
        path = await self.client.media.download(elem.uuid, size=elem.size)
        wires = await self.attachments.read_bundle(path)
        return [Message.from_wire(w, self.client.me) for w in wires]

    # --- send ----------------------------------------------------------------------------

    async def send_message(self, msg: Message, receiver: str | None = None,
                           group_id: str | None = None, priority: Priority = Priority.NORMAL,
                           online_user_only: bool = False,
                           offline_push_info: OfflinePushInfo | None = None,
                           progress: Callable[[int], None] | None = None) -> Message:
        """Send and wait for the service's ack; the message is updated in place and returned.

        A media message first uploads what this device holds of it; ``progress`` (and the
        listeners' ``on_send_progress``) hear 0–100 as it goes. The upload has no deadline
        while it moves — a slow link may take long over a big video — and resumes after a cut
        or a restart; the outbox deadline counts from when it is done.

        The message is in the persistent outbox before the first attempt, so if the link drops
        — or the app opened offline from its cache and has not signed in yet — it goes out
        after the next login; this coroutine then waits until the outbox deadline.
        Refusals raise IMError with the service's code and leave the message SEND_FAIL.
        """
        client = self.client
        if not client.has_storage:
            raise IMError(ErrorCode.SDK_NOT_LOGGED_IN)
        if group_id:
            if receiver:
                raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                              "a message goes to a user or to a group, not both")
            if not is_valid_group_id(group_id):
                raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"invalid group {group_id!r}")
        elif not receiver or not is_valid_user_id(receiver):
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"invalid receiver {receiver!r}")
        elif msg.group_at_user_list:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "only group messages mention members")
        if len(msg.elems) != 1:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "a message carries one element")
        if (payload_size(msg.elems, msg.cloud_custom_data, offline_push_info)
                > client.limits.payload_bytes):
            raise IMError(ErrorCode.MESSAGE_TOO_LONG)
        msg.sender, msg.receiver, msg.group_id = client.me, receiver or "", group_id or ""
        msg.conv_type = ConvType.GROUP if group_id else ConvType.C2C
        msg.is_self, msg.priority, msg.online_user_only = True, priority, online_user_only
        msg.offline_push_info = offline_push_info
        msg.status = MessageStatus.SENDING
        msg.time_ms = client.server_time_ms()
        uploads = uploads_of(msg.elems[0], client.media.cached)
        if online_user_only:
            if uploads:
                raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                              "media cannot be sent to online users only")
            return await self._send_online_only(msg)
        created = await client.cache.ensure_conversation(
            msg.conversation_id, msg.conv_type, group_id or receiver or "")
        uploaded = client.uploader.watch(msg, progress) if uploads else None
        try:
            fut = await client.outbox.submit(msg.to_wire(), uploads)
        except BaseException:
            client.uploader.forget(msg.msg_id)
            raise
        await client.announcer.conversations({msg.conversation_id},
                                             {msg.conversation_id} if created else set())
        if uploaded is not None:
            try:
                await asyncio.shield(uploaded)
            except IMError:
                msg.status = MessageStatus.SEND_FAIL
                if fut.done():
                    fut.exception()  # the same refusal, raised here once
                raise
        try:
            sent = await asyncio.wait_for(asyncio.shield(fut), client.config.outbox_ttl_s)
        except TimeoutError:
            await client.outbox.expire(msg.msg_id)
            msg.status = MessageStatus.SEND_FAIL
            raise IMError(ErrorCode.SDK_SEND_EXPIRED) from None
        except IMError:
            msg.status = MessageStatus.SEND_FAIL
            raise
        msg.seq, msg.time_ms, msg.status = sent.seq, sent.time_ms, MessageStatus.SEND_SUCC
        return msg

    async def _send_online_only(self, msg: Message) -> Message:
        if not self.client.ready:
            raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE)
        try:
            ack = await self.client.request(Cmd.MSG_SEND, SendReq(msg=msg.to_wire()))
        except IMError:
            msg.status = MessageStatus.SEND_FAIL
            raise
        msg.time_ms, msg.status = ack.time, MessageStatus.SEND_SUCC
        return msg

    # --- history -------------------------------------------------------------------------

    async def get_c2c_history_message_list(self, user_id: str, count: int = 20,
                                           last_msg: Message | None = None) -> list[Message]:
        return await self.get_history_message_list(c2c_conversation_id(user_id), count, last_msg)

    async def get_group_history_message_list(self, group_id: str, count: int = 20,
                                             last_msg: Message | None = None) -> list[Message]:
        """What the service lets me see of the group's log (per type: from when I joined, or
        all of it in a Meeting)."""
        return await self.get_history_message_list(group_conversation_id(group_id), count,
                                                    last_msg)

    async def get_history_message_list(self, conversation_id: str, count: int = 20,
                                       last_msg: Message | None = None,
                                       get_type: HistoryType = HistoryType.CLOUD_OLDER,
                                       last_msg_seq: int = 0) -> list[Message]:
        """Newest first, older than ``last_msg``; with a ``*_NEWER`` type the messages after
        it, oldest first. Served from the cache when it has proven the page, else from the
        service (merged into the cache); from the cache when offline. ``last_msg_seq``
        instead of ``last_msg`` anchors at a seq and includes that message (V2TIM's
        ``lastMsgSeq``), as opening a search result needs."""
        page = await self.get_history_page(conversation_id, count, last_msg, get_type,
                                           last_msg_seq)
        return page.messages

    async def get_history_page(self, conversation_id: str, count: int = 20,
                               last_msg: Message | None = None,
                               get_type: HistoryType = HistoryType.CLOUD_OLDER,
                               last_msg_seq: int = 0) -> HistoryPage:
        """``get_history_message_list`` that also says whether the page stopped at a gap the
        cache cannot fill by itself (offline, or missed beyond the catch-up window): a view
        shows "load earlier" there instead of joining older messages onto newer ones."""
        try:
            parse_conversation_id(conversation_id)
        except IMError as exc:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, exc.detail) from None
        if last_msg_seq < 0:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "last_msg_seq cannot be negative")
        count = max(1, min(count, self.client.limits.history_page_max))
        if get_type.newer:
            after = last_msg.seq if last_msg is not None else max(last_msg_seq - 1, 0)
            return await self._newer_page(conversation_id, count, after, get_type.cloud)
        client = self.client
        anchor = last_msg.seq if last_msg is not None else (
            last_msg_seq + 1 if last_msg_seq else 0)
        conv = await client.cache.conversation(conversation_id)
        cloud = get_type == HistoryType.CLOUD_OLDER and client.ready
        if cloud and not covers(conv, anchor, count):
            await self._fetch_page(conversation_id, anchor, count)
            conv = await client.cache.conversation(conversation_id)
        cached, gap = await client.cache.messages_before(
            conversation_id, anchor, count, include_pending=last_msg is None and not anchor)
        peer_read = conv.peer_read_seq if conv else 0
        out = [self._shown(item, peer_read) for item in cached]
        seqs = [m.seq for m in out if m.seq]
        finished = not gap and (not seqs or min(seqs) <= (conv.min_seq if conv else 1))
        return HistoryPage(out, gap, finished)

    def _shown(self, item: CachedMessage, peer_read: int) -> Message:
        msg = self.client.announcer.message(item)
        msg.is_peer_read = msg.is_self and 0 < msg.seq <= peer_read
        return msg

    async def _newer_page(self, conversation_id: str, count: int, after: int,
                          cloud: bool) -> HistoryPage:
        """The messages after seq ``after``, oldest first: pulled from the service (when
        online and the cache has not proven them) in the seq order they follow ``after``, so
        a page always joins the one before it."""
        client = self.client
        conv = await client.cache.conversation(conversation_id)
        if cloud and client.ready and not covers_newer(conv, after, count):
            await self._fetch_newer(conversation_id, after, count)
            conv = await client.cache.conversation(conversation_id)
        cached, gap, reached = await client.cache.messages_after(conversation_id, after, count)
        peer_read = conv.peer_read_seq if conv else 0
        out = [self._shown(item, peer_read) for item in cached]
        return HistoryPage(out, is_finished=not gap and (conv is None or reached >= conv.max_seq),
                           gap_after=gap)

    async def _fetch_newer(self, conversation_id: str, after: int, count: int) -> None:
        try:
            resp: PullResp = await self.client.request(
                Cmd.MSG_PULL, PullReq(ranges=[SeqRange(conversation_id, after, after + count)],
                                      limit=count))
        except IMError as exc:
            if exc.code in (ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.SDK_NETWORK_UNAVAILABLE,
                            ErrorCode.SDK_REQUEST_TIMEOUT):
                return
            raise
        if not resp.messages:
            return
        seqs = sorted(m.seq for m in resp.messages)
        joins = seqs == list(range(after + 1, after + 1 + len(seqs)))
        await self._store_page(conversation_id, resp.messages, seqs if joins else None)

    async def find_messages(self, msg_ids: list[str]) -> list[Message]:
        """The messages with these IDs this device holds (V2TIM ``findMessages``), in the
        order asked; those it does not hold are left out."""
        found = await self.client.cache.find_messages(list(dict.fromkeys(msg_ids)))
        return [self.client.announcer.message(item) for item in found]

    async def _fetch_page(self, conversation_id: str, anchor: int, count: int) -> None:
        try:
            resp: HistoryResp = await self.client.request(
                Cmd.MSG_HISTORY, HistoryReq(conv_id=conversation_id, before_seq=anchor,
                                            limit=count))
        except IMError as exc:
            if exc.code == ErrorCode.CONVERSATION_NOT_FOUND:
                return
            if exc.code in (ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_REQUEST_TIMEOUT):
                return
            raise
        if not resp.messages:
            return
        seqs = sorted(m.seq for m in resp.messages)
        joins = (seqs == list(range(seqs[0], seqs[-1] + 1))
                 and (anchor == 0 or seqs[-1] == anchor - 1))
        await self._store_page(conversation_id, resp.messages, seqs if joins else None)

    async def _store_page(self, conversation_id: str, messages: list[WireMessage],
                          joined: list[int] | None) -> None:
        """A page from the service into the cache, announced; `joined`: its seqs when they
        run on from what the cache has proven, which then covers them too."""
        client = self.client

        async def store() -> None:
            result = await client.cache.store_messages(messages)
            if joined:
                await client.cache.extend_floor(conversation_id, joined[0], joined[-1])
            await client.announcer.messages(result, announce_new=True)

        await client.sync.serialized(store)

    # --- read / delete -------------------------------------------------------------------

    async def mark_c2c_message_as_read(self, user_id: str) -> None:
        await self.mark_conversation_as_read(c2c_conversation_id(user_id))

    async def mark_group_message_as_read(self, group_id: str) -> None:
        """Everything this device holds of the group is read (my unread and [@me] go)."""
        await self.mark_conversation_as_read(group_conversation_id(group_id))

    async def set_group_receive_message_opt(self, group_id: str, opt: int) -> None:
        """RecvOpt for one group's messages (C6), synced to my other devices."""
        await self.client.conversation_manager.set_conversation_receive_option(
            group_conversation_id(group_id), opt)

    async def mark_all_message_as_read(self) -> None:
        """Every conversation with unread messages read up to what this device holds (V2TIM
        ``markAllMessageAsRead``), each as its own queued read, so it works offline too."""
        manager = self.client.conversation_manager
        unread: list[str] = []
        next_seq, finished = 0, False
        while not finished:
            page = await manager.get_conversation_list(next_seq, 200)
            unread += [c.conversation_id for c in page.conversation_list if c.unread_count]
            next_seq, finished = page.next_seq, page.is_finished or not page.conversation_list
        await asyncio.gather(*(self.mark_conversation_as_read(c) for c in unread))

    async def mark_conversation_as_read(self, conversation_id: str, seq: int = 0) -> None:
        """Everything up to ``seq`` is read; in C2C the peer gets a receipt. ``seq`` should be
        the newest message the device has shown; without it, the newest message this device
        holds — never whatever the service has, so nothing the user could not have seen is
        marked read or receipted.

        The read is applied here at once and queued (``OperationQueue``): made offline or lost
        in a stall, it goes out when the link works, and state from the service cannot bring
        the conversation back to unread meanwhile."""
        try:
            parse_conversation_id(conversation_id)
        except IMError as exc:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, exc.detail) from None
        client = self.client
        if seq <= 0:
            seq = await client.cache.newest_shown_seq(conversation_id)
        conv = await client.cache.conversation(conversation_id)
        if conv is None or seq <= 0 or seq <= conv.read_seq:
            return
        await client.operations.submit(Read(conversation_id, seq))

    async def delete_messages(self, messages: list[Message]) -> None:
        """Delete for me: on this device at once and in my cloud view (queued). Other
        participants keep theirs."""
        by_conv: dict[str, list[Message]] = {}
        for msg in messages:
            by_conv.setdefault(msg.conversation_id, []).append(msg)
        step = self.client.limits.delete_batch_max
        for conv_id, msgs in by_conv.items():
            await self.client.cache.delete_local(conv_id, [(m.msg_id, m.sender) for m in msgs])
            for msg in msgs:
                msg.status = MessageStatus.HAS_DELETED
            seqs = [m.seq for m in msgs if m.seq]
            for start in range(0, len(seqs), step):
                batch = seqs[start:start + step]
                await self.client.operations.submit(DeleteMessages(conv_id, batch))
            if not seqs:
                await self.client.announcer.conversations({conv_id}, set())

    # --- recall / forward ----------------------------------------------------------------

    async def revoke_message(self, msg: Message) -> None:
        """Recall a message I sent, within the recall window (``app.sdk.revoking``)."""
        await revoking.revoke_message(self.client, msg)

    async def modify_message(self, msg: Message) -> Message:
        """Edit a message I sent — a text message's text, any message's cloud custom data —
        as changed on ``msg`` (V2TIM ``modifyMessage``; ``app.sdk.modifying``). Returns the
        message as stored; IMError 8006 when it was edited elsewhere meanwhile."""
        return await modifying.modify_message(self.client, msg)

    def create_forward_message(self, message: Message) -> Message:
        """A new message of mine with ``message``'s content to send on (V2TIM
        ``createForwardMessage``; ``app.sdk.forwarding``)."""
        return forwarding.forward_copy(message, self.client.me, self.client.server_time_ms())

    async def search_local_messages(self, param: MessageSearchParam) -> MessageSearchResult:
        """The messages this device holds that match (V2TIM ``searchLocalMessages``; offline
        too; ``app.sdk.search``)."""
        return await search.search_local_messages(self.client, param)
