"""AudioPlayer on a NullSink with real AAC files: the clock is the samples consumed in real time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.playback.audio_out import AudioFormat, AudioSink, NullSink, null_sink
from app.ui.playback.player import AudioPlayer
from tests.support import media_files


def playback_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate()
            if t.name.startswith(("AudioTrack:", "VideoTrack:", "null-sink"))]


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[AudioPlayer]:
    made = AudioPlayer(sink_factory=null_sink)
    yield made
    made.close()
    assert not playback_threads()


@pytest.fixture
def voice(tmp_path: Path) -> Path:
    return media_files.m4a(tmp_path / "voice.m4a", 1.5)


def test_position_advances_to_the_duration_and_finished_fires(
        qtbot: QtBot, player: AudioPlayer, voice: Path) -> None:
    positions: list[float] = []
    states: list[str] = []
    player.position_changed.connect(positions.append)
    player.state_changed.connect(states.append)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play(voice)
    assert player.duration == pytest.approx(1.5, abs=0.05)
    assert len(positions) > 10
    assert positions == sorted(positions)
    assert positions[-1] == pytest.approx(player.duration)
    assert states == ["playing", "stopped"]
    assert player.position == 0.0


def test_pause_holds_the_position_and_resume_continues(
        qtbot: QtBot, player: AudioPlayer, voice: Path) -> None:
    player.play(voice)
    qtbot.waitUntil(lambda: player.position > 0.3, timeout=3000)
    player.pause()
    held = player.position
    assert player.state == "paused"
    qtbot.wait(300)  # time passes: a paused clock must not
    assert player.position == held
    player.resume()
    qtbot.waitUntil(lambda: player.position > held + 0.1, timeout=3000)
    with qtbot.waitSignal(player.finished, timeout=5000):
        pass


def test_seek_lands_within_a_tenth_of_a_second(qtbot: QtBot, voice: Path,
                                                tmp_path: Path) -> None:
    sinks: list[AudioSink] = []

    def factory(rate: int) -> AudioSink:
        sinks.append(NullSink(AudioFormat(rate=rate)))
        return sinks[-1]

    player = AudioPlayer(sink_factory=factory)
    long_voice = media_files.m4a(tmp_path / "long.m4a", 3.0)
    try:
        player.play(long_voice)
        qtbot.waitUntil(lambda: 0.2 < player.position < 1.0, timeout=3000)
        after: list[float] = []
        player.position_changed.connect(after.append)
        with qtbot.waitSignal(player.finished, timeout=5000):
            player.seek(2.0)
        assert all(p >= 2.0 for p in after)
        heard_after_seek = [p for p in after if p > 2.0]
        assert heard_after_seek[0] < 2.1
        # What the sink consumed after the seek is the rest of the file: the seek really
        # landed at 2.0, not at the packet before it.
        assert sinks[0].position() - 2.0 == pytest.approx(player.duration - 2.0, abs=0.1)
    finally:
        player.close()


def test_a_second_play_stops_the_first(qtbot: QtBot, player: AudioPlayer, voice: Path,
                                       tmp_path: Path) -> None:
    long_voice = media_files.m4a(tmp_path / "long.m4a", 3.0)
    player.play(long_voice)
    qtbot.waitUntil(lambda: player.position > 0.2, timeout=3000)
    ended: list[str] = []
    player.finished.connect(lambda: ended.append(str(player.path)))
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play(voice)
    assert ended == [str(voice)]


def test_another_player_takes_the_audio_focus(qtbot: QtBot, player: AudioPlayer,
                                              voice: Path) -> None:
    other = AudioPlayer(sink_factory=null_sink)
    try:
        player.play(voice)
        qtbot.waitUntil(lambda: player.position > 0.1, timeout=3000)
        with qtbot.waitSignal(player.state_changed, check_params_cb=lambda s: s == "stopped"):
            other.play(voice)
        assert other.state == "playing"
    finally:
        other.close()


@pytest.mark.parametrize("kind", ["corrupt", "missing", "silent"])
def test_an_unplayable_file_emits_error(qtbot: QtBot, player: AudioPlayer, tmp_path: Path,
                                        kind: str) -> None:
    path = tmp_path / "voice.m4a"
    if kind == "corrupt":
        media_files.random_file(path, 20_000)
    elif kind == "silent":
        media_files.mp4(path, 0.5)  # pictures, no sound
    with qtbot.waitSignal(player.error, timeout=3000) as blocker:
        player.play(path)
    assert blocker.args[0]
    assert player.state == "stopped"
