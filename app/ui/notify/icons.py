"""The sender's face as a small PNG file, which is what notification servers take as an icon.

The picture is the one the app shows (`FaceStore`, initials on the sender's colour until it
is here); files are named by what they show, so a face drawn once is reused by every later
notification and a new picture gets a new file (servers cache icons by path).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtGui import QImage

from app.ui.widgets.avatar import render_avatar

log = logging.getLogger(__name__)

ICON_PX = 96
"""Large enough for a HiDPI notification's icon slot, small enough to write in a millisecond."""
KEEP_FILES = 256
"""Older files are removed once this many exist."""


class IconFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._written: dict[str, Path] = {}

    def face(self, key: str, name: str, url: str = "", image: QImage | None = None,
             ) -> Path | None:
        """The file of `key`'s avatar: `image` (the picture of face `url`) when it is here,
        else `name`'s initials."""
        shown = url if image is not None else ""
        digest = hashlib.sha1(f"{key}\0{name}\0{shown}".encode()).hexdigest()[:20]
        path = self._written.get(digest)
        if path is not None and path.exists():
            return path
        path = self.folder / f"{digest}.png"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                pixmap = render_avatar(key, name, ICON_PX, 1.0, image)
                if not pixmap.save(str(path), "PNG"):
                    return None
            self._written[digest] = path
            if len(self._written) > KEEP_FILES:
                self._prune()
        except OSError as exc:
            log.info("notification icon not written: %s", exc)
            return None
        return path

    def _prune(self) -> None:
        keep = set(list(self._written.values())[-KEEP_FILES // 2:])
        for old in self.folder.glob("*.png"):
            if old not in keep:
                old.unlink(missing_ok=True)
        self._written = {k: p for k, p in self._written.items() if p in keep}
