"""The group picture button: shows the group's avatar and, clicked, offers the preset pictures.

A popup grid rather than a file dialog: group pictures are presets (see `group_avatar`), and
choosing one is a single click. The first cell goes back to no picture, the avatar drawn from
the members.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QEnterEvent, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QMenu, QToolButton, QWidget, QWidgetAction

from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.group_avatar import (
    PRESET_FACES,
    MemberFaces,
    Members,
    member_face_urls,
    preset_url,
    render_group_avatar,
    render_preset,
)
from app.ui.widgets.icons import tinted_pixmap

SWATCH = 40
COLUMNS = 4


class FacePicker(QToolButton):
    face_chosen = Signal(str)
    """The face URL chosen ("" for none)."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._group_id = ""
        self._name = ""
        self._members: Members = ()
        self.face_url = ""
        self.member_faces: MemberFaces | None = None
        """Set by the owner: members' pictures (it repaints when one arrives)."""
        self.setFixedSize(size, size)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self._open)
        theme_controller().changed.connect(self.update)

    def set_group(self, group_id: str, name: str, face_url: str, members: Members = ()) -> None:
        self._group_id, self._name, self.face_url = group_id, name, face_url
        self._members = tuple(members)
        self.update()

    def shows(self, url: str) -> bool:
        """Whether a picture that just arrived is one of the members' it draws."""
        return url in member_face_urls(self._members)

    def set_face(self, face_url: str) -> None:
        self.face_url = face_url
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._size, self._size)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dpr = self.devicePixelRatioF()
        painter.drawPixmap(0, 0, render_group_avatar(
            self._group_id or "new", self._name or "?", self.face_url, self._members,
            self._size, dpr, member_faces=self.member_faces))
        if self.isEnabled() and (self.underMouse() or self.hasFocus()):
            # A soft veil with a pencil, as editable profile pictures have.
            painter.setPen(Qt.PenStyle.NoPen)
            veil = current_palette().text
            veil.setAlphaF(0.35)
            painter.setBrush(veil)
            painter.drawEllipse(0, 0, self._size, self._size)
            icon = round(self._size * 0.4)
            offset = (self._size - icon) // 2
            painter.drawPixmap(offset, offset, tinted_pixmap(
                "compose", current_palette().accent_text, icon, dpr))

    def enterEvent(self, event: QEnterEvent) -> None:
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.update()
        super().leaveEvent(event)

    def _open(self) -> None:
        menu = QMenu(self)
        grid_host = QWidget(menu)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setSpacing(6)
        dpr = self.devicePixelRatioF()
        choices = ["", *(preset_url(face) for face in PRESET_FACES)]
        for n, url in enumerate(choices):
            button = QToolButton(grid_host)
            button.setFixedSize(SWATCH + 8, SWATCH + 8)
            button.setIconSize(QSize(SWATCH, SWATCH))
            button.setCheckable(True)
            button.setChecked(url == self.face_url)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            if url:
                face = PRESET_FACES[n - 1]
                pixmap = render_preset(face, self._group_id or "new", SWATCH, dpr)
            else:
                pixmap = render_group_avatar(self._group_id or "new", self._name or "?", "",
                                             self._members, SWATCH, dpr)
                button.setToolTip(self.tr("No picture: drawn from the members"))
            button.setIcon(QIcon(pixmap))
            button.clicked.connect(lambda _c=False, u=url: self._choose(menu, u))
            grid.addWidget(button, n // COLUMNS, n % COLUMNS)
        action = QWidgetAction(menu)
        action.setDefaultWidget(grid_host)
        menu.addAction(action)
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _choose(self, menu: QMenu, url: str) -> None:
        menu.close()
        self.set_face(url)
        self.face_chosen.emit(url)
