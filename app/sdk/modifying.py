"""Editing a message I sent (V2TIM ``modifyMessage``): ``msg.modify`` (PROTOCOL.md §4).

The caller changes the message it holds — the text of a text message, the cloud custom data of
any — and passes it in; the service stores the edit with the next version of the message and
tells every session of every participant, this one included (``msg.modified``), and devices
that were away at their next sync (``ConversationState.modified``). This module adds what only
a client can:

- the edit names the version of the copy it was made on (``Message.modify_version``), so one
  made meanwhile on another device is not overwritten: the service refuses it with 8006
  (ERR_SDK_MSG_MODIFY_CONFLICT), and — as V2TIM answers a conflict with the latest message —
  the refusal (``ModifyConflict``) carries the message as the service holds it now, which the
  cache has taken too (the push brings it as well; the version rule takes it once);
- no edit offline: like V2TIM, and like a recall, it fails at once (SDK_NETWORK_UNAVAILABLE)
  rather than being queued with the reads and pins. Those are idempotent and cannot lose; an
  edit replayed later can (8006, or a recall in between), and the user should know while the
  text is still in front of them;
- on success the cache holds the new text before ``modify_message`` returns: the answer is
  applied in the service's order (``Transport.submit``'s ``on_answer`` queues it on the sync
  engine) and a copy takes an edit only with a higher version, so whichever of the answer and
  the push comes first announces ``on_recv_message_modified`` and the other changes nothing.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from app.protocol import Cmd, ErrorCode, IMError
from app.protocol.commands import ModifyReq, ModifyResp, PullReq, PullResp, SeqRange

from .models import Message, MessageStatus

if TYPE_CHECKING:
    from .client import IMClient


class ModifyConflict(IMError):
    """8006: the message was edited elsewhere after the copy this edit was made on.
    ``message`` is the message as the service holds it now (None if it could not be read)."""

    def __init__(self, detail: str, message: Message | None) -> None:
        super().__init__(ErrorCode.MODIFY_CONFLICT, detail)
        self.message = message


def check_modifiable(msg: Message) -> None:
    """The checks that need no service: a stored message of mine, not recalled. Which
    elements may change the service decides too (text into a text message)."""
    if msg.seq <= 0 or msg.online_user_only or msg.status != MessageStatus.SEND_SUCC:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                      "only a stored message that was not recalled can be edited")
    if not msg.is_self:
        raise IMError(ErrorCode.MODIFY_NOT_ALLOWED, "only its sender edits a message")


async def modify_message(client: IMClient, msg: Message) -> Message:
    """Store ``msg``'s text (a text message) and cloud custom data as its new content. Returns
    the message as the service stored it (its new ``modify_version`` and time); raises
    IMError with the service's code (8006 edited elsewhere meanwhile, 20023 recalled, 20026 no
    such message, 20032 not mine or not text, 80001 a sensitive word) or the SDK's
    (SDK_NETWORK_UNAVAILABLE offline, SDK_INVALID_PARAMETERS for a message never stored)."""
    if not client.has_storage:
        raise IMError(ErrorCode.SDK_NOT_LOGGED_IN)
    check_modifiable(msg)
    if not client.ready:
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE)
    text = msg.text_elem
    applied: list[asyncio.Future[None]] = []

    def on_answer(resp: Any) -> None:
        applied.append(client.sync.in_order(lambda: _apply(client, msg.conversation_id, resp)))

    req = ModifyReq(conv_id=msg.conversation_id, seq=msg.seq, msg_id=msg.msg_id,
                    version=msg.modify_version, elems=[text] if text is not None else None,
                    cloud_custom_data=msg.cloud_custom_data)
    fut = await client.transport.submit(Cmd.MSG_MODIFY, req, on_answer)
    try:
        resp: ModifyResp = await client.transport.answer(fut, Cmd.MSG_MODIFY)
    except IMError as error:
        if error.code != ErrorCode.MODIFY_CONFLICT:
            raise
        raise ModifyConflict(error.detail, await _latest(client, msg)) from None
    if applied:
        await applied[0]
    stored = Message.from_wire(resp.message, client.me)
    msg.modify_version, msg.modify_time_ms = stored.modify_version, stored.modify_time_ms
    return stored


async def _latest(client: IMClient, msg: Message) -> Message | None:
    """The message as the service holds it now, taken into the cache by the version rule."""
    conv_id = msg.conversation_id
    try:
        pulled: PullResp = await client.request(Cmd.MSG_PULL, PullReq(
            ranges=[SeqRange(conv_id, msg.seq - 1, msg.seq)], limit=1))
    except IMError:
        return None
    found = [m for m in pulled.messages if m.msg_id == msg.msg_id and not m.deleted]
    if not found:
        return None

    async def take() -> None:
        result = await client.cache.take_edits(conv_id, found)
        await client.announcer.messages(result, announce_new=True)
        await client.announcer.conversations(result.touched, set())

    await client.sync.serialized(take)
    return Message.from_wire(found[0], client.me)


async def _apply(client: IMClient, conv_id: str, resp: ModifyResp) -> None:
    """What the ``msg.modified`` push does (``SyncEngine._on_modified``), from the answer."""
    result = await client.cache.take_edits(conv_id, [resp.message])
    await client.announcer.messages(result, announce_new=True)
    await client.announcer.conversations(result.touched, set())
