"""Who is online (``openim/query_online_status``), recorded in the database.

**Why the database.** The service will run as several nodes and a session lives on one of them,
while the status API may be asked on any; one process's memory knows only its own sessions. So
each node records its connected sessions as rows (``connections``) under its node ID.

**Why a lease.** A row must not outlive its session. A session that ends deletes its row (the
session registry reports every removal to ``disconnected``), and a node that stops cleanly
deletes all of its rows. A node that crashes or is killed cannot clean up, and a restarted
process cannot tell which rows were its own: every start is a new node, named by the process's
epoch, because a restart is indistinguishable from a restore or a move to another machine. So
each node renews a lease (``nodes.seen_at``) every heartbeat interval; a row is believed only
while its node's lease is younger than ``LEASE_HEARTBEATS`` intervals — the rule the gateway
applies to a silent connection — and every node sweeps away nodes whose lease ran out, with
their rows. A dead node's ghosts leave the answers within three heartbeat intervals and the
table at the next sweep (at the latest when a node starts). Node clocks must agree to well
within that (NTP).

A node that was itself swept while alive (its loop or its disk stalled for longer than the
lease) registers again with the sessions it still holds at its next renewal; a login in the
meantime registers it too, since its row needs the node's.

**Statuses** follow Tencent's: *online*, a session connected; *push online*, signed in (a login
place, ``devices``) but not connected — after a network drop, or with the app closed without
logging out, messages wait for it; *offline*, no place. A session's row is written in its login's
transaction, so a login that has been answered is already reported; its removal follows the
disconnect by one write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from sqlalchemy.ext.asyncio import AsyncConnection

from app.cancelling import cancel_and_wait
from app.server.clock import now_ms
from app.server.sessions import LiveSession
from app.server.store import devices as devices_store
from app.server.store import presence as store
from app.server.store.db import Database

log = logging.getLogger(__name__)

LEASE_HEARTBEATS: Final = 3
"""A node whose lease was not renewed for this many heartbeat intervals is taken for dead."""


class Status(IntEnum):
    """Ordered: a user's status is the highest of their platforms'."""

    OFFLINE = 0
    PUSH_ONLINE = 1
    ONLINE = 2


@dataclass(frozen=True, slots=True)
class UserPresence:
    status: Status
    platforms: dict[str, Status]
    """Each platform with a login place or a connected session, and its status."""


@dataclass(frozen=True, slots=True)
class ConnectionRecord:
    connection_id: str
    """A fresh ID per login, so a connection that logs out and in again never has its new row
    deleted by the removal of the old one."""
    user_id: str
    platform: str
    device_id: str
    connected_at: int

    def row(self, node_id: str) -> dict[str, object]:
        return {"connection_id": self.connection_id, "node_id": node_id,
                "user_id": self.user_id, "platform": self.platform,
                "device_id": self.device_id, "connected_at": self.connected_at}


class PresenceService:
    def __init__(self, db: Database, node_id: str, heartbeat_s: float) -> None:
        self._db = db
        self.node_id = node_id
        self._interval = heartbeat_s
        self._lease_ms = int(LEASE_HEARTBEATS * heartbeat_s * 1000)
        self._live: dict[str, ConnectionRecord] = {}
        """Session ID → the row of its current login."""
        self._ended: list[str] = []
        """Connection IDs whose rows are still to be deleted."""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Sweep the nodes that died (a crashed predecessor of this process among them) and
        register this one."""
        now = now_ms()
        async with self._db.write() as conn:
            swept = await store.sweep(conn, now - self._lease_ms)
            await store.register(conn, self.node_id, now)
        if swept:
            log.info("removed the sessions of %d service node(s) that stopped renewing", swept)
        self._task = asyncio.create_task(self._run(), name="presence")

    async def stop(self) -> None:
        """Stop renewing and delete this node's rows: its sessions are gone with it."""
        await cancel_and_wait(self._task)
        self._task = None
        async with self._db.write() as conn:
            await store.retire(conn, self.node_id)
        self._live.clear()
        self._ended.clear()

    # --- sessions --------------------------------------------------------------------------

    async def record(self, conn: AsyncConnection, user_id: str, platform: str,
                     device_id: str) -> ConnectionRecord:
        """Write a session's row inside its login's transaction; ``admit`` it once committed."""
        now = now_ms()
        connection = ConnectionRecord(secrets.token_hex(8), user_id, platform, device_id, now)
        await store.register(conn, self.node_id, now)
        await store.add(conn, [connection.row(self.node_id)])
        return connection

    def admit(self, session_id: str, connection: ConnectionRecord) -> None:
        self._live[session_id] = connection

    def disconnected(self, session: LiveSession) -> None:
        """The registry dropped the session (closed, kicked, logged out, sig expired)."""
        connection = self._live.pop(session.id, None)
        if connection is not None and self._task is not None:
            self._ended.append(connection.connection_id)
            self._wake.set()

    # --- queries ---------------------------------------------------------------------------

    async def statuses(self, user_ids: list[str]) -> dict[str, UserPresence]:
        async with self._db.read() as conn:
            connected = await store.connected_platforms(conn, user_ids,
                                                        now_ms() - self._lease_ms)
            signed_in = await devices_store.signed_in_platforms(conn, user_ids)
        platforms: dict[str, dict[str, Status]] = {u: {} for u in user_ids}
        for user_id, platform in signed_in:
            platforms[user_id][platform] = Status.PUSH_ONLINE
        for user_id, platform in connected:
            platforms[user_id][platform] = Status.ONLINE
        return {u: UserPresence(max(p.values(), default=Status.OFFLINE), dict(sorted(p.items())))
                for u, p in platforms.items()}

    # --- upkeep ----------------------------------------------------------------------------

    async def _run(self) -> None:
        """Delete the rows of ended sessions soon after they end, a batch per write; renew the
        lease and sweep dead nodes every heartbeat interval. A failed write is logged and
        retried at the next turn, its removals kept."""
        loop = asyncio.get_running_loop()
        renew_at = loop.time() + self._interval
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(renew_at - loop.time(), 0))
            self._wake.clear()
            try:
                if self._ended:
                    await self._remove_ended()
                if loop.time() >= renew_at:
                    renew_at = loop.time() + self._interval
                    await self._renew()
            except Exception:
                log.exception("updating the presence of node %s failed", self.node_id)

    async def _remove_ended(self) -> None:
        ended, self._ended = self._ended, []
        try:
            async with self._db.write() as conn:
                await store.remove(conn, ended)
        except BaseException:
            self._ended[:0] = ended
            raise

    async def _renew(self) -> None:
        now = now_ms()
        async with self._db.write() as conn:
            if not await store.renew(conn, self.node_id, now):
                log.warning("node %s was taken for dead; registering its %d sessions again",
                            self.node_id, len(self._live))
                await store.register(conn, self.node_id, now)
                await store.add(conn, [c.row(self.node_id) for c in self._live.values()])
            await store.sweep(conn, now - self._lease_ms)
