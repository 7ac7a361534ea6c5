"""Upload sessions: declare the bytes, send them in chunks, resume after a cut.

State is in the database (``media_uploads``): the offset an upload has reached is moved with a
compare-and-set from the chunk's start, so two nodes, or two racing retries of one chunk, never
both advance it, and whichever node takes the next chunk knows where the upload stands. An
offset is recorded only after its bytes are durable in the part (``BlobStore.write_part``).

When the last chunk is in, the part is hashed (in a thread) and must match the declared SHA-256;
then it becomes content (stored once: a part whose content is held already is dropped) and the
caller is recorded as one of its uploaders, which is what lets them read it and send it.
Declaring content the caller may already read skips the upload altogether.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa

from app.protocol import ErrorCode, IMError, Limits, MediaKind
from app.server.clock import now_ms
from app.server.store import media as store
from app.server.store.db import Database

from .storage import BlobStore, PartMissing, is_sha256, is_upload_id

log = logging.getLogger(__name__)

UPLOAD_TTL_MS: Final = 24 * 3600 * 1000
SWEEP_BATCH: Final = 100
"""Expired uploads removed per new upload: cleaning stays proportional to use."""
NAME_MAX_BYTES: Final = 255
_KINDS: Final = frozenset(kind.value for kind in MediaKind)


class OffsetMismatch(IMError):
    """A chunk that does not start where the upload stands (23004); ``offset`` says where it
    does, so the client can go on from there."""

    def __init__(self, offset: int, start: int) -> None:
        super().__init__(ErrorCode.UPLOAD_OFFSET_MISMATCH,
                         f"the upload stands at byte {offset}; the chunk starts at {start}")
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an upload stands; ``uuid`` is set once it is complete (content held)."""

    offset: int
    size: int
    uuid: str = ""
    upload_id: str = ""


