"""Friends (R2, R4): adding by the target's allow type, deleting one way or both, checking,
listing, reading and editing one's own records.

Every change runs in one write transaction that first locks the accounts rows of the users
concerned in ID order (``store.friends.lock_users``); what it decides — the allow type, the
blacklists, the list sizes, the records there already — is read inside it, never from a
node's memory. Events are published after the commit.

**Adding (§4.2).** The blacklists come first: 30515 when I block them, 30525 when they block
me; then an admin's SEND_OUT ban (30516). A SINGLE add wants them in my list, a BOTH add also
me in theirs. What already holds is not asked again (an add that changes nothing is 0). Their
consent is needed only for a record of mine when they do not have me already — someone who put
me in their list has accepted me — and for a record in their list always: ALLOW_ANY adds at
once, NEED_CONFIRM leaves a request and answers 30539, DENY_ANY answers 30516. Full lists are
30010 (mine) and 30014 (theirs).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import msgspec
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Limits
from app.protocol.friends import (
    AdminForbidType,
    AllowType,
    Friend,
    FriendAddReq,
    FriendCheck,
    FriendEventKind,
    FriendEventPush,
    FriendInfoResult,
    FriendListResp,
    FriendResult,
    FriendSetInfoReq,
    FriendType,
    Relation,
)
from app.protocol.ids import is_valid_user_id
from app.server.clock import now_ms
from app.server.services.paging import PageBudget
from app.server.store import blacklist as black_store
from app.server.store import friend_applications as applications_store
from app.server.store import friend_groups as groups_store
from app.server.store import friends as store
from app.server.store import profiles as profile_store
from app.server.store.db import Database

from . import fields, records, views
from .news import FriendNews, Tellings

_BAD = ErrorCode.FRIEND_INVALID_PARAMETER
_encode = msgspec.json.Encoder().encode


def friend_type(value: int) -> FriendType:
    if value not in FriendType._value2member_map_:
        raise IMError(_BAD, "type: 1 (single) or 2 (both)")
    return FriendType(value)


def result(user_id: str, code: ErrorCode, detail: str = "") -> FriendResult:
    return FriendResult(user_id, int(code), detail or (code.message if code else ""))


def other_user(user_id: str, other: str) -> str:
    if not is_valid_user_id(other):
        raise IMError(_BAD, f"invalid UserID {other!r}")
    if other == user_id:
        raise IMError(_BAD, "that is you")
    return other


class Relationships:
    def __init__(self, db: Database, news: FriendNews, limits: Limits,
                 custom_fields: Collection[str]) -> None:
        self._db = db
        self._news = news
        self._limits = limits
        self._custom_fields = custom_fields

    # --- add -------------------------------------------------------------------------------

    def _checked(self, user_id: str, req: FriendAddReq) -> FriendAddReq:
        other_user(user_id, req.user_id)
        friend_type(req.add_type)
        fields.remark(req.remark, self._limits)
        fields.wording(req.add_wording, self._limits)
        fields.add_source(req.add_source, self._limits)
        if req.group_name:
            fields.group_name(req.group_name, self._limits)
        return req

    async def _full(self, conn: AsyncConnection, user_id: str) -> bool:
        return await store.count(conn, user_id) >= self._limits.friends_max

    async def add(self, user_id: str, req: FriendAddReq) -> FriendResult:
        """``user_id`` adds ``req.user_id`` (see the module's rules)."""
        req = self._checked(user_id, req)
        tellings = Tellings()
        async with self._db.write() as conn:
            outcome = await self._add(conn, user_id, req, tellings)
        self._news.publish(tellings)
        return outcome

    async def _add(self, conn: AsyncConnection, user_id: str, req: FriendAddReq,
                   tellings: Tellings) -> FriendResult:
        target = req.user_id
        if target not in await store.lock_users(conn, [user_id, target]):
            raise IMError(_BAD, f"no account {target!r}")
        if await black_store.blocks(conn, user_id, target):
            return result(target, ErrorCode.PEER_IN_MY_BLACKLIST)
        if await black_store.blocks(conn, target, user_id):
            return result(target, ErrorCode.IN_PEER_BLACKLIST)
        profiles = await profile_store.profiles(conn, [user_id, target])
        if profiles[user_id].admin_forbid_type == AdminForbidType.SEND_OUT:
            return result(target, ErrorCode.PEER_FORBIDS_ADDING,
                          "the administrator forbids you to send friend requests")
        relation = (await store.relations(conn, user_id, [target]))[target]
        need_mine = not relation & Relation.IN_MY_LIST
        need_theirs = req.add_type == FriendType.BOTH and not relation & Relation.IN_OTHER_LIST
        if not need_mine and not need_theirs:
            return result(target, ErrorCode.OK)
        if need_mine and await self._full(conn, user_id):
            return result(target, ErrorCode.FRIEND_LIST_FULL)
        if req.group_name and need_mine:
            names = await groups_store.names(conn, user_id)
            if req.group_name not in names and len(names) >= self._limits.friend_groups_max:
                raise IMError(_BAD, f"at most {self._limits.friend_groups_max} friend groups")
        allow = profiles[target].allow_type
        consented = not need_theirs and bool(relation & Relation.IN_OTHER_LIST)
        if not consented:
            if allow == AllowType.DENY_ANY:
                return result(target, ErrorCode.PEER_FORBIDS_ADDING)
            if allow == AllowType.NEED_CONFIRM:
                await self._apply(conn, user_id, req, tellings)
                return result(target, ErrorCode.FRIEND_PENDING)
        if need_theirs and await self._full(conn, target):
            return result(target, ErrorCode.PEER_FRIEND_LIST_FULL)
        now = now_ms()
        if need_mine:
            await records.add(conn, user_id, target, records.NewRecord(
                req.remark, req.group_name, req.add_source, req.add_wording), now, tellings)
        if need_theirs:
            await records.add(conn, target, user_id, records.NewRecord(
                add_source=req.add_source, add_wording=req.add_wording), now, tellings)
        return result(target, ErrorCode.OK)

    async def _apply(self, conn: AsyncConnection, user_id: str, req: FriendAddReq,
                     tellings: Tellings) -> None:
        """Leave the request (replacing one sent before); both sides hear of it."""
        await applications_store.put(conn, {
            "applicant": user_id, "target": req.user_id, "add_type": req.add_type,
            "remark": req.remark, "group_name": req.group_name, "add_source": req.add_source,
            "add_wording": req.add_wording, "time": now_ms(), "read": False})
        row = await applications_store.get(conn, user_id, req.user_id)
        for viewer in (user_id, req.user_id):
            tellings.tell(viewer, FriendEventPush(
                FriendEventKind.APPLICATION_LIST_ADDED,
                applications=await views.applications(conn, viewer, [row])))

    async def import_friend(self, user_id: str, target: str, record: records.NewRecord,
                            both: bool) -> FriendResult:
        """The admin's ``friend_import`` / forced ``friend_add``: the records at once, without
        asking the target, but never past a blacklist or a full list."""
        other_user(user_id, target)
        tellings = Tellings()
        async with self._db.write() as conn:
            if target not in await store.lock_users(conn, [user_id, target]):
                raise IMError(_BAD, f"no account {target!r}")
            if await black_store.blocks(conn, user_id, target):
                return result(target, ErrorCode.PEER_IN_MY_BLACKLIST)
            if await black_store.blocks(conn, target, user_id):
                return result(target, ErrorCode.IN_PEER_BLACKLIST)
            relation = (await store.relations(conn, user_id, [target]))[target]
            need_mine = not relation & Relation.IN_MY_LIST
            need_theirs = both and not relation & Relation.IN_OTHER_LIST
            if need_mine and await self._full(conn, user_id):
                return result(target, ErrorCode.FRIEND_LIST_FULL)
            if need_theirs and await self._full(conn, target):
                return result(target, ErrorCode.PEER_FRIEND_LIST_FULL)
            now = now_ms()
            if need_mine:
                await records.add(conn, user_id, target, record, now, tellings)
            if need_theirs:
                await records.add(conn, target, user_id, records.NewRecord(
                    add_source=record.add_source), now, tellings)
        self._news.publish(tellings)
        return result(target, ErrorCode.OK)

    # --- delete ----------------------------------------------------------------------------

    async def delete(self, user_id: str, user_ids: Sequence[str], kind: int
                     ) -> list[FriendResult]:
        """SINGLE takes them out of my list, BOTH me out of theirs too; 31704 for one with
        neither record to remove. Each side whose list changed is told."""
        kind = friend_type(kind)
        wanted = fields.user_batch(list(user_ids), self._limits.friend_batch_max)
        tellings = Tellings()
        out: list[FriendResult] = []
        async with self._db.write() as conn:
            await store.lock_users(conn, [user_id, *[u for u in wanted if is_valid_user_id(u)]])
            relations = await store.relations(conn, user_id, wanted)
            mine = [u for u in wanted if relations[u] & Relation.IN_MY_LIST]
            await records.remove(conn, user_id, mine, tellings)
            for other in wanted:
                removed = other in mine
                if kind == FriendType.BOTH and relations[other] & Relation.IN_OTHER_LIST:
                    await records.remove(conn, other, [user_id], tellings)
                    removed = True
                out.append(result(other, ErrorCode.OK if removed else ErrorCode.NOT_A_FRIEND))
        self._news.publish(tellings)
        return out

    async def delete_all(self, user_id: str, both: bool) -> None:
        """The admin's ``friend_delete_all``: everyone out of the user's list (and, ``both``,
        the user out of theirs)."""
        tellings = Tellings()
        async with self._db.write() as conn:
            everyone = await store.records(conn, user_id)
            await store.lock_users(conn, [user_id, *everyone])
            everyone = await store.records(conn, user_id)  # as it is under the locks
            await records.remove(conn, user_id, everyone, tellings)
            if both:
                for other in sorted(everyone):
                    await records.remove(conn, other, [user_id], tellings)
        self._news.publish(tellings)

    # --- read ------------------------------------------------------------------------------

    async def check(self, user_id: str, user_ids: Sequence[str], kind: int
                    ) -> list[FriendCheck]:
        """SINGLE says only whether they are in my list; BOTH the whole relation."""
        kind = friend_type(kind)
        wanted = fields.user_batch(list(user_ids), self._limits.friend_batch_max)
        async with self._db.read() as conn:
            relations = await store.relations(conn, user_id, wanted)
        mask = Relation.BOTH_WAY if kind == FriendType.BOTH else Relation.IN_MY_LIST
        return [FriendCheck(u, int(relations[u] & mask)) for u in wanted]

    async def list(self, user_id: str, after: str, count: int) -> FriendListResp:
        if not 1 <= count <= self._limits.friend_page_max:
            raise IMError(_BAD, f"count: 1–{self._limits.friend_page_max}")
        async with self._db.read() as conn:
            rows = await store.page(conn, user_id, after, count + 1)
            page = await views.friends(conn, user_id, rows[:count])
        budget = PageBudget(self._limits.answer_bytes)
        kept: list[Friend] = []
        for friend in page:
            if not budget.take(len(_encode(friend))):
                break
            kept.append(friend)
        more = len(kept) < len(page) or len(rows) > count
        return FriendListResp(kept, kept[-1].user_id if more else "")

    async def page_at(self, user_id: str, start: int, count: int) -> tuple[list[Friend], int]:
        """The admin's ``friend_get``: records from position ``start``, and the list's size."""
        async with self._db.read() as conn:
            rows = await store.page_at(conn, user_id, start, count)
            return await views.friends(conn, user_id, rows), await store.count(conn, user_id)

    async def info(self, user_id: str, user_ids: Sequence[str]) -> list[FriendInfoResult]:
        """My record of each (their profile alone when they are not in my list)."""
        wanted = fields.user_batch(list(user_ids), self._limits.friend_batch_max)
        async with self._db.read() as conn:
            relations = await store.relations(conn, user_id, wanted)
            rows = await store.records(conn, user_id, wanted)
            mine = {f.user_id: f for f in await views.friends(conn, user_id, list(rows.values()))}
            profiles = await profile_store.profiles(conn, wanted)
        out = []
        for other in wanted:
            if other not in profiles:
                out.append(FriendInfoResult(other, result_code=int(_BAD),
                                            result_info=f"no account {other!r}"))
                continue
            friend = mine.get(other) or Friend(other, profile=profiles[other])
            out.append(FriendInfoResult(other, int(relations[other]), friend=friend))
        return out

    # --- edit ------------------------------------------------------------------------------

    async def set_info(self, user_id: str, req: FriendSetInfoReq) -> Friend:
        """My remark and custom fields for a friend (31704 for one not in my list)."""
        if req.remark is not None:
            fields.remark(req.remark, self._limits)
        tellings = Tellings()
        async with self._db.write() as conn:
            await store.lock_users(conn, [user_id])
            row = (await store.records(conn, user_id, [req.user_id])).get(req.user_id)
            if row is None:
                raise IMError(ErrorCode.NOT_A_FRIEND, f"{req.user_id!r} is not in your list")
            values: dict[str, str] = {}
            if req.remark is not None:
                values["remark"] = req.remark
            if req.custom:
                values["custom"] = profile_store.encode_custom(fields.friend_custom(
                    req.custom, profile_store.decode_custom(row.custom), self._limits,
                    self._custom_fields))
            if values:
                await store.update(conn, user_id, req.user_id, **values)
            rows = await store.records(conn, user_id, [req.user_id])
            (friend,) = await views.friends(conn, user_id, [rows[req.user_id]])
            if values:
                tellings.tell(user_id, FriendEventPush(FriendEventKind.FRIEND_INFO_CHANGED,
                                                       friends=[friend]))
        self._news.publish(tellings)
        return friend
