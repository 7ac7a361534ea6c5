"""VoiceRecorder with a ToneSource: real samples in real time, really encoded to AAC/M4A."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from pytestqt.qtbot import QtBot

from app.ui.playback import portaudio
from app.ui.playback.recorder import RecorderError, VoiceRecorder
from app.ui.playback.sources import ToneSource


def probe(path: Path) -> tuple[float, str, int]:
    """(seconds, codec, channels) as PyAV reads the file."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return container.duration / av.time_base, stream.codec_context.name, stream.channels


@pytest.fixture
def recorder(qtbot: QtBot, tmp_path: Path) -> Iterator[VoiceRecorder]:
    made = VoiceRecorder(source=ToneSource(), directory=tmp_path / "voice")
    yield made
    made.cancel()
    assert not [t for t in threading.enumerate()
                if t.name in ("voice-recording", "tone-source")]


def test_two_seconds_of_tone_become_a_two_second_aac_file(
        qtbot: QtBot, recorder: VoiceRecorder) -> None:
    levels: list[float] = []
    recorder.level.connect(levels.append)
    recorder.start()
    assert recorder.recording
    qtbot.waitUntil(lambda: recorder.duration >= 2.0, timeout=5000)
    path = recorder.stop()
    assert not recorder.recording
    seconds, codec, channels = probe(path)
    assert path.suffix == ".m4a"
    assert seconds == pytest.approx(2.0, abs=0.2)
    assert recorder.duration == pytest.approx(seconds, abs=0.2)
    assert (codec, channels) == ("aac", 1)
    # The tone swells and fades: the meter saw both.
    assert max(levels) > 0.15
    assert min(levels) < max(levels) / 2


def test_elapsed_counts_the_recorded_seconds(qtbot: QtBot, recorder: VoiceRecorder) -> None:
    elapsed: list[float] = []
    recorder.elapsed.connect(elapsed.append)
    recorder.start()
    qtbot.waitUntil(lambda: bool(elapsed) and elapsed[-1] >= 0.5, timeout=5000)
    assert elapsed == sorted(elapsed)
    recorder.stop()


def test_cancel_leaves_no_file(qtbot: QtBot, recorder: VoiceRecorder, tmp_path: Path) -> None:
    recorder.start()
    qtbot.waitUntil(lambda: recorder.duration >= 0.5, timeout=5000)
    recorder.cancel()
    assert not recorder.recording
    assert list((tmp_path / "voice").iterdir()) == []
    with pytest.raises(RecorderError):
        recorder.stop()


def test_the_cap_stops_the_recording_by_itself(qtbot: QtBot, tmp_path: Path) -> None:
    recorder = VoiceRecorder(source=ToneSource(), directory=tmp_path, max_seconds=1.0)
    with qtbot.waitSignal(recorder.limit_reached, timeout=5000) as reached:
        recorder.start()
    path = reached.args[0]
    assert not recorder.recording
    assert probe(path)[0] == pytest.approx(1.0, abs=0.1)
    assert recorder.duration == pytest.approx(1.0, abs=0.001)


def test_a_source_that_cannot_open_reports_failure(qtbot: QtBot, tmp_path: Path) -> None:
    class Unplugged(ToneSource):
        def start(self, callback: object) -> None:
            raise OSError("the device went away")

    recorder = VoiceRecorder(source=Unplugged(), directory=tmp_path)
    with qtbot.waitSignal(recorder.failed, timeout=3000) as failed:
        recorder.start()
    assert "went away" in failed.args[0]
    assert not recorder.recording
    assert list(tmp_path.iterdir()) == []


def test_without_a_microphone_recording_is_unavailable_with_a_reason() -> None:
    recorder = VoiceRecorder()
    has_microphone = portaudio.input_problem() is None  # False here and on CI
    assert recorder.available() is has_microphone
    if not has_microphone:
        assert recorder.unavailable_reason
    assert VoiceRecorder(source=ToneSource()).available()
