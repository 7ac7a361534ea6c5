"""My own face on the rail: the picture my profile's face URL names, once it is here.

Only what the rail needs (the lists' and cards' faces are another store's job): one URL at a
time, fetched through the SDK (`face_file`; my own upload is already in the media cache, so
after Save it shows without a download) and decoded off the GUI thread at the rail's size.
A newer URL supersedes a fetch still running; a face that cannot be had leaves the initials.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from app.protocol import IMError
from app.sdk import IMClient
from app.sdk.avatars import face_file
from app.ui.avatar_picture import load_face
from app.ui.tasks import TaskGroup

log = logging.getLogger("tidings.ui.faces")

FACE_PX = 96
"""The rail's 36 px avatar at up to 2.5× device pixel ratio."""


class OwnFace(QObject):
    changed = Signal(object)
    """The QImage to show, or None for the initials."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("own face")
        self.url = ""
        self.image: QImage | None = None

    def show(self, face_url: str) -> None:
        if face_url == self.url and (self.image is not None or self._tasks.busy):
            return  # a face that could not be had is tried again at the next profile news
        self.url = face_url
        self._tasks.cancel_all()
        if not face_url:
            self._set(None)
            return
        self._tasks.run(self._fetch(face_url), on_done=self._set)

    def stop(self) -> None:
        self._tasks.cancel_all()

    async def _fetch(self, face_url: str) -> QImage | None:
        try:
            path = await face_file(self._client, face_url)
        except IMError as exc:
            log.info("my face not fetched: %s", exc)
            return None
        return await load_face(path, FACE_PX) if path is not None else None

    def _set(self, image: QImage | None) -> None:
        self.image = image
        self.changed.emit(image)
