"""The groups I am in, as last heard from the service: a group chat's name and avatar show
offline, and the Groups pane opens from here before the service answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec

from app.protocol.groups import GroupInfo

from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(GroupInfo).decode


class JoinedGroups:
    def __init__(self, worker: CacheWorker) -> None:
        self._worker = worker

    async def all(self) -> list[GroupInfo]:
        def q(db: sqlite_utils.Database) -> list[GroupInfo]:
            return [_decode(body) for (body,) in db.execute("SELECT body FROM joined_groups")]
        return await self._worker.run(q)

    async def save(self, groups: Iterable[GroupInfo], *, complete: bool = False) -> None:
        """Upsert; ``complete``: these are all my groups, the others are gone."""
        rows = [(g.group_id, _encode(g).decode()) for g in groups]

        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                if complete:
                    db.execute("DELETE FROM joined_groups")
                db.conn.executemany("INSERT INTO joined_groups(group_id, body) VALUES (?, ?) "
                               "ON CONFLICT(group_id) DO UPDATE SET body = excluded.body", rows)
        await self._worker.run(q)

    async def remove(self, group_ids: Iterable[str]) -> None:
        ids = [(g,) for g in group_ids]

        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                db.conn.executemany("DELETE FROM joined_groups WHERE group_id = ?", ids)
        await self._worker.run(q)
