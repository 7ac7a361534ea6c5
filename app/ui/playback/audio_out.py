"""Where decoded sound goes: an `AudioSink`, whose consumption is the audio clock.

A sink is a bounded buffer of interleaved PCM between a decoder thread, which writes and blocks
while the buffer is full, and a consumer that takes samples in real time: the sound card's
callback (`DeviceSink`, over `sounddevice.RawOutputStream`) or, where there is no output device
(CI, a headless machine), a timer thread (`NullSink`) — so a player advances and finishes the
same way everywhere. Samples consumed, counted from the last `reset`, *are* the playback
position: what the listener has heard, not what the decoder has read, so pictures paced by it
stay in sync with the sound. A paused sink consumes nothing (the device gets silence); a muted
one consumes as usual and outputs silence. The raw (bytes) streams keep numpy out of the app.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.ui.playback import portaudio

log = logging.getLogger(__name__)

SampleType = Literal["float32", "int16"]
AV_FORMATS: dict[SampleType, str] = {"float32": "flt", "int16": "s16"}
"""The packed PyAV/FFmpeg sample format of each sounddevice dtype."""
DEVICE_RATE = 48000
"""What every sound card takes; used when a device refuses the file's own rate."""
BUFFER_SECONDS = 0.5
"""How far the decoder may run ahead of the listener: rides out a slow decode, and is all a
seek or stop throws away."""
WAIT_SLICE = 0.02
"""Blocked writers look at their abort condition this often (bounds stop and seek latency)."""
NULL_TICK = 0.01

Abort = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class AudioFormat:
    rate: int = DEVICE_RATE
    channels: int = 2
    sample_type: SampleType = "float32"

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample per channel."""
        return self.channels * (4 if self.sample_type == "float32" else 2)

    @property
    def av_format(self) -> str:
        return AV_FORMATS[self.sample_type]

    @property
    def av_layout(self) -> str:
        return "mono" if self.channels == 1 else "stereo"


class AudioSink:
    """The buffer and the clock; subclasses supply the consumer and call `pull` from it."""

    def __init__(self, fmt: AudioFormat) -> None:
        self.format = fmt
        self._cond = threading.Condition()
        self._buffer = bytearray()
        self._capacity = int(fmt.rate * BUFFER_SECONDS) * fmt.frame_bytes
        self._base = 0.0
        self._consumed = 0
        self._ended = False
        self._paused = False
        self.muted = False
        """Read by the consumer thread; a plain attribute is atomic enough for a flag."""

    # The decoder's side.

    def write(self, data: bytes, abort: Abort) -> bool:
        """Queue `data`, blocking while the buffer is full; False if `abort()` turned true first
        (the rest of `data` is dropped: the caller is about to seek or stop)."""
        view = memoryview(data)
        while view:
            with self._cond:
                room = self._capacity - len(self._buffer)
                if room <= 0:
                    self._cond.wait(WAIT_SLICE)
                elif not abort():
                    self._buffer += view[:room]
                    view = view[room:]
                    continue
            if abort():
                return False
        return True

    def end(self) -> None:
        """No more samples until the next `reset`: `wait_drained` may now succeed."""
        with self._cond:
            self._ended = True

    def wait_drained(self, abort: Abort) -> bool:
        """Block until everything written was heard; False if `abort()` turned true first."""
        while not abort():
            with self._cond:
                if self._ended and not self._buffer:
                    return True
                self._cond.wait(WAIT_SLICE)
        return False

    def reset(self, position: float) -> None:
        """Drop what is buffered and restart the clock at `position` seconds (a seek)."""
        with self._cond:
            self._buffer.clear()
            self._base = position
            self._consumed = 0
            self._ended = False
            self._cond.notify_all()

    # The controller's side (any thread).

    def position(self) -> float:
        """Seconds of the stream heard so far."""
        with self._cond:
            return self._base + self._consumed / self.format.rate

    def set_paused(self, paused: bool) -> None:
        with self._cond:
            self._paused = paused

    def close(self) -> None:
        """Stop consuming; the sink is not used afterwards."""

    # The consumer's side.

    def pull(self, frames: int) -> bytes:
        """Up to `frames` frames (fewer on underrun, none while paused), counted as heard."""
        with self._cond:
            if self._paused:
                return b""
            size = min(len(self._buffer), frames * self.format.frame_bytes)
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            self._consumed += size // self.format.frame_bytes
            self._cond.notify_all()
        return data


class NullSink(AudioSink):
    """Consumes in real time on a timer thread and outputs nothing: the clock of a machine with
    no sound card, and of the tests."""

    def __init__(self, fmt: AudioFormat | None = None) -> None:
        super().__init__(fmt or AudioFormat())
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._consume, name="null-sink", daemon=True)
        self._thread.start()

    def _consume(self) -> None:
        last = time.monotonic()
        owed = 0.0
        while not self._closed.wait(NULL_TICK):
            now = time.monotonic()
            owed += (now - last) * self.format.rate
            last = now
            frames = int(owed)
            owed -= frames
            self.pull(frames)

    def close(self) -> None:
        self._closed.set()
        self._thread.join()


class DeviceSink(AudioSink):
    """The default output device, fed from PortAudio's callback thread."""

    def __init__(self, sd: Any, fmt: AudioFormat) -> None:
        super().__init__(fmt)
        self._stream = sd.RawOutputStream(samplerate=fmt.rate, channels=fmt.channels,
                                          dtype=fmt.sample_type, callback=self._callback)
        self._latency = float(self._stream.latency)
        self._stream.start()

    def _callback(self, outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        data = self.pull(frames)
        if self.muted:
            data = bytes(len(data))
        outdata[:len(data)] = data
        if len(data) < len(outdata):
            outdata[len(data):] = bytes(len(outdata) - len(data))

    def position(self) -> float:
        """What left the speaker: what the callback took, less the device's latency."""
        with self._cond:
            heard = max(0.0, self._consumed / self.format.rate - self._latency)
            return self._base + heard

    def wait_drained(self, abort: Abort) -> bool:
        if not super().wait_drained(abort):
            return False
        deadline = time.monotonic() + self._latency
        while time.monotonic() < deadline:
            if abort():
                return False
            time.sleep(min(WAIT_SLICE, max(0.0, deadline - time.monotonic())))
        return True

    def close(self) -> None:
        self._stream.abort()
        self._stream.close()


SinkFactory = Callable[[int], AudioSink]
"""Makes the sink for a file whose sound is at the given rate (called on a worker thread)."""


def open_sink(rate: int) -> AudioSink:
    """The default output device at the file's rate (48 kHz if the device refuses it), stereo
    float32; a `NullSink` when there is no device or it cannot be opened (silent, but playback
    still advances)."""
    sd = portaudio.sounddevice()
    if sd is None or not portaudio.has_output():
        return NullSink(AudioFormat(rate=rate))
    fmt = AudioFormat(rate=rate)
    try:
        sd.check_output_settings(samplerate=rate, channels=2, dtype="float32")
    except (sd.PortAudioError, ValueError):
        fmt = AudioFormat(rate=DEVICE_RATE)
    try:
        return DeviceSink(sd, fmt)
    except sd.PortAudioError as error:
        log.warning("cannot open the sound device, playing silently: %s", error)
        return NullSink(fmt)


def null_sink(rate: int) -> AudioSink:
    """A `SinkFactory` that never touches a device (tests, benches)."""
    return NullSink(AudioFormat(rate=rate))
