"""FileTransfers: the progress file bubbles show, and opening a received file.

Uploads of my media messages report a percent through the bridge (`on_send_progress`); downloads
are started here by a click on a file bubble, which shows bytes arriving and takes a second click
as "cancel". A file in the media cache is named by its uuid, so before the system opens it, it is
copied under its own name into the downloads folder (Downloads/Tidings, as Telegram Desktop
does); the copy is made off the GUI thread and reused when the same file is opened again. Files
that run as programs are never launched from a click: their folder is shown instead.
"""

from __future__ import annotations

import asyncio
import filecmp
import logging
import re
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from app.protocol import FileElem
from app.sdk import Message
from app.ui.media.source import MediaSource
from app.ui.tasks import TaskGroup

log = logging.getLogger("tidings.ui.media")

RUNNABLE = frozenset({
    "app", "appimage", "apk", "bat", "bin", "cmd", "com", "command", "cpl", "deb", "desktop",
    "dmg", "exe", "jar", "js", "jse", "lnk", "msi", "msp", "pkg", "ps1", "py", "rpm", "run",
    "scr", "sh", "vb", "vbe", "vbs", "wsf",
})
"""Extensions opened by revealing their folder rather than by the system's default action."""
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def default_files_dir() -> Path:
    downloads = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())
    return Path(downloads) / "Tidings"


def safe_name(name: str) -> str:
    """`name` as a file name of one folder: no directories, no characters Windows refuses."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return cleaned or "file"


def export(path: Path, name: str, folder: Path) -> Path:
    """A copy of cached `path` named `name` in `folder`: the one already there if it has the
    same bytes, else a new one ("report (1).pdf"). Blocking: run it in a thread."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = folder / safe_name(name)
    stem, suffix = wanted.stem, wanted.suffix
    candidate, number = wanted, 0
    while candidate.exists():
        if candidate.stat().st_size == path.stat().st_size and filecmp.cmp(candidate, path,
                                                                           shallow=False):
            return candidate
        number += 1
        candidate = folder / f"{stem} ({number}){suffix}"
    shutil.copyfile(path, candidate)
    return candidate


class FileTransfers(QObject):
    changed = Signal(str)
    """The msg_id whose file bubble shows a different state."""
    failed = Signal(str, str)
    """(msg_id, why): a download or an open did not happen."""

    def __init__(self, source: MediaSource, files_dir: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.files_dir = files_dir or default_files_dir()
        self._uploads: dict[str, int] = {}
        self._downloads: dict[str, tuple[int, int]] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._tasks = TaskGroup("file transfers")

    # --- uploads (my messages) -----------------------------------------------------------

    def on_send_progress(self, msg_id: str, percent: int) -> None:
        """Connect `SdkBridge.send_progress` here."""
        if percent >= 100:
            self._uploads.pop(msg_id, None)
        else:
            self._uploads[msg_id] = max(0, percent)
        self.changed.emit(msg_id)

    def upload_percent(self, msg_id: str) -> int | None:
        return self._uploads.get(msg_id)

    # --- downloads -----------------------------------------------------------------------

    def progress(self, msg_id: str) -> tuple[int, int] | None:
        """(bytes arrived, bytes in all) while `msg_id`'s file downloads, else None."""
        return self._downloads.get(msg_id)

    def is_local(self, elem: FileElem) -> bool:
        return self.source.cached(elem.uuid, elem.url) is not None

    def click(self, msg: Message) -> None:
        """The user clicked a file bubble: open the file when it is here, cancel its download
        when it is on the way, else start fetching it (and open it once it is here)."""
        elem = msg.file_elem
        if elem is None:
            return
        if msg.msg_id in self._running:
            self.cancel(msg.msg_id)
            return
        path = self.source.cached(elem.uuid, elem.url)
        if path is None:
            self._downloads[msg.msg_id] = (0, elem.size)
        self._running[msg.msg_id] = self._tasks.run(self._fetch_and_open(msg, elem, path))
        self.changed.emit(msg.msg_id)

    def cancel(self, msg_id: str) -> None:
        task = self._running.pop(msg_id, None)
        if task is not None:
            task.cancel()
        self._downloads.pop(msg_id, None)
        self.changed.emit(msg_id)

    async def _fetch_and_open(self, msg: Message, elem: FileElem, path: Path | None) -> None:
        msg_id = msg.msg_id

        def moved(done: int, total: int) -> None:
            self._downloads[msg_id] = (done, total or elem.size)
            self.changed.emit(msg_id)

        try:
            if path is None:
                path = await self.source.download(elem.uuid, url=elem.url, size=elem.size,
                                                  progress=moved)
            opened = await asyncio.to_thread(export, path, elem.name or elem.uuid,
                                             self.files_dir)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the network, the service, the disk: all mean "not now"
            log.info("file %s: %s", elem.uuid[:12], error)
            self.failed.emit(msg_id, str(error))
            return
        finally:
            if self._running.get(msg_id) is asyncio.current_task():
                del self._running[msg_id]
                self._downloads.pop(msg_id, None)
                self.changed.emit(msg_id)
        open_file(opened)

    def close(self) -> None:
        self._tasks.cancel_all()
        self._running.clear()
        self._downloads.clear()


def open_file(path: Path) -> None:
    """Open `path` with the system's default application — or show its folder for a file
    that would run as a program."""
    if path.suffix.lower().lstrip(".") in RUNNABLE:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
