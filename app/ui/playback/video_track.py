"""Decoding one file's pictures into ready-to-paint QImages, on a worker thread.

FFmpeg decodes (frame threads: `thread_type = "AUTO"`) and swscale converts each picture
straight to the size it is shown at, in the byte order of `QImage.Format_RGB32`, so the GUI
thread only blits — a 1080p frame never reaches it, and upscaling a small video is done here
(bilinear) rather than by the painter. Sample aspect ratio and the container's rotation (phone
videos) are applied here too. The shown size follows the widget: it writes `box`, the device
pixels it has, and the next frame is fitted into it.

Frames wait in a short `FrameQueue` until the presenter's clock reaches them. A frame that is
already late when decoded is dropped before its (costly) conversion, and the presenter drops
those it could not show in time: a slow machine shows fewer pictures, never a video that lags
behind its sound.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PySide6.QtGui import QImage, QTransform

from app.ui.playback.audio_out import WAIT_SLICE, Abort
from app.ui.playback.track import EventFn, Failed, Opened, Track, duration_of

QUEUE_FRAMES = 6
"""A quarter of a second at 24 fps: enough to ride out a slow frame, little to discard on seek."""
BOX_MAX = (3840, 2160)
"""Pictures are never converted larger than this, whatever the screen."""
RGB32 = "bgra" if sys.byteorder == "little" else "argb"
"""FFmpeg's name for the bytes of `QImage.Format_RGB32` (0xffRRGGBB words)."""


@dataclass(frozen=True, slots=True)
class Picture:
    time: float
    """Seconds into the stream at which it is due."""
    image: QImage


class FrameQueue:
    """Pictures in time order between the decoder (`put`) and the presenter (`take_due`)."""

    def __init__(self, capacity: int = QUEUE_FRAMES) -> None:
        self._cond = threading.Condition()
        self._pictures: deque[Picture] = deque()
        self._capacity = capacity
        self._ended = False
        self.dropped = 0
        """Pictures the presenter skipped because their time had passed."""

    def put(self, picture: Picture, abort: Abort) -> bool:
        with self._cond:
            while len(self._pictures) >= self._capacity:
                if abort():
                    return False
                self._cond.wait(WAIT_SLICE)
            if abort():
                return False
            self._pictures.append(picture)
            return True

    def end(self) -> None:
        """The last picture has been put."""
        with self._cond:
            self._ended = True

    def clear(self) -> None:
        with self._cond:
            self._pictures.clear()
            self._ended = False
            self._cond.notify_all()

    @property
    def finished(self) -> bool:
        with self._cond:
            return self._ended and not self._pictures

    def take_first(self) -> Picture | None:
        """The next picture whatever its time (the first one after opening or seeking)."""
        with self._cond:
            if not self._pictures:
                return None
            self._cond.notify_all()
            return self._pictures.popleft()

    def take_due(self, now: float) -> Picture | None:
        """The latest picture due at `now`; earlier due ones are dropped."""
        with self._cond:
            due = None
            while self._pictures and self._pictures[0].time <= now:
                if due is not None:
                    self.dropped += 1
                due = self._pictures.popleft()
            if due is not None:
                self._cond.notify_all()
            return due


def display_size(frame: VideoFrame, stream: VideoStream) -> tuple[int, int]:
    """The upright picture's size in square pixels."""
    width, height = frame.width, frame.height
    sar = stream.sample_aspect_ratio
    if sar and sar > 0:
        width = round(width * sar)
    if abs(frame.rotation) == 90:
        width, height = height, width
    return width, height


def fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """`size` scaled to fit `box` keeping its aspect ratio (even sides suit swscale)."""
    box = (min(box[0], BOX_MAX[0]), min(box[1], BOX_MAX[1]))
    if box[0] <= 0 or box[1] <= 0:
        box = (min(size[0], BOX_MAX[0]), min(size[1], BOX_MAX[1]))
    scale = min(box[0] / size[0], box[1] / size[1])
    return max(2, round(size[0] * scale) & ~1), max(2, round(size[1] * scale) & ~1)


def to_image(frame: VideoFrame, stream: VideoStream, box: tuple[int, int]) -> QImage:
    """`frame` upright, fitted into `box` device pixels, as an RGB32 QImage of its own."""
    width, height = fit(display_size(frame, stream), box)
    rotation = frame.rotation
    if abs(rotation) == 90:
        width, height = height, width
    rgb = frame.reformat(width=width, height=height, format=RGB32, interpolation="BILINEAR")
    plane = rgb.planes[0]
    image = QImage(bytes(plane), width, height, plane.line_size,
                   QImage.Format.Format_RGB32).copy()
    if rotation:
        image = image.transformed(QTransform().rotate(-rotation))
    return image


class VideoTrack(Track):
    """Puts the pictures of `path` into `frames`, timed by `clock` (seconds, any thread)."""

    def __init__(self, path: Path, on_event: EventFn, clock: Callable[[], float],
                 frames: FrameQueue, start: float = 0.0) -> None:
        super().__init__(path, on_event, start)
        self.frames = frames
        self._clock = clock
        self.box = (0, 0)
        """Device pixels the picture is shown in (written by the GUI thread); (0, 0): natural."""
        self.late = 0
        """Pictures dropped before conversion because the clock had passed them."""

    def play(self, container: InputContainer) -> None:
        if not container.streams.video:
            self.emit(Failed("The file has no pictures"))
            return
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        probe = next(container.decode(stream), None)
        if probe is None:
            self.emit(Failed("The video has no pictures"))
            return
        self.emit(Opened(duration_of(container), bool(container.streams.audio),
                         display_size(probe, stream)))
        seek = self.pending_seek if self.pending_seek is not None else 0.0
        while not self.stopping:
            target = seek or 0.0
            container.seek(int(target / stream.time_base), stream=stream)
            self.frames.clear()
            self.seek_done(target)
            if self._segment(container, stream, target):
                self.frames.end()
                self.idle()
            seek = self.pending_seek

    def _segment(self, container: InputContainer, stream: VideoStream, target: float) -> bool:
        """Queue the pictures from `target` to the end; False if a command came first."""
        step = 1 / float(stream.average_rate) if stream.average_rate else 0.04
        first = True
        for frame in container.decode(stream):
            if self.interrupted():
                return False
            when = frame.time
            if when is None or when + step <= target:
                continue  # before the seek target: decoded, never converted
            if not first and when + step < self._clock():
                self.late += 1
                continue
            first = False
            picture = Picture(max(when, target), to_image(frame, stream, self.box))
            if not self.frames.put(picture, self.interrupted):
                return False
        return not self.interrupted()
