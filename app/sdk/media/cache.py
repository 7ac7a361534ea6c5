"""One user's media bytes on disk, named by content.

An item's name is the SHA-256 of its bytes — the uuid the service stores it under — so a file
sent twice, or received in two conversations, is held once, and whatever sits under a name is
that content: an item appears only by renaming a complete, fsynced temporary file into place,
never by writing where readers look. Downloads accumulate under ``partial/`` until verified.

Recency is the item's mtime, set by ``get``. The file system is the only index, so nothing
can fall out of step with the files after a crash or a user emptying the folder, and access times
cannot be used instead (most mounts are ``relatime`` or ``noatime``). ``evict`` therefore scans
the folder; it runs in an executor after downloads, not per read.

Layout: ``ab/<uuid>`` (complete items, fanned out by the first two characters so no directory
grows huge), ``partial/<uuid>`` (resumable downloads), ``tmp/`` (copies being made, and the
callers' scratch folders). Everything is private to the user: directories 0700, files 0600.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Set as AbstractSet
from pathlib import Path

from app.protocol import ErrorCode, IMError

_UUID = re.compile(r"[0-9A-Za-z_-]{3,128}")
"""A uuid becomes a file name, and it arrives in other people's messages: nothing that could
climb out of the folder (``..``, separators)."""

_COPY_CHUNK = 1024 * 1024

TOUCH_AFTER_S = 60
"""Recency is kept to the minute: finer would not change which items eviction picks."""

STALE_AFTER_S = 7 * 24 * 3600
"""A partial download or temporary copy untouched this long was abandoned (a crash, a message
deleted before its video finished); ``evict`` removes it."""


class MediaCache:
    def __init__(self, root: Path, limit_bytes: int = 2 * 1024**3) -> None:
        self.root = root
        self.limit_bytes = limit_bytes

    def path(self, uuid: str) -> Path:
        if not _UUID.fullmatch(uuid):
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"not a media uuid: {uuid!r}")
        return self.root / uuid[:2] / uuid

    def get(self, uuid: str) -> Path | None:
        """Cheap enough to call while painting: a stat, and a touch at most once a minute per
        item rather than a metadata write per call."""
        path = self.path(uuid)
        try:
            if time.time() - path.stat().st_mtime > TOUCH_AFTER_S:
                os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def partial(self, uuid: str) -> Path:
        """The folder is made here, so a download can open the file for appending at once."""
        name = self.path(uuid).name
        return self._folder("partial") / name

    def put_file(self, src: Path) -> tuple[str, int]:
        """Hashed in the same pass as the copy, so the name always matches the bytes stored even
        if the user's file changes meanwhile."""
        try:
            source = src.open("rb")
        except OSError as error:
            raise IMError(ErrorCode.SDK_FILE_UNREADABLE,
                          f"{src}: {error.strerror or error}") from error
        with source:
            fd, name = tempfile.mkstemp(dir=self._folder("tmp"))
            tmp = Path(name)
            try:
                digest = hashlib.sha256()
                with os.fdopen(fd, "wb") as out:
                    while chunk := source.read(_COPY_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                    size = out.tell()
                    out.flush()
                    os.fsync(out.fileno())
                uuid = digest.hexdigest()
                self._install(tmp, uuid)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        return uuid, size

    def adopt(self, src: Path) -> tuple[str, int]:
        """Moves rather than copies: for files the SDK made (image levels, snapshots, verified
        downloads), never the user's own, which would vanish from where they keep it."""
        with open(src, "r+b") as fh:  # writable: Windows cannot fsync a read-only handle
            uuid = hashlib.file_digest(fh, "sha256").hexdigest()
            size = fh.tell()
            os.fsync(fh.fileno())
        os.chmod(src, 0o600)
        try:
            self._install(src, uuid)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            self.put_file(src)  # made on another file system: copy, then drop the original
            src.unlink()
        return uuid, size

    @staticmethod
    def sha256_of(path: Path) -> str:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()

    def evict(self, keep: AbstractSet[str] = frozenset()) -> int:
        """Oldest-used first; ``keep`` holds items still to be uploaded, whose only copy the
        outbox may be relying on. Abandoned partials and copies go too."""
        freed = self._sweep_stale()
        items = sorted(self._items())
        total = sum(size for _, size, _ in items)
        for _, size, path in items:
            if total <= self.limit_bytes:
                break
            if path.name in keep:
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                freed += size
            total -= size
        return freed

    def total_bytes(self) -> int:
        """Complete items only: what ``evict`` can act on."""
        return sum(size for _, size, _ in self._items())

    def _install(self, tmp: Path, uuid: str) -> None:
        """Rename into place, or drop ``tmp`` if the content is already held (and count that as
        a use of the item)."""
        dest = self.path(uuid)
        if self.get(uuid) is not None:
            tmp.unlink()
            return
        self._folder(dest.parent.name)
        os.replace(tmp, dest)

    def _items(self) -> list[tuple[float, int, Path]]:
        """(mtime, size, path) of every complete item."""
        items = []
        for folder in self._subfolders():
            if len(folder.name) != 2:
                continue
            for path in folder.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    stat = path.stat()
                    items.append((stat.st_mtime, stat.st_size, path))
        return items

    def _sweep_stale(self) -> int:
        """Files, and the scratch folders callers make under ``tmp/`` for levels and
        snapshots (same file system, so ``adopt`` is a rename)."""
        freed = 0
        cutoff = time.time() - STALE_AFTER_S
        for folder in self._subfolders():
            if folder.name not in ("partial", "tmp"):
                continue
            for path in folder.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime >= cutoff:
                        continue
                    if path.is_dir():
                        freed += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        freed += path.stat().st_size
                        path.unlink()
        return freed

    def _subfolders(self) -> list[Path]:
        try:
            return [entry for entry in self.root.iterdir() if entry.is_dir()]
        except FileNotFoundError:
            return []

    def _folder(self, name: str) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = self.root / name
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder
