"""GifAnimator: animated GIFs play in their bubble (and in the viewer) while they are painted.

A GIF plays once its original is on this device and is at most 8 MB. Frames are read and scaled
in a worker thread, one ahead of the one on screen, so the GUI thread never decodes: a large GIF
can take tens of milliseconds a frame, more than a frame's budget, and measuring first would cost
a janky frame to find out. Each frame is shown for the delay the file gives it (browsers' floor
for delays under 20 ms: 100 ms).

Visibility needs no bookkeeping by the views: painting asks for the current frame (`frame`),
which marks the animation as seen. When its next frame is due and it was not painted since the
last one — the row scrolled away, the chat changed, the window is hidden — it stops and frees its
reader; the next paint starts it again.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader

from app.ui.media.decode import (
    crop_centre,
    displayable,
    open_reader,
    plan,
    set_scaled,
    upright_size,
)
from app.ui.media.source import MediaSource

log = logging.getLogger("tidings.ui.media")

MAX_GIF_BYTES = 8 * 1024 * 1024
MIN_DELAY_MS = 20
DEFAULT_DELAY_MS = 100

Key = tuple[str, int, int]


@dataclass(eq=False, slots=True)
class _Reader:
    """Owned by the worker thread between frames: the GIF being read, rewound at its end."""

    path: Path
    target: QSize
    reader: QImageReader | None = None
    crop: QSize = field(default_factory=QSize)

    def next_frame(self) -> tuple[QImage, int] | None:
        for _attempt in range(2):
            if self.reader is None:
                self.reader = open_reader(self.path)
                whole = upright_size(self.reader)
                if not whole.isValid() or whole.isEmpty():
                    return None
                scaled, self.crop = plan(whole, self.target)
                if scaled != whole:
                    set_scaled(self.reader, scaled)
            image = self.reader.read()
            if not image.isNull():
                delay = self.reader.nextImageDelay()
                return (displayable(crop_centre(image, self.crop)),
                        delay if delay >= MIN_DELAY_MS else DEFAULT_DELAY_MS)
            self.reader = None  # the end of the file: start over
        return None


@dataclass(eq=False, slots=True)
class _Animation:
    key: Key
    reader: _Reader
    timer: QTimer
    current: QImage | None = None
    upcoming: tuple[QImage, int] | None = None
    due: bool = False
    """The current frame's time is up, the next one is still being read."""
    painted: bool = True


class GifAnimator(QObject):
    frame_ready = Signal(str)
    """The GIF `uuid` shows a new frame: repaint where it is shown."""
    _read = Signal(object, object)
    """From the worker: (animation, (frame, delay) or None)."""

    def __init__(self, source: MediaSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._animations: dict[Key, _Animation] = {}
        self._still: set[str] = set()
        """GIFs found too large to play (not looked at again)."""
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="gif")
        self._read.connect(self._on_read)

    def frame(self, uuid: str, url: str, target: QSize) -> QImage | None:
        """The current frame of GIF `uuid` filling `target` (empty: natural size), None until
        the first one is read or when it does not play (not held, or too large)."""
        key = (uuid, target.width(), target.height())
        animation = self._animations.get(key)
        if animation is None:
            path = None if uuid in self._still else self.source.cached(uuid, url)
            if path is None:
                return None
            if _size(path) > MAX_GIF_BYTES:
                self._still.add(uuid)
                return None
            timer = QTimer(self)
            timer.setSingleShot(True)
            animation = _Animation(key, _Reader(path, target), timer)
            timer.timeout.connect(lambda a=animation: self._tick(a))
            self._animations[key] = animation
            self._read_next(animation)
            return None
        animation.painted = True
        return animation.current

    @property
    def playing(self) -> int:
        return len(self._animations)

    def close(self) -> None:
        for animation in self._animations.values():
            animation.timer.stop()
        self._animations.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _read_next(self, animation: _Animation) -> None:
        future = self._executor.submit(animation.reader.next_frame)
        future.add_done_callback(lambda f, a=animation: self._read.emit(a, _result(f)))

    def _on_read(self, animation: _Animation, result: tuple[QImage, int] | None) -> None:
        if self._animations.get(animation.key) is not animation:
            return
        if result is None:
            self._stop(animation)
            return
        if animation.current is None or animation.due:
            animation.due = False
            self._show(animation, result)
        else:
            animation.upcoming = result

    def _show(self, animation: _Animation, frame: tuple[QImage, int]) -> None:
        animation.current, delay = frame
        animation.timer.start(delay)
        self._read_next(animation)
        self.frame_ready.emit(animation.key[0])

    def _tick(self, animation: _Animation) -> None:
        if not animation.painted:
            self._stop(animation)
            return
        animation.painted = False
        if animation.upcoming is None:
            animation.due = True
            return
        frame, animation.upcoming = animation.upcoming, None
        self._show(animation, frame)

    def _stop(self, animation: _Animation) -> None:
        animation.timer.stop()
        animation.timer.deleteLater()
        self._animations.pop(animation.key, None)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return MAX_GIF_BYTES + 1


def _result(future: Future[tuple[QImage, int] | None]) -> tuple[QImage, int] | None:
    if future.cancelled():
        return None
    if future.exception() is not None:
        log.error("reading a GIF frame failed", exc_info=future.exception())
        return None
    return future.result()
