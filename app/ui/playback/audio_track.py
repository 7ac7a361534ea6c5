"""Decoding one file's sound into an `AudioSink`, on a worker thread.

The sink is opened here, not on the GUI thread: opening a PortAudio stream can take tens of
milliseconds. Frames are resampled (`av.AudioResampler`) to the sink's format — a mono 44.1 kHz
voice message becomes whatever the device takes. A seek repositions the container at the
keyframe before the target, then trims the decoded samples that precede it, so playback
resumes within a sample of where it was asked to, not at the previous packet boundary.
"""

from __future__ import annotations

from pathlib import Path

import av
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer

from app.ui.playback.audio_out import AudioSink, SinkFactory
from app.ui.playback.track import Ended, EventFn, Failed, Opened, Track, duration_of


class AudioTrack(Track):
    """Plays the first audio stream of `path`. With `linger`, the thread outlives the end of the
    file so a seek can play it again (a video's sound); without, it ends there (a voice)."""

    def __init__(self, path: Path, on_event: EventFn, sink_factory: SinkFactory,
                 start: float = 0.0, linger: bool = False) -> None:
        super().__init__(path, on_event, start)
        self._sink_factory = sink_factory
        self._linger = linger
        self._start = start
        self._sink: AudioSink | None = None
        self._paused = False
        self._muted = False

    def position(self) -> float:
        """Seconds heard (any thread); a seek not yet applied reads as done."""
        pending = self.pending_seek
        if pending is not None:
            return pending
        sink = self._sink
        return sink.position() if sink is not None else self._start

    def set_paused(self, paused: bool) -> None:
        with self._lock:
            self._paused = paused
            if self._sink is not None:
                self._sink.set_paused(paused)

    def set_muted(self, muted: bool) -> None:
        with self._lock:
            self._muted = muted
            if self._sink is not None:
                self._sink.muted = muted

    def play(self, container: InputContainer) -> None:
        if not container.streams.audio:
            self.emit(Failed("The file has no sound"))
            return
        stream = container.streams.audio[0]
        sink = self._sink_factory(stream.rate or 48000)
        with self._lock:
            self._sink = sink
            sink.set_paused(self._paused)
            sink.muted = self._muted
        try:
            self.emit(Opened(duration_of(container), has_audio=True))
            self._feed(container, stream, sink)
        finally:
            sink.close()

    def _feed(self, container: InputContainer, stream: AudioStream, sink: AudioSink) -> None:
        seek = self.pending_seek
        while not self.stopping:
            target = seek or 0.0
            if seek is not None:
                container.seek(int(seek / stream.time_base), stream=stream)
            sink.reset(target)
            if seek is not None:
                self.seek_done(seek)
            if self._segment(container, stream, sink, target):
                self.emit(Ended())
                if not self._linger:
                    return
                self.idle()
            seek = self.pending_seek

    def _segment(self, container: InputContainer, stream: AudioStream, sink: AudioSink,
                 target: float) -> bool:
        """Play from where the container stands to the end; False if a command came first."""
        fmt = sink.format
        resampler = av.AudioResampler(format=fmt.av_format, layout=fmt.av_layout, rate=fmt.rate)
        for frame in container.decode(stream):
            if self.interrupted():
                return False
            pcm = self._pcm(resampler.resample(frame), fmt.frame_bytes)
            if frame.time is not None and frame.time < target:
                pcm = pcm[int((target - frame.time) * fmt.rate) * fmt.frame_bytes:]
            sink.write(pcm, self.interrupted)
        sink.write(self._pcm(resampler.resample(None), fmt.frame_bytes), self.interrupted)
        sink.end()
        return sink.wait_drained(self.interrupted)

    @staticmethod
    def _pcm(frames: list[AudioFrame], frame_bytes: int) -> bytes:
        """Packed samples of resampled frames (a plane's buffer is padded past its samples)."""
        return b"".join(bytes(f.planes[0])[:f.samples * frame_bytes] for f in frames)
