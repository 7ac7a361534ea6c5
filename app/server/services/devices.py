"""Signing devices in and out, and the kick policy (L8).

Each account has, per platform, at most ``max_sessions_per_platform`` places, stored so the policy
holds across restarts. An explicit login takes a place and evicts the oldest beyond the limit;
the evicted devices' live sessions get ``kicked {multi_device, 6208}`` and are closed. An
automatic re-login (``resume``) does not take a place: a device whose place was taken while it
was away is refused with 6208, so it learns it was signed out instead of kicking back.

A login also records the session as connected (``presence``) in the same transaction, so the
online status of a login that has been answered is already right.
"""

from __future__ import annotations

from app.protocol import ErrorCode, IMError, KickReason, Profile, PushName
from app.protocol.commands import KickedPush
from app.protocol.frames import encode_push
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.store import accounts as accounts_store
from app.server.store import devices as store
from app.server.store.db import Database

from .presence import PresenceService


def kicked_frame(reason: KickReason, code: ErrorCode) -> bytes:
    return encode_push(PushName.KICKED, KickedPush(reason, code))


class DeviceService:
    def __init__(self, db: Database, bus: Bus, presence: PresenceService,
                 max_per_platform: int) -> None:
        self._db = db
        self._bus = bus
        self._presence = presence
        self._max_per_platform = max(1, max_per_platform)
        self._last_login = 0

    def _login_time(self) -> int:
        """Strictly increasing, so "the oldest place" is never a tie between two logins."""
        self._last_login = max(now_ms(), self._last_login + 1)
        return self._last_login

    async def sign_in(self, user_id: str, platform: str, device_id: str, resume: bool,
                      session_id: str) -> Profile:
        """Admit a session whose sig has been verified; its profile.

        A valid sig for an unknown UserID creates the account: the sig is the app server's word
        that the user exists (Tencent behaviour).
        """
        async with self._db.write() as conn:
            await accounts_store.create(conn, user_id, now_ms())
            if resume:
                if not await store.has_place(conn, user_id, platform, device_id):
                    raise IMError(ErrorCode.KICKED_BY_OTHERS,
                                  "this device was signed out by a login elsewhere; "
                                  "log in again explicitly")
                evicted: list[str] = []
            else:
                evicted = await store.take_place(conn, user_id, platform, device_id,
                                                 self._login_time(), self._max_per_platform)
            profile = (await accounts_store.profiles(conn, [user_id]))[user_id]
            connection = await self._presence.record(conn, user_id, platform, device_id)
        self._presence.admit(session_id, connection)
        # Older sessions of the same device are replaced too (e.g. a half-open connection).
        self._bus.kick(user_id, kicked_frame(KickReason.MULTI_DEVICE, ErrorCode.KICKED_BY_OTHERS),
                       platform=platform, device_ids={device_id, *evicted}, exclude=session_id)
        return profile

    async def sign_out(self, user_id: str, platform: str, device_id: str) -> None:
        async with self._db.write() as conn:
            await store.release(conn, user_id, platform, device_id)

    async def kick_all(self, user_id: str) -> None:
        """Admin kick: every place is freed and every live session signed out."""
        async with self._db.write() as conn:
            await store.release(conn, user_id)
        self._bus.kick(user_id, kicked_frame(KickReason.ADMIN, ErrorCode.KICKED_BY_OTHERS))
