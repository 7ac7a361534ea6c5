"""`VideoPlayerWidget` and `VideoWindow`: a local video file played in the app.

Two workers read the file, each through its own container: a `VideoTrack` (pictures, converted
off the GUI thread to the size they are shown at) and, when the file has sound, an `AudioTrack`
into the same kind of sink voice messages use. Two containers rather than one demuxer feeding
two decoders: neither worker can then stall the other (a full picture queue never starves the
sound, and the sound never waits for pictures), and each seeks on its own.

The GUI thread presents: a 10 ms timer takes, from the picture queue, the latest picture due at
the clock — the sound's clock (samples heard) while there is sound, a wall clock without it
(or past the end of a shorter sound track) — and drops those it is too late for. A tick is a
queue look-up and at most one `update()`; painting blits a picture already of the widget's
size, letterboxed on black. While paused, a resize re-decodes the current picture at the new
size instead of painting a stretched one.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.ui.playback import focus
from app.ui.playback.audio_out import SinkFactory, open_sink
from app.ui.playback.audio_track import AudioTrack
from app.ui.playback.clock import WallClock
from app.ui.playback.player import TrackRelay, join_all
from app.ui.playback.track import Ended, Failed, Opened, Track, TrackEvent
from app.ui.playback.video_controls import ControlBar
from app.ui.playback.video_track import FrameQueue, Picture, VideoTrack

log = logging.getLogger(__name__)

VideoState = Literal["playing", "paused", "stopped"]
PRESENT_MS = 10
AHEAD_S = 0.004
"""A picture due within this much is shown now rather than a tick late."""
KEY_SEEK_S = 5.0
REFRESH_MS = 120
"""Resizes of a paused video settle this long before the picture is decoded again."""
BACKGROUND = QColor("#000000")


class VideoScreen(QWidget):
    """The picture, centred on black; a click toggles playback, a double click full screen."""

    clicked = Signal()
    double_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(160, 90)
        self.image: QImage | None = None
        self.message = ""
        self.smooth = True
        """Scale smoothly when the picture is not yet of the widget's size (paused)."""

    def box(self) -> tuple[int, int]:
        """Device pixels available to the picture."""
        dpr = self.devicePixelRatioF()
        return round(self.width() * dpr), round(self.height() * dpr)

    def show_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def show_message(self, text: str) -> None:
        self.message = text
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture goes: as large as fits, aspect ratio kept, centred."""
        if self.image is None or self.image.isNull():
            return QRectF()
        size = QSize(self.image.size())
        size.scale(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(QPointF(x, y), size.toSizeF())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth)
            painter.drawImage(self.picture_rect(), self.image)
        if self.message:
            painter.setPen(QColor("#C9CDD3"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit()
        super().mouseDoubleClickEvent(event)


class VideoPlayerWidget(QWidget):
    """Plays one local video file at a time: `open(path)`, then the controls or the keys
    (Space play/pause, ←/→ five seconds, F or a double click `fullscreen_requested`, Esc
    `close_requested`)."""

    state_changed = Signal(str)
    opened = Signal(float, QSize)
    """Duration in seconds and the upright picture size, once the file was read."""
    finished = Signal()
    error = Signal(str)
    close_requested = Signal()
    fullscreen_requested = Signal()

    def __init__(self, sink_factory: SinkFactory = open_sink,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._sink_factory = sink_factory
        self.screen_view = VideoScreen(self)
        self.controls = ControlBar(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.screen_view, 1)
        layout.addWidget(self.controls)
        self._relay = TrackRelay(self)
        self._relay.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PRESENT_MS)
        self._timer.timeout.connect(self._present)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._redecode)
        self._frames = FrameQueue()
        self._wall = WallClock()
        self._video: VideoTrack | None = None
        self._audio: AudioTrack | None = None
        self._sound_over = True
        """The sound track ended (or there is none): the wall clock paces the pictures."""
        self._workers: list[Track] = []
        """Every worker started and not yet known to have ended, current ones included."""
        self.destroyed.connect(partial(join_all, self._workers))  # deleted without close()
        self._path: Path | None = None
        self._state: VideoState = "stopped"
        self._duration = 0.0
        self._shown: Picture | None = None
        self._want_first = False
        self._at_end = False
        self._muted = False
        self.frames_shown = 0
        self.screen_view.clicked.connect(self.toggle)
        self.screen_view.double_clicked.connect(self.fullscreen_requested)
        self.controls.toggle_requested.connect(self.toggle)
        self.controls.seek_requested.connect(self.seek)
        self.controls.mute_toggled.connect(self.set_muted)

    # Reading.

    @property
    def state(self) -> VideoState:
        return self._state

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def position(self) -> float:
        if self._at_end:
            return self._duration
        position = self._clock()
        return min(position, self._duration) if self._duration else position

    @property
    def current_image(self) -> QImage | None:
        return self.screen_view.image

    @property
    def dropped(self) -> int:
        """Pictures skipped to keep up with the clock (decoded too late, or never shown)."""
        return self._frames.dropped + (self._video.late if self._video else 0)

    def _clock(self) -> float:
        """Seconds into the video: the sound heard, else the wall clock (any thread)."""
        audio = self._audio
        if audio is not None and not self._sound_over:
            return audio.position()
        return self._wall.position()

    # Commands.

    def open(self, path: Path, autoplay: bool = True) -> None:
        """Show `path` (its first picture at once), playing it unless `autoplay` is False."""
        self._retire()
        self._path, self._duration, self._at_end = Path(path), 0.0, False
        self.screen_view.image = None
        self.screen_view.show_message("")
        self._wall = WallClock()
        self._frames = FrameQueue()
        self._video = VideoTrack(self._path, self._relay.post, self._clock, self._frames)
        self._video.box = self.screen_view.box()
        self._video.start()
        self._workers.append(self._video)
        self._want_first = True
        self._timer.start()
        self._set_state("playing" if autoplay else "paused")
        if autoplay:
            focus.take(self)

    def play(self) -> None:
        if self._video is None or self._state == "playing":
            return
        if self._at_end:
            self.seek(0.0)
        focus.take(self)
        self._set_paused(False)
        self._set_state("playing")
        self._timer.start()

    def pause(self) -> None:
        if self._state != "playing":
            return
        self._set_paused(True)
        self._set_state("paused")

    def toggle(self) -> None:
        if self._state == "playing":
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Jump to `seconds` (clamped), showing the picture there even while paused."""
        if self._video is None:
            return
        seconds = max(0.0, min(seconds, self._duration) if self._duration else seconds)
        self._video.seek(seconds)
        self._frames.clear()  # after the track saw the seek: no stale picture survives
        if self._audio is not None:
            self._audio.seek(seconds)
            self._sound_over = False
        self._wall.reset(seconds)
        if self._at_end:
            self._at_end = False
            self._set_state("paused")
        self._want_first = True
        self._timer.start()
        self.controls.set_position(seconds)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        if self._audio is not None:
            self._audio.set_muted(muted)
        if self.controls.mute_button.isChecked() != muted:
            self.controls.mute_button.setChecked(muted)

    def close_media(self) -> None:
        """Stop and join the workers (the window closes, or a test ends)."""
        self._retire()
        self._set_state("stopped")
        join_all(self._workers)
        self._workers.clear()

    def yield_focus(self) -> None:
        self.pause()

    # Internals.

    def _retire(self) -> None:
        self._timer.stop()
        self._refresh.stop()
        for track in (self._video, self._audio):
            if track is not None:
                track.stop()
        self._video = self._audio = None
        self._sound_over = True
        self._workers[:] = [t for t in self._workers if t.is_alive()]
        focus.release(self)

    def _set_paused(self, paused: bool) -> None:
        if self._audio is not None:
            self._audio.set_paused(paused)
        self._wall.set_paused(paused)

    def _set_state(self, state: VideoState) -> None:
        self.controls.set_playing(state == "playing")
        self.screen_view.smooth = state != "playing"
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _present(self) -> None:
        playing = self._state == "playing"
        picture = None
        if self._want_first:
            picture = self._frames.take_first()
            if picture is not None:
                self._want_first = False
                self._wall.reset(picture.time)
                self._set_paused(not playing)
        elif playing:
            picture = self._frames.take_due(self._clock() + AHEAD_S)
        if picture is not None:
            self._shown = picture
            self.frames_shown += 1
            self.screen_view.show_image(picture.image)
        self.controls.set_position(self.position)
        if playing and self._frames.finished and self._sound_over:
            self._on_end()
        elif not playing and not self._want_first:
            self._timer.stop()

    def _on_end(self) -> None:
        self._at_end = True
        self._timer.stop()
        self._set_paused(True)
        self.controls.set_position(self._duration)
        self._set_state("stopped")
        focus.release(self)
        self.finished.emit()

    def _redecode(self) -> None:
        """A paused picture at the new size: decode it again where it was."""
        if self._video is not None and self._shown is not None and self._state != "playing":
            self._video.seek(self._shown.time)
            self._frames.clear()
            self._want_first = True
            self._timer.start()

    def _on_event(self, track: Track, event: TrackEvent) -> None:
        if track is self._video:
            self._on_video_event(event)
        elif track is self._audio:
            self._on_audio_event(event)

    def _on_video_event(self, event: TrackEvent) -> None:
        if isinstance(event, Opened):
            self._duration = event.duration
            self.controls.set_duration(event.duration)
            self.controls.set_has_sound(event.has_audio)
            if event.has_audio and self._path is not None:
                self._audio = AudioTrack(self._path, self._relay.post, self._sink_factory,
                                         self.position, linger=True)
                self._audio.set_paused(self._state != "playing" or self._want_first)
                self._audio.set_muted(self._muted)
                self._sound_over = False
                self._audio.start()
                self._workers.append(self._audio)
            self.opened.emit(event.duration, QSize(*event.size))
        elif isinstance(event, Failed):
            self._retire()
            self._set_state("stopped")
            self.screen_view.show_message(self.tr("This video cannot be played"))
            self.error.emit(event.message)

    def _on_audio_event(self, event: TrackEvent) -> None:
        if isinstance(event, Ended | Failed):
            if isinstance(event, Failed):
                log.info("%s plays without sound: %s", self._path, event.message)
                self.controls.set_has_sound(False)
            self._wall.reset(self._audio.position() if self._audio else self.position)
            self._sound_over = True

    # Events.

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._video is not None:
            self._video.box = self.screen_view.box()
            if self._state != "playing":
                self._refresh.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle()
        elif key == Qt.Key.Key_Escape:
            self.close_requested.emit()
        elif key == Qt.Key.Key_F:
            self.fullscreen_requested.emit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = KEY_SEEK_S if key == Qt.Key.Key_Right else -KEY_SEEK_S
            self.seek(self.position + step)
        else:
            super().keyPressEvent(event)


