"""Profiles of the people I talk to: kept in memory and in the cache, fetched in batches.

Conversation lists show names, not UserIDs, so a conversation whose peer is unknown triggers one
batched ``profile.get``; the conversations are announced again once names arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.protocol import Cmd, IMError, Profile
from app.protocol.commands import ProfileGetReq, ProfileGetResp
from app.protocol.ids import C2C_PREFIX

from .models import UserInfo

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.profiles")


class ProfileBook:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._known: dict[str, Profile] = {}

    def get(self, user_id: str) -> Profile | None:
        return self._known.get(user_id)

    async def load(self) -> None:
        """Warm the in-memory book from the cache (offline start)."""
        self._known.update(await self.client.cache.all_profiles())

    async def fetch(self, user_ids: Iterable[str]) -> list[Profile]:
        ids = list(dict.fromkeys(user_ids))
        found: list[Profile] = []
        limit = self.client.limits.profile_batch_max
        for start in range(0, len(ids), limit):
            resp: ProfileGetResp = await self.client.request(
                Cmd.PROFILE_GET, ProfileGetReq(user_ids=ids[start:start + limit]))
            found.extend(resp.profiles)
        await self.client.cache.save_profiles(found)
        self._known.update({p.user_id: p for p in found})
        return found

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
        cached = await self.client.cache.profiles(missing)
        self._known.update(cached)
        missing = [m for m in missing if m not in cached]
        if missing:
            try:
                await self.fetch(missing)
            except IMError as exc:
                log.info("profiles not fetched: %s", exc)

    async def updated(self, profile: Profile) -> None:
        self._known[profile.user_id] = profile
        await self.client.cache.save_profiles([profile])
        if profile.user_id == self.client.me:
            self.client.notify_sdk("on_self_info_updated",
                                   UserInfo(profile.user_id, profile.nick, profile.face_url))
        else:
            await self.client.announcer.conversations({C2C_PREFIX + profile.user_id}, set())
