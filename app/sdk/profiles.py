"""Profiles of the people I talk to and my own: kept in memory and in the cache, fetched in
batches.

Conversation lists show names, not UserIDs, so a conversation whose peer is unknown triggers one
batched ``profile.get``; the conversations are announced again once names arrive.

My own profile changes (``set_self_info``) go through the operation queue as ``profile.set``
``FriendChange``s: until the service answers, my profile reads with them on top and
``on_self_info_updated`` tells it at once; a refusal tells the service's word again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from app.protocol import Cmd, IMError, Profile
from app.protocol.commands import ProfileGetReq, ProfileGetResp
from app.protocol.ids import C2C_PREFIX

from .cache.operations import FriendChange
from .models import UserInfo

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.profiles")

_FIELDS = frozenset(f for f in Profile.__struct_fields__
                    if f not in ("user_id", "custom", "admin_forbid_type"))
"""Fields of ``ProfileSetReq`` that are fields of ``Profile`` as they are."""


def with_changes(profile: Profile, body: dict[str, Any]) -> Profile:
    """``profile`` after a ``profile.set`` with ``body``, as the service will apply it."""
    changes: dict[str, Any] = {k: v for k, v in body.items() if k in _FIELDS and v is not None}
    if body.get("custom"):
        custom = {**profile.custom, **body["custom"]}
        changes["custom"] = {k: v for k, v in custom.items() if v != ""}
    return msgspec.structs.replace(profile, **changes)


class ProfileBook:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._known: dict[str, Profile] = {}
        self._pending: dict[int, dict[str, Any]] = {}
        """My queued profile changes by operation ID, in the order they were made."""

    def get(self, user_id: str) -> Profile | None:
        profile = self._known.get(user_id)
        if user_id == self.client.me and self._pending:
            profile = profile or Profile(user_id)
            for body in self._pending.values():
                profile = with_changes(profile, body)
        return profile

    async def load(self) -> None:
        """Warm the in-memory book from the cache (offline start)."""
        self._known = await self.client.cache.profiles.all()
        self._pending = {op_id: op.body for op_id, op in await self.client.cache.operations()
                         if isinstance(op, FriendChange) and op.cmd == Cmd.PROFILE_SET}

    async def fetch(self, user_ids: Iterable[str]) -> list[Profile]:
        ids = list(dict.fromkeys(user_ids))
        found: list[Profile] = []
        limit = self.client.limits.profile_batch_max
        for start in range(0, len(ids), limit):
            resp: ProfileGetResp = await self.client.request(
                Cmd.PROFILE_GET, ProfileGetReq(user_ids=ids[start:start + limit]))
            found.extend(resp.profiles)
        await self.client.cache.profiles.save(found)
        self._known.update({p.user_id: p for p in found})
        await self.client.friendship_manager.profiles_changed(found)
        return found

    def user_info(self, user_id: str) -> UserInfo | None:
        profile = self.get(user_id)
        return UserInfo.of(profile) if profile is not None else None

    async def refresh_peers(self, most: int = 500) -> None:
        """Fetch the profiles of the people in my most recent conversations again: names and
        avatars changed while this device was offline show up after the next login."""
        peers = await self.client.cache.recent_peers(most)
        if not peers:
            return
        before = {p: self._known.get(p) for p in peers}
        changed = [p for p in await self.fetch(peers) if before.get(p.user_id) != p]
        if changed:
            await self.client.announcer.conversations(
                {C2C_PREFIX + p.user_id for p in changed}, set())

    async def ensure_for_conversations(self, conv_ids: Iterable[str]) -> None:
        missing = [c[len(C2C_PREFIX):] for c in conv_ids
                   if c.startswith(C2C_PREFIX) and c[len(C2C_PREFIX):] not in self._known]
        if not missing:
            return
        cached = await self.client.cache.profiles.get(missing)
        self._known.update(cached)
        missing = [m for m in missing if m not in cached]
        if missing:
            try:
                await self.fetch(missing)
            except IMError as exc:
                log.info("profiles not fetched: %s", exc)

    async def updated(self, profile: Profile) -> None:
        self._known[profile.user_id] = profile
        await self.client.cache.profiles.save([profile])
        if profile.user_id == self.client.me:
            self._tell_self()
        else:
            await self.client.friendship_manager.profiles_changed([profile])
            await self.client.announcer.conversations({C2C_PREFIX + profile.user_id}, set())

    def _tell_self(self) -> None:
        info = self.user_info(self.client.me)
        if info is not None:
            self.client.notify_sdk("on_self_info_updated", info)

    # --- the operation queue's side (through the friendship manager) -------------------

    async def queued(self, op_id: int, op: FriendChange) -> None:
        self._pending[op_id] = op.body
        self._tell_self()

    async def applied(self, op_id: int, answer: Profile) -> None:
        self._pending.pop(op_id, None)
        await self.updated(answer)

    async def refused(self, op_id: int) -> None:
        self._pending.pop(op_id, None)
        self._tell_self()
