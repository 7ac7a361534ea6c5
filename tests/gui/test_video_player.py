"""VideoPlayerWidget on a NullSink with real H.264 files: pictures decoded and converted off the
GUI thread, paced by the wall clock (no sound) or by the sound's clock, seekable, letterboxed."""

from __future__ import annotations

import array
import math
import threading
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.ui.playback.audio_out import null_sink
from app.ui.playback.player import AudioPlayer
from app.ui.playback.video import VideoPlayerWidget, VideoWindow
from tests.gui.conftest import save_screenshot
from tests.support import media_files


def playback_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate()
            if t.name.startswith(("AudioTrack:", "VideoTrack:", "null-sink"))]


def video_with_sound(path: Path, seconds: float = 2.0, width: int = 320, height: int = 240,
                     fps: int = 24, rate: int = 48000, rotation: int = 0) -> Path:
    """H.264 pictures (the helper's turning gradient) and an AAC 440 Hz tone, muxed together."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
        sound = container.add_stream("aac", rate=rate)
        sound.layout = "mono"
        base = media_files.gradient(width, height)
        for i in range(int(seconds * fps)):
            for packet in video.encode(av.VideoFrame.from_image(base.rotate(i * 3))):
                container.mux(packet)
        total = int(seconds * rate)
        for start in range(0, total, 1024):
            count = min(1024, total - start)
            tone = array.array("f", (0.2 * math.sin(2 * math.pi * 440 * (start + i) / rate)
                                     for i in range(count)))
            frame = av.AudioFrame(format="fltp", layout="mono", samples=count)
            frame.planes[0].update(tone.tobytes())
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in sound.encode(frame):
                container.mux(packet)
        for stream in (video, sound):
            for packet in stream.encode():
                container.mux(packet)
    return path


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[VideoPlayerWidget]:
    made = VideoPlayerWidget(sink_factory=null_sink)
    qtbot.addWidget(made)
    made.resize(640, 420)
    made.show()
    yield made
    made.close_media()
    assert not playback_threads()


@pytest.fixture
def silent_video(tmp_path: Path) -> Path:
    return media_files.mp4(tmp_path / "clip.mp4", 2.0, 320, 240)


def test_plays_a_two_second_video_to_the_end(qtbot: QtBot, player: VideoPlayerWidget,
                                             silent_video: Path) -> None:
    pictures: set[int] = set()
    with qtbot.waitSignal(player.opened, timeout=3000) as opened:
        player.open(silent_video)
    assert opened.args[0] == pytest.approx(2.0, abs=0.05)
    assert opened.args[1] == QSize(320, 240)

    def remember(_ms: int) -> None:  # the slider moves with every presented tick
        if player.current_image is not None:
            pictures.add(player.current_image.cacheKey())

    player.controls.slider.valueChanged.connect(remember)
    with qtbot.waitSignal(player.finished, timeout=6000):
        pass
    assert player.state == "stopped"
    assert player.position == pytest.approx(2.0)
    assert player.controls.elapsed.text() == "0:02"
    # 48 pictures in the file; a loaded CI machine may drop a few, never most.
    assert player.frames_shown + player.dropped >= 40
    assert player.frames_shown >= 24
    assert len(pictures) >= 12


def test_the_sound_clock_paces_the_pictures(qtbot: QtBot, player: VideoPlayerWidget,
                                            tmp_path: Path) -> None:
    clip = video_with_sound(tmp_path / "talk.mp4", 2.0)
    positions: list[float] = []
    player.controls.slider.valueChanged.connect(lambda ms: positions.append(ms / 1000))
    with qtbot.waitSignal(player.opened, timeout=3000):
        player.open(clip)
    qtbot.waitUntil(lambda: player.controls.mute_button.isEnabled(), timeout=3000)
    qtbot.waitUntil(lambda: player.position > 0.5, timeout=3000)
    player.set_muted(True)
    assert player.controls.mute_button.isChecked()
    with qtbot.waitSignal(player.finished, timeout=6000):
        pass
    assert positions == sorted(positions)
    assert player.frames_shown >= 24


def test_seek_shows_the_picture_there_even_when_paused(
        qtbot: QtBot, player: VideoPlayerWidget, silent_video: Path) -> None:
    player.open(silent_video, autoplay=False)
    qtbot.waitUntil(lambda: player.current_image is not None, timeout=3000)
    first = player.current_image
    assert player.state == "paused"
    player.seek(1.5)
    qtbot.waitUntil(lambda: player.current_image is not first, timeout=3000)
    assert player.position == pytest.approx(1.5, abs=0.05)
    assert player.current_image != first
    assert player.controls.elapsed.text() == "0:01"
    with qtbot.waitSignal(player.finished, timeout=3000):
        player.play()


def test_seek_while_playing_with_sound(qtbot: QtBot, player: VideoPlayerWidget,
                                       tmp_path: Path) -> None:
    clip = video_with_sound(tmp_path / "talk.mp4", 3.0)
    player.open(clip)
    qtbot.waitUntil(lambda: player.position > 0.3, timeout=3000)
    player.seek(2.0)
    qtbot.waitUntil(lambda: player.position > 2.05, timeout=3000)
    assert player.position < 2.6
    with qtbot.waitSignal(player.finished, timeout=3000):
        pass
    # Play again from the end: it starts over.
    player.play()
    qtbot.waitUntil(lambda: 0.1 < player.position < 1.0, timeout=3000)


def test_keys_toggle_seek_and_close(qtbot: QtBot, player: VideoPlayerWidget,
                                    silent_video: Path) -> None:
    player.open(silent_video)
    qtbot.waitUntil(lambda: player.position > 0.1, timeout=3000)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.state == "paused"
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.state == "playing"
    with qtbot.waitSignal(player.close_requested, timeout=1000):
        qtbot.keyClick(player, Qt.Key.Key_Escape)


def test_pictures_are_letterboxed_and_converted_at_the_shown_size(
        qtbot: QtBot, player: VideoPlayerWidget, tmp_path: Path) -> None:
    full_hd = media_files.mp4(tmp_path / "hd.mp4", 0.5, 1920, 1080)
    player.resize(900, 700)
    player.open(full_hd, autoplay=False)
    qtbot.waitUntil(lambda: player.current_image is not None, timeout=5000)
    screen = player.screen_view
    image = player.current_image
    # A 1080p frame never reaches the GUI thread: it arrives at the screen's width.
    dpr = screen.devicePixelRatioF()
    assert image.width() == pytest.approx(screen.width() * dpr, abs=2)
    assert image.width() / image.height() == pytest.approx(16 / 9, abs=0.01)
    rect = screen.picture_rect()
    assert rect.width() == pytest.approx(screen.width(), abs=1)
    assert rect.top() == pytest.approx((screen.height() - rect.height()) / 2, abs=1)
    shot = screen.grab().toImage()
    assert QColor(shot.pixel(screen.width() // 2, 2)) == QColor("#000000")  # the bars


def test_a_phone_video_is_shown_upright(qtbot: QtBot, player: VideoPlayerWidget,
                                        tmp_path: Path) -> None:
    # Stored landscape, to be turned a quarter clockwise when shown (a phone held upright).
    clip = video_with_sound(tmp_path / "phone.mp4", 0.5, 320, 180, rotation=-90)
    with qtbot.waitSignal(player.opened, timeout=3000) as opened:
        player.open(clip, autoplay=False)
    assert opened.args[1] == QSize(180, 320)
    qtbot.waitUntil(lambda: player.current_image is not None, timeout=3000)
    image = player.current_image
    assert image.height() > image.width()
    # The gradient is black at the stored top-left and red at the top-right: turned clockwise,
    # black goes to the top-right and red to the bottom-right.
    top_right = QColor(image.pixel(image.width() - 3, 3))
    bottom_right = QColor(image.pixel(image.width() - 3, image.height() - 3))
    assert top_right.value() < 40
    assert bottom_right.red() > 200


def test_a_file_that_is_not_a_video_says_so(qtbot: QtBot, player: VideoPlayerWidget,
                                            tmp_path: Path) -> None:
    broken = media_files.random_file(tmp_path / "broken.mp4", 50_000)
    with qtbot.waitSignal(player.error, timeout=3000):
        player.open(broken)
    assert player.state == "stopped"
    assert player.screen_view.message


def test_video_window_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    clip = video_with_sound(tmp_path / "Holiday at the lake.mp4", 3.0, 640, 360)
    window = VideoWindow(clip, sink_factory=null_sink)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Holiday at the lake.mp4"
    player = window.player
    qtbot.waitUntil(lambda: player.position > 1.2, timeout=4000)
    player.pause()
    qtbot.waitUntil(lambda: player.current_image is not None
                    and player.current_image.width() >= player.screen_view.width() - 2,
                    timeout=3000)
    save_screenshot(window, "media-video-player", folder="")
    qtbot.keyClick(player, Qt.Key.Key_F)
    assert window.isFullScreen()
    qtbot.keyClick(player, Qt.Key.Key_Escape)  # leaves full screen first
    assert not window.isFullScreen()
    with qtbot.waitSignal(window.destroyed, timeout=3000):
        qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert not playback_threads()


def test_one_sound_at_a_time_between_voice_and_video(
        qtbot: QtBot, player: VideoPlayerWidget, tmp_path: Path) -> None:
    voice = AudioPlayer(sink_factory=null_sink)
    try:
        voice.play(media_files.m4a(tmp_path / "voice.m4a", 2.0))
        qtbot.waitUntil(lambda: voice.position > 0.1, timeout=3000)
        player.open(video_with_sound(tmp_path / "talk.mp4", 1.0))
        assert voice.state == "stopped"  # a video starting stops the voice
        qtbot.waitUntil(lambda: player.position > 0.1, timeout=3000)
        voice.play(voice.path)
        assert player.state == "paused"  # a voice starting pauses the video
    finally:
        voice.close()
