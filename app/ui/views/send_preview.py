"""The sheet that comes up before files are sent: what will go, how, and with what caption.

Every way of attaching — the paper clip, a drop on the chat, a paste — ends here, so the user
always sees what is about to be sent and can still change it: photos as a grid of thumbnails,
other files as rows with their size; "Send as photos / Send as files" when pictures or videos are
among them; a caption, sent as a text message after the media; Enter sends, Esc cancels. A file
that cannot be sent is listed with the reason (too large for its kind, unreadable, a folder) and
skipped, so one bad file does not hold back the others.

Nothing here touches a file on the GUI thread: each file is looked at (`probe`: size, kind by
its content) and each picture decoded in an executor (`read_preview`: a scaled read, EXIF
orientation applied, then cut to the tile sizes the sheet uses), so painting only blits; the
sheet fills in as the answers come.
"""

from __future__ import annotations

import asyncio
import os
import stat
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QLocale, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import Limits, MediaKind
from app.ui.i18n import Retranslatable
from app.ui.palette import Palette
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.drop_overlay import FileType, file_type, local_files, media_choice_text
from app.ui.widgets.icons import tinted_icon, tinted_pixmap

PHOTO_FORMATS = frozenset({b"jpeg", b"png", b"gif", b"webp"})
"""What QImageReader calls the formats the SDK sends as pictures."""
CONTENT_WIDTH = 420
GRID_GAP = 6
COLUMNS = 3
SINGLE_MIN_H = 160
SINGLE_MAX_H = 420
ROW_ICON = 44
MAX_LIST_H = 460


class Problem(Enum):
    NONE = "none"
    UNREADABLE = "unreadable"
    FOLDER = "folder"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One file the user chose, as the sheet found it."""

    path: str
    name: str
    size: int
    type: FileType
    """By content for pictures (a photo named .bin is a picture), by name for videos."""
    problem: Problem = Problem.NONE

    def kind(self, as_media: bool) -> MediaKind:
        """What it is sent as: a picture or a video only when the user chose media."""
        if as_media and self.type == FileType.PICTURE:
            return MediaKind.IMAGE
        if as_media and self.type == FileType.VIDEO:
            return MediaKind.VIDEO
        return MediaKind.FILE


def probe(path: str) -> Outgoing:
    """Look at a file (blocking: run it in an executor)."""
    name = os.path.basename(path.rstrip("/")) or path
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return Outgoing(path, name, 0, FileType.FILE, Problem.FOLDER)
        with open(path, "rb"):
            pass
    except OSError:
        return Outgoing(path, name, 0, FileType.FILE, Problem.UNREADABLE)
    if QImageReader(path).format().data() in PHOTO_FORMATS:
        kind = FileType.PICTURE
    else:
        kind = FileType.VIDEO if file_type(path) == FileType.VIDEO else FileType.FILE
    return Outgoing(path, name, info.st_size, kind)


@dataclass(frozen=True, slots=True)
class Preview:
    """A picture ready for each place the sheet shows it, at the screen's pixel ratio."""

    single: QImage
    """Alone in the sheet, in its own proportions (`single_size`)."""
    square: QImage
    """A tile of the grid (two columns' side; three columns' tiles draw it smaller)."""
    icon: QImage
    """The icon of its row when it goes as a file."""


def single_size(width: int, height: int) -> QSize:
    """The tile of a picture shown alone: the sheet's width, its height in proportion."""
    ratio = height / width if width > 0 and height > 0 else 0.66
    return QSize(CONTENT_WIDTH, max(SINGLE_MIN_H, min(SINGLE_MAX_H, round(CONTENT_WIDTH * ratio))))


SQUARE_SIDE = (CONTENT_WIDTH - GRID_GAP) // 2


def read_preview(path: str, dpr: float) -> Preview | None:
    """The picture upright, read at the scale its largest tile needs and cut to each tile
    (blocking: run it in an executor). None when it cannot be decoded."""
    image = _read_scaled(path, round(max(CONTENT_WIDTH, SINGLE_MAX_H) * dpr))
    if image.isNull():
        return None
    single = _cover(image, single_size(image.width(), image.height()) * dpr)
    parts = [single, _cover(image, QSize(SQUARE_SIDE, SQUARE_SIDE) * dpr),
             _cover(image, QSize(ROW_ICON, ROW_ICON) * dpr)]
    for part in parts:
        part.setDevicePixelRatio(dpr)
    return Preview(*parts)


