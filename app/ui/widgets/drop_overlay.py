"""What the chat shows while files are dragged over it, and where they may be dropped.

Only files are taken (local file URLs): text and links dragged from a browser stay the text
box's. With photos or videos among the files the chat splits into two zones, as in Telegram
Desktop — "Send as photos" above "Send as files" — so the user decides with the drop itself;
otherwise it is one zone. While shown, the overlay covers the whole chat and is the drop target
itself, so every move and the drop land on it whatever lies underneath (the text box, which
would otherwise paste the file's URL as text).

Which files are pictures is decided here by their names only: the GUI thread never reads a file.
The preview sheet looks at the contents afterwards (`send_preview`).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, QMimeData, QMimeDatabase, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

from app.ui.theme import current_palette
from app.ui.widgets.icons import tinted_pixmap

PICTURE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
"""What the SDK sends as a picture (other images — BMP, TIFF, SVG — go as files)."""
MARGIN = 14
ZONE_GAP = 10
ICON = 44

_mime_types = QMimeDatabase()


class FileType(Enum):
    PICTURE = "picture"
    VIDEO = "video"
    FILE = "file"


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drag or a paste carries, in its order (no directories)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def file_type(path: str) -> FileType:
    """What a file looks like by its name (extension)."""
    name = _mime_types.mimeTypeForFile(path, QMimeDatabase.MatchMode.MatchExtension).name()
    if name in PICTURE_TYPES:
        return FileType.PICTURE
    if name.startswith("video/"):
        return FileType.VIDEO
    return FileType.FILE


def media_choice_text(pictures: bool, videos: bool) -> str:
    """"Send as photos" / "Send as videos" / "Send as photos and videos": the choice that sends
    what can be shown inline as such."""
    if pictures and videos:
        return QCoreApplication.translate("DropOverlay", "Send as photos and videos")
    if videos:
        return QCoreApplication.translate("DropOverlay", "Send as videos")
    return QCoreApplication.translate("DropOverlay", "Send as photos")


def _tint(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(*(b + (t - b) * amount for b, t in (
        (base.redF(), tint.redF()), (base.greenF(), tint.greenF()),
        (base.blueF(), tint.blueF()))))


class Zone(Enum):
    MEDIA = "media"
    FILES = "files"


class DropOverlay(QWidget):
    """Child of the chat, hidden until `begin` shows it for a drag of files.
    `dropped(paths, as_media)`: the files, and whether they fell on "Send as photos"."""

    dropped = Signal(list, bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.hide()
        self._pictures = False
        self._videos = False
        self._hover: Zone | None = None

    @property
    def split(self) -> bool:
        """Two zones: photos or videos are among the files."""
        return self._pictures or self._videos

    @property
    def hovered(self) -> Zone | None:
        return self._hover

    def begin(self, mime: QMimeData) -> bool:
        """A drag entered the chat: show the zones for its files; False (and nothing shown)
        when it carries no files."""
        files = local_files(mime)
        if not files:
            return False
        types = {file_type(path) for path in files}
        self._pictures = FileType.PICTURE in types
        self._videos = FileType.VIDEO in types
        self._hover = None
        parent = self.parentWidget()
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.update()
        return True

    def end(self) -> None:
        self._hover = None
        self.hide()

    # --- zones ---------------------------------------------------------------------------

    def zones(self) -> list[tuple[Zone, QRectF]]:
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        if not self.split:
            return [(Zone.FILES, area)]
        half = (area.height() - ZONE_GAP) / 2
        top = QRectF(area.left(), area.top(), area.width(), half)
        bottom = QRectF(area.left(), area.top() + half + ZONE_GAP, area.width(), half)
        return [(Zone.MEDIA, top), (Zone.FILES, bottom)]

    def zone_at(self, pos: QPoint) -> Zone | None:
        return next((zone for zone, rect in self.zones() if rect.contains(pos)), None)

    def _texts(self, zone: Zone) -> tuple[str, str]:
        if zone == Zone.MEDIA:
            return (media_choice_text(self._pictures, self._videos),
                    self.tr("Shown in the chat, pictures compressed"))
        if self.split:
            return self.tr("Send as files"), self.tr("Sent as they are, in full quality")
        return self.tr("Drop files here to send them"), ""

    # --- the drag ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            self._set_hover(self.zone_at(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        zone = self.zone_at(event.position().toPoint())
        self._set_hover(zone)
        if zone is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.end()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        zone = self.zone_at(event.position().toPoint())
        self.end()
        if not files or zone is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(files, zone == Zone.MEDIA)

    def _set_hover(self, zone: Zone | None) -> None:
        if zone != self._hover:
            self._hover = zone
            self.update()

    # --- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), palette.window)  # the chat beneath would only distract
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setWeight(QFont.Weight.DemiBold)
        for zone, rect in self.zones():
            active = zone == self._hover
            border = palette.accent if active else palette.separator.darker(115)
            fill = _tint(palette.list_bg, palette.accent, 0.08 if active else 0.0)
            pen = QPen(border, 2, Qt.PenStyle.DashLine)
            pen.setDashPattern([5, 4])
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 14, 14)
            title, subtitle = self._texts(zone)
            icon_color = palette.accent if active else palette.secondary_text
            icon = tinted_pixmap("picture" if zone == Zone.MEDIA else "document", icon_color,
                                 ICON, self.devicePixelRatioF())
            middle = rect.center().y()
            top = middle - (ICON + 12 + 28 + (22 if subtitle else 0)) / 2
            painter.drawPixmap(QPoint(int(rect.center().x() - ICON / 2), int(top)), icon)
            painter.setFont(title_font)
            painter.setPen(palette.accent if active else palette.text)
            title_rect = QRectF(rect.left(), top + ICON + 12, rect.width(), 28)
            painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, title)
            if subtitle:
                painter.setFont(self.font())
                painter.setPen(palette.secondary_text)
                painter.drawText(QRectF(rect.left(), title_rect.bottom() + 2, rect.width(), 20),
                                 Qt.AlignmentFlag.AlignCenter, subtitle)
        painter.end()
