"""`RecordingBar`: the composer's strip while a voice message is being recorded.

Laid over the composer (its parent) while recording, so the composer only has to start it: a
pulsing red dot and the running length, a live level meter, the cancel hint, a delete and a
send button. Esc, the delete button or sliding the pointer to the left over the bar cancels;
Enter or the send button sends. Shorter than half a second counts as a slip of the finger and is
discarded (as messengers do); reaching the ten-minute cap sends what was recorded.
"""

from __future__ import annotations

import math
from collections import deque
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QWidget,
)

from app.ui.i18n import Retranslatable
from app.ui.playback.glyphs import glyph
from app.ui.playback.recorder import RecorderError, VoiceRecorder
from app.ui.playback.timefmt import clock_tenths
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.icons import tinted_icon

MIN_SECONDS = 0.5
SLIDE_SHARE = 0.3
"""Sliding left over this share of the bar's width cancels."""
FLOOR_DB = -50.0
CEILING_DB = -6.0


def meter_value(rms: float) -> float:
    """RMS (0–1) to a bar height (0–1) on a decibel scale, as ears hear loudness: a quiet
    voice still moves the meter, a loud one does not pin it."""
    if rms <= 0:
        return 0.0
    db = 20 * math.log10(rms)
    return max(0.0, min(1.0, (db - FLOOR_DB) / (CEILING_DB - FLOOR_DB)))


class LevelMeter(QWidget):
    """The last couple of seconds of loudness as bars, newest on the right; in a narrow
    composer it shows fewer (the newest) bars."""

    BARS = 36
    MIN_BARS = 12
    BAR = 3
    GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.levels: deque[float] = deque([0.0] * self.BARS, maxlen=self.BARS)
        self.color = QColor()
        self.setFixedHeight(28)
        self.setMinimumWidth(self.MIN_BARS * (self.BAR + self.GAP) - self.GAP)
        self.setMaximumWidth(self.BARS * (self.BAR + self.GAP) - self.GAP)

    def sizeHint(self) -> QSize:
        return QSize(self.maximumWidth(), self.height())

    def push(self, rms: float) -> None:
        self.levels.append(meter_value(rms))
        self.update()

    def reset(self) -> None:
        self.levels.extend([0.0] * self.BARS)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        middle = self.height() / 2
        count = min(self.BARS, (self.width() + self.GAP) // (self.BAR + self.GAP))
        for i, level in enumerate(list(self.levels)[-count:]):
            height = max(self.BAR, level * self.height())
            color = QColor(self.color)
            color.setAlphaF(0.45 + 0.55 * (i + 1) / count)  # older bars fade
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(i * (self.BAR + self.GAP), middle - height / 2,
                                           self.BAR, height), 1.5, 1.5)