def _read_scaled(path: str, side: int) -> QImage:
    """Upright, its shorter side `side` pixels (or the picture's own, if smaller), scaled
    while reading where the format can: enough to fill any tile without enlarging."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    stored = reader.size()
    if stored.isValid():
        # The scaled size is asked for in the file's stored orientation.
        rotated = bool(reader.transformation()
                       & QImageIOHandler.Transformation.TransformationRotate90)
        upright = stored.transposed() if rotated else stored
        if min(upright.width(), upright.height()) > side:
            target = upright.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatioByExpanding)
            reader.setScaledSize(target.transposed() if rotated else target)
    image = reader.read()
    if not image.isNull() and min(image.width(), image.height()) > side:
        image = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def size_text(size: int) -> str:
    """"195.3 KB", "100 MB": sizes as the OS's file manager writes them (binary units), with
    a decimal only where the number is not whole."""
    unit = 1
    while size >= unit * 1024 and unit < 1024 ** 4:
        unit *= 1024
    precision = 0 if size % unit == 0 else 1
    return QLocale().formattedDataSize(size, precision,
                                       QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def refusal_text(item: Outgoing, as_media: bool, limits: Limits) -> str:
    """Why `item` cannot be sent the way chosen ("" when it can), in the user's language."""
    if item.problem == Problem.FOLDER:
        return QCoreApplication.translate("SendPreview", "Folders can't be sent")
    if item.problem == Problem.UNREADABLE:
        return QCoreApplication.translate("SendPreview", "Can't be read")
    kind = item.kind(as_media)
    limit = limits.media_bytes(kind.value)
    if item.size <= limit:
        return ""
    if kind == MediaKind.IMAGE:
        text = QCoreApplication.translate("SendPreview", "Too large for a photo: %1 (at most %2)")
    elif kind == MediaKind.VIDEO:
        text = QCoreApplication.translate("SendPreview", "Too large for a video: %1 (at most %2)")
    else:
        text = QCoreApplication.translate("SendPreview",
                                          "Too large: %1 (files can be at most %2)")
    return text.replace("%1", size_text(item.size)).replace("%2", size_text(limit))


def choice_button(parent: QWidget) -> QPushButton:
    """One option of a two-way choice: a pill that is filled while chosen (radio buttons
    nearly vanish on the dark theme). Style it with `choice_style`."""
    button = QPushButton(parent)
    button.setCheckable(True)
    button.setProperty("choice", True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def choice_style(palette: Palette) -> str:
    """Pills no rounder than half their height (Qt drops a larger radius altogether), and the
    same weight either way (a bold label would not fit the width measured for a regular one)."""
    return (f"QPushButton[choice=\"true\"] {{ border-radius: 10px; padding: 4px 14px;"
            f" background: {palette.input_bg.name()}; color: {palette.text.name()}; }}"
            f"QPushButton[choice=\"true\"]:checked {{ background: {palette.accent.name()};"
            f" border-color: {palette.accent.name()}; color: {palette.accent_text.name()}; }}")


def _cover(image: QImage, size: QSize) -> QImage:
    """`image` scaled to fill `size`, cropped around its centre."""
    scaled = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                          Qt.TransformationMode.SmoothTransformation)
    x = (scaled.width() - size.width()) // 2
    y = (scaled.height() - size.height()) // 2
    return scaled.copy(x, y, size.width(), size.height())


def _remove_button(parent: QWidget, on_image: bool) -> QToolButton:
    button = QToolButton(parent)
    button.setIconSize(QSize(14, 14))
    button.setFixedSize(24, 24)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    palette = current_palette()
    color = palette.accent_text if on_image else palette.secondary_text
    button.setIcon(tinted_icon("dismiss", color, 14))
    if on_image:
        button.setStyleSheet("QToolButton { background: rgba(0, 0, 0, 110); border-radius: 12px;"
                             " padding: 0; } QToolButton:hover { background: rgba(0,0,0,160); }")
    return button


class _Tile(QWidget):
    """A picture in the grid: its preview filling the tile (grey until decoded)."""

    def __init__(self, item: Outgoing, size: QSize, alone: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self.setFixedSize(size)
        self._alone = alone
        self._image = QImage()
        self.remove = _remove_button(self, on_image=True)
        self.remove.move(size.width() - 30, 6)

    def set_preview(self, preview: Preview) -> None:
        self._image = preview.single if self._alone else preview.square
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(self.rect()), 10, 10)
        painter.setClipPath(path)
        painter.fillRect(self.rect(), palette.list_hover)
        if not self._image.isNull():  # the tile's size already, or a two-column one
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self._image)
        painter.end()


