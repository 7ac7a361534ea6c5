"""Recalling a message I sent (V2TIM ``revokeMessage``): ``msg.revoke`` (PROTOCOL.md §4).

The service decides — the sender within its recall window, or in a group its owner or an
admin; only once — and then tells every session of every participant, this one included
(``msg.revoked``, then ``conv.changed``). This module adds what only a client can:

- a message too old by the SDK's window is refused here (20016) without a round trip; the
  service's own window, which an operator may have shortened, is still the one that counts;
- no recall offline: like V2TIM it fails at once (SDK_NETWORK_UNAVAILABLE) rather than being
  queued, because by the time the link is back the window may have passed and the user should
  know now whether the peer can still read the message;
- on success the cache shows the message revoked before ``revoke_message`` returns. The answer
  is applied in the service's order (``Transport.submit``'s ``on_answer`` queues it on the sync
  engine), and the cache reports a message as newly revoked only once, so whichever of the
  answer and the push comes first announces ``on_recv_message_revoked`` and the other changes
  nothing.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from app.protocol import Cmd, ErrorCode, IMError
from app.protocol.commands import RevokeReq, RevokeResp

from .models import Message, MessageStatus

if TYPE_CHECKING:
    from .client import IMClient

_RECALLABLE = frozenset({MessageStatus.SEND_SUCC, MessageStatus.LOCAL_REVOKED})
"""Statuses of a message the service holds. A revoked one is still asked about: the caller's
copy may predate the revocation, and the service's 20023 is the answer it needs."""


def check_recallable(msg: Message, now_ms: int, window_s: int) -> None:
    """The checks that need no service: a stored message, and one of mine young enough. Whose
    it is to recall the service decides (20031) — in a group the owner and admins recall
    others' messages at any age — as it does for every other client."""
    if msg.seq <= 0 or msg.online_user_only or msg.status not in _RECALLABLE:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                      "only a message the service stored can be recalled")
    if msg.is_self and now_ms - msg.time_ms > window_s * 1000:
        raise IMError(ErrorCode.REVOKE_TIME_LIMIT,
                      f"messages can be recalled for {window_s} s after sending")


async def revoke_message(client: IMClient, msg: Message) -> None:
    """Recall ``msg``. Raises IMError with the service's code (20016, 20022, 20023, 20031) or
    the SDK's (SDK_NETWORK_UNAVAILABLE offline, SDK_INVALID_PARAMETERS for a message never
    stored); on success ``msg`` and the cached message are LOCAL_REVOKED and listeners have
    heard ``on_recv_message_revoked`` once."""
    if not client.has_storage:
        raise IMError(ErrorCode.SDK_NOT_LOGGED_IN)
    check_recallable(msg, client.server_time_ms(), client.limits.revoke_window_s)
    if not client.ready:
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE)
    conv_id = msg.conversation_id
    applied: list[asyncio.Future[None]] = []

    def on_answer(resp: Any) -> None:
        applied.append(client.sync.in_order(lambda: _apply(client, resp)))

    req = RevokeReq(conv_id=conv_id, seq=msg.seq, msg_id=msg.msg_id)
    fut = await client.transport.submit(Cmd.MSG_REVOKE, req, on_answer)
    await client.transport.answer(fut, Cmd.MSG_REVOKE)
    if applied:
        await applied[0]
    msg.status = MessageStatus.LOCAL_REVOKED


async def _apply(client: IMClient, resp: RevokeResp) -> None:
    """What the ``msg.revoked`` push does (``SyncEngine._on_revoked``), from the answer."""
    result = await client.cache.mark_revoked(resp.conv_id, [resp.seq], client.me)
    await client.announcer.messages(result, announce_new=True)
    await client.announcer.conversations(result.touched, set())
