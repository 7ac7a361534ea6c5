"""Where media bytes live: a small ``BlobStore`` interface and the local-disk implementation.

The interface is what the upload and download paths need and no more — parts written at an
offset, a digest of a finished part, the part made content, content read back in ranges — so an
S3-compatible store (multipart uploads, ranged GETs) can stand in for ``LocalBlobStore`` later.
What exists and who may read it is in the database, never inferred from the store.

``LocalBlobStore`` keeps ``<root>/blobs/ab/cd/<sha256>`` and ``<root>/uploads/<upload_id>``,
files 0600 and directories 0700, since a blob is a user's private file. Every disk operation
runs in a worker thread: a 100 MB hash or a slow disk never stalls the event loop. A chunk is
fsynced before its offset is recorded, so an acknowledged offset survives a power cut and a
resumed upload never carries a hole.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final, Protocol

import anyio.to_thread

READ_CHUNK: Final = 256 * 1024
"""Bytes read per thread hop when streaming a blob out."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


def is_sha256(text: object) -> bool:
    """A media uuid: the lowercase hex SHA-256 of the bytes."""
    return isinstance(text, str) and _SHA256.fullmatch(text) is not None


def is_upload_id(text: object) -> bool:
    return isinstance(text, str) and _UPLOAD_ID.fullmatch(text) is not None


class PartMissing(Exception):
    """The upload's part is not in this store (lost, or written on another node's disk)."""


class Blob(Protocol):
    """Stored content opened for reading; ``size`` is what was found, not what was recorded."""

    size: int

    def chunks(self, start: int, length: int) -> AsyncIterator[bytes]: ...

    async def close(self) -> None: ...


class BlobStore(Protocol):
    async def open(self) -> None:
        """Prepare the store (create directories, check the bucket)."""

    async def create_part(self, upload_id: str) -> None: ...

    async def write_part(self, upload_id: str, offset: int, data: bytes) -> None:
        """Write ``data`` at ``offset`` durably; PartMissing if there is no such part."""

    async def digest_part(self, upload_id: str) -> str:
        """The SHA-256 (hex) of the part's bytes; PartMissing if there is no such part."""

    async def commit_part(self, upload_id: str, sha256: str) -> bool:
        """Make the part the content ``sha256`` (already verified); True when it was new. If
        the content is held already the part is dropped: the same bytes are stored once."""

    async def discard_part(self, upload_id: str) -> None:
        """Remove the part if it exists."""

    async def open_blob(self, sha256: str) -> Blob | None:
        """The content for reading, or None when the store does not hold it."""


class _LocalBlob:
    def __init__(self, fd: int, size: int) -> None:
        self._fd = fd
        self.size = size

    async def chunks(self, start: int, length: int) -> AsyncIterator[bytes]:
        # Thread hops are not abandoned on cancellation, so a read is over before close().
        position, end = start, start + length
        while position < end:
            data = await anyio.to_thread.run_sync(
                os.pread, self._fd, min(READ_CHUNK, end - position), position)
            if not data:
                raise OSError(f"blob ended at byte {position} of {self.size}")
            position += len(data)
            yield data

    async def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)


def _make_dirs(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    """A ``BlobStore`` on the local file system (one node, or a shared mount)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._blobs = root / "blobs"
        self._uploads = root / "uploads"

    def blob_path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self._blobs / sha256[:2] / sha256[2:4] / sha256

    def part_path(self, upload_id: str) -> Path:
        if not is_upload_id(upload_id):
            raise ValueError(f"not an upload ID: {upload_id!r}")
        return self._uploads / upload_id

    async def open(self) -> None:
        def prepare() -> None:
            for path in (self._root, self._blobs, self._uploads):
                _make_dirs(path)
                path.chmod(0o700)

        await anyio.to_thread.run_sync(prepare)

    async def create_part(self, upload_id: str) -> None:
        path = self.part_path(upload_id)
        await anyio.to_thread.run_sync(
            lambda: os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)))

    async def write_part(self, upload_id: str, offset: int, data: bytes) -> None:
        path = self.part_path(upload_id)

        def write() -> None:
            try:
                fd = os.open(path, os.O_WRONLY)
            except FileNotFoundError:
                raise PartMissing(upload_id) from None
            try:
                view = memoryview(data)
                while view:
                    written = os.pwrite(fd, view, offset + len(data) - len(view))
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)

        await anyio.to_thread.run_sync(write)

    async def digest_part(self, upload_id: str) -> str:
        path = self.part_path(upload_id)

        def digest() -> str:
            try:
                with path.open("rb") as fh:
                    return hashlib.file_digest(fh, "sha256").hexdigest()
            except FileNotFoundError:
                raise PartMissing(upload_id) from None

        return await anyio.to_thread.run_sync(digest)

    async def commit_part(self, upload_id: str, sha256: str) -> bool:
        part, target = self.part_path(upload_id), self.blob_path(sha256)

        def commit() -> bool:
            if target.exists():
                part.unlink(missing_ok=True)
                return False
            for parent in (target.parent.parent, target.parent):
                _make_dirs(parent)
            try:
                os.replace(part, target)
            except FileNotFoundError:
                raise PartMissing(upload_id) from None
            _fsync_dir(target.parent)
            return True

        return await anyio.to_thread.run_sync(commit)

    async def discard_part(self, upload_id: str) -> None:
        path = self.part_path(upload_id)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def open_blob(self, sha256: str) -> Blob | None:
        path = self.blob_path(sha256)

        def open_() -> _LocalBlob | None:
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                return None
            return _LocalBlob(fd, os.fstat(fd).st_size)

        return await anyio.to_thread.run_sync(open_)
