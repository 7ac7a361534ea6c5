"""The connection status over the bottom of the conversation list.

A messenger that silently stops delivering looks broken; one that says "Offline — retrying in
4 s · Retry now" looks in control. But a line that comes and goes with every brief reconnect,
pushing the list down and up, is noise. So the line says nothing while the app is live
(connected and caught up) — no "Connected" notice — and speaks only once the app has not been
live for `GRACE_MS`: a reconnect that takes a moment never shows. It floats over the bottom of
the list instead of taking a place in the layout, so showing it never moves a row.

The countdown is computed from a deadline, not decremented, so a busy event loop never makes
it drift.
"""

from __future__ import annotations

import time
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from app.sdk import ConnectionState
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.conversation_delegate import mix

GRACE_MS = 1500
"""How long the app may be not live before the line says so."""
CONNECTING_COLOR = QColor("#D39E2F")
MARGIN = 8
"""Between the floating line and the edges of the list it covers."""
RADIUS = 8.0


class Shown(Enum):
    HIDDEN = "hidden"
    CONNECTING = "connecting"
    UPDATING = "updating"
    OFFLINE = "offline"


class _Dot(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.color = QColor()
        self.setFixedSize(8, 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color)
        painter.drawEllipse(QRectF(0, 0, 8, 8))


class StatusLine(QWidget):
    """Floats over the bottom of its parent (not in a layout) while the app needs to say that
    it is not live."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self._state = ConnectionState.DISCONNECTED
        self._syncing = False
        self._retry_at: float | None = None
        self._detail = ""
        self._not_live_since: float | None = time.monotonic()
        """When the app last stopped being live (connected and caught up); None while live."""
        self._dot = _Dot(self)
        self._label = QLabel(self)
        self._label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._retry = QLabel(self)
        self._retry.setTextFormat(Qt.TextFormat.RichText)
        self._retry.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self._retry.linkActivated.connect(lambda _link: self.retry_requested.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(8)
        layout.addWidget(self._dot, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._retry, 0)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.timeout.connect(self._refresh)
        if parent is not None:
            parent.installEventFilter(self)
        theme_controller().changed.connect(self._refresh)
        self._refresh()

    # --- inputs --------------------------------------------------------------------------

    def set_state(self, state: int, code: int = 0, detail: str = "") -> None:
        self._state = ConnectionState(state)
        if self._state != ConnectionState.DISCONNECTED:
            self._retry_at = None
        self._detail = f"{code}: {detail}" if code else detail
        self._refresh()

    def set_retry_in(self, delay_s: float) -> None:
        self._retry_at = time.monotonic() + max(0.0, delay_s)
        self._refresh()

    def sync_started(self) -> None:
        self._syncing = True
        self._refresh()

    def sync_ended(self) -> None:
        """Catch-up finished or failed (a failed one is retried on the next reconnect)."""
        self._syncing = False
        self._refresh()

    # --- output --------------------------------------------------------------------------

    @property
    def live(self) -> bool:
        return self._state == ConnectionState.CONNECTED and not self._syncing

    @property
    def pending(self) -> Shown:
        """What the app is doing instead of being live (HIDDEN when live), shown or not yet."""
        if self._state == ConnectionState.CONNECTING:
            return Shown.CONNECTING
        if self._state == ConnectionState.DISCONNECTED:
            return Shown.OFFLINE
        return Shown.UPDATING if self._syncing else Shown.HIDDEN

    @property
    def shown(self) -> Shown:
        """What the line shows now: `pending` once the grace period is over."""
        since = self._not_live_since
        if since is None or time.monotonic() - since < GRACE_MS / 1000:
            return Shown.HIDDEN
        return self.pending

    def text(self) -> str:
        """What the line says (or will say once the grace period is over)."""
        pending = self.pending
        if pending == Shown.CONNECTING:
            return self.tr("Connecting…")
        if pending == Shown.UPDATING:
            return self.tr("Updating…")
        if pending == Shown.OFFLINE:
            seconds = self._seconds_left()
            if seconds is None:
                return self.tr("Offline")
            if seconds <= 0:
                return self.tr("Offline — reconnecting…")
            return self.tr("Offline — retrying in %n s", "", seconds)
        return ""

    def _seconds_left(self) -> int | None:
        if self._retry_at is None:
            return None
        return max(0, round(self._retry_at - time.monotonic() + 0.49))

    def _refresh(self) -> None:
        now = time.monotonic()
        if self.live:
            self._not_live_since = None
            self._grace.stop()
        elif self._not_live_since is None:
            self._not_live_since = now
        if self._not_live_since is not None:
            left_ms = round((self._not_live_since + GRACE_MS / 1000 - now) * 1000)
            if left_ms > 0 and not self._grace.isActive():
                self._grace.start(left_ms + 10)
        shown = self.shown
        palette = current_palette()
        self._label.setText(self.text())
        self._label.setToolTip(self._detail if shown == Shown.OFFLINE else "")
        offline = shown == Shown.OFFLINE
        self._retry.setVisible(offline)
        if offline:
            retry = self.tr("Retry now")  # outside the f-string, where lupdate finds it
            self._retry.setText(
                f'<a href="retry" style="color:{palette.link.name()}; text-decoration:none">'
                f"{retry}</a>"
            )
        self._dot.color = palette.danger if offline else CONNECTING_COLOR
        self._dot.update()
        counting = offline and self._retry_at is not None
        if counting and not self._tick.isActive():
            self._tick.start()
        elif not counting:
            self._tick.stop()
        if shown != Shown.HIDDEN:
            self._place()
            self.raise_()
        self.setVisible(shown != Shown.HIDDEN)
        self.update()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        height = self.sizeHint().height()
        self.setGeometry(MARGIN, parent.height() - height - MARGIN,
                         max(0, parent.width() - 2 * MARGIN), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        tint = palette.danger if self.shown == Shown.OFFLINE else CONNECTING_COLOR
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        painter.fillPath(path, mix(palette.list_bg, tint, 0.14))
        painter.setPen(QPen(mix(palette.separator, tint, 0.35), 1))
        painter.drawPath(path)
