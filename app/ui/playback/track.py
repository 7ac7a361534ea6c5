"""The worker thread under each decoder: one file, commands in, events out.

A track owns its `av` container for its whole life on its own thread (PyAV objects are not
shared between threads). The GUI thread only calls `seek`, `stop` and reads; the track answers
with events passed to `on_event` *on the worker thread* — the Qt owner re-emits them through a
signal, so they arrive queued on the GUI thread. A seek is a value the track picks up between
two frames; until it has been applied, `pending_seek` reports it, so a position shown to the
user jumps once, to where they asked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
from av.container import InputContainer

log = logging.getLogger(__name__)

IDLE_SLICE = 0.05


@dataclass(frozen=True, slots=True)
class Opened:
    duration: float
    """Seconds; 0 when the container does not say."""
    has_audio: bool
    size: tuple[int, int] = (0, 0)
    """The picture's display size (sample aspect ratio applied), (0, 0) without video."""


@dataclass(frozen=True, slots=True)
class Ended:
    """Everything was played (a sound was heard out; the last picture was queued)."""


@dataclass(frozen=True, slots=True)
class Failed:
    message: str


TrackEvent = Opened | Ended | Failed
EventFn = Callable[["Track", TrackEvent], None]


def duration_of(container: InputContainer) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    for stream in container.streams:
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
    return 0.0


class Track(threading.Thread):
    """Subclasses implement `play(container)`, calling `interrupted()` between frames."""

    def __init__(self, path: Path, on_event: EventFn, start: float = 0.0) -> None:
        super().__init__(name=f"{type(self).__name__}:{path.name}", daemon=True)
        self.path = path
        self._on_event = on_event
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._seek_to: float | None = start if start > 0 else None

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._seek_to = max(0.0, seconds)
        self._wake.set()

    def stop(self) -> None:
        """Ask the thread to end soon (within a frame's work); `join` waits for it."""
        with self._lock:
            self._stopping = True
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def pending_seek(self) -> float | None:
        return self._seek_to

    def interrupted(self) -> bool:
        """A command is waiting: whatever the thread blocks on must give way."""
        return self._stopping or self._seek_to is not None

    def seek_done(self, target: float) -> None:
        """The seek to `target` is applied (a newer one stays pending)."""
        with self._lock:
            if self._seek_to == target:
                self._seek_to = None

    def idle(self) -> None:
        """Wait for a command (at the end of the file: a seek back, or stop)."""
        while not self.interrupted():
            self._wake.wait(IDLE_SLICE)
            self._wake.clear()

    def emit(self, event: TrackEvent) -> None:
        if not self._stopping:
            self._on_event(self, event)

    def run(self) -> None:
        try:
            with av.open(str(self.path)) as container:
                self.play(container)
        except (av.FFmpegError, OSError) as error:
            log.info("cannot play %s: %s", self.path, error)
            self.emit(Failed(str(error)))
        except Exception as error:  # a worker must report, never die silently
            log.exception("playing %s failed", self.path)
            self.emit(Failed(str(error) or type(error).__name__))

    def play(self, container: InputContainer) -> None:
        raise NotImplementedError
