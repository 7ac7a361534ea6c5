"""Group attributes (§1.8, G7; V2TIM init/set/delete/getGroupAttributes): a key/value map per
AVChatRoom that its members manage directly — the "mic seats" of a voice room.

Rules, from the seed:

- AVChatRoom only (§1.2 "only this type"); any other type is refused with 10033, as the type
  matrix's other "not for this type" refusals are. The REST API (the App admin) follows the same
  rule: Tencent's REST accepts every type, but our service keeps attributes for AVChatRooms only.
- Who: any member of the room, whatever the role (§1.7 "members of an AVChatRoom"), for reads
  and writes; non-members get 10012. The App admin needs no membership.
- Limits (``Limits.group_attr_*``): 16 keys, a value ≤ 4 KB, keys and values together ≤ 16 KB
  (10038, like the other group field limits); a key is 1–32 bytes (the seed names no key limit:
  32 B is Tencent's REST limit; 10004 for an empty key, 10038 for a long one).
- Rate: init, set and delete share one budget per group, the seed's server-side 5 per 1 s
  (10049). 8511 (10 per 5 s) is the SDK's own, client-side limit, and so is the ``get`` budget
  (20 per 5 s); the service does not count reads. App admin writes are trusted and not counted.
- Every change sends ``group.event`` kind ``attributes_changed`` with the **whole** set to the
  members online (an AVChatRoom stores nothing, so nobody offline is owed anything); a write that
  changed nothing sends nothing.

Where the state lives: the attributes are rows of ``group_attributes`` and the rate window is a
row of ``rate_windows`` (scope ``group_attr``), both read and written in the write transaction
that first locks the group's row — the lock every change of a group takes (``service``). So the
limit holds across any number of nodes and across restarts; a node's memory (``ratelimit``'s
token buckets, which are per node by design) would let every node admit 5 per second. The
window is a sliding log of the last ``group_attr_writes`` write times: exact (never 6 writes in
any 1 s span), a handful of integers per group, and a refused write changes nothing. Times are
the nodes' wall clocks, so the bound is as exact as the nodes' clocks agree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import msgspec
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError, Limits, PushName
from app.protocol.frames import encode_push
from app.protocol.groups import GroupEventKind, GroupEventPush, GroupType
from app.server.bus import Bus
from app.server.clock import now_ms
from app.server.store import group_attributes as attr_store
from app.server.store import groups as store
from app.server.store import rate_windows
from app.server.store.db import Database

SCOPE = "group_attr"
_times = msgspec.json.Decoder(list[int])
_encode = msgspec.json.Encoder().encode


def admit_write(state: str, now: int, most: int, window_ms: int) -> tuple[str, int]:
    """A write at ``now`` against the log ``state``: (the new state, 0) when admitted, or
    (``state``, ms to wait) when ``most`` writes already fell in the last ``window_ms``."""
    recent = [t for t in (_times.decode(state) if state else []) if t > now - window_ms]
    if len(recent) >= most:
        return state, min(recent) + window_ms - now
    return _encode([*sorted(recent), now]).decode(), 0


def _size(key: str, value: str) -> int:
    return len(key.encode()) + len(value.encode())


class GroupAttributes:
    def __init__(self, db: Database, bus: Bus, limits: Limits) -> None:
        self._db = db
        self._bus = bus
        self._limits = limits

    # --- checks ------------------------------------------------------------------------------

    def _check_keys(self, keys: Collection[str]) -> None:
        most = self._limits.group_attr_key_bytes
        for key in keys:
            if not key:
                raise IMError(ErrorCode.GROUP_INVALID_PARAMETER, "an attribute key is empty")
            if len(key.encode()) > most:
                raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                              f"attribute key {key[:40]!r} is {len(key.encode())} bytes; at "
                              f"most {most}")

    def _check_values(self, values: Mapping[str, str]) -> None:
        self._check_keys(values)
        most = self._limits.group_attr_value_bytes
        for key, value in values.items():
            if len(value.encode()) > most:
                raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                              f"attribute {key!r} is {len(value.encode())} bytes; at most {most}")

    def _check_set(self, merged: Mapping[str, str]) -> None:
        limits = self._limits
        if len(merged) > limits.group_attr_keys_max:
            raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                          f"{len(merged)} attributes; at most {limits.group_attr_keys_max}")
        total = sum(_size(k, v) for k, v in merged.items())
        if total > limits.group_attr_total_bytes:
            raise IMError(ErrorCode.GROUP_VALUE_TOO_LONG,
                          f"the attributes would take {total} bytes; at most "
                          f"{limits.group_attr_total_bytes} in all")

    async def _room(self, conn: AsyncConnection, user_id: str | None, group_id: str, *,
                    lock: bool) -> None:
        """The group exists, is an AVChatRoom, and the caller is in it (the admin: None)."""
        if not isinstance(group_id, str) or not group_id:
            raise IMError(ErrorCode.INVALID_GROUP_ID, "group_id is required")
        group = await (store.locked(conn, group_id) if lock else store.get(conn, group_id))
        if group is None or group.dismissed:
            raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
        if group.group_type != GroupType.AVCHATROOM:
            raise IMError(ErrorCode.GROUP_TYPE_UNSUPPORTED,
                          f"{group.group_type} groups have no attributes; AVChatRooms do")
        if user_id is not None and await store.member(conn, group_id, user_id) is None:
            raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{user_id} is not a member of {group_id}")

    async def _spend(self, conn: AsyncConnection, group_id: str) -> None:
        most, window = self._limits.group_attr_writes, self._limits.group_attr_window_ms
        if most <= 0:
            return
        (state,) = (await rate_windows.locked(conn, SCOPE, [group_id])).values()
        new, wait_ms = admit_write(state, now_ms(), most, window)
        if wait_ms:
            raise IMError(ErrorCode.GROUP_ATTR_RATE,
                          f"{most} attribute changes per {window} ms in {group_id}; retry in "
                          f"{wait_ms} ms")
        await rate_windows.save(conn, SCOPE, {group_id: new})

    # --- writes ------------------------------------------------------------------------------

    async def _write(self, user_id: str | None, group_id: str, *,
                     replace: Mapping[str, str] | None = None,
                     upsert: Mapping[str, str] | None = None,
                     remove: Collection[str] | None = None, remove_all: bool = False
                     ) -> dict[str, str]:
        members: list[str] = []
        async with self._db.write() as conn:
            await self._room(conn, user_id, group_id, lock=True)
            if user_id is not None:
                await self._spend(conn, group_id)
            before = await attr_store.all_of(conn, group_id)
            if replace is not None:
                after = dict(replace)
            else:
                after = dict(before)
                after.update(upsert or {})
                for key in (list(after) if remove_all else remove or ()):
                    after.pop(key, None)
            self._check_set(after)
            changed = after != before
            if changed:
                gone = [k for k in before if k not in after]
                await attr_store.remove(conn, group_id, gone)
                await attr_store.put(conn, group_id,
                                     {k: v for k, v in after.items() if before.get(k) != v})
                members = (await store.member_ids(conn, [group_id]))[group_id]
        after = dict(sorted(after.items()))
        if changed:
            event = GroupEventPush(group_id, GroupEventKind.ATTRIBUTES_CHANGED,
                                   op_user=user_id or "", attributes=after)
            self._bus.publish(members, encode_push(PushName.GROUP_EVENT, event))
        return after

    async def init(self, user_id: str | None, group_id: str,
                   attributes: Mapping[str, str]) -> dict[str, str]:
        """initGroupAttributes: the set becomes ``attributes`` (the old keys are gone)."""
        self._check_values(attributes)
        return await self._write(user_id, group_id, replace=attributes)

    async def set(self, user_id: str | None, group_id: str,
                  attributes: Mapping[str, str]) -> dict[str, str]:
        """setGroupAttributes: add or replace those keys, keep the others."""
        self._check_values(attributes)
        return await self._write(user_id, group_id, upsert=attributes)

    async def delete(self, user_id: str | None, group_id: str,
                     keys: Collection[str]) -> dict[str, str]:
        """deleteGroupAttributes: those keys (missing ones are no error); none named: all."""
        self._check_keys(keys)
        return await self._write(user_id, group_id, remove=keys, remove_all=not keys)

    async def get(self, user_id: str | None, group_id: str,
                  keys: Collection[str]) -> dict[str, str]:
        """getGroupAttributes: those keys that exist; none named: all."""
        self._check_keys(keys)
        async with self._db.read() as conn:
            await self._room(conn, user_id, group_id, lock=False)
            found = await attr_store.all_of(conn, group_id)
        return found if not keys else {k: found[k] for k in sorted(set(keys)) if k in found}
