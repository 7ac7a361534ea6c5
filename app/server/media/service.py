"""The media part of the service assembled: the blob store, upload sessions, reading back.

Built by the app's lifespan beside ``Services`` (it needs the database those opened); the
routes reach it through ``app.state.media``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from app.protocol import ErrorCode, IMError
from app.server.config import ServerConfig
from app.server.store.db import Database

from . import access
from .storage import Blob, BlobStore, LocalBlobStore
from .uploads import UploadService

log = logging.getLogger(__name__)

MEDIA_DIR: Final = "media"


@dataclass(frozen=True, slots=True)
class MediaService:
    db: Database
    blobs: BlobStore
    uploads: UploadService

    @classmethod
    async def open(cls, config: ServerConfig, db: Database) -> MediaService:
        blobs = LocalBlobStore(config.data_dir / MEDIA_DIR)
        await blobs.open()
        return cls(db, blobs, UploadService(db, blobs, config.limits, config.media_chunk_bytes))

    async def open_readable(self, user_id: str, uuid: str) -> Blob:
        """The content for a download by ``user_id``: 404 (23006) when it is not held, 403
        (23007) when they may not read it."""
        await access.check_download(self.db, user_id, uuid)
        blob = await self.blobs.open_blob(uuid)
        if blob is None:
            log.error("media %s is recorded as held but the blob store has no such file", uuid)
            raise IMError(ErrorCode.MEDIA_NOT_FOUND, f"media {uuid} is not available")
        return blob
