"""Profiles as last heard from the service, every §3.1 field kept: names and avatars show
offline, and a profile card opens from here before the service answers.

Rows written before schema 7 hold only the nick and avatar (``body`` empty); they read back as
a profile with just those two fields until the next fetch replaces them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec

from app.protocol import Profile

from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(Profile).decode


def _profile(user_id: str, nick: str | None, face_url: str | None, body: str | None) -> Profile:
    return _decode(body) if body else Profile(user_id, nick or "", face_url or "")


class ProfileRows:
    def __init__(self, worker: CacheWorker) -> None:
        self._worker = worker

    async def all(self) -> dict[str, Profile]:
        def q(db: sqlite_utils.Database) -> dict[str, Profile]:
            return {row[0]: _profile(*row) for row in
                    db.execute("SELECT user_id, nick, face_url, body FROM profiles")}
        return await self._worker.run(q)

    async def get(self, user_ids: Iterable[str]) -> dict[str, Profile]:
        ids = list(user_ids)

        def q(db: sqlite_utils.Database) -> dict[str, Profile]:
            if not ids:
                return {}
            marks = ",".join("?" * len(ids))
            return {row[0]: _profile(*row) for row in db.execute(
                f"SELECT user_id, nick, face_url, body FROM profiles WHERE user_id IN ({marks})",
                ids)}
        return await self._worker.run(q)

    async def save(self, profiles: Iterable[Profile]) -> None:
        rows = [(p.user_id, p.nick, p.face_url, _encode(p).decode()) for p in profiles]

        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                db.conn.executemany(
                    "INSERT INTO profiles(user_id, nick, face_url, body) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(user_id) DO UPDATE SET nick = excluded.nick, "
                    "face_url = excluded.face_url, body = excluded.body", rows)
        await self._worker.run(q)
