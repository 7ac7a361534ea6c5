"""Writing a voice message: mono float32 in, AAC in an MP4 (.m4a) out, as it is recorded.

AAC in MP4 is what every platform plays and what voice messages are sent as. Encoding runs
while recording, a chunk at a time (PyAV cuts the chunks into the encoder's 1024-sample frames),
so ending a recording only flushes the last frames and writes the MP4 index: a ten-minute
message is ready the moment it is stopped.
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path

import av

BIT_RATE = 64000
"""Mono speech at 64 kbit/s: clear with FFmpeg's AAC encoder, 480 KB a minute."""


class AacEncoder:
    def __init__(self, path: Path, rate: int, bit_rate: int = BIT_RATE) -> None:
        self.path = path
        self._rate = rate
        self._container = av.open(str(path), "w", format="mp4")
        self._stream = self._container.add_stream("aac", rate=rate)
        self._stream.layout = "mono"
        self._stream.bit_rate = bit_rate
        self._pts = 0

    def encode(self, chunk: bytes) -> None:
        """Append `chunk` (mono float32 samples)."""
        samples = len(chunk) // 4
        if not samples:
            return
        frame = av.AudioFrame(format="fltp", layout="mono", samples=samples)
        frame.planes[0].update(chunk[:samples * 4])
        frame.sample_rate = self._rate
        frame.pts = self._pts
        frame.time_base = Fraction(1, self._rate)
        self._pts += samples
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> Path:
        """Flush and finish the file."""
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        return self.path

    def discard(self) -> None:
        """Close without caring for the file, and delete it."""
        with contextlib.suppress(av.FFmpegError, OSError):
            self._container.close()
        self.path.unlink(missing_ok=True)
