"""Fan-out of encoded frames to users' sessions, wherever those sessions live.

Services publish through the ``Bus`` protocol; the in-process ``LocalBus`` hands frames to this
node's ``SessionRegistry``. A Redis pub/sub bus for several nodes implements the same two
methods. Both are fire-and-forget: publishing never waits for delivery.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol


class Bus(Protocol):
    def publish(self, user_ids: Iterable[str], frame: bytes, exclude: str | None = None) -> None:
        """Deliver ``frame`` to every session of ``user_ids`` except the session ``exclude``."""

    def kick(self, user_id: str, frame: bytes, *, platform: str | None = None,
             device_ids: Collection[str] | None = None, exclude: str | None = None) -> None:
        """Send ``frame`` to the matching sessions of the user, then close them."""
