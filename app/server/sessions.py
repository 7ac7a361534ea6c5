"""Which sessions are live on this node, by user, and delivery to them.

Delivery only enqueues: each session has its own outgoing queue drained by its own sender task,
so fanning a message out to many users never waits for a slow socket.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Protocol


class LiveSession(Protocol):
    """What the registry needs of a connection (the gateway's ``Session`` provides it)."""

    id: str
    user_id: str
    platform: str
    device_id: str

    def deliver(self, frame: bytes) -> None:
        """Queue a frame for sending; never blocks."""

    def kick(self, frame: bytes) -> None:
        """Send ``frame`` as the last frame, then close the connection."""


class SessionRegistry:
    def __init__(self, on_remove: Callable[[LiveSession], None] | None = None) -> None:
        """``on_remove`` hears of every session leaving the registry, however it left (closed,
        kicked, logged out, sig expired): the one place a session's end is known for sure."""
        self._by_user: dict[str, dict[str, LiveSession]] = {}
        self._on_remove = on_remove

    def add(self, session: LiveSession) -> None:
        self._by_user.setdefault(session.user_id, {})[session.id] = session

    def remove(self, session: LiveSession) -> None:
        sessions = self._by_user.get(session.user_id)
        if sessions is None or sessions.pop(session.id, None) is None:
            return
        if not sessions:
            del self._by_user[session.user_id]
        if self._on_remove is not None:
            self._on_remove(session)

    def sessions_of(self, user_id: str) -> list[LiveSession]:
        return list(self._by_user.get(user_id, {}).values())

    def deliver(self, user_ids: Iterable[str], frame: bytes, exclude: str | None = None) -> None:
        for user_id in user_ids:
            for session in self._by_user.get(user_id, {}).values():
                if session.id != exclude:
                    session.deliver(frame)

    def kick(self, user_id: str, frame: bytes, *, platform: str | None = None,
             device_ids: Collection[str] | None = None, exclude: str | None = None) -> None:
        """Kick the user's sessions that match (all of them when no filter is given)."""
        for session in self.sessions_of(user_id):
            if session.id == exclude:
                continue
            if platform is not None and session.platform != platform:
                continue
            if device_ids is not None and session.device_id not in device_ids:
                continue
            self.remove(session)
            session.kick(frame)