class _FileRow(QWidget):
    """A file in the list: icon (or a small thumbnail for a picture), name, size or reason."""

    def __init__(self, item: Outgoing, reason: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self.reason = reason
        palette = current_palette()
        self._icon = QLabel(self)
        self._icon.setFixedSize(ROW_ICON, ROW_ICON)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        glyph = "video" if item.type == FileType.VIDEO else "document"
        fill = palette.danger if reason else palette.accent
        self._icon.setStyleSheet(f"background: {fill.name()}; border-radius: {ROW_ICON // 2}px;")
        self._icon.setPixmap(tinted_pixmap(glyph, palette.accent_text, 22,
                                           self.devicePixelRatioF()))
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = QFont(self.name.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        color = palette.danger if reason else palette.secondary_text
        self.detail.setStyleSheet(f"color: {color.name()}")
        self.detail.setText(reason or size_text(item.size))
        self.remove = _remove_button(self, on_image=False)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.name)
        texts.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.setSpacing(12)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        row.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignVCenter)
        self._full_name = item.name

    def set_preview(self, preview: Preview) -> None:
        """A picture sent as a file shows a thumbnail of itself instead of the file icon."""
        if self.reason:
            return
        self._icon.setStyleSheet("border-radius: 8px;")
        self._icon.setPixmap(QPixmap.fromImage(preview.icon))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        metrics = self.name.fontMetrics()
        self.name.setText(metrics.elidedText(self._full_name, Qt.TextElideMode.ElideMiddle,
                                             max(40, self.name.width())))
        self.name.setToolTip(self._full_name)


