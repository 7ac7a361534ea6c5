"""Zoom and pan of one picture in the viewer, as plain geometry (no widgets, easy to test).

The scale is screen pixels per pixel of the original, whichever level is on screen, so the
picture does not jump when the original replaces the large level. "Fit" shows all of it (never
enlarged past 1:1) and follows the area as the window resizes; any zoom leaves fit. Zooming
keeps the point under the mouse where it is, and the picture can be dragged only as far as its
edges: it never leaves a gap on a side it overflows, and stays centred on a side it does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSizeF

MAX_SCALE = 8.0
STEP = 1.25


@dataclass(slots=True)
class Zoom:
    content: QSizeF
    """The picture's size in original pixels."""
    area: QSizeF
    fixed: float | None = None
    """The scale the user chose; None: fit."""
    offset: QPointF = field(default_factory=QPointF)
    """The picture's centre relative to the area's centre."""

    @property
    def fit_scale(self) -> float:
        if self.content.isEmpty() or self.area.isEmpty():
            return 1.0
        return min(1.0, self.area.width() / self.content.width(),
                   self.area.height() / self.content.height())

    @property
    def scale(self) -> float:
        return self.fit_scale if self.fixed is None else self.fixed

    @property
    def fitted(self) -> bool:
        return self.fixed is None

    def rect(self) -> QRectF:
        """Where the picture is drawn, in area coordinates."""
        size = self.content * self.scale
        centre = QPointF(self.area.width() / 2, self.area.height() / 2) + self.offset
        return QRectF(centre.x() - size.width() / 2, centre.y() - size.height() / 2,
                      size.width(), size.height())

    def resize(self, area: QSizeF) -> None:
        self.area = QSizeF(area)
        self._clamp()

    def fit(self) -> None:
        self.fixed = None
        self.offset = QPointF()

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        self.set_scale(self.scale * factor, at)

    def set_scale(self, scale: float, at: QPointF | None = None) -> None:
        """Zoom to `scale` keeping the picture's point under `at` (area coordinates; the
        centre by default) in place."""
        low = min(self.fit_scale, 1.0) / 2
        new = max(low, min(MAX_SCALE, scale))
        old = self.scale
        centre = QPointF(self.area.width() / 2, self.area.height() / 2)
        anchor = (at if at is not None else centre) - centre
        self.offset = anchor + (self.offset - anchor) * (new / old)
        self.fixed = new
        self._clamp()

    def toggle_actual_size(self, at: QPointF | None = None) -> None:
        """Double-click: 1:1 at the mouse, or back to fit from 1:1."""
        if self.fixed is not None and abs(self.fixed - 1.0) < 1e-3:
            self.fit()
        else:
            self.set_scale(1.0, at)

    def pan(self, delta: QPointF) -> None:
        self.offset += delta
        self._clamp()

    def can_pan(self) -> bool:
        size = self.content * self.scale
        return size.width() > self.area.width() or size.height() > self.area.height()

    def _clamp(self) -> None:
        size = self.content * self.scale
        x = _clamp_axis(self.offset.x(), size.width(), self.area.width())
        y = _clamp_axis(self.offset.y(), size.height(), self.area.height())
        self.offset = QPointF(x, y)


def _clamp_axis(offset: float, length: float, room: float) -> float:
    if length <= room:
        return 0.0
    limit = (length - room) / 2
    return max(-limit, min(limit, offset))
