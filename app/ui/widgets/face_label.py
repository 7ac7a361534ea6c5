"""An avatar widget that shows a person's face once it has arrived, their initials until then
(and for good when the face cannot be fetched)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.faces import FaceStore, face_of
from app.ui.widgets.avatar import AvatarLabel


class FaceLabel(AvatarLabel):
    """A fixed-size avatar following `faces`: the profile card, the chat header, requests."""

    def __init__(self, size: int, parent: QWidget | None = None,
                 faces: FaceStore | None = None) -> None:
        super().__init__(size, parent)
        self._faces: FaceStore | None = None
        self._face = ("", "", "")
        self.set_faces(faces)

    def set_faces(self, faces: FaceStore | None) -> None:
        """Where faces come from (set once the session's store exists)."""
        if faces is self._faces:
            return
        if self._faces is not None:
            self._faces.arrived.disconnect(self._arrived)
        self._faces = faces
        if faces is not None:
            faces.arrived.connect(self._arrived)
        self._show()

    def set_face(self, key: str, text: str, url: str) -> None:
        """`url`'s face, or the initials of `text` on `key`'s colour while there is none."""
        self._face = (key, text, url)
        self._show()

    @property
    def face_url(self) -> str:
        return self._face[2]

    def _arrived(self, url: str) -> None:
        if url == self._face[2]:
            self._show()

    def _show(self) -> None:
        key, text, url = self._face
        if key:
            self.set_avatar(key, text, face_of(self._faces, url))
