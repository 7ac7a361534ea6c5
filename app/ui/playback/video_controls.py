"""The strip under a video: play/pause, elapsed time, a seek slider, the length, mute.

None of the controls takes keyboard focus: Space belongs to the player (a focused button would
take it as a click and toggle twice). The slider jumps to where it is clicked, as media sliders
do, and while it is held the playing position does not pull the handle away from the pointer.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from app.ui.playback.glyphs import glyph
from app.ui.playback.timefmt import clock

FOREGROUND = QColor("#F2F3F5")
SECONDARY = QColor("#A9AFB8")
HANDLE = 12
STYLE = """
#videoControls { background: #16181C; }
#videoControls QLabel { color: #A9AFB8; font-size: 12px; }
#videoControls QToolButton { background: transparent; border: none; border-radius: 16px; }
#videoControls QToolButton:hover { background: rgba(255, 255, 255, 0.10); }
#videoControls QToolButton:disabled { background: transparent; }
QSlider::groove:horizontal { height: 4px; border-radius: 2px; background: rgba(255,255,255,0.22); }
QSlider::sub-page:horizontal { border-radius: 2px; background: #F2F3F5; }
QSlider::handle:horizontal { width: 12px; height: 12px; margin: -4px 0; border-radius: 6px;
                             background: #FFFFFF; }
"""


class SeekSlider(QSlider):
    """Milliseconds; `seek_requested(seconds)` when the user lets go of the handle."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setRange(0, 0)
        self.sliderReleased.connect(lambda: self.seek_requested.emit(self.value() / 1000))

    def set_seconds(self, seconds: float) -> None:
        """Follow playback, unless the user holds the handle."""
        if not self.isSliderDown():
            self.setValue(round(seconds * 1000))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Move the handle under the pointer first: the press then grabs it, so a click seeks
        there (on release) and a press-and-drag scrubs from there."""
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > 0:
            self.setValue(QStyle.sliderValueFromPosition(
                self.minimum(), self.maximum(), round(event.position().x()) - HANDLE // 2,
                self.width() - HANDLE))
        super().mousePressEvent(event)


def _button(parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setIconSize(QSize(20, 20))
    button.setFixedSize(32, 32)
    return button


class ControlBar(QWidget):
    toggle_requested = Signal()
    seek_requested = Signal(float)
    mute_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoControls")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.play_button = _button(self)
        self.elapsed = QLabel(clock(0), self)
        self.slider = SeekSlider(self)
        self.total = QLabel(clock(0), self)
        self.mute_button = _button(self)
        self.mute_button.setCheckable(True)
        for label in (self.elapsed, self.total):
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("00:00") + 4)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.play_button)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.mute_button)
        self.play_button.clicked.connect(self.toggle_requested)
        self.slider.seek_requested.connect(self.seek_requested)
        self.mute_button.toggled.connect(self._on_mute)
        self.set_playing(False)
        self._on_mute(False)

    def set_playing(self, playing: bool) -> None:
        self.play_button.setIcon(glyph("pause" if playing else "play", FOREGROUND))
        self.play_button.setToolTip(self.tr("Pause (Space)") if playing
                                    else self.tr("Play (Space)"))

    def set_duration(self, seconds: float) -> None:
        self.slider.setRange(0, round(seconds * 1000))
        self.total.setText(clock(seconds))

    def set_position(self, seconds: float) -> None:
        self.slider.set_seconds(seconds)
        shown = self.slider.value() / 1000 if self.slider.isSliderDown() else seconds
        self.elapsed.setText(clock(shown))

    def set_has_sound(self, has_sound: bool) -> None:
        self.mute_button.setEnabled(has_sound)
        if not has_sound:
            self.mute_button.setToolTip(self.tr("This video has no sound"))
            self.mute_button.setIcon(glyph("muted", SECONDARY))
        else:
            self._on_mute(self.mute_button.isChecked())

    def _on_mute(self, muted: bool) -> None:
        self.mute_button.setIcon(glyph("muted" if muted else "sound", FOREGROUND))
        self.mute_button.setToolTip(self.tr("Unmute") if muted else self.tr("Mute"))
        self.mute_toggled.emit(muted)
