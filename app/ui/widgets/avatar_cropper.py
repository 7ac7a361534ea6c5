"""The square a new avatar is cut from: the picture moved and zoomed under a fixed round frame.

As in Telegram, the frame stays still in the middle and the picture moves under it: drag to
move, the wheel (or `set_zoom`, the dialog's slider) to zoom about the cursor, arrow keys to
nudge. The picture always covers the frame, so every position is a valid face. The picture
shown is a preview decoded off the GUI thread (`avatar_picture`), at most a screen's worth of
pixels; `crop()` answers in the pixels of the whole upright picture, which the SDK cuts from
the original file.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_ZOOM = 5.0
"""How far in past "the picture's shorter side fills the frame"."""
MARGIN = 28
NUDGE = 10


class AvatarCropper(QWidget):
    zoom_changed = Signal(float)
    """The zoom, 1 (the shorter side fills the frame) to MAX_ZOOM."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._pixmap = QPixmap()
        """The preview as painted: converted once, not on every frame of a drag."""
        self._source = QSize()
        self._zoom = 1.0
        self._centre = QPointF()
        """The point of the preview under the frame's centre, in preview pixels."""
        self._dragging: QPointF | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    # --- the picture ---------------------------------------------------------------------

    def set_image(self, image: QImage, source_size: QSize) -> None:
        """`image`: the upright preview; `source_size`: the whole upright picture's size."""
        self._image, self._source = image, QSize(source_size)
        self._pixmap = QPixmap.fromImage(image)
        self._zoom = 1.0
        self._centre = QPointF(image.width() / 2, image.height() / 2)
        self.zoom_changed.emit(self._zoom)
        self.update()

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float, about: QPointF | None = None) -> None:
        """Zoom keeping the picture's point under `about` (widget coordinates; default the
        frame's centre) where it is."""
        zoom = max(1.0, min(MAX_ZOOM, zoom))
        if self._image.isNull() or abs(zoom - self._zoom) < 1e-6:
            return
        if about is not None:
            before = self._scale()
            offset = about - self._frame().center()
            self._centre += offset / before
            self._zoom = zoom
            self._centre -= offset / self._scale()
        else:
            self._zoom = zoom
        self._keep_covered()
        self.zoom_changed.emit(self._zoom)
        self.update()

    def move_by(self, dx: float, dy: float) -> None:
        """Move the picture by (dx, dy) widget pixels, as a drag does."""
        if self._image.isNull():
            return
        scale = self._scale()
        self._centre -= QPointF(dx / scale, dy / scale)
        self._keep_covered()
        self.update()

    def crop(self) -> tuple[int, int, int, int]:
        """(left, top, width, height) of the square under the frame, in the whole upright
        picture's pixels."""
        if self._image.isNull():
            return 0, 0, 0, 0
        ratio = self._source.width() / self._image.width()
        half = self._frame().width() / 2 / self._scale()
        side = min(self._source.width(), self._source.height(), round(2 * half * ratio))
        left = round((self._centre.x() - half) * ratio)
        top = round((self._centre.y() - half) * ratio)
        left = max(0, min(self._source.width() - side, left))
        top = max(0, min(self._source.height() - side, top))
        return left, top, side, side

    def cropped_preview(self, side: int) -> QImage:
        """The framed square of the preview at `side` pixels: shown until the upload's own
        file is back."""
        if self._image.isNull():
            return QImage()
        half = self._frame().width() / 2 / self._scale()
        source = QRectF(self._centre.x() - half, self._centre.y() - half, 2 * half, 2 * half)
        out = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        out.fill(Qt.GlobalColor.transparent)
        painter = QPainter(out)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(0, 0, side, side), self._image, source)
        painter.end()
        return out

    # --- geometry ------------------------------------------------------------------------

    def _frame(self) -> QRectF:
        side = max(40.0, min(self.width(), self.height()) - 2 * MARGIN)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _scale(self) -> float:
        """Widget pixels per preview pixel."""
        shorter = max(1, min(self._image.width(), self._image.height()))
        return self._frame().width() / shorter * self._zoom

    def _keep_covered(self) -> None:
        half = self._frame().width() / 2 / self._scale()
        width, height = self._image.width(), self._image.height()
        self._centre = QPointF(max(half, min(width - half, self._centre.x())),
                               max(half, min(height - half, self._centre.y())))

    # --- painting and input --------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        corners = QPainterPath()
        corners.addRoundedRect(QRectF(self.rect()), 10, 10)
        painter.setClipPath(corners)
        painter.fillRect(self.rect(), QColor(18, 18, 20))
        if self._image.isNull():
            return
        frame = self._frame()
        scale = self._scale()
        target = QRectF(frame.center().x() - self._centre.x() * scale,
                        frame.center().y() - self._centre.y() * scale,
                        self._image.width() * scale, self._image.height() * scale)
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        circle = QPainterPath()
        circle.addEllipse(frame)
        painter.fillPath(outside.subtracted(circle), QColor(0, 0, 0, 150))
        painter.setPen(QPen(QColor(255, 255, 255, 200), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(frame)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._image.isNull():
            self._keep_covered()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            delta = event.position() - self._dragging
            self._dragging = event.position()
            self.move_by(delta.x(), delta.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self._zoom * (1.1 ** steps), event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {Qt.Key.Key_Left: (-NUDGE, 0), Qt.Key.Key_Right: (NUDGE, 0),
                 Qt.Key.Key_Up: (0, -NUDGE), Qt.Key.Key_Down: (0, NUDGE)}
        key = Qt.Key(event.key())
        if key in moves:
            self.move_by(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self._zoom * 1.1)
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self._zoom / 1.1)
        else:
            super().keyPressEvent(event)
