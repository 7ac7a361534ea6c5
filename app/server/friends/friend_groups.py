"""Friend groups (R5, §4.5): a user's named folders of friends — create (optionally with
friends), rename, delete, add and remove friends. A friend may be in several groups; only
friends in my list may be put in one (31704 otherwise). My devices hear
``friend_groups_changed`` with the groups as they are now, and ``friend_info_changed`` for the
friends whose group names changed; nobody else hears anything."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.friends import FriendEventKind, FriendEventPush, FriendGroup, FriendResult
from app.server.clock import now_ms
from app.server.store import friend_groups as store
from app.server.store import friends as friends_store
from app.server.store.db import Database

from . import fields, views
from .news import FriendNews, Tellings
from .relationships import result

_BAD = ErrorCode.FRIEND_INVALID_PARAMETER


class FriendGroups:
    def __init__(self, db: Database, news: FriendNews, limits: Limits) -> None:
        self._db = db
        self._news = news
        self._limits = limits

    async def _groups(self, conn: AsyncConnection, user_id: str,
                      names: Collection[str]) -> list[FriendGroup]:
        members = await store.members(conn, user_id, names)
        return [FriendGroup(name, members[name]) for name in names]

    async def _tell(self, conn: AsyncConnection, user_id: str, tellings: Tellings, *,
                    groups: Sequence[str] = (), deleted: Sequence[str] = (),
                    friend_ids: Collection[str] = ()) -> None:
        tellings.tell(user_id, FriendEventPush(
            FriendEventKind.FRIEND_GROUPS_CHANGED,
            groups=await self._groups(conn, user_id, groups), deleted_groups=list(deleted)))
        if friend_ids:
            rows = await friends_store.records(conn, user_id, friend_ids)
            friends = await views.friends(conn, user_id, [rows[f] for f in sorted(rows)])
            tellings.tell(user_id, FriendEventPush(FriendEventKind.FRIEND_INFO_CHANGED,
                                                   friends=friends))

    async def _existing(self, conn: AsyncConnection, user_id: str, name: str) -> None:
        if name not in await store.names(conn, user_id):
            raise IMError(_BAD, f"no friend group {name!r}")

    def _batch(self, user_ids: Sequence[str]) -> list[str]:
        if not user_ids:
            return []
        return fields.user_batch(list(user_ids), self._limits.friend_batch_max)

    async def create(self, user_id: str, names: Sequence[str], user_ids: Sequence[str]
                     ) -> list[FriendResult]:
        """New groups, each with the friends named in it: all of them or none (30001 when a
        name is taken, repeated, or there would be too many)."""
        for name in names:
            fields.group_name(name, self._limits)
        if len(set(names)) != len(names):
            raise IMError(_BAD, "a friend group name is given twice")
        wanted = self._batch(user_ids)
        tellings = Tellings()
        out: list[FriendResult] = []
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            existing = await store.names(conn, user_id)
            taken = [n for n in names if n in existing]
            if taken:
                raise IMError(_BAD, f"you have a friend group {taken[0]!r} already")
            if len(existing) + len(names) > self._limits.friend_groups_max:
                raise IMError(_BAD, f"at most {self._limits.friend_groups_max} friend groups")
            joined_any: list[str] = []
            for name in names:
                await store.create(conn, user_id, name, now_ms())
                out, joined = await self._join(conn, user_id, name, wanted)
                joined_any += [u for u in joined if u not in joined_any]
            await self._tell(conn, user_id, tellings, groups=list(names), friend_ids=joined_any)
        self._news.publish(tellings)
        return out

    async def _join(self, conn: AsyncConnection, user_id: str, name: str,
                    wanted: Sequence[str]) -> tuple[list[FriendResult], list[str]]:
        mine = await friends_store.records(conn, user_id, wanted)
        already = (await store.members(conn, user_id, [name]))[name]
        joined = [u for u in wanted if u in mine and u not in already]
        await store.join(conn, user_id, name, joined)
        return [result(u, ErrorCode.OK if u in mine else ErrorCode.NOT_A_FRIEND)
                for u in wanted], joined

    async def add_members(self, user_id: str, name: str, user_ids: Sequence[str]
                          ) -> list[FriendResult]:
        wanted = fields.user_batch(list(user_ids), self._limits.friend_batch_max)
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            await self._existing(conn, user_id, name)
            out, joined = await self._join(conn, user_id, name, wanted)
            if joined:
                await self._tell(conn, user_id, tellings, groups=[name], friend_ids=joined)
        self._news.publish(tellings)
        return out

    async def remove_members(self, user_id: str, name: str, user_ids: Sequence[str]
                             ) -> list[FriendResult]:
        """31704 for one that is not in the group."""
        wanted = fields.user_batch(list(user_ids), self._limits.friend_batch_max)
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            await self._existing(conn, user_id, name)
            members = set((await store.members(conn, user_id, [name]))[name])
            gone = [u for u in wanted if u in members]
            await store.leave(conn, user_id, name, gone)
            if gone:
                await self._tell(conn, user_id, tellings, groups=[name], friend_ids=gone)
        self._news.publish(tellings)
        return [result(u, ErrorCode.OK if u in members else ErrorCode.NOT_A_FRIEND,
                       "" if u in members else f"{u!r} is not in {name!r}") for u in wanted]

    async def place(self, user_id: str, friend_id: str, names: Sequence[str]) -> None:
        """Put a friend in exactly the groups named (``friend_update``'s ``Tag_SNS_IM_Group``):
        every one must exist (30001) and the friend be in my list (31704), else nothing moves."""
        wanted = list(dict.fromkeys(names))
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            missing = [n for n in wanted if n not in await store.names(conn, user_id)]
            if missing:
                raise IMError(_BAD, f"no friend group {missing[0]!r}")
            if not await friends_store.records(conn, user_id, [friend_id]):
                raise IMError(ErrorCode.NOT_A_FRIEND, f"{friend_id!r} is not in your list")
            now = set((await store.groups_of(conn, user_id, [friend_id]))[friend_id])
            for name in sorted(set(wanted) - now):
                await store.join(conn, user_id, name, [friend_id])
            for name in sorted(now - set(wanted)):
                await store.leave(conn, user_id, name, [friend_id])
            changed = sorted(now.symmetric_difference(wanted))
            if changed:
                await self._tell(conn, user_id, tellings, groups=changed, friend_ids=[friend_id])
        self._news.publish(tellings)

    async def delete(self, user_id: str, names: Sequence[str]) -> None:
        """Every group named must exist (30001, nothing deleted otherwise)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            raise IMError(_BAD, "names: at least one")
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            existing = await store.names(conn, user_id)
            missing = [n for n in wanted if n not in existing]
            if missing:
                raise IMError(_BAD, f"no friend group {missing[0]!r}")
            members = await store.members(conn, user_id, wanted)
            await store.delete(conn, user_id, wanted)
            await self._tell(conn, user_id, tellings, deleted=wanted,
                             friend_ids={f for ids in members.values() for f in ids})
        self._news.publish(tellings)

    async def rename(self, user_id: str, old: str, new: str) -> None:
        fields.group_name(new, self._limits)
        tellings = Tellings()
        async with self._db.write() as conn:
            await friends_store.lock_users(conn, [user_id])
            await self._existing(conn, user_id, old)
            if old == new:
                return
            if new in await store.names(conn, user_id):
                raise IMError(_BAD, f"you have a friend group {new!r} already")
            await store.rename(conn, user_id, old, new)
            members = (await store.members(conn, user_id, [new]))[new]
            await self._tell(conn, user_id, tellings, groups=[new], deleted=[old],
                             friend_ids=members)
        self._news.publish(tellings)

    async def list(self, user_id: str, names: Sequence[str]) -> list[FriendGroup]:
        """The groups named that exist (all of them, oldest first, when none is named)."""
        async with self._db.read() as conn:
            existing = await store.names(conn, user_id)
            wanted = [n for n in dict.fromkeys(names) if n in existing] if names else existing
            return await self._groups(conn, user_id, wanted)
