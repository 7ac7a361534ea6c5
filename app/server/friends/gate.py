"""What the relationship chain does to a C2C message (M12), decided from the database in the
sender's request, never from a node's memory:

- the receiver blocks the sender: the message is refused with 20007 when the service is
  configured to say so (``blacklist_send_error``); otherwise the sender sees it sent — it is
  stored for them, their other devices get it — while the receiver never does (§4.6: silent by
  default). A blocker may still message the one they block;
- with ``c2c_friends_only`` a sender must be in the receiver's friend list (the receiver chose
  them), else 20009.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError
from app.server.store import blacklist as black_store
from app.server.store import friends as friends_store


class Delivery(Enum):
    DELIVER = "deliver"
    DROP = "drop"
    """Stored for the sender only: the receiver is blocking them."""


@dataclass(frozen=True, slots=True)
class C2CPolicy:
    blacklist_send_error: bool = False
    friends_only: bool = False

    async def admit(self, conn: AsyncConnection, sender: str, receiver: str) -> Delivery:
        if sender == receiver:
            return Delivery.DELIVER
        if await black_store.blocks(conn, receiver, sender):
            if self.blacklist_send_error:
                raise IMError(ErrorCode.BLOCKED_BY_RECEIVER)
            return Delivery.DROP
        if self.friends_only and not await friends_store.has(conn, receiver, sender):
            raise IMError(ErrorCode.NOT_FRIENDS, f"{receiver} has not added you as a friend")
        return Delivery.DELIVER
