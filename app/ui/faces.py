"""Faces: the pictures behind face URLs, as small square images ready for ``render_avatar``.

A face URL is service content (``tidings-media:<uuid>``, an ``avatar`` upload every signed-in
user may read, fetched through ``client.media`` so it lands in the media cache once) or a web
URL (``http(s)``, fetched with a short timeout and a size cap, since nobody checked it). Every
view that shows a person or a group asks this one store while painting: ``image(url)`` answers
at once from memory or with None, and starts the fetch; ``arrived(url)`` then tells the views,
which repaint only the rows showing that URL.

Fetching, decoding and scaling never run on the GUI thread: bytes come in on the asyncio
loop, a worker thread decodes them (``QImageReader`` scales while decoding, so a 4000 px photo
never sits whole in memory) and crops the centre square at the largest size any avatar is
shown. A URL that failed is not asked for again for a while, so a dead link in a list of a
hundred rows costs one request, not one per repaint.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import httpx
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QSize, Signal
from PySide6.QtGui import QImage, QImageReader

from app.protocol.elements import media_ref_uuid
from app.sdk import IMClient
from app.ui.tasks import TaskGroup

log = logging.getLogger("tidings.ui.faces")

FACE_PX = 192
"""The side of a decoded face: the profile card's 84 px avatar at 2x, with a little room."""
CACHE_FACES = 300
"""About 44 MB at most (192² × 4 bytes each): every face of a long contact list."""
RETRY_AFTER_S = 300.0
"""A face that could not be fetched or decoded is not asked for again before this."""
WEB_TIMEOUT_S = 6.0
"""For the whole of a web face's fetch, not each read."""
WEB_MAX_BYTES = 5 * 1024 * 1024
"""The service's own limit for avatar uploads; a web face bigger than that is refused."""
MAX_PIXELS = 40_000_000
"""Declared dimensions beyond this are a decompression bomb, not a face."""
WORKERS = 2


def fetchable(url: str) -> bool:
    """Whether a face URL names a picture this store can fetch (not a group preset)."""
    return media_ref_uuid(url) is not None or url.startswith(("http://", "https://"))


def decode_face(data: bytes) -> QImage | None:
    """The centre square of the picture in `data`, FACE_PX on a side (smaller pictures keep
    their size); None if it is not a picture. Safe on any thread (QImage, not QPixmap)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PIXELS:
        return None
    side = min(size.width(), size.height())
    if side > FACE_PX:
        scale = FACE_PX / side
        reader.setScaledSize(QSize(max(1, round(size.width() * scale)),
                                   max(1, round(size.height() * scale))))
    image = reader.read()
    if image.isNull():
        return None
    side = min(image.width(), image.height())
    square = image.copy(QRect((image.width() - side) // 2, (image.height() - side) // 2,
                              side, side))
    return square.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


class FaceStore(QObject):
    arrived = Signal(str)
    """A face URL's picture is ready (``image`` answers it now): repaint what shows it."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = weakref.ref(client)
        """Weak: the registry below is keyed by the client, which must be able to go."""
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._fetching: set[str] = set()
        self._failed: dict[str, float] = {}
        """URL → monotonic time before which it is not fetched again."""
        self._failed_offline: set[str] = set()
        """Failed while signed out of the service: worth another try once back online."""
        self._tasks = TaskGroup("faces")
        self._executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="faces")
        self._web: httpx.AsyncClient | None = None
        self._closed = False

    def image(self, url: str) -> QImage | None:
        """The face of `url` if it is in memory, else None (and it is fetched, once). Cheap
        enough to call for every row painted."""
        image = self._images.get(url)
        if image is not None:
            self._images.move_to_end(url)
            return image
        if (self._closed or url in self._fetching or not fetchable(url)
                or self._failed.get(url, 0.0) > time.monotonic()):
            return None
        self._fetching.add(url)
        self._tasks.run(self._load(url))
        return None

    async def _load(self, url: str) -> None:
        try:
            data = await self._fetch(url)
            image = await asyncio.get_running_loop().run_in_executor(
                self._executor, decode_face, data)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("face %s not fetched: %s", url[:80], exc)
            image = None
        finally:
            self._fetching.discard(url)
        if self._closed:
            return
        if image is None:
            self._failed[url] = time.monotonic() + RETRY_AFTER_S
            client = self._client()
            if client is None or not client.ready:
                self._failed_offline.add(url)
            return
        self._failed.pop(url, None)
        self._images[url] = image
        if len(self._images) > CACHE_FACES:
            self._images.popitem(last=False)
        self.arrived.emit(url)

    def link_changed(self) -> None:
        """Back online: faces that failed while offline are fetched again now rather than
        after their wait (the views repaint as they arrive). Only those: a flapping link does
        not re-ask for a dead web URL on every reconnect."""
        client = self._client()
        if client is None or not client.ready:
            return
        retry, self._failed_offline = self._failed_offline, set()
        for url in retry:
            self._failed.pop(url, None)
            self.image(url)

    async def _fetch(self, url: str) -> bytes:
        uuid = media_ref_uuid(url)
        client = self._client()
        if uuid is not None and client is not None:
            path = await client.media.download(uuid)
            return await asyncio.to_thread(path.read_bytes)
        if uuid is not None:
            raise RuntimeError("signed out")
        if self._web is None:
            self._web = httpx.AsyncClient(timeout=WEB_TIMEOUT_S, follow_redirects=True)
        chunks: list[bytes] = []
        total = 0
        async with asyncio.timeout(WEB_TIMEOUT_S), self._web.stream("GET", url) as response:
            # The whole fetch within the timeout: a server dripping bytes is not waited out.
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > WEB_MAX_BYTES:
                    raise ValueError("larger than a face may be")
                chunks.append(chunk)
        return b"".join(chunks)

    async def close(self) -> None:
        """Signed out: stop fetching and let the worker threads go."""
        self._closed = True
        self._tasks.cancel_all()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._web is not None:
            web, self._web = self._web, None
            await web.aclose()


_stores: weakref.WeakKeyDictionary[IMClient, FaceStore] = weakref.WeakKeyDictionary()


def faces_of(client: IMClient) -> FaceStore:
    """The one store of a signed-in client: every view of the session shares its memory and
    its fetches in flight."""
    store = _stores.get(client)
    if store is None or store._closed:
        store = _stores[client] = FaceStore(client)
    return store


def face_of(faces: FaceStore | None, url: str) -> QImage | None:
    """What a painter passes to ``render_avatar``: the face if one is ready, else None."""
    return faces.image(url) if faces is not None and url else None

