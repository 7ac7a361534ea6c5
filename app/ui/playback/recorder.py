"""`VoiceRecorder`: a voice message from the microphone to an AAC .m4a file.

One worker thread per recording opens the input (opening a device can take tens of ms — not on
the GUI thread), encodes chunks as they arrive (`AacEncoder`) and, at the end, stops the input
and finishes the file. The input's callback only queues samples and adds them to the level and
length counters; the GUI thread reads those on a 50 ms timer for the live meter (`level`: the
RMS of the last interval, 0–1) and the counter (`elapsed`). `stop()` returns the finished file:
it waits for the worker, which by then has only the last milliseconds of audio and the MP4 index
to write.

A recording is capped at the protocol's `sound_seconds_max` (10 minutes): samples past the cap
are not kept, and the recorder stops itself and emits `limit_reached(path)`.

`source=` takes any `InputSource` — the microphone by default, a `ToneSource` in tests and on
machines without one.
"""

from __future__ import annotations

import logging
import math
import queue
import tempfile
import threading
import uuid
from array import array
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from app.protocol import DEFAULT_LIMITS
from app.ui.playback import portaudio
from app.ui.playback.encoder import AacEncoder
from app.ui.playback.sources import InputSource, MicrophoneSource

log = logging.getLogger(__name__)

METER_INTERVAL_MS = 50
JOIN_TIMEOUT_S = 5.0


class RecorderError(Exception):
    """The recording could not be made (the device or the file failed)."""


def default_directory() -> Path:
    return Path(tempfile.gettempdir()) / "tidings-voice"


class FailureRelay(QObject):
    """Carries a take's failure from its worker to the GUI thread."""

    failed = Signal(object, str)


class Take(threading.Thread):
    """One recording: the input, the encoder and the counters they share."""

    def __init__(self, source: InputSource, path: Path, max_frames: int,
                 on_failure: FailureRelay) -> None:
        super().__init__(name="voice-recording", daemon=True)
        self.path = path
        self._source = source
        self._max_frames = max_frames
        self._relay = on_failure
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._frames = 0
        self._squares = 0.0
        self._measured = 0
        self._closed = False
        self.capped = False
        self.keep = True
        self.error: str | None = None

    # The input's thread.

    def _on_audio(self, chunk: bytes) -> None:
        samples = array("f", chunk)
        with self._lock:
            if self._closed or self.capped:
                return
            room = self._max_frames - self._frames
            if len(samples) >= room:
                samples = samples[:room]
                self.capped = True
            self._frames += len(samples)
            self._squares += math.fsum(s * s for s in samples)
            self._measured += len(samples)
        self._chunks.put(samples.tobytes())

    # The GUI thread.

    @property
    def seconds(self) -> float:
        with self._lock:
            return self._frames / self._source.rate

    def take_level(self) -> float:
        """RMS (0–1) of what arrived since the last call."""
        with self._lock:
            squares, count = self._squares, self._measured
            self._squares, self._measured = 0.0, 0
        return min(1.0, math.sqrt(squares / count)) if count else 0.0

    def finish(self, keep: bool) -> None:
        """End the take (keeping or deleting the file) and wait for the worker."""
        with self._lock:
            self._closed = True
        self.keep = keep
        self._chunks.put(None)
        self.join(JOIN_TIMEOUT_S)

    # The worker.

    def run(self) -> None:
        try:
            encoder = AacEncoder(self.path, self._source.rate)
        except Exception as error:  # av or the file system: say it, never die silently
            self._fail(error)
            return
        try:
            self._source.start(self._on_audio)
        except Exception as error:  # PortAudioError is not an OSError
            encoder.discard()
            self._fail(error)
            return
        try:
            while (chunk := self._chunks.get()) is not None:
                encoder.encode(chunk)
        except Exception as error:
            self._fail(error)
        finally:
            self._source.stop()
        if self.keep and self.error is None:
            try:
                encoder.close()
            except Exception as error:
                self._fail(error)
        if not self.keep or self.error is not None:
            encoder.discard()

    def _fail(self, error: Exception) -> None:
        log.warning("voice recording failed: %s", error)
        with self._lock:
            self._closed = True
        self.error = str(error) or type(error).__name__
        self._relay.failed.emit(self, self.error)


class VoiceRecorder(QObject):
    level = Signal(float)
    """RMS of the last 50 ms, 0–1, while recording."""
    elapsed = Signal(float)
    """Seconds recorded so far, while recording."""
    limit_reached = Signal(object)
    """The cap was reached: the recording stopped itself; the finished file's Path."""
    failed = Signal(str)
    """The device or the file failed; nothing was kept."""

    def __init__(self, source: InputSource | None = None, directory: Path | None = None,
                 max_seconds: float = DEFAULT_LIMITS.sound_seconds_max,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._injected = source is not None
        self._source: InputSource = source if source is not None else MicrophoneSource()
        self._directory = directory or default_directory()
        self._max_seconds = max_seconds
        self._take: Take | None = None
        self._relay = FailureRelay(self)
        self._relay.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(METER_INTERVAL_MS)
        self._timer.timeout.connect(self._meter)
        self._duration = 0.0

    def available(self) -> bool:
        """Whether recording can work: a source was given, or there is a microphone."""
        return self.unavailable_reason is None

    @property
    def unavailable_reason(self) -> str | None:
        """A sentence for the mic button's tooltip when recording cannot work, else None."""
        if self._injected:
            return None
        if portaudio.load_problem() is not None:
            return QCoreApplication.translate(
                "VoiceRecorder", "Voice messages need PortAudio, which is not installed")
        if portaudio.input_problem() is not None:
            return QCoreApplication.translate("VoiceRecorder",
                                              "No microphone was found on this computer")
        return None

    @property
    def recording(self) -> bool:
        return self._take is not None

    @property
    def duration(self) -> float:
        """Seconds recorded: so far while recording, of the last take once stopped."""
        return self._take.seconds if self._take is not None else self._duration

    def start(self) -> None:
        """Begin a recording (the device opens on the worker; failures come as `failed`)."""
        if self._take is not None:
            return
        self._directory.mkdir(parents=True, exist_ok=True)
        path = self._directory / f"voice-{uuid.uuid4().hex[:12]}.m4a"
        max_frames = round(self._max_seconds * self._source.rate)
        self._duration = 0.0
        self._take = Take(self._source, path, max_frames, self._relay)
        self._take.start()
        self._timer.start()

    def stop(self) -> Path:
        """End the recording and return the finished .m4a."""
        take = self._end()
        if take is None:
            raise RecorderError("not recording")
        take.finish(keep=True)
        if take.error is not None:
            raise RecorderError(take.error)
        if take.is_alive():
            raise RecorderError("the recording did not finish in time")
        return take.path

    def cancel(self) -> None:
        """End the recording and delete it."""
        take = self._end()
        if take is not None:
            take.finish(keep=False)

    def _end(self) -> Take | None:
        take, self._take = self._take, None
        self._timer.stop()
        if take is not None:
            self._duration = take.seconds
        return take

    def _meter(self) -> None:
        take = self._take
        if take is None:
            return
        self.level.emit(take.take_level())
        self.elapsed.emit(take.seconds)
        if take.capped:
            try:
                path = self.stop()
            except RecorderError as error:
                self.failed.emit(str(error))
            else:
                self.limit_reached.emit(path)

    def _on_failed(self, take: Take, message: str) -> None:
        if take is self._take:
            self._end()
            take.finish(keep=False)
            self.failed.emit(message)
