"""The demo's media as an operator's backend would bring its own: each file uploaded through the
media API as its sender, then named in `importmsg` in Tencent's element shapes (`TIMImageElem`
and the rest) by the service's own URLs, which the service recognises as its stored uuids."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from app.protocol import ImageKind, MediaKind
from app.protocol.elements import media_ref
from app.sdk.media.images import prepare_image
from app.sdk.media.transfer import MediaTransfer
from app.sdk.media.video import probe_sound, probe_video

from . import media
from .content import Media, Place

IMAGE_TYPE = {ImageKind.ORIGINAL: 1, ImageKind.LARGE: 2, ImageKind.THUMB: 3}
IMAGE_FORMAT = {"jpg": 1, "gif": 2, "png": 3}
"""Tencent's numbers (255: any other format)."""


def _size(path: Path) -> int:
    return path.stat().st_size


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DemoMedia:
    """Makes, uploads and describes the demo's media; one per seeding run."""

    def __init__(self, base_url: str, sig_for: Any) -> None:
        self._base = base_url.rstrip("/")
        self._sig_for = sig_for
        self._folder = Path(tempfile.mkdtemp(prefix="tidings-demo-media-"))

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    async def _upload(self, sender: str, path: Path, kind: MediaKind) -> tuple[str, str]:
        """(uuid, URL) of a file uploaded as ``sender``."""
        uuid = await asyncio.to_thread(_sha256, path)
        transfer = MediaTransfer(self._base, lambda: self._sig_for(sender))
        try:
            await transfer.upload(path, uuid, kind, name=path.name)
        finally:
            await transfer.aclose()
        return uuid, f"{self._base}/media/{uuid}"

    async def avatar(self, owner: str, name: str) -> str:
        """The face URL of one of the demo's pictures uploaded as ``owner``'s avatar."""
        path = await asyncio.to_thread(media.avatar, name, self._folder / f"avatar-{name}.jpg")
        uuid, _ = await self._upload(owner, path, MediaKind.AVATAR)
        return media_ref(uuid)

    async def body(self, sender: str, item: Media | Place) -> list[dict[str, Any]]:
        if isinstance(item, Place):
            return [{"MsgType": "TIMLocationElem", "MsgContent": {
                "Desc": item.desc, "Latitude": item.latitude, "Longitude": item.longitude}}]
        folder = self._folder / item.item
        folder.mkdir(exist_ok=True)
        kind, path = await asyncio.to_thread(media.make, item.item, folder)
        if kind == "image":
            return [await self._image(sender, path, folder)]
        if kind == "video":
            return [await self._video(sender, path, folder)]
        size = await asyncio.to_thread(_size, path)
        if kind == "sound":
            seconds = await asyncio.to_thread(probe_sound, path)
            uuid, url = await self._upload(sender, path, MediaKind.SOUND)
            return [{"MsgType": "TIMSoundElem", "MsgContent": {
                "Url": url, "UUID": uuid, "Size": size, "Second": seconds,
                "Download_Flag": 2}}]
        uuid, url = await self._upload(sender, path, MediaKind.FILE)
        return [{"MsgType": "TIMFileElem", "MsgContent": {
            "Url": url, "UUID": uuid, "FileSize": size, "FileName": path.name,
            "Download_Flag": 2}}]

    async def _image(self, sender: str, path: Path, folder: Path) -> dict[str, Any]:
        prepared = await asyncio.to_thread(prepare_image, path, folder)
        levels = []
        original = ""
        for level in prepared.levels:
            uuid, url = await self._upload(sender, level.path, MediaKind.IMAGE)
            original = original or uuid
            levels.append({"Type": IMAGE_TYPE[level.kind], "Size": level.size,
                           "Width": level.width, "Height": level.height, "URL": url})
        return {"MsgType": "TIMImageElem", "MsgContent": {
            "UUID": original, "ImageFormat": IMAGE_FORMAT.get(prepared.format, 255),
            "ImageInfoArray": levels}}

    async def _video(self, sender: str, path: Path, folder: Path) -> dict[str, Any]:
        info = await asyncio.to_thread(probe_video, path, folder)
        video_uuid, video_url = await self._upload(sender, path, MediaKind.VIDEO)
        video_size, thumb_size = await asyncio.to_thread(lambda: (_size(path),
                                                                  _size(info.snapshot)))
        thumb_uuid, thumb_url = await self._upload(sender, info.snapshot, MediaKind.SNAPSHOT)
        return {"MsgType": "TIMVideoFileElem", "MsgContent": {
            "VideoUrl": video_url, "VideoUUID": video_uuid, "VideoSize": video_size,
            "VideoSecond": info.duration_s, "VideoFormat": info.format, "VideoDownloadFlag": 2,
            "ThumbUrl": thumb_url, "ThumbUUID": thumb_uuid,
            "ThumbSize": thumb_size, "ThumbWidth": info.snapshot_width,
            "ThumbHeight": info.snapshot_height, "ThumbFormat": "jpg", "ThumbDownloadFlag": 2}}
