"""Telling people what happened to their relationships, after the change committed (§4.7):
each event to every session of exactly the users it concerns — the sides whose list changed,
both sides of an application, the user alone for their blacklist, read state and friend
groups. The session that made a change hears of it too (its answer only says how the request
went), so every device applies a change the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.protocol import PushName
from app.protocol.frames import encode_push
from app.protocol.friends import FriendEventPush, Profile
from app.server.bus import Bus


@dataclass(slots=True)
class Tellings:
    """What a transaction decided to tell, gathered inside it and published after the commit."""

    events: list[tuple[str, FriendEventPush]] = field(default_factory=list)
    profiles: list[tuple[list[str], Profile, str | None]] = field(default_factory=list)

    def tell(self, user_id: str, event: FriendEventPush) -> None:
        self.events.append((user_id, event))


class FriendNews:
    def __init__(self, bus: Bus) -> None:
        self._bus = bus

    def publish(self, tellings: Tellings) -> None:
        for user_id, event in tellings.events:
            self._bus.publish([user_id], encode_push(PushName.FRIEND_EVENT, event))
        for users, profile, origin in tellings.profiles:
            self._bus.publish(users, encode_push(PushName.PROFILE_CHANGED, profile), origin)
