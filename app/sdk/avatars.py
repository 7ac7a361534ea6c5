"""Faces held by the service: my picture uploaded as an avatar, and anyone's face as a file.

An avatar is content like a message's media (PROTOCOL.md §8), uploaded with kind ``avatar``
so every signed-in user may read it, and named in a profile as ``tidings-media:<uuid>``. The
upload is live, not queued: the caller sets the face with ``set_self_info`` once it is on the
service (that change is queued), so a face is never named before its bytes exist there. The
made file goes into the media cache under its uuid first, so my own face shows at once
without being downloaded again.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from app.protocol import ErrorCode, IMError, MediaKind
from app.protocol.elements import media_ref, media_ref_uuid

from .media.avatar_image import Crop, prepare_avatar

if TYPE_CHECKING:
    from .client import IMClient


async def upload_avatar(client: IMClient, path: str | Path, crop: Crop | None = None) -> str:
    """The face URL (``tidings-media:<uuid>``) of ``path``'s picture cropped to ``crop``
    (``avatar_image.Crop``; None: the centred square), once the service holds it."""
    src = Path(path)
    cache = client.media.cache
    limit = client.limits.image_bytes

    def make() -> tuple[str, int]:
        try:
            size = src.stat().st_size
        except OSError:
            raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{src.name} cannot be read") from None
        if size > limit:
            raise IMError(ErrorCode.SDK_MEDIA_TOO_LARGE,
                          f"{src.name} is {size / 2**20:.1f} MB; a picture may be at most "
                          f"{limit / 2**20:.0f} MB")
        root = cache.root / "tmp"
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        scratch = Path(tempfile.mkdtemp(dir=root))
        try:
            return cache.adopt(prepare_avatar(src, scratch, crop))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    uuid, _size = await asyncio.get_running_loop().run_in_executor(None, make)
    held = client.media.cached(uuid)
    if held is None:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, "the avatar left the media cache")
    await client.media.transfer.upload(held, uuid, MediaKind.AVATAR, name="avatar")
    return media_ref(uuid)


async def face_file(client: IMClient, face_url: str) -> Path | None:
    """The local file of a face: service content (``tidings-media:``) fetched with my sig,
    a web URL fetched as external content; None for no face. Refusals are IMErrors."""
    if not face_url:
        return None
    uuid = media_ref_uuid(face_url)
    if uuid is not None:
        return await client.media.download(uuid)
    return await client.media.download("", url=face_url)
