"""The single-node bus: frames go straight to this process's session registry."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from app.server.sessions import SessionRegistry


class LocalBus:
    def __init__(self, registry: SessionRegistry) -> None:
        self._registry = registry

    def publish(self, user_ids: Iterable[str], frame: bytes, exclude: str | None = None) -> None:
        self._registry.deliver(user_ids, frame, exclude)

    def kick(self, user_id: str, frame: bytes, *, platform: str | None = None,
             device_ids: Collection[str] | None = None, exclude: str | None = None) -> None:
        self._registry.kick(user_id, frame, platform=platform, device_ids=device_ids,
                            exclude=exclude)
