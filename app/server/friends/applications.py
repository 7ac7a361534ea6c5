"""Friend applications (R3, §4.3): listing them as each side sees them, accepting (AGREE: the
applicant gets me; AGREE_AND_ADD: both directions), refusing, deleting, and the receiver's read
state behind the unread badge.

A request is one row (applicant, target), so both sides read the same thing and its end —
accepted, refused, deleted, fulfilled by a direct add, or cleared by a block — is one delete
that both hear of. Changes lock both accounts rows in ID order first, as every relationship
change does.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.friends import (
    AcceptType,
    ApplicationsResp,
    ApplicationType,
    FriendEventKind,
    FriendEventPush,
    FriendResult,
)
from app.server.clock import now_ms
from app.server.store import friend_applications as store
from app.server.store import friends as friends_store
from app.server.store.db import Database

from . import fields, records, views
from .news import FriendNews, Tellings
from .relationships import other_user, result

_BAD = ErrorCode.FRIEND_INVALID_PARAMETER


class Applications:
    def __init__(self, db: Database, news: FriendNews, limits: Limits) -> None:
        self._db = db
        self._news = news
        self._limits = limits

    async def list(self, user_id: str, kind: int, start: int, count: int) -> ApplicationsResp:
        """Newest first, from position ``start``; ``next`` is where the next page starts (0:
        this was the last)."""
        if kind not in ApplicationType._value2member_map_:
            raise IMError(_BAD, "type: 1 (come in), 2 (send out) or 3 (both)")
        if start < 0 or not 1 <= count <= self._limits.application_page_max:
            raise IMError(_BAD, f"start ≥ 0 and count 1–{self._limits.application_page_max}")
        async with self._db.read() as conn:
            rows = await store.page(conn, user_id, ApplicationType(kind), start, count + 1)
            listed = await views.applications(conn, user_id, rows[:count])
            unread = await store.unread(conn, user_id)
        return ApplicationsResp(listed, unread, start + count if len(rows) > count else 0)

    async def _locked(self, conn: AsyncConnection, applicant: str, target: str) -> None:
        await friends_store.lock_users(conn, [applicant, target])

    async def accept(self, user_id: str, applicant: str, kind: int, remark: str
                     ) -> FriendResult:
        """``user_id`` accepts ``applicant``'s request: 30614 when there is none; 30014 when
        the applicant's list is full, 30010 when mine is (AGREE_AND_ADD)."""
        other_user(user_id, applicant)
        if kind not in AcceptType._value2member_map_:
            raise IMError(_BAD, "type: 0 (agree) or 1 (agree and add)")
        fields.remark(remark, self._limits)
        tellings = Tellings()
        async with self._db.write() as conn:
            await self._locked(conn, applicant, user_id)
            outcome = await self._accept(conn, user_id, applicant, AcceptType(kind), remark,
                                         tellings)
        self._news.publish(tellings)
        return outcome

    async def _accept(self, conn: AsyncConnection, user_id: str, applicant: str,
                      kind: AcceptType, remark: str, tellings: Tellings) -> FriendResult:
        row = await store.get(conn, applicant, user_id)
        if row is None:
            return result(applicant, ErrorCode.NO_FRIEND_APPLICATION)
        most = self._limits.friends_max
        theirs = await friends_store.has(conn, applicant, user_id)
        mine = await friends_store.has(conn, user_id, applicant)
        if not theirs and await friends_store.count(conn, applicant) >= most:
            return result(applicant, ErrorCode.PEER_FRIEND_LIST_FULL)
        add_back = kind == AcceptType.AGREE_AND_ADD and not mine
        if add_back and await friends_store.count(conn, user_id) >= most:
            return result(applicant, ErrorCode.FRIEND_LIST_FULL)
        now = now_ms()
        await records.add(conn, applicant, user_id, records.NewRecord(
            row.remark, row.group_name, row.add_source, row.add_wording), now, tellings)
        if add_back:
            await records.add(conn, user_id, applicant, records.NewRecord(
                remark, add_source=row.add_source), now, tellings)
        return result(applicant, ErrorCode.OK)

    async def refuse(self, user_id: str, applicant: str) -> FriendResult:
        """The request goes, both sides told; 30614 when there is none."""
        return await self._drop(user_id, applicant, user_id)

    async def delete(self, user_id: str, other: str, kind: int) -> FriendResult:
        """Delete a request I received (COME_IN) or sent (SEND_OUT)."""
        if kind == ApplicationType.COME_IN:
            return await self._drop(user_id, other, user_id)
        if kind == ApplicationType.SEND_OUT:
            return await self._drop(user_id, user_id, other)
        raise IMError(_BAD, "type: 1 (come in) or 2 (send out)")

    async def _drop(self, user_id: str, applicant: str, target: str) -> FriendResult:
        other = applicant if target == user_id else target
        other_user(user_id, other)
        tellings = Tellings()
        async with self._db.write() as conn:
            await self._locked(conn, applicant, target)
            found = await records.drop_application(conn, applicant, target, tellings)
        self._news.publish(tellings)
        return result(other, ErrorCode.OK if found else ErrorCode.NO_FRIEND_APPLICATION)

    async def set_read(self, user_id: str, until_ms: int) -> None:
        """Mark my incoming requests read (up to ``until_ms``; 0: all); my devices are told
        when any changed."""
        if until_ms < 0:
            raise IMError(_BAD, "until: a time in ms, or 0 for all")
        async with self._db.write() as conn:
            changed = await store.mark_read(conn, user_id, until_ms or None)
        if changed:
            tellings = Tellings()
            tellings.tell(user_id, FriendEventPush(FriendEventKind.APPLICATION_LIST_READ))
            self._news.publish(tellings)