class RecordingDot(QWidget):
    """The red dot, pulsing with the recording's own clock (no timer of its own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(12, 12)
        self.color = QColor()
        self.phase = 0.0

    def pulse(self, seconds: float) -> None:
        self.phase = seconds
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(self.color)
        color.setAlphaF(0.7 + 0.3 * math.cos(self.phase * math.pi))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(QPointF(6, 6), 5, 5)


class HintLabel(QLabel):
    """The longest of its texts that fits its width (none in a very narrow composer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_texts(self, *texts: str) -> None:
        self.texts = list(texts)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        self.setText(next((t for t in self.texts if metrics.horizontalAdvance(t) <= room), ""))


class RecordingBar(Retranslatable, QWidget):
    recorded = Signal(object, float)
    """(Path of the .m4a, seconds): send it."""
    cancelled = Signal()

    def __init__(self, recorder: VoiceRecorder | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingBar")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.recorder = recorder or VoiceRecorder(parent=self)
        self.dot = RecordingDot(self)
        self.time_label = QLabel(self)
        font = QFont(self.time_label.font())
        font.setFeature(QFont.Tag("tnum"), 1)  # digits of one width: the counter does not jitter
        self.time_label.setFont(font)
        self.time_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00,0") + 6)
        self.meter = LevelMeter(self)
        self.hint = HintLabel(self)
        self.delete_button = QToolButton(self)
        self.delete_button.setIconSize(QSize(20, 20))
        self.delete_button.setFixedSize(36, 36)
        self.send_button = QPushButton(self)
        set_primary(self.send_button)
        self.send_button.setIconSize(QSize(18, 18))
        self.send_button.setFixedSize(40, 40)
        self.send_button.setStyleSheet("QPushButton { border-radius: 20px; padding: 0; }")
        for button in (self.delete_button, self.send_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 16, 8)
        layout.setSpacing(10)
        layout.addWidget(self.dot)
        layout.addWidget(self.time_label)
        layout.addWidget(self.meter)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.send_button)
        self._press_x: float | None = None
        self.recorder.level.connect(self.meter.push)
        self.recorder.elapsed.connect(self._on_elapsed)
        self.recorder.limit_reached.connect(self._on_limit)
        self.recorder.failed.connect(self._on_failed)
        self.delete_button.clicked.connect(self.cancel)
        self.send_button.clicked.connect(self.send)
        theme_controller().changed.connect(self._apply_theme)
        if parent is not None:
            parent.installEventFilter(self)
        self._apply_theme()
        self.retranslate()
        self.hide()

    def available(self) -> bool:
        """Whether recording can work (else the mic button is disabled with `reason`)."""
        return self.recorder.available()

    @property
    def reason(self) -> str:
        return self.recorder.unavailable_reason or ""

    def start(self) -> bool:
        """Start recording and cover the composer; False when recording cannot work."""
        if self.recorder.recording:
            return True
        if not self.recorder.available():
            return False
        self.meter.reset()
        self._on_elapsed(0.0)
        self.recorder.start()
        if self.parentWidget() is not None:
            self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def send(self) -> None:
        if not self.recorder.recording:
            return
        try:
            path = self.recorder.stop()
        except RecorderError as error:
            self._on_failed(str(error))
            return
        self._deliver(path)

    def cancel(self) -> None:
        if self.recorder.recording:
            self.recorder.cancel()
            self._close()
            self.cancelled.emit()

    def retranslate(self) -> None:
        self.hint.set_texts(self.tr("‹  Slide left or press Esc to cancel"),
                            self.tr("‹  Esc to cancel"))
        self.delete_button.setToolTip(self.tr("Delete the recording (Esc)"))
        self.send_button.setToolTip(self.tr("Send the voice message (Enter)"))
        self.send_button.setAccessibleName(self.tr("Send"))

    def _deliver(self, path: Path) -> None:
        seconds = self.recorder.duration
        self._close()
        if seconds < MIN_SECONDS:
            path.unlink(missing_ok=True)
            self.cancelled.emit()
        else:
            self.recorded.emit(path, seconds)

    def _close(self) -> None:
        self._press_x = None
        self.hint.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def _on_elapsed(self, seconds: float) -> None:
        self.time_label.setText(clock_tenths(seconds))
        self.dot.pulse(seconds)

    def _on_limit(self, path: Path) -> None:
        self._deliver(path)

    def _on_failed(self, message: str) -> None:
        self._close()
        QToolTip.showText(self.mapToGlobal(self.rect().center()),
                          self.tr("The voice message could not be recorded: %1")
                          .replace("%1", message))
        self.cancelled.emit()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.dot.color = palette.danger
        self.meter.color = palette.accent
        self.hint.setStyleSheet(f"color: {palette.secondary_text.name()};")
        self.delete_button.setIcon(glyph("delete", palette.secondary_text))
        self.send_button.setIcon(tinted_icon("send", palette.accent_text, 18))
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.send()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_x = event.position().x()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_x is not None:
            slid = max(0.0, self._press_x - event.position().x())
            if slid > self.width() * SLIDE_SHARE:
                self.cancel()
                return
            self.hint.setContentsMargins(0, 0, round(slid) * 2, 0)  # the hint follows
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press_x = None
        self.hint.setContentsMargins(0, 0, 0, 0)
        super().mouseReleaseEvent(event)
