"""MediaManager: the signed-in user's media — what this device holds, and fetching the rest.

Media is addressed by uuid (the SHA-256 of the bytes), so a file is cached once however many
messages show it, and a download can be checked against its name. Content that only has a URL
(sent through Tencent's REST API) is cached under the SHA-256 of its URL instead. Concurrent
requests for one item share one download; each caller still gets its progress.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cancelling import cancel_and_wait
from app.protocol import ErrorCode, IMError

from .cache import MediaCache
from .transfer import MediaTransfer

if TYPE_CHECKING:
    from ..client import IMClient

log = logging.getLogger("tidings.sdk.media")

ProgressFn = Callable[[int, int], None]


def cache_key(uuid: str, url: str = "") -> str:
    return uuid or hashlib.sha256(url.encode()).hexdigest()


class MediaManager:
    def __init__(self, client: IMClient) -> None:
        self.client = client
        self._cache: MediaCache | None = None
        self._transfer: MediaTransfer | None = None
        self._downloads: dict[str, asyncio.Task[Path]] = {}
        self._watchers: dict[str, list[ProgressFn]] = {}

    def open(self, root: Path) -> None:
        """The user's cache opened (``init_storage``)."""
        self._cache = MediaCache(root, self.client.config.media_cache_bytes)

    async def close(self) -> None:
        for task in list(self._downloads.values()):
            await cancel_and_wait(task)
        self._downloads.clear()
        self._watchers.clear()
        if self._transfer is not None:
            transfer, self._transfer = self._transfer, None
            await transfer.aclose()
        self._cache = None

    @property
    def cache(self) -> MediaCache:
        if self._cache is None:
            raise IMError(ErrorCode.SDK_NOT_LOGGED_IN)
        return self._cache

    @property
    def transfer(self) -> MediaTransfer:
        if self._transfer is None:
            self._transfer = MediaTransfer(self.client.server_url, self.client.current_sig)
        return self._transfer

    def cached(self, uuid: str, url: str = "") -> Path | None:
        """The complete local copy, or None; cheap enough to call while painting."""
        if self._cache is None or not (uuid or url):
            return None
        return self._cache.get(cache_key(uuid, url))

    async def download(self, uuid: str, *, url: str = "", size: int = 0,
                       progress: ProgressFn | None = None) -> Path:
        """The item's local path, fetched first if this device does not hold it. Cancelling
        one caller does not cancel the download others wait for."""
        if not (uuid or url):
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "the element refers to no media")
        key = cache_key(uuid, url)
        path = self.cached(uuid, url)
        if path is not None:
            return path
        if progress is not None:
            self._watchers.setdefault(key, []).append(progress)
        task = self._downloads.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(
                self._fetch(key, uuid, url, size), name=f"download {key[:12]}")
            self._downloads[key] = task
            task.add_done_callback(lambda _t, k=key: self._finished(k))
        try:
            return await asyncio.shield(task)
        finally:
            if progress is not None and progress in self._watchers.get(key, []):
                self._watchers[key].remove(progress)

    def _finished(self, key: str) -> None:
        self._downloads.pop(key, None)
        self._watchers.pop(key, None)

    def _report(self, key: str, done: int, total: int) -> None:
        for watcher in list(self._watchers.get(key, [])):
            watcher(done, total)

    async def _fetch(self, key: str, uuid: str, url: str, size: int) -> Path:
        cache = self.cache
        partial = cache.partial(key)
        await self.transfer.download(uuid, partial, url=url, size=size,
                                     progress=lambda d, t: self._report(key, d, t))
        final = cache.path(key)
        await asyncio.to_thread(_move_into, partial, final)
        await self.evict()
        return final

    async def evict(self) -> None:
        """Keep the cache under its limit, never dropping what an unsent message needs."""
        if self._cache is None:
            return
        keep = await self.client.cache.uploads.kept()
        freed = await asyncio.to_thread(self._cache.evict, keep)
        if freed:
            log.info("media cache: evicted %d bytes", freed)


def _move_into(partial: Path, final: Path) -> None:
    """The bytes are on disk before the name says the item is complete: after a power cut a
    complete name never holds a short file."""
    with partial.open("rb") as verified:
        os.fsync(verified.fileno())
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(partial, final)
