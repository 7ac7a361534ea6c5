"""The one thread that owns the cache's SQLite connection.

SQLite work never runs on the event loop (which is the GUI thread in the app): every call is
shipped to this thread and awaited. One thread means one writer, no locking, and a connection
that never crosses threads.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.protocol import ErrorCode, IMError

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")


class CacheWorker:
    def __init__(self, path: Path,
                 on_connect: Callable[[sqlite_utils.Database], None] | None = None) -> None:
        self.path = path
        self._on_connect = on_connect
        """What every connection needs before its first statement (functions its triggers
        call)."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tidings-cache")
        self._db: sqlite_utils.Database | None = None
        self._closed = False

    def _open(self) -> sqlite_utils.Database:
        import sqlite_utils  # here, on the cache thread: ~50 ms the GUI thread does not wait for

        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        db = sqlite_utils.Database(conn)
        if self._on_connect is not None:
            self._on_connect(db)
        return db

    def _call(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        if self._db is None:
            self._db = self._open()
        return fn(self._db)

    async def run(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        """Run ``fn(db)`` on the cache thread. Once closed (the client is shutting down) it
        refuses with 6001 rather than open the file again: work still in flight then (a sync
        step) ends as a failed step, not a crash."""
        if self._closed:
            raise IMError(ErrorCode.SDK_NOT_INITIALIZED, "the cache is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn)

    async def close(self) -> None:
        def _close(_: Any) -> None:
            if self._db is not None:
                self._db.conn.close()
                self._db = None

        if self._db is not None:
            await self.run(_close)
        self._closed = True
        self._executor.shutdown(wait=True)
