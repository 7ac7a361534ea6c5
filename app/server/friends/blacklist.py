"""The blacklist (R6, §4.6): blocking removes the friendship both ways and any request between
the two, and afterwards neither may send the other a request (30515 / 30525); what it does to
messages is ``gate``'s. Only the blocker is told of their blacklist; the blocked user hears
only that their list lost someone, if it did."""

from __future__ import annotations

from collections.abc import Sequence

from app.protocol import ErrorCode, Limits
from app.protocol.friends import (
    BlackEntry,
    Friend,
    FriendEventKind,
    FriendEventPush,
    FriendResult,
)
from app.protocol.ids import is_valid_user_id
from app.server.clock import now_ms
from app.server.store import blacklist as store
from app.server.store import friends as friends_store
from app.server.store import profiles as profile_store
from app.server.store.db import Database

from . import fields, records
from .news import FriendNews, Tellings
from .relationships import result

_BAD = ErrorCode.FRIEND_INVALID_PARAMETER


class Blacklist:
    def __init__(self, db: Database, news: FriendNews, limits: Limits) -> None:
        self._db = db
        self._news = news
        self._limits = limits

    async def add(self, user_id: str, user_ids: Sequence[str]) -> list[FriendResult]:
        wanted = fields.user_batch(list(user_ids), self._limits.black_batch_max)
        tellings = Tellings()
        out: list[FriendResult] = []
        async with self._db.write() as conn:
            found = await friends_store.lock_users(
                conn, [user_id, *[u for u in wanted if is_valid_user_id(u)]])
            now = now_ms()
            added: list[str] = []
            for other in wanted:
                if other == user_id or other not in found:
                    out.append(result(other, _BAD, "that is you" if other == user_id
                                      else f"no account {other!r}"))
                    continue
                if await store.add(conn, user_id, other, now):
                    added.append(other)
                await records.remove(conn, user_id, [other], tellings)
                await records.remove(conn, other, [user_id], tellings)
                await records.drop_application(conn, user_id, other, tellings)
                await records.drop_application(conn, other, user_id, tellings)
                out.append(result(other, ErrorCode.OK))
            if added:
                profiles = await profile_store.profiles(conn, added)
                tellings.tell(user_id, FriendEventPush(
                    FriendEventKind.BLACK_LIST_ADDED,
                    friends=[Friend(u, profile=profiles[u]) for u in added]))
        self._news.publish(tellings)
        return out

    async def remove(self, user_id: str, user_ids: Sequence[str]) -> list[FriendResult]:
        """Unblock; 30001 for one that was not blocked. Messages dropped meanwhile stay
        dropped; new ones are delivered again."""
        wanted = fields.user_batch(list(user_ids), self._limits.black_batch_max)
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            removed = await store.remove(conn, user_id, wanted)
            if removed:
                tellings.tell(user_id, FriendEventPush(FriendEventKind.BLACK_LIST_DELETED,
                                                       user_ids=sorted(removed)))
        self._news.publish(tellings)
        return [result(u, ErrorCode.OK) if u in removed
                else result(u, _BAD, f"{u!r} is not in your blacklist") for u in wanted]

    async def list(self, user_id: str) -> list[BlackEntry]:
        """Oldest block first."""
        async with self._db.read() as conn:
            blocked = await store.blocked(conn, user_id)
            profiles = await profile_store.profiles(conn, blocked)
        order = sorted(blocked, key=lambda u: (blocked[u], u))
        return [BlackEntry(u, blocked[u], profiles.get(u)) for u in order]

    async def check(self, user_id: str, user_ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        """Each of ``user_ids`` → (I block them, they block me)."""
        wanted = fields.user_batch(list(user_ids), self._limits.black_batch_max)
        async with self._db.read() as conn:
            mine = await store.blocked(conn, user_id, wanted)
            theirs = await store.blockers(conn, user_id, wanted)
        return {u: (u in mine, u in theirs) for u in wanted}
