"""The media viewer: a chat's photos and videos one at a time, over a dark backdrop.

It is a frameless child laid over the main window (not a separate window), so it opens and
closes without a window manager round trip, covers exactly the window the user looks at, and
follows its resizes. It shows the picture at once in the best form this device holds — the
original, else the large level, else the thumbnail's blur — and swaps in the original as soon as
it has been downloaded and decoded, at the same size on screen. GIFs play. Everything is decoded
by the shared ThumbnailLoader off the GUI thread; in "fit" the picture is decoded at the exact
size it is shown, so painting is a blit, and only a zoomed picture is drawn scaled.

Keys: ←/→ previous and next photo or video of the loaded chat window, +/− zoom, 0 fit, Ctrl+S
save, Space/Enter play a video, Esc close. Mouse: wheel zooms at the pointer, drag pans,
double-click toggles 1:1 and fit, a click beside the picture closes. Videos show their snapshot
and a play button; playback belongs to the player (`play_video`).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFileDialog, QLabel, QToolButton, QWidget

from app.protocol import ImageElem, ImageKind, IMError, VideoElem
from app.sdk import Message
from app.ui.formatting import full_time
from app.ui.media import glyphs
from app.ui.media.animation import MAX_GIF_BYTES
from app.ui.media.bubbles import paint_image
from app.ui.media.kit import MediaKit
from app.ui.media.levels import Level, levels_of, natural_size
from app.ui.media.zoom import STEP, Zoom
from app.ui.tasks import TaskGroup
from app.ui.widgets.icons import tinted_icon

BACKDROP = QColor(0, 0, 0, 235)
TOP = 64
"""Room above the picture: the toolbar."""
BOTTOM = 60
"""Room below: the caption."""
SIDE = 76
"""Room left and right: the previous and next buttons."""
BUTTON = 40
NAV_BUTTON = 48
PLAY_DISC = 72.0
NOTICE_MS = 2500

_BUTTON_STYLE = (
    "QToolButton { background: rgba(255, 255, 255, 20); border: none; border-radius: %dpx; }"
    "QToolButton:hover { background: rgba(255, 255, 255, 48); }"
    "QToolButton:pressed { background: rgba(255, 255, 255, 72); }"
)


def picture_elem(msg: Message) -> ImageElem | VideoElem | None:
    return msg.image_elem or msg.video_elem


class MediaViewer(QWidget):
    play_video = Signal(object)
    """The user asked to play this video message (the player does that)."""
    closed = Signal()

    def __init__(self, kit: MediaKit, items: list[Message], current: Message,
                 name_of: Callable[[Message], str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.kit = kit
        self.items = [m for m in items if picture_elem(m) is not None] or [current]
        self.position = next((i for i, m in enumerate(self.items)
                              if m.msg_id == current.msg_id), 0)
        self._name_of = name_of
        self.zoom = Zoom(QSizeF(), QSizeF())
        self._press: QPointF | None = None
        self._dragged = False
        self._tasks = TaskGroup("media viewer")

        self.close_button = self._button("viewer-close", self.tr("Close (Esc)"), self.close)
        self.save_button = self._button("viewer-save", self.tr("Save as… (Ctrl+S)"),
                                        self.save_as)
        self.zoom_in_button = self._button("viewer-zoom-in", self.tr("Zoom in (+)"),
                                           lambda: self._zoom_by(STEP))
        self.zoom_out_button = self._button("viewer-zoom-out", self.tr("Zoom out (−)"),
                                            lambda: self._zoom_by(1 / STEP))
        self.previous_button = self._button("viewer-chevron-left", self.tr("Previous (←)"),
                                            self.previous, NAV_BUTTON)
        self.next_button = self._button("viewer-chevron-right", self.tr("Next (→)"),
                                        self.next, NAV_BUTTON)
        self.caption = QLabel(self)
        self.caption.setStyleSheet("color: rgba(255, 255, 255, 230);")
        self.counter = QLabel(self)
        self.counter.setStyleSheet("color: rgba(255, 255, 255, 150);")
        self.notice = QLabel(self)
        self.notice.setStyleSheet("color: white; background: rgba(255, 255, 255, 38);"
                                  "border-radius: 14px; padding: 5px 14px;")
        self.notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        kit.loader.ready.connect(self._on_media)
        kit.loader.progress.connect(self._on_media)
        kit.animator.frame_ready.connect(self._on_media)
        parent.installEventFilter(self)
        self._show_item()

    def _button(self, icon: str, tip: str, slot: Callable[[], None],
                size: int = BUTTON) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(tinted_icon(icon, QColor("#FFFFFF"), 24))
        button.setIconSize(QSize(22, 22))
        button.setFixedSize(size, size)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet(_BUTTON_STYLE % (size // 2))
        button.clicked.connect(slot)
        return button

    # --- showing -------------------------------------------------------------------------

    def show_over(self) -> None:
        """Cover the parent window and take the keyboard."""
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus()

    @property
    def current(self) -> Message:
        return self.items[self.position]

    @property
    def is_video(self) -> bool:
        return self.current.video_elem is not None and self.current.image_elem is None

    def _levels(self) -> list[Level]:
        elem = picture_elem(self.current)
        return levels_of(elem) if elem is not None else []

    def _show_item(self) -> None:
        elem = picture_elem(self.current)
        natural = natural_size(elem) if elem is not None else QSize()
        if natural.isEmpty():
            natural = QSize(1200, 900)
        self.zoom = Zoom(QSizeF(natural), self._area().size())
        self.kit.loader.retain(self, {self.current.msg_id})
        msg = self.current
        who = self.tr("You") if msg.is_self else self._name_of(msg)
        self.caption.setText(f"{who}  ·  {full_time(msg.time_ms)}")
        self.counter.setText(self.tr("%1 of %2").replace("%1", str(self.position + 1))
                             .replace("%2", str(len(self.items))))
        self.previous_button.setVisible(self.position > 0)
        self.next_button.setVisible(self.position < len(self.items) - 1)
        self._place()
        self.update()

    def previous(self) -> None:
        if self.position > 0:
            self.position -= 1
            self._show_item()

    def next(self) -> None:
        if self.position < len(self.items) - 1:
            self.position += 1
            self._show_item()

    def _zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        area = self._area()
        self.zoom.zoom_by(factor, None if at is None else at - area.topLeft())
        self.update()

    def _area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(SIDE, TOP, -SIDE, -BOTTOM)

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn, in the viewer's coordinates."""
        return self.zoom.rect().translated(self._area().topLeft())

    def _on_media(self, uuid: str) -> None:
        if any(level.want.uuid == uuid for level in self._levels()):
            self.update()

    # --- what to draw --------------------------------------------------------------------

    def _picture(self) -> tuple[QImage | None, bool]:
        """(the best image to draw now, whether a sharper one is still on its way)."""
        kit = self.kit
        levels = self._levels()
        if not levels:
            return None, False
        tag = self.current.msg_id
        full = levels[-1]
        elem = picture_elem(self.current)
        if (isinstance(elem, ImageElem) and elem.format.lower() == "gif"
                and full.kind == ImageKind.ORIGINAL and 0 < full.want.size <= MAX_GIF_BYTES):
            frame = kit.animator.frame(full.want.uuid, full.want.url, QSize())
            if frame is not None:
                return frame, False
        if self.zoom.fitted:
            dpr = self.devicePixelRatioF()
            shown = self.picture_rect().size() * dpr
            target = QSize(round(shown.width()), round(shown.height()))
        else:
            target = QSize()
        image = kit.loader.request(full.want, target, self, tag)
        if image is not None:
            return image, False
        asked = False
        for level in reversed(levels):  # meanwhile: the sharpest level decoded so far
            better = kit.loader.best(level.want.uuid)
            if better is not None:
                return better, True
            if not asked and level is not full and kit.loader.held(level.want):
                kit.loader.request(level.want, QSize(), self, tag)
                asked = True
        return kit.loader.preview([level.want.uuid for level in levels]), True

    # --- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKDROP)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.picture_rect()
        image, loading = self._picture()
        if image is not None:
            path = glyphs.rounded_path(rect, (0.0, 0.0, 0.0, 0.0))
            paint_image(painter, rect, image, path)
        else:
            painter.fillRect(rect, QColor(255, 255, 255, 16))
        levels = self._levels()
        full = levels[-1] if levels else None
        if full is not None and loading and self.kit.loader.is_downloading(full.want.uuid):
            fraction = self.kit.loader.fraction(full.want.uuid)
            if image is None:
                centre = rect.center()
                glyphs.paint_disc(painter, centre, 64, QColor(0, 0, 0, 140))
                glyphs.paint_ring(painter, centre, 54, fraction, QColor("#FFFFFF"), 3)
            else:
                corner = QPointF(rect.left() + 24, rect.top() + 24)
                glyphs.paint_disc(painter, corner, 32, QColor(0, 0, 0, 140))
                glyphs.paint_ring(painter, corner, 26, fraction, QColor("#FFFFFF"), 2.5)
        if self.is_video:
            centre = rect.center()
            glyphs.paint_disc(painter, centre, PLAY_DISC, QColor(0, 0, 0, 130))
            glyphs.paint_play(painter, centre, PLAY_DISC * 0.34, QColor("#FFFFFF"))
        painter.end()

    def _place(self) -> None:
        width, height = self.width(), self.height()
        x = width - 16 - BUTTON
        for button in (self.close_button, self.save_button, self.zoom_in_button,
                       self.zoom_out_button):
            button.move(x, 12)
            x -= BUTTON + 8
        middle = (height - NAV_BUTTON) // 2
        self.previous_button.move((SIDE - NAV_BUTTON) // 2, middle)
        self.next_button.move(width - SIDE + (SIDE - NAV_BUTTON) // 2, middle)
        self.caption.adjustSize()
        self.caption.move(24, height - BOTTOM + (BOTTOM - self.caption.height()) // 2)
        self.counter.adjustSize()
        self.counter.move(24, (TOP - self.counter.height()) // 2)
        self.notice.adjustSize()
        self.notice.move((width - self.notice.width()) // 2,
                         height - BOTTOM + (BOTTOM - self.notice.height()) // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.zoom.resize(self._area().size())
        self._place()
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return super().eventFilter(watched, event)

    # --- input ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key == Qt.Key.Key_Left:
            self.previous()
        elif key == Qt.Key.Key_Right:
            self.next()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._zoom_by(STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._zoom_by(1 / STEP)
        elif key == Qt.Key.Key_0:
            self.zoom.fit()
            self.update()
        elif event.matches(QKeySequence.StandardKey.Save):
            self.save_as()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.is_video:
            self.play_video.emit(self.current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self._zoom_by(STEP ** steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._dragged = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self.zoom.can_pan():
            delta = event.position() - self._press
            if self._dragged or delta.manhattanLength() > 3:
                self._dragged = True
                self._press = event.position()
                self.zoom.pan(delta)
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.update()
        elif self.picture_rect().contains(event.position()) and self.zoom.can_pan():
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if self._dragged:
            self._dragged = False
            self.unsetCursor()
            return
        rect = self.picture_rect()
        if self.is_video and glyphs.disc(rect.center(), PLAY_DISC).contains(event.position()):
            self.play_video.emit(self.current)
        elif not rect.contains(event.position()):
            self.close()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.picture_rect().contains(event.position()) and not self.is_video:
            self.zoom.toggle_actual_size(event.position() - self._area().topLeft())
            self.update()
        event.accept()

    def closeEvent(self, event: QEvent) -> None:
        self.kit.loader.retain(self, set())
        self.parentWidget().removeEventFilter(self)
        self.closed.emit()
        super().closeEvent(event)

    # --- saving --------------------------------------------------------------------------

    def save_as(self) -> None:
        """Ask where, then copy the original (fetched first if needed) there."""
        msg = self.current
        elem = picture_elem(msg)
        if elem is None:
            return
        if isinstance(elem, ImageElem):
            info = elem.level(ImageKind.ORIGINAL) or next(iter(elem.images), None)
            if info is None:
                return
            uuid, url, size = info.uuid, info.url, info.size
            suffix = elem.format.lower() or "jpg"
            prefix, folder = "IMG", QStandardPaths.StandardLocation.PicturesLocation
        else:
            uuid, url, size = elem.uuid, elem.url, elem.size
            suffix = elem.format.lower() or "mp4"
            prefix, folder = "VID", QStandardPaths.StandardLocation.MoviesLocation
        stamp = QDateTime.fromMSecsSinceEpoch(msg.time_ms).toString("yyyyMMdd_HHmmss")
        start = Path(QStandardPaths.writableLocation(folder) or Path.home()) / \
            f"{prefix}_{stamp}.{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as"), str(start), f"*.{suffix};;*")
        if not chosen:
            return
        self._tasks.run(self._save(uuid, url, size, Path(chosen)))

    async def _save(self, uuid: str, url: str, size: int, target: Path) -> None:
        try:
            path = self.kit.source.cached(uuid, url) or await self.kit.source.download(
                uuid, url=url, size=size)
            await asyncio.to_thread(shutil.copyfile, path, target)
        except (IMError, OSError) as error:
            self._notify(self.tr("Could not save: %1").replace("%1", str(error)))
            return
        self._notify(self.tr("Saved to %1").replace("%1", target.name))

    def _notify(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._place()
        self._notice_timer.start(NOTICE_MS)