class SendPreview(Retranslatable, QDialog):
    """`send_requested(items, as_media, caption)`: the files to send, in order (the ones that
    can be), whether pictures and videos go as such, and the caption ("" for none)."""

    send_requested = Signal(list, bool, str)

    def __init__(self, paths: list[str], as_media: bool, limits: Limits,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendPreview")
        self.setAcceptDrops(True)
        self._limits = limits
        self._as_media = as_media
        self._items: list[Outgoing] = []
        self._previews: dict[str, Preview | None] = {}
        """Decoded pictures by path (None: it could not be decoded)."""
        self._widgets: dict[str, _Tile | _FileRow] = {}
        self._probing = 0
        self.tasks = TaskGroup("send preview")

        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self._content = QWidget()
        self._scroll = QScrollArea(self)
        self._scroll.setWidget(self._content)
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFixedWidth(CONTENT_WIDTH + 14)
        self.as_media_choice = choice_button(self)
        self.as_files_choice = choice_button(self)
        choices = QButtonGroup(self)
        choices.addButton(self.as_media_choice)
        choices.addButton(self.as_files_choice)
        self.caption = QLineEdit(self)
        self.caption.setMaxLength(4000)
        self.cancel_button = QPushButton(self)
        self.send_button = QPushButton(self)
        set_primary(self.send_button)
        self.send_button.setDefault(True)
        self.send_button.setAutoDefault(True)

        toggle = QHBoxLayout()
        toggle.setSpacing(6)
        toggle.addWidget(self.as_media_choice)
        toggle.addWidget(self.as_files_choice)
        toggle.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self._scroll)
        layout.addLayout(toggle)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)

        self.as_media_choice.setChecked(as_media)
        self.as_files_choice.setChecked(not as_media)
        self.as_media_choice.toggled.connect(self._on_mode)
        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self._send)
        self.finished.connect(lambda _result: self.tasks.cancel_all())
        theme_controller().changed.connect(self._rebuild)
        self.retranslate()
        self.add_paths(paths)

    # --- what is listed ------------------------------------------------------------------

    @property
    def items(self) -> list[Outgoing]:
        return list(self._items)

    @property
    def as_media(self) -> bool:
        return self._as_media

    @property
    def ready(self) -> bool:
        """Every file has been looked at."""
        return self._probing == 0

    def has_preview(self, path: str) -> bool:
        """The picture at `path` has been decoded for its tile."""
        return path in self._previews

    def sendable(self) -> list[Outgoing]:
        return [i for i in self._items if not refusal_text(i, self._as_media, self._limits)]

    def reason(self, item: Outgoing) -> str:
        return refusal_text(item, self._as_media, self._limits)

    def add_paths(self, paths: list[str]) -> None:
        """More files (a drop on the sheet): looked at in an executor, listed once known."""
        known = {i.path for i in self._items}
        fresh = list(dict.fromkeys(p for p in paths if p not in known))
        if not fresh:
            return
        self._probing += 1
        self._update_buttons()
        self.tasks.run(self._probe(fresh))

    async def _probe(self, paths: list[str]) -> None:
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.gather(*(loop.run_in_executor(None, probe, p) for p in paths))
        finally:
            self._probing -= 1
        known = {i.path for i in self._items}
        self._items.extend(i for i in found if i.path not in known)
        self._rebuild()
        for item in found:
            if item.type == FileType.PICTURE and item.path not in self._previews:
                self.tasks.run(self._decode(item))

    async def _decode(self, item: Outgoing) -> None:
        loop = asyncio.get_running_loop()
        preview = await loop.run_in_executor(None, read_preview, item.path,
                                             self.devicePixelRatioF())
        self._previews[item.path] = preview
        widget = self._widgets.get(item.path)
        tiles = sum(isinstance(w, _Tile) for w in self._widgets.values())
        if isinstance(widget, _Tile) and tiles == 1:
            self._rebuild()  # a single picture is shown in its own proportions
        elif widget is not None and preview is not None:
            widget.set_preview(preview)

    def _remove(self, path: str) -> None:
        self._items = [i for i in self._items if i.path != path]
        if not self._items and self.ready:
            self.reject()
            return
        self._rebuild()

    def _on_mode(self, as_media: bool) -> None:
        self._as_media = as_media
        self._rebuild()

    # --- layout --------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Lay the sheet out again for the files and the mode (a few widgets per file)."""
        self._content = QWidget()
        self._widgets = {}
        column = QVBoxLayout(self._content)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(8)
        pictures = [i for i in self._items if self._as_media and i.type == FileType.PICTURE
                    and not self.reason(i)]
        if pictures:
            column.addLayout(self._grid(pictures))
        for item in self._items:
            if item not in pictures:
                row = _FileRow(item, self.reason(item), self._content)
                row.remove.clicked.connect(lambda _c=False, p=item.path: self._remove(p))
                self._widgets[item.path] = row
                column.addWidget(row)
        column.addStretch(1)
        for path, widget in self._widgets.items():
            preview = self._previews.get(path)
            if preview is not None:
                widget.set_preview(preview)
        self._scroll.setWidget(self._content)  # deletes the old content
        self._content.adjustSize()
        self._scroll.setFixedHeight(min(MAX_LIST_H, self._content.sizeHint().height() + 2))
        media = {i.type for i in self._items} & {FileType.PICTURE, FileType.VIDEO}
        for choice in (self.as_media_choice, self.as_files_choice):
            choice.setVisible(bool(media))
        self.as_media_choice.setText(media_choice_text(FileType.PICTURE in media,
                                                       FileType.VIDEO in media))
        self._apply_theme()
        self._retitle()
        self._update_buttons()
        self.adjustSize()

    def _grid(self, pictures: list[Outgoing]) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(GRID_GAP)
        grid.setContentsMargins(0, 0, 0, 0)
        if len(pictures) == 1:
            preview = self._previews.get(pictures[0].path)
            image = preview.single if preview is not None else QImage()
            sizes = [image.deviceIndependentSize().toSize() if not image.isNull()
                     else single_size(0, 0)]
            columns = 1
        else:
            columns = 2 if len(pictures) in (2, 4) else COLUMNS
            side = (CONTENT_WIDTH - GRID_GAP * (columns - 1)) // columns
            sizes = [QSize(side, side)] * len(pictures)
        for number, (item, size) in enumerate(zip(pictures, sizes, strict=True)):
            tile = _Tile(item, size, columns == 1, self._content)
            tile.remove.clicked.connect(lambda _c=False, p=item.path: self._remove(p))
            self._widgets[item.path] = tile
            grid.addWidget(tile, number // columns, number % columns)
        return grid

    def _retitle(self) -> None:
        count = len(self._items)
        types = {i.type for i in self._items}
        if self._as_media and types == {FileType.PICTURE}:
            text = self.tr("Send a photo") if count == 1 else self.tr("Send %1 photos")
        elif self._as_media and types == {FileType.VIDEO}:
            text = self.tr("Send a video") if count == 1 else self.tr("Send %1 videos")
        else:
            text = self.tr("Send a file") if count == 1 else self.tr("Send %1 files")
        self.title.setText(text.replace("%1", str(count)) if count else self.tr("Send files"))

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(self.ready and bool(self.sendable()))

    # --- sending -------------------------------------------------------------------------

    def _send(self) -> None:
        items = self.sendable()
        if not self.ready or not items:
            return
        self.send_requested.emit(items, self._as_media, self.caption.text().strip())
        self.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.add_paths(files)

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Send files"))
        self.as_files_choice.setText(self.tr("Send as files"))
        self.caption.setPlaceholderText(self.tr("Add a caption…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.send_button.setText(self.tr("Send"))
        self._rebuild()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._scroll.setStyleSheet("QScrollArea { background: transparent; }")
        self._content.setStyleSheet("background: transparent;")
        self.setStyleSheet(f"QDialog#sendPreview {{ background: {palette.window.name()}; }}"
                           + choice_style(palette))
