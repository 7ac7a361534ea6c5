"""The face store the views paint from: what it decodes (the centre square, at most FACE_PX,
bombs and non-pictures refused), and how it fetches — once per URL however often a row asks,
a failure remembered instead of retried on every repaint, a bounded memory, an ``arrived``
signal per face — with a stand-in for the SDK's media manager."""

from __future__ import annotations

import asyncio
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

import app.ui.faces as faces_module
from app.protocol.elements import MEDIA_REF_PREFIX
from app.ui.faces import FACE_PX, FaceStore, decode_face, fetchable
from tests.support.waiting import wait_until


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions (a decompression bomb's first bytes)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


class _Media:
    """``client.media`` as far as faces use it: counts downloads, can fail or wait."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.calls: list[str] = []
        self.gate: asyncio.Event | None = None
        self.content: dict[str, bytes] = {}

    async def download(self, uuid: str, **_kwargs: Any) -> Path:
        self.calls.append(uuid)
        if self.gate is not None:
            await self.gate.wait()
        if uuid not in self.content:
            raise OSError("no such item")
        path = self.folder / uuid
        path.write_bytes(self.content[uuid])
        return path


class _Client:
    def __init__(self, folder: Path) -> None:
        self.media = _Media(folder)
        self.ready = True


def test_a_wide_picture_becomes_its_centred_square_at_most_face_px() -> None:
    image = QImage(900, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    for x in range(300, 600):
        for y in range(300):
            image.setPixelColor(x, y, QColor("red"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    face = decode_face(bytes(buffer.data().data()))
    assert face is not None and face.width() == face.height() == FACE_PX
    for x, y in ((2, 2), (FACE_PX - 3, FACE_PX - 3), (FACE_PX // 2, FACE_PX // 2)):
        assert face.pixelColor(x, y).red() > 240 and face.pixelColor(x, y).green() < 15


def test_a_small_picture_keeps_its_size_and_junk_or_bombs_are_refused() -> None:
    face = decode_face(_png(40, 60))
    assert face is not None and (face.width(), face.height()) == (40, 40)
    assert decode_face(b"not a picture at all") is None
    assert decode_face(_png_header_only(20000, 20000)) is None


def test_only_service_avatars_and_web_urls_are_fetched() -> None:
    assert fetchable(MEDIA_REF_PREFIX + "ab" * 32)
    assert fetchable("https://example.com/a.png") and fetchable("http://example.com/a")
    assert not fetchable("tidings:face/👥") and not fetchable("") and not fetchable("ftp://x")


async def test_one_fetch_per_url_however_often_rows_ask(tmp_path: Path) -> None:
    client = _Client(tmp_path)
    url = MEDIA_REF_PREFIX + "a" * 64
    client.media.content["a" * 64] = _png(300, 300)
    client.media.gate = asyncio.Event()
    store = FaceStore(client)  # type: ignore[arg-type]
    arrived: list[str] = []
    store.arrived.connect(arrived.append)
    try:
        for _ in range(50):  # fifty repaints while the download runs
            assert store.image(url) is None
        client.media.gate.set()
        await wait_until(lambda: bool(arrived), what="the face")
        assert arrived == [url] and client.media.calls == ["a" * 64]
        image = store.image(url)
        assert image is not None and image.width() == FACE_PX
    finally:
        await store.close()


async def test_a_failure_is_remembered_not_retried_on_every_repaint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _Client(tmp_path)
    url = MEDIA_REF_PREFIX + "b" * 64  # the service holds nothing under it
    store = FaceStore(client)  # type: ignore[arg-type]
    try:
        assert store.image(url) is None
        await wait_until(lambda: url in store._failed, what="the failure noted")
        for _ in range(50):  # a fetch starts inside image(), or not at all
            assert store.image(url) is None and url not in store._fetching
        assert client.media.calls == ["b" * 64]
        # once the wait is over it is asked for again
        monkeypatch.setattr(faces_module.time, "monotonic",
                            lambda: store._failed[url] + 1.0)
        store.image(url)
        await wait_until(lambda: client.media.calls == ["b" * 64, "b" * 64],
                         what="asked again")
    finally:
        await store.close()


async def test_memory_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces_module, "CACHE_FACES", 3)
    client = _Client(tmp_path)
    store = FaceStore(client)  # type: ignore[arg-type]
    urls = []
    try:
        for n in range(5):
            uuid = f"{n:064d}"
            client.media.content[uuid] = _png(20, 20)
            urls.append(MEDIA_REF_PREFIX + uuid)
            store.image(urls[-1])
            await wait_until(lambda u=urls[-1]: u in store._images, what="the face kept")
        assert list(store._images) == urls[2:]
    finally:
        await store.close()


async def test_a_face_that_failed_offline_comes_once_back_online(tmp_path: Path) -> None:
    client = _Client(tmp_path)
    client.ready = False
    uuid = "c" * 64
    url = MEDIA_REF_PREFIX + uuid
    store = FaceStore(client)  # type: ignore[arg-type]
    arrived: list[str] = []
    store.arrived.connect(arrived.append)
    try:
        store.image(url)  # offline: the download fails
        await wait_until(lambda: url in store._failed, what="the failure noted")
        assert store.image(url) is None
        store.link_changed()  # still offline: nothing (a fetch would start right here)
        assert url not in store._fetching and client.media.calls == [uuid]
        client.ready = True
        client.media.content[uuid] = _png(30, 30)
        store.link_changed()
        await wait_until(lambda: bool(arrived), what="the face once online")
        assert arrived == [url] and client.media.calls == [uuid, uuid]
        store.link_changed()  # nothing left to retry
        assert url not in store._fetching and client.media.calls == [uuid, uuid]
    finally:
        await store.close()
