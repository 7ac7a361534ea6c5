"""What a voice is recorded from: the microphone, or a generated tone.

`InputSource` is the part of `sounddevice`'s input stream the recorder uses: start with a
callback, stop. Chunks are mono float32 at `rate`, delivered on the source's own thread, in real
time. `ToneSource` is a real source, not a stand-in: it produces a voice-like tone (a 220 Hz
note swelling three times a second, like syllables) paced by the clock exactly as a microphone
delivers — the tests record it, and so can a machine without a microphone.
"""

from __future__ import annotations

import array
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from app.ui.playback import portaudio

RATE = 48000
AudioCallback = Callable[[bytes], None]


class InputSource(Protocol):
    rate: int

    def start(self, callback: AudioCallback) -> None:
        """Begin delivering chunks to `callback` (may raise if the device cannot be opened)."""

    def stop(self) -> None:
        """End; `callback` is not called once this returns."""


class MicrophoneSource:
    """The default input device through `sounddevice.RawInputStream` (bytes, no numpy)."""

    rate = RATE

    def __init__(self) -> None:
        self._stream: Any = None

    def start(self, callback: AudioCallback) -> None:
        sd = portaudio.sounddevice()
        if sd is None:
            raise OSError(portaudio.load_problem())

        def deliver(indata: Any, _frames: int, _time: Any, _status: Any) -> None:
            callback(bytes(indata))

        self._stream = sd.RawInputStream(samplerate=self.rate, channels=1, dtype="float32",
                                         callback=deliver)
        self._stream.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.abort()  # no need to wait for buffers: what was captured was delivered
            self._stream.close()
            self._stream = None


class ToneSource:
    """A generated voice-like tone in real time, in `chunk_s` chunks like a device's blocks."""

    def __init__(self, frequency: int = 220, amplitude: float = 0.3, rate: int = RATE,
                 chunk_s: float = 0.01) -> None:
        self.rate = rate
        self._chunk = max(1, round(rate * chunk_s))
        # Whole-hertz tone and swell repeat exactly each second: one second, looped.
        self._second = array.array("f", (
            amplitude * (0.55 + 0.45 * math.sin(2 * math.pi * 3 * t))
            * math.sin(2 * math.pi * frequency * t)
            for t in (i / rate for i in range(rate)))).tobytes()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: AudioCallback) -> None:
        self._stopped.clear()
        self._thread = threading.Thread(target=self._run, args=(callback,), name="tone-source",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, callback: AudioCallback) -> None:
        began = time.monotonic()
        sent = 0
        wait = self._chunk / self.rate / 2
        while not self._stopped.wait(wait):
            due = int((time.monotonic() - began) * self.rate)
            while sent + self._chunk <= due and not self._stopped.is_set():
                start = (sent % self.rate) * 4
                chunk = self._second[start:start + self._chunk * 4]
                if len(chunk) < self._chunk * 4:  # the loop point
                    chunk += self._second[:self._chunk * 4 - len(chunk)]
                callback(chunk)
                sent += self._chunk
