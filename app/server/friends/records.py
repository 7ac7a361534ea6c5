"""Adding and removing friend records inside a caller's transaction, with the events each
change causes: the step every path shares (a direct add, an accepted request, a block, the
admin's import and delete), so they all tell the same users the same things."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.friends import FriendEventKind, FriendEventPush
from app.server.store import friend_applications as applications_store
from app.server.store import friend_groups as groups_store
from app.server.store import friends as store

from . import views
from .news import Tellings


@dataclass(frozen=True, slots=True)
class NewRecord:
    """What ``owner`` keeps about a friend when it is added."""

    remark: str = ""
    group_name: str = ""
    add_source: str = ""
    add_wording: str = ""
    custom: str = "{}"


async def add(conn: AsyncConnection, owner: str, friend: str, record: NewRecord, now_ms: int,
              tellings: Tellings) -> bool:
    """Put ``friend`` into ``owner``'s list (and the friend group named, made if missing);
    True when it was not there. A request ``owner`` sent ``friend`` is fulfilled by it and
    goes, both sides told."""
    added = await store.insert(conn, {
        "user_id": owner, "friend_id": friend, "remark": record.remark,
        "add_source": record.add_source, "add_wording": record.add_wording,
        "add_time": now_ms, "custom": record.custom})
    if added:
        if record.group_name:
            await groups_store.create(conn, owner, record.group_name, now_ms)
            await groups_store.join(conn, owner, record.group_name, [friend])
        rows = await store.records(conn, owner, [friend])
        tellings.tell(owner, FriendEventPush(FriendEventKind.FRIEND_LIST_ADDED,
                                             friends=await views.friends(conn, owner,
                                                                         [rows[friend]])))
    await drop_application(conn, owner, friend, tellings)
    return added


async def drop_application(conn: AsyncConnection, applicant: str, target: str,
                           tellings: Tellings) -> bool:
    """Remove the request ``applicant`` sent ``target``, telling both; False when none."""
    if not await applications_store.remove(conn, applicant, target):
        return False
    tellings.tell(applicant, FriendEventPush(FriendEventKind.APPLICATION_LIST_DELETED,
                                             user_ids=[target]))
    tellings.tell(target, FriendEventPush(FriendEventKind.APPLICATION_LIST_DELETED,
                                          user_ids=[applicant]))
    return True


async def remove(conn: AsyncConnection, owner: str, friend_ids: Collection[str],
                 tellings: Tellings) -> set[str]:
    """Take ``friend_ids`` out of ``owner``'s list and friend groups; the ones that were in it,
    told to ``owner`` alone (§4.4: a side whose list did not change hears nothing)."""
    gone = await store.delete(conn, owner, friend_ids)
    if gone:
        await groups_store.leave_all(conn, owner, gone)
        tellings.tell(owner, FriendEventPush(FriendEventKind.FRIEND_LIST_DELETED,
                                             user_ids=sorted(gone)))
    return gone
