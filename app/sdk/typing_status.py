"""The typing indicator in one-to-one chats, as TUIKit sends it: an online-only custom message
``{"businessID": "user_typing_status", "typingStatus": 1 | 0, ...}``, never stored, never
counted, so Tencent-style clients on the other side show it too and a peer who is away misses
nothing worth keeping.

Sending is throttled the way TUIKit throttles it: "typing" goes out at most once every
``RESEND_S`` while the user keeps typing (the receiver shows it for a little longer than that),
and "stopped" only after a "typing" was sent. Received ones go to ``on_recv_typing_status``
instead of being announced as messages.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING

from app.protocol import CustomElem, IMError
from app.protocol.ids import ConvType

if TYPE_CHECKING:
    from app.protocol import Message as WireMessage

    from .client import IMClient

log = logging.getLogger("tidings.sdk.typing")

BUSINESS_ID = "user_typing_status"
RESEND_S = 4.0
"""How often "typing" is sent again while the user keeps typing."""
SHOWN_S = 5.0
"""How long a receiver shows a "typing" it heard no "stopped" for (a little over
``RESEND_S``, so a steady typist never flickers)."""


def typing_of(wire: WireMessage) -> bool | None:
    """The typing state a message carries, or None when it is no typing message."""
    if wire.conv_type != ConvType.C2C or len(wire.elems) != 1:
        return None
    elem = wire.elems[0]
    if not isinstance(elem, CustomElem):
        return None
    try:
        data = json.loads(elem.data)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("businessID") != BUSINESS_ID:
        return None
    return data.get("typingStatus") == 1


class TypingStatus:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._sent_at: dict[str, float] = {}
        """Peer → when "typing" last went to them (monotonic), while it stands."""

    async def send_typing_status(self, user_id: str, typing: bool) -> None:
        """Tell ``user_id`` I am typing (call it on every edit; it is throttled here) or that
        I stopped. Best effort: offline or refused, nothing is queued or raised."""
        now = time.monotonic()
        if typing:
            last = self._sent_at.get(user_id)
            if last is not None and now - last < RESEND_S:
                return
            self._sent_at[user_id] = now
        elif self._sent_at.pop(user_id, None) is None:
            return
        if not self.client.ready:
            return
        data = json.dumps({"businessID": BUSINESS_ID, "typingStatus": 1 if typing else 0,
                           "version": 1, "userAction": 14,
                           "actionParam": "EIMAMSG_InputStatus_Ing" if typing
                           else "EIMAMSG_InputStatus_End"})
        manager = self.client.message_manager
        msg = manager.create_custom_message(data)
        msg.is_excluded_from_unread_count = msg.is_excluded_from_last_message = True
        try:
            await manager.send_message(msg, receiver=user_id, online_user_only=True)
        except IMError as exc:
            log.info("typing status to %s not sent: %s", user_id, exc)

    def take(self, wire: WireMessage) -> bool:
        """An online-only message that is a typing status goes to the listeners; True then."""
        typing = typing_of(wire)
        if typing is None or wire.sender == self.client.me:
            return typing is not None
        self.client.notify_message("on_recv_typing_status", wire.sender, typing)
        return True
