"""Turning local files into media elements, and knowing what a media message must upload.

Everything here reads or decodes files, so it runs in an executor, never on the caller's loop
(the GUI thread in the app). The files are taken into the media cache under their uuid at
creation: the sender's own bubble shows from the cache at once, the upload reads from there
even if the original is moved, and a resend after a restart still finds them.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import msgspec

from app.protocol import (
    Elem,
    ErrorCode,
    FileElem,
    ImageElem,
    ImageInfo,
    IMError,
    Limits,
    MediaKind,
    MergerElem,
    Snapshot,
    SoundElem,
    VideoElem,
)
from app.protocol import Message as WireMessage

from .cache.uploads import Upload
from .media.cache import MediaCache
from .media.images import prepare_image
from .media.video import probe_sound, probe_video

T = TypeVar("T")

_encode_messages = msgspec.json.Encoder().encode
_decode_messages = msgspec.json.Decoder(list[WireMessage]).decode


def _readable_size(path: Path, limit: int, kind: str) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{path.name} cannot be read") from None
    if not path.is_file():
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{path.name} is not a file")
    if size > limit:
        raise IMError(ErrorCode.SDK_MEDIA_TOO_LARGE,
                      f"{path.name} is {size / 2**20:.1f} MB; a {kind} may be at most "
                      f"{limit / 2**20:.0f} MB")
    return size


class Attachments:
    def __init__(self, cache: Callable[[], MediaCache], limits: Callable[[], Limits]) -> None:
        self._cache = cache
        self._limits = limits

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, fn)

    def _scratch(self) -> Path:
        root = self._cache().root / "tmp"
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return Path(tempfile.mkdtemp(dir=root))

    async def image(self, path: str) -> ImageElem:
        src = Path(path)
        limits, cache = self._limits(), self._cache()

        def work() -> ImageElem:
            _readable_size(src, limits.image_bytes, "picture")
            scratch = self._scratch()
            try:
                prepared = prepare_image(src, scratch)
                infos = []
                for level in prepared.levels:
                    if level.path == src:
                        uuid, size = cache.put_file(src)
                    else:
                        uuid, size = cache.adopt(level.path)
                    infos.append(ImageInfo(kind=level.kind, uuid=uuid, size=size,
                                           width=level.width, height=level.height))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            return ImageElem(format=prepared.format, images=infos)

        return await self._run(work)

    async def file(self, path: str, name: str = "") -> FileElem:
        src = Path(path)
        limits, cache = self._limits(), self._cache()

        def work() -> FileElem:
            _readable_size(src, limits.file_bytes, "file")
            uuid, size = cache.put_file(src)
            return FileElem(uuid=uuid, size=size, name=name or src.name)

        return await self._run(work)

    async def sound(self, path: str, duration_s: int = 0) -> SoundElem:
        src = Path(path)
        limits, cache = self._limits(), self._cache()

        def work() -> SoundElem:
            _readable_size(src, limits.sound_bytes, "voice message")
            seconds = duration_s or probe_sound(src)
            if seconds > limits.sound_seconds_max:
                raise IMError(ErrorCode.SDK_SOUND_TOO_LONG)
            uuid, size = cache.put_file(src)
            return SoundElem(uuid=uuid, size=size, duration_s=max(1, seconds),
                             format=src.suffix.lstrip(".").lower() or "m4a")

        return await self._run(work)

    async def video(self, path: str, video_type: str = "", duration_s: int = 0,
                    snapshot_path: str = "") -> VideoElem:
        src = Path(path)
        limits, cache = self._limits(), self._cache()

        def work() -> VideoElem:
            _readable_size(src, limits.video_bytes, "video")
            scratch = self._scratch()
            try:
                info = probe_video(src, scratch)
                seconds = duration_s or info.duration_s
                if snapshot_path:
                    snap = prepare_image(Path(snapshot_path), scratch).levels[0]
                    snap_uuid, snap_size = cache.put_file(Path(snapshot_path))
                    width, height = snap.width, snap.height
                else:
                    snap_uuid, snap_size = cache.adopt(info.snapshot)
                    width, height = info.snapshot_width, info.snapshot_height
                uuid, size = cache.put_file(src)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            return VideoElem(uuid=uuid, size=size, duration_s=max(1, seconds),
                             format=video_type or info.format,
                             snapshot=Snapshot(uuid=snap_uuid, size=snap_size, width=width,
                                               height=height))

        return await self._run(work)

    async def merger(self, messages: list[WireMessage], title: str, abstracts: list[str],
                     compatible_text: str) -> MergerElem:
        """The bundle's messages become one JSON media item, in the order given."""
        cache = self._cache()

        def work() -> MergerElem:
            scratch = self._scratch()
            try:
                bundle = scratch / "bundle.json"
                bundle.write_bytes(_encode_messages(messages))
                uuid, size = cache.adopt(bundle)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            return MergerElem(title=title, abstracts=abstracts[:10],
                              compatible_text=compatible_text, uuid=uuid, size=size)

        return await self._run(work)

    async def read_bundle(self, path: Path) -> list[WireMessage]:
        def work() -> list[WireMessage]:
            try:
                return _decode_messages(path.read_bytes())
            except (OSError, msgspec.DecodeError) as exc:
                raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED,
                              f"the forwarded messages cannot be read: {exc}") from None
        return await self._run(work)


def uploads_of(elem: Elem, held: Callable[[str], Path | None]) -> list[Upload]:
    """What must reach the service before a message with this element may be sent: the items
    this device holds. One it does not hold (forwarding media never downloaded) the service
    already has, and it checks that I may refer to it."""
    items: list[Upload] = []

    def add(uuid: str, kind: MediaKind, size: int, name: str = "") -> None:
        if uuid and held(uuid) is not None and all(i.uuid != uuid for i in items):
            items.append(Upload(uuid, kind.value, size, name))

    if isinstance(elem, ImageElem):
        for info in elem.images:
            add(info.uuid, MediaKind.IMAGE, info.size)
    elif isinstance(elem, VideoElem):
        add(elem.uuid, MediaKind.VIDEO, elem.size)
        add(elem.snapshot.uuid, MediaKind.SNAPSHOT, elem.snapshot.size)
    elif isinstance(elem, SoundElem):
        add(elem.uuid, MediaKind.SOUND, elem.size)
    elif isinstance(elem, FileElem):
        add(elem.uuid, MediaKind.FILE, elem.size, elem.name)
    elif isinstance(elem, MergerElem):
        add(elem.uuid, MediaKind.MERGER, elem.size)
    return items

