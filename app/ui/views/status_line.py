"""The connection status line above the conversation list.

A messenger that silently stops delivering looks broken; one that says "Offline — retrying in
4 s · Retry now" looks in control. The line is shown while connecting, offline or catching up,
says "Connected" for a moment after a (re)connect, and is hidden otherwise so it costs no space
in the normal case. The countdown is computed from a deadline, not decremented, so a busy event
loop never makes it drift.
"""

from __future__ import annotations

import time
from enum import Enum

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from app.sdk import ConnectionState
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.conversation_delegate import mix

CONNECTED_NOTICE_MS = 2500
CONNECTING_COLOR = QColor("#D39E2F")


class Shown(Enum):
    HIDDEN = "hidden"
    CONNECTING = "connecting"
    CONNECTED = "connected"
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
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = ConnectionState.DISCONNECTED
        self._syncing = False
        self._retry_at: float | None = None
        self._detail = ""
        self._just_connected = False
        self._known = False
        """Whether a state was set before: the first one is where we start, not a change."""
        self._dot = _Dot(self)
        self._label = QLabel(self)
        self._label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._retry = QLabel(self)
        self._retry.setTextFormat(Qt.TextFormat.RichText)
        self._retry.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self._retry.linkActivated.connect(lambda _link: self.retry_requested.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 7, 14, 7)
        layout.setSpacing(8)
        layout.addWidget(self._dot, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._retry, 0)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh)
        self._notice = QTimer(self)
        self._notice.setSingleShot(True)
        self._notice.timeout.connect(self._end_notice)
        theme_controller().changed.connect(self._refresh)
        self._refresh()

    # --- inputs --------------------------------------------------------------------------

    def set_state(self, state: int, code: int = 0, detail: str = "") -> None:
        state = ConnectionState(state)
        if (self._known and state == ConnectionState.CONNECTED
                and self._state != ConnectionState.CONNECTED):
            self._just_connected = True
            self._notice.start(CONNECTED_NOTICE_MS)
        self._known = True
        if state != ConnectionState.DISCONNECTED:
            self._retry_at = None
        self._state = state
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
    def shown(self) -> Shown:
        if self._state == ConnectionState.CONNECTING:
            return Shown.CONNECTING
        if self._state == ConnectionState.DISCONNECTED:
            return Shown.OFFLINE
        if self._syncing:
            return Shown.UPDATING
        return Shown.CONNECTED if self._just_connected else Shown.HIDDEN

    def text(self) -> str:
        """What the line says now (also what tests read)."""
        shown = self.shown
        if shown == Shown.CONNECTING:
            return self.tr("Connecting…")
        if shown == Shown.UPDATING:
            return self.tr("Updating…")
        if shown == Shown.CONNECTED:
            return self.tr("Connected")
        if shown == Shown.OFFLINE:
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

    def _end_notice(self) -> None:
        self._just_connected = False
        self._refresh()

    def _refresh(self) -> None:
        shown = self.shown
        palette = current_palette()
        self.setVisible(shown != Shown.HIDDEN)
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
        self._dot.color = {
            Shown.OFFLINE: palette.danger,
            Shown.CONNECTING: CONNECTING_COLOR,
            Shown.UPDATING: CONNECTING_COLOR,
        }.get(shown, palette.accent)
        self._dot.update()
        counting = offline and self._retry_at is not None
        if counting and not self._tick.isActive():
            self._tick.start()
        elif not counting:
            self._tick.stop()
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        tint = {
            Shown.OFFLINE: palette.danger,
            Shown.CONNECTING: CONNECTING_COLOR,
            Shown.UPDATING: CONNECTING_COLOR,
        }.get(self.shown, palette.accent)
        painter = QPainter(self)
        painter.fillRect(self.rect(), mix(palette.list_bg, tint, 0.12))
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)
