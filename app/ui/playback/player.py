"""`AudioPlayer`: voice messages (and any sound file) played on a worker thread.

The GUI thread starts and commands an `AudioTrack` and reads its clock — the samples the sink
has consumed — on a 50 ms timer while playing, so the progress a bubble draws is what was heard.
Events from the worker arrive through a queued signal; those of a track already replaced are
dropped, so a stopped voice can never report "finished" over the next one.

Stopping does not wait for the worker (it ends within one frame's work); `close()` joins every
worker this player started. `voice_player()` is the one player of the app: starting another
voice stops the current one, and any voice or video takes the app-wide audio focus.
"""

from __future__ import annotations

import logging
from functools import cache, partial
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from app.ui.playback import focus
from app.ui.playback.audio_out import SinkFactory, open_sink
from app.ui.playback.audio_track import AudioTrack
from app.ui.playback.track import Ended, Failed, Opened, Track, TrackEvent

log = logging.getLogger(__name__)

PlaybackState = Literal["playing", "paused", "stopped"]
POSITION_INTERVAL_MS = 50
JOIN_TIMEOUT_S = 2.0


class TrackRelay(QObject):
    """Carries a track's events from its worker thread to the GUI thread."""

    event = Signal(object, object)

    def post(self, track: Track, event: TrackEvent) -> None:
        self.event.emit(track, event)


def join_all(tracks: list[Track]) -> None:
    """Stop and wait for `tracks` (each ends within a frame's work)."""
    for track in tracks:
        track.stop()
    for track in tracks:
        track.join(JOIN_TIMEOUT_S)
        if track.is_alive():
            log.warning("%s did not end within %.0f s", track.name, JOIN_TIMEOUT_S)


class AudioPlayer(QObject):
    position_changed = Signal(float)
    """Seconds heard, while playing (and once on pause, seek and the end)."""
    duration_changed = Signal(float)
    state_changed = Signal(str)
    """"playing", "paused" or "stopped"."""
    finished = Signal()
    """Played to the end (after `state_changed("stopped")`)."""
    error = Signal(str)
    """The file could not be played (after `state_changed("stopped")`)."""

    def __init__(self, sink_factory: SinkFactory = open_sink,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink_factory = sink_factory
        self._relay = TrackRelay(self)
        self._relay.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(POSITION_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._track: AudioTrack | None = None
        self._workers: list[Track] = []
        """Every worker started and not yet known to have ended, current ones included."""
        self.destroyed.connect(partial(join_all, self._workers))  # deleted without close()
        self._state: PlaybackState = "stopped"
        self._path: Path | None = None
        self._duration = 0.0
        self._shown = 0.0

    @property
    def state(self) -> PlaybackState:
        return self._state

    @property
    def path(self) -> Path | None:
        """The file playing or paused; the last one played once stopped."""
        return self._path

    @property
    def duration(self) -> float:
        """Seconds, once the worker opened the file (0 before)."""
        return self._duration

    @property
    def position(self) -> float:
        """Seconds heard of the current file; 0 when stopped (a played voice shows its start)."""
        if self._track is None:
            return 0.0
        position = self._track.position()
        return min(position, self._duration) if self._duration else position

    def play(self, path: Path, start: float = 0.0) -> None:
        """Play `path` from `start` seconds, stopping whatever this player (or, through the audio
        focus, any other) was playing."""
        self._retire()
        focus.take(self)
        self._path, self._duration, self._shown = Path(path), 0.0, start
        self._track = AudioTrack(self._path, self._relay.post, self._sink_factory, start)
        self._track.start()
        self._workers.append(self._track)
        self._set_state("playing")
        self._timer.start()

    def pause(self) -> None:
        if self._track is not None and self._state == "playing":
            self._track.set_paused(True)
            self._timer.stop()
            self._set_state("paused")
            self._tick()

    def resume(self) -> None:
        if self._track is not None and self._state == "paused":
            focus.take(self)
            self._track.set_paused(False)
            self._set_state("playing")
            self._timer.start()

    def toggle(self) -> None:
        """Play/pause button: pause while playing, resume while paused."""
        if self._state == "playing":
            self.pause()
        else:
            self.resume()

    def seek(self, seconds: float) -> None:
        """Jump within the current file (playing or paused); clamped to its length."""
        if self._track is None:
            return
        seconds = max(0.0, min(seconds, self._duration) if self._duration else seconds)
        self._track.seek(seconds)
        self._tick()

    def stop(self) -> None:
        if self._track is None:
            return
        self._retire()
        focus.release(self)
        self._set_state("stopped")

    def close(self) -> None:
        """Stop and join every worker this player started (at exit, or when a test ends)."""
        self.stop()
        join_all(self._workers)
        self._workers.clear()

    def yield_focus(self) -> None:
        self.stop()

    def _retire(self) -> None:
        self._timer.stop()
        if self._track is not None:
            self._track.stop()
            self._track = None
        self._workers[:] = [t for t in self._workers if t.is_alive()]

    def _set_state(self, state: PlaybackState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _tick(self) -> None:
        position = self.position
        if position != self._shown:
            self._shown = position
            self.position_changed.emit(position)

    def _on_event(self, track: Track, event: TrackEvent) -> None:
        if track is not self._track:
            return
        if isinstance(event, Opened):
            self._duration = event.duration
            self.duration_changed.emit(event.duration)
        elif isinstance(event, Ended):
            end = self._duration or self.position
            if end != self._shown:
                self._shown = end
                self.position_changed.emit(end)
            self.stop()
            self.finished.emit()
        elif isinstance(event, Failed):
            self.stop()
            self.error.emit(event.message)


@cache
def voice_player() -> AudioPlayer:
    """The app's voice player, closed (workers joined) when the application quits."""
    app = QCoreApplication.instance()
    player = AudioPlayer(parent=app)
    if app is not None:
        app.aboutToQuit.connect(player.close)
    return player