class VideoWindow(QWidget):
    """A dark window of its own for one video, titled with the file's name, sized to the
    video (within most of the screen); closing it stops the video and joins its workers. Esc
    leaves full screen first, then closes."""

    SCREEN_SHARE = 0.8

    def __init__(self, path: Path, parent: QWidget | None = None,
                 sink_factory: SinkFactory = open_sink) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(Path(path).name)
        self.setObjectName("videoWindow")
        self.setStyleSheet("#videoWindow { background: #000000; }")
        self.player = VideoPlayerWidget(sink_factory, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.player)
        self.player.close_requested.connect(self._escape)
        self.player.fullscreen_requested.connect(self._toggle_fullscreen)
        self.player.opened.connect(self._fit_video)
        self.resize(960, 600)
        self.player.setFocus(Qt.FocusReason.OtherFocusReason)
        self.player.open(Path(path))

    def _fit_video(self, _duration: float, size: QSize) -> None:
        """Take the video's own size, shrunk to fit most of the screen."""
        if size.isEmpty():
            return
        screen = self.screen().availableGeometry()
        room = QSize(round(screen.width() * self.SCREEN_SHARE),
                     round(screen.height() * self.SCREEN_SHARE)
                     - self.player.controls.sizeHint().height())
        picture = QSize(size)
        if picture.width() > room.width() or picture.height() > room.height():
            picture.scale(room, Qt.AspectRatioMode.KeepAspectRatio)
        picture = picture.expandedTo(QSize(480, 270))
        self.resize(picture.width(), picture.height() + self.player.controls.sizeHint().height())

    def _escape(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.close()

    def _toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.close_media()
        super().closeEvent(event)