class UploadService:
    def __init__(self, db: Database, blobs: BlobStore, limits: Limits, chunk_bytes: int) -> None:
        self._db = db
        self._blobs = blobs
        self._limits = limits
        self.chunk_bytes = chunk_bytes

    def check_declaration(self, kind: str, size: int, sha256: str, name: str) -> None:
        """The refusals a declaration gets before any byte is sent: 23002 unknown kind, 23001
        over the kind's limit, 9003 for the other fields."""
        if kind not in _KINDS:
            raise IMError(ErrorCode.MEDIA_KIND_INVALID,
                          f"kind {kind[:40]!r}: use one of " + ", ".join(MediaKind))
        most = self._limits.media_bytes(kind)
        if size > most:
            raise IMError(ErrorCode.MEDIA_TOO_LARGE,
                          f"the {kind} is {size} bytes; at most {most} bytes for a {kind}")
        if size < 1:
            raise IMError(ErrorCode.INVALID_BODY, f"size: 1–{most} bytes")
        if not is_sha256(sha256):
            raise IMError(ErrorCode.INVALID_BODY, "sha256: 64 lowercase hex digits")
        if len(name.encode()) > NAME_MAX_BYTES:
            raise IMError(ErrorCode.INVALID_BODY, f"name: at most {NAME_MAX_BYTES} bytes")

    async def start(self, user_id: str, kind: str, size: int, sha256: str,
                    name: str = "") -> Progress:
        """A new upload at offset 0, or — when the caller may already read this content — the
        completed answer without one."""
        self.check_declaration(kind, size, sha256, name)
        async with self._db.read() as conn:
            readable = bool(await store.readable(conn, user_id, [sha256]))
        if readable:
            if kind == MediaKind.AVATAR:  # content I may read, now shown as my face
                async with self._db.write() as conn:
                    await store.publish(conn, sha256)
            return Progress(size, size, uuid=sha256)
        await self._sweep()
        upload_id = secrets.token_hex(16)
        await self._blobs.create_part(upload_id)
        now = now_ms()
        try:
            async with self._db.write() as conn:
                await store.create_upload(conn, upload_id=upload_id, user_id=user_id, kind=kind,
                                          size=size, sha256=sha256, name=name, now_ms=now,
                                          expires_at=now + UPLOAD_TTL_MS)
        except BaseException:
            await self._blobs.discard_part(upload_id)
            raise
        return Progress(0, size, upload_id=upload_id)

    async def status(self, user_id: str, upload_id: str) -> Progress:
        row = await self._find(user_id, upload_id)
        return Progress(row.received, row.size, upload_id=upload_id)

    async def put(self, user_id: str, upload_id: str, start: int, total: int,
                  data: bytes) -> Progress:
        """Write one chunk (``data`` at ``start`` of an upload of ``total`` bytes) and answer the
        new offset; the last chunk completes the upload."""
        row = await self._find(user_id, upload_id)
        if total != row.size:
            raise IMError(ErrorCode.UPLOAD_SIZE_MISMATCH,
                          f"Content-Range: the upload is {row.size} bytes, not {total}")
        if start != row.received:
            raise OffsetMismatch(row.received, start)
        end = start + len(data)
        if end > row.size:
            raise IMError(ErrorCode.UPLOAD_SIZE_MISMATCH,
                          f"the chunk runs to byte {end}, past the upload's {row.size}")
        try:
            await self._blobs.write_part(upload_id, start, data)
        except PartMissing:
            raise await self._lost(upload_id) from None
        if end < row.size:
            async with self._db.write() as conn:
                if await store.advance(conn, upload_id, start, end):
                    return Progress(end, row.size)
            raise await self._moved(user_id, upload_id, start)
        return await self._complete(user_id, upload_id, row, start)

    async def _complete(self, user_id: str, upload_id: str, row: sa.Row, start: int
                        ) -> Progress:
        sha256, size, kind = row.sha256, row.size, row.kind
        try:
            digest = await self._blobs.digest_part(upload_id)
        except PartMissing:
            raise await self._lost(upload_id) from None
        if digest != sha256:
            log.warning("upload %s of %s: the bytes hash to %s, not the declared %s; discarded",
                        upload_id, user_id, digest, sha256)
            await self._discard(upload_id)
            raise IMError(ErrorCode.UPLOAD_SIZE_MISMATCH,
                          f"the bytes' SHA-256 is {digest}, not the declared {sha256}; the "
                          "upload is discarded")
        try:
            await self._blobs.commit_part(upload_id, sha256)
        except PartMissing:
            raise await self._moved(user_id, upload_id, start) from None
        now = now_ms()
        async with self._db.write() as conn:
            if await store.finish_upload(conn, upload_id, start):
                await store.add_blob(conn, sha256, size, kind, now)
                await store.add_owner(conn, sha256, user_id, now)
                if kind == MediaKind.AVATAR:
                    await store.publish(conn, sha256)
                return Progress(size, size, uuid=sha256)
        raise await self._moved(user_id, upload_id, start)

    async def _find(self, user_id: str, upload_id: str) -> sa.Row:
        row = None
        if is_upload_id(upload_id):
            async with self._db.read() as conn:
                row = await store.upload(conn, upload_id, user_id, now_ms())
        if row is None:
            raise IMError(ErrorCode.UPLOAD_NOT_FOUND, f"no upload {upload_id[:40]!r} of yours, "
                          "or it expired; start a new one")
        return row

    async def _moved(self, user_id: str, upload_id: str, start: int) -> IMError:
        """The refusal for a chunk that lost a race: another chunk moved the upload on from
        ``start`` (or finished it) in the meantime."""
        async with self._db.read() as conn:
            row = await store.upload(conn, upload_id, user_id, now_ms())
        if row is None:
            return IMError(ErrorCode.UPLOAD_NOT_FOUND, f"upload {upload_id} is finished or gone")
        return OffsetMismatch(row.received, start)

    async def _lost(self, upload_id: str) -> IMError:
        log.warning("upload %s: its part is missing from the blob store; discarded", upload_id)
        await self._discard(upload_id)
        return IMError(ErrorCode.UPLOAD_NOT_FOUND,
                       f"upload {upload_id}'s bytes are gone from the store; start a new one")

    async def _discard(self, upload_id: str) -> None:
        async with self._db.write() as conn:
            await store.delete_upload(conn, upload_id)
        await self._blobs.discard_part(upload_id)

    async def _sweep(self) -> None:
        """Remove uploads that expired, rows and parts; looked for first in a read, so a new
        upload costs no extra write when nothing expired."""
        now = now_ms()
        async with self._db.read() as conn:
            expired = await store.expired(conn, now, SWEEP_BATCH)
        if not expired:
            return
        async with self._db.write() as conn:
            await store.delete_expired(conn, expired, now)
        for upload_id in expired:
            await self._blobs.discard_part(upload_id)
