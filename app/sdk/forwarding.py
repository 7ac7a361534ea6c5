"""Forwarding one message (V2TIM ``createForwardMessage``): a new message of mine with the same
content, sent with ``send_message`` like any other.

The copy shares the original's elements, so media keep their ``uuid``: nothing is uploaded
again, and the service accepts the reference because the forwarder can read the original (a
participant of a conversation that carries it). Everything else is the new message's own — a
new ID, created now, mine, unsent. The cloud custom data stays behind: it describes the original
in its conversation (a quote of a message there, an app's annotations), which means nothing where
the copy goes.
"""

from __future__ import annotations

from app.protocol import ConvType, ErrorCode, IMError
from app.protocol.ids import new_message_id

from .models import Message, MessageStatus

_FORWARDABLE = frozenset({MessageStatus.SEND_SUCC, MessageStatus.LOCAL_IMPORTED})
"""V2TIM forwards only a message that was sent; a revoked or deleted one has no content left."""


def forward_copy(message: Message, me: str, now_ms: int) -> Message:
    """A new message of ``me`` with ``message``'s elements, as ``MessageManager._create`` makes
    one: C2C until a receiver is chosen at send."""
    if message.status not in _FORWARDABLE or not message.elems:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                      "only a sent message with content can be forwarded")
    return Message(msg_id=new_message_id(), conv_type=ConvType.C2C, sender=me,
                   elems=list(message.elems), is_self=True, time_ms=now_ms)
