"""ThumbnailLoader: images decoded at the size they are painted, never on the GUI thread.

Painting asks (`request`) and gets a QImage at once when one is decoded at that size; otherwise
the loader schedules the work and the painter draws a placeholder (`preview`, `best`). The work
is two steps: download the file through the MediaSource when this device lacks it, then read
and scale it in a thread pool (`decode.decode`). When it is done, `ready(uuid)` tells the views
to repaint whatever shows that uuid.

- Decoded images live in an LRU bounded by bytes (64 MB by default: a thousand bubbles of
  320×240 at 2× would be 300 MB). One image too big for it — the viewer's original — is kept
  in a slot of its own, so opening a photo never flushes the timeline's thumbnails.
- Every decode also keeps a 20-pixel copy (`preview`), a few hundred bytes, which painters
  enlarge into a soft blur while a sharper level of the same image loads.
- Work waits in last-in-first-out queues (what was asked for last is what the user looks at)
  and only a few items run at once, so queued work for rows that scrolled away can be dropped
  (`retain`). A download or decode already running is let finish: its result lands in the
  caches (the SDK shares one download per item anyway, cancelling a waiter would not stop it).
- A file that cannot be fetched or read is not asked for again for a while.
- Painting asks which levels this device holds on every frame; the source's answer touches the
  file (the media cache keeps recency in mtimes), so a "yes" is remembered for a few seconds
  (`held`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from app.ui.media.decode import Decoded, decode
from app.ui.media.source import MediaSource
from app.ui.tasks import TaskGroup

log = logging.getLogger("tidings.ui.media")

LIMIT_BYTES = 64 * 1024 * 1024
DECODE_WORKERS = 2
DOWNLOADS = 4
"""Downloads at once: enough to fill a screen quickly, few enough that a fast scroll does not
start fetching everything it passes."""
TINY_KEPT = 4000
"""Blur-up previews kept (about 1.5 KB each)."""
RETRY_AFTER_S = 30.0
HELD_FOR_S = 10.0
"""How long "this device holds it" is believed without asking the source again."""

Key = tuple[str, int, int]
"""(uuid, width, height) in device pixels; (uuid, 0, 0) is the natural size."""


@dataclass(frozen=True, slots=True)
class Want:
    """An item to show: what the MediaSource needs to fetch it."""

    uuid: str
    url: str = ""
    size: int = 0


@dataclass(eq=False, slots=True)
class _Job:
    key: Key
    want: Want
    owners: dict[int, str] = field(default_factory=dict)
    """id(owner) → tag: who asked (a view) and for what (a row's message id)."""
    path: Path | None = None


class ThumbnailLoader(QObject):
    ready = Signal(str)
    """An image of this uuid was decoded (or could not be): request it again."""
    progress = Signal(str)
    """The download of this uuid moved on by a percent (see `fraction`)."""
    _decoded = Signal(object, object)
    """From a worker thread: (the job, Decoded or None); delivered on the GUI thread."""

    def __init__(self, source: MediaSource, limit_bytes: int = LIMIT_BYTES,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.limit_bytes = limit_bytes
        self._images: OrderedDict[Key, QImage] = OrderedDict()
        self._bytes = 0
        self._keys_of: dict[str, set[Key]] = {}
        self._oversize: tuple[Key, QImage] | None = None
        self._tiny: OrderedDict[str, QImage] = OrderedDict()
        self._jobs: dict[Key, _Job] = {}
        self._decode_queue: deque[_Job] = deque()
        self._decoding = 0
        self._awaiting: dict[str, list[_Job]] = {}
        """uuid → jobs waiting for its download (queued or running)."""
        self._download_queue: deque[Want] = deque()
        self._downloading: set[str] = set()
        self._fractions: dict[str, float] = {}
        self._failed: dict[str, float] = {}
        """uuid → monotonic time until which it is not asked for again."""
        self._held: dict[str, tuple[float, Path]] = {}
        self._executor = ThreadPoolExecutor(DECODE_WORKERS, thread_name_prefix="thumbnails")
        self._tasks = TaskGroup("media downloads")
        self._closed = False
        self._decoded.connect(self._on_decoded)

    # --- what painting asks --------------------------------------------------------------

    def request(self, want: Want, target: QSize, owner: object = None, tag: str = "",
                ) -> QImage | None:
        """`want` filling `target` (device pixels; empty: natural size) if decoded, else None
        and the work is scheduled for `owner`'s row `tag` (see `retain`)."""
        key = (want.uuid, max(0, target.width()), max(0, target.height()))
        image = self._lookup(key)
        if image is not None or not want.uuid or self._closed:
            return image
        job = self._jobs.get(key)
        if job is not None:
            job.owners[id(owner)] = tag
            return None
        if self._failed.get(want.uuid, 0.0) > time.monotonic():
            return None
        job = _Job(key, want, {id(owner): tag})
        self._jobs[key] = job
        job.path = self.held(want)
        if job.path is None:
            self._await_download(job)
        else:
            self._decode_queue.append(job)
            self._pump_decodes()
        return None

    def held(self, want: Want) -> Path | None:
        """The local file of `want`, if this device holds it (cheap: see the module doc)."""
        now = time.monotonic()
        known = self._held.get(want.uuid)
        if known is not None and known[0] > now:
            return known[1]
        path = self.source.cached(want.uuid, want.url)
        if path is None:
            self._held.pop(want.uuid, None)
        else:
            if len(self._held) > TINY_KEPT:
                self._held.clear()
            self._held[want.uuid] = (now + HELD_FOR_S, path)
        return path

    def best(self, uuid: str) -> QImage | None:
        """The largest decoded image of `uuid` at any size: drawn scaled while the size asked
        for is decoding (after a resize, or in the viewer)."""
        keys = self._keys_of.get(uuid)
        images = [self._images[k] for k in keys] if keys else []
        if self._oversize is not None and self._oversize[0][0] == uuid:
            images.append(self._oversize[1])
        return max(images, key=lambda i: i.width() * i.height(), default=None)

    def preview(self, uuids: list[str]) -> QImage | None:
        """A 20-pixel copy of the first of `uuids` ever decoded (the levels of one image):
        enlarged, it is the blurred stand-in while the sharp one loads."""
        for uuid in uuids:
            tiny = self._tiny.get(uuid)
            if tiny is not None:
                return tiny
        return None

    def is_downloading(self, uuid: str) -> bool:
        return uuid in self._awaiting

    def fraction(self, uuid: str) -> float:
        """How much of `uuid`'s download has arrived, 0 to 1 (0 while it waits to start)."""
        return self._fractions.get(uuid, 0.0)

    def failed(self, uuid: str) -> bool:
        return self._failed.get(uuid, 0.0) > time.monotonic()

    @property
    def pending(self) -> int:
        """Items still to be downloaded or decoded (0: everything asked for is settled)."""
        return len(self._jobs)

    @property
    def cached_bytes(self) -> int:
        """Bytes of decoded images held in the LRU (the oversize slot and previews aside)."""
        return self._bytes

    def retain(self, owner: object, tags: set[str]) -> None:
        """`owner` now shows only the rows `tags`: its queued work for other rows is dropped
        (unless another owner still wants it)."""
        who = id(owner)
        for job in list(self._jobs.values()):
            if job.owners.get(who, None) is None or job.owners[who] in tags:
                continue
            del job.owners[who]
            if not job.owners:
                self._drop(job)

    def close(self) -> None:
        """Stop: queued work is dropped, running decodes are ignored when they end."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._tasks.cancel_all()
        self._jobs.clear()
        self._decode_queue.clear()
        self._download_queue.clear()
        self._awaiting.clear()

    # --- the LRU -------------------------------------------------------------------------

    def _lookup(self, key: Key) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        if self._oversize is not None and self._oversize[0] == key:
            return self._oversize[1]
        return None

    def _store(self, key: Key, decoded: Decoded) -> None:
        uuid = key[0]
        self._tiny[uuid] = decoded.tiny
        self._tiny.move_to_end(uuid)
        while len(self._tiny) > TINY_KEPT:
            self._tiny.popitem(last=False)
        image = decoded.image
        if image.sizeInBytes() > self.limit_bytes // 4:
            self._oversize = (key, image)
            return
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        self._keys_of.setdefault(uuid, set()).add(key)
        while self._bytes > self.limit_bytes:
            evicted, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
            keys = self._keys_of[evicted[0]]
            keys.discard(evicted)
            if not keys:
                del self._keys_of[evicted[0]]

    # --- decoding ------------------------------------------------------------------------

    def _pump_decodes(self) -> None:
        while self._decoding < DECODE_WORKERS and self._decode_queue and not self._closed:
            job = self._decode_queue.pop()
            assert job.path is not None
            self._decoding += 1
            future = self._executor.submit(decode, job.path, QSize(job.key[1], job.key[2]))
            future.add_done_callback(lambda f, job=job: self._decoded.emit(job, _result(f)))

    def _on_decoded(self, job: _Job, decoded: Decoded | None) -> None:
        if self._closed:
            return
        self._decoding -= 1
        if self._jobs.get(job.key) is job:
            del self._jobs[job.key]
        uuid = job.key[0]
        if decoded is None:
            log.info("media %s: not a readable image", uuid[:12])
            self._failed[uuid] = time.monotonic() + RETRY_AFTER_S
        else:
            self._store(job.key, decoded)
        self._pump_decodes()
        self.ready.emit(uuid)

    # --- downloading ---------------------------------------------------------------------

    def _await_download(self, job: _Job) -> None:
        uuid = job.want.uuid
        waiting = self._awaiting.setdefault(uuid, [])
        waiting.append(job)
        if len(waiting) == 1 and uuid not in self._downloading:
            self._download_queue.append(job.want)
            self._pump_downloads()

    def _pump_downloads(self) -> None:
        while (len(self._downloading) < DOWNLOADS and self._download_queue
               and not self._closed):
            want = self._download_queue.pop()
            self._downloading.add(want.uuid)
            self._tasks.run(self._download(want))

    async def _download(self, want: Want) -> None:
        uuid = want.uuid
        percent = -1

        def moved(done: int, total: int) -> None:
            nonlocal percent
            self._fractions[uuid] = done / total if total > 0 else 0.0
            if int(self._fractions[uuid] * 100) != percent:
                percent = int(self._fractions[uuid] * 100)
                self.progress.emit(uuid)

        path: Path | None = None
        try:
            path = await self.source.download(uuid, url=want.url, size=want.size,
                                              progress=moved)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the network, the service, the disk: all mean "not now"
            log.info("media %s: download failed: %s", uuid[:12], error)
        finally:
            self._downloading.discard(uuid)
            self._fractions.pop(uuid, None)
        jobs = self._awaiting.pop(uuid, [])
        if path is None:
            self._failed[uuid] = time.monotonic() + RETRY_AFTER_S
            for job in jobs:
                self._jobs.pop(job.key, None)
            self.ready.emit(uuid)
        else:
            for job in jobs:
                job.path = path
                self._decode_queue.append(job)
            self._pump_decodes()
        self._pump_downloads()

    def _drop(self, job: _Job) -> None:
        """Forget queued `job` (its row scrolled away); running work is let finish."""
        if job in self._decode_queue:
            self._decode_queue.remove(job)
            del self._jobs[job.key]
            return
        uuid = job.want.uuid
        waiting = self._awaiting.get(uuid)
        if job.path is not None or waiting is None or uuid in self._downloading:
            return
        waiting.remove(job)
        del self._jobs[job.key]
        if not waiting:
            del self._awaiting[uuid]
            self._download_queue = deque(w for w in self._download_queue if w.uuid != uuid)


def _result(future: Future[Decoded | None]) -> Decoded | None:
    if future.cancelled():
        return None
    error = future.exception()
    if error is not None:
        log.error("decoding an image failed", exc_info=error)
        return None
    return future.result()
