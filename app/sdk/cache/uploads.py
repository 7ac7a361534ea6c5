"""The media each unsent message waits for, kept with the outbox so an upload cut by a crash or a
lost link resumes where it stood.

A media message enters the outbox not ``ready``: the outbox skips it until every item it refers
to is on the service, so a 100 MB video never holds up the text written after it. The upload ID
the service gave is stored as soon as it is known — resuming means asking the service how far
that upload got, not starting over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True, slots=True)
class Upload:
    uuid: str
    kind: str
    size: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class PendingUpload:
    msg_id: str
    upload: Upload
    upload_id: str | None


def queue_uploads(db: sqlite_utils.Database, msg_id: str, items: Iterable[Upload]) -> None:
    """Inside the transaction that writes the outbox row (``CacheStore.insert_pending``)."""
    for item in items:
        db.execute("INSERT OR IGNORE INTO uploads(msg_id, uuid, kind, name, size) "
                   "VALUES (?, ?, ?, ?, ?)", [msg_id, item.uuid, item.kind, item.name, item.size])


class UploadQueue:
    def __init__(self, worker: CacheWorker) -> None:
        self._worker = worker

    async def pending(self) -> list[PendingUpload]:
        """Items still to upload, message by message in creation order."""
        def q(db: sqlite_utils.Database) -> list[PendingUpload]:
            rows = db.execute(
                "SELECT u.msg_id, u.uuid, u.kind, u.size, u.name, u.upload_id FROM uploads u "
                "JOIN outbox o ON o.msg_id = u.msg_id WHERE u.done = 0 "
                "ORDER BY o.created, o.rowid, u.rowid")
            return [PendingUpload(msg_id, Upload(uuid, kind, size, name), upload_id)
                    for msg_id, uuid, kind, size, name, upload_id in rows]
        return await self._worker.run(q)

    async def totals(self, msg_id: str) -> tuple[int, int]:
        """(bytes already uploaded in finished items, bytes of all items) of one message."""
        def q(db: sqlite_utils.Database) -> tuple[int, int]:
            done, total = db.execute(
                "SELECT COALESCE(SUM(CASE WHEN done THEN size ELSE 0 END), 0), "
                "COALESCE(SUM(size), 0) FROM uploads WHERE msg_id = ?", [msg_id]).fetchone()
            return int(done), int(total)
        return await self._worker.run(q)

    async def remember_id(self, msg_id: str, uuid: str, upload_id: str) -> None:
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                db.execute("UPDATE uploads SET upload_id = ? WHERE msg_id = ? AND uuid = ?",
                           [upload_id, msg_id, uuid])
        await self._worker.run(q)

    async def finish(self, msg_id: str, uuid: str, deadline_ms: int) -> bool:
        """One item is on the service. When it was the message's last, the message becomes
        ready to send with a fresh outbox deadline (its time so far went into uploading);
        returns whether it did."""
        def q(db: sqlite_utils.Database) -> bool:
            with db.conn:
                db.execute("UPDATE uploads SET done = 1 WHERE msg_id = ? AND uuid = ?",
                           [msg_id, uuid])
                left = db.execute("SELECT COUNT(*) FROM uploads WHERE msg_id = ? AND done = 0",
                                  [msg_id]).fetchone()[0]
                if left:
                    return False
                db.execute("DELETE FROM uploads WHERE msg_id = ?", [msg_id])
                return db.execute("UPDATE outbox SET ready = 1, deadline = ? WHERE msg_id = ?",
                                  [deadline_ms, msg_id]).rowcount > 0
        return await self._worker.run(q)

    async def kept(self) -> set[str]:
        """Media the cache must not evict: an unsent message still needs their bytes."""
        def q(db: sqlite_utils.Database) -> set[str]:
            return {row[0] for row in db.execute("SELECT uuid FROM uploads")}
        return await self._worker.run(q)
