"""RecordingBar over a composer-like parent, recording a ToneSource for real."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.ui.playback.recorder import VoiceRecorder
from app.ui.playback.sources import ToneSource
from app.ui.playback.voice_widget import RecordingBar, meter_value
from app.ui.theme import apply_theme
from tests.gui.conftest import save_screenshot


@pytest.fixture
def composer(qtbot: QtBot, qapp: QApplication) -> Iterator[QWidget]:
    """Stands in for the composer: the bar covers whatever its parent shows."""
    apply_theme(qapp, "light")
    parent = QWidget()
    qtbot.addWidget(parent)
    QHBoxLayout(parent).addWidget(QLineEdit("a draft the bar covers", parent))
    parent.resize(720, 60)
    parent.show()
    yield parent
    assert not [t for t in threading.enumerate()
                if t.name in ("voice-recording", "tone-source")]


@pytest.fixture
def bar(composer: QWidget, tmp_path: Path) -> Iterator[RecordingBar]:
    recorder = VoiceRecorder(source=ToneSource(), directory=tmp_path / "voice")
    made = RecordingBar(recorder, composer)
    yield made
    made.cancel()


def test_records_with_a_moving_meter_and_sends_a_real_file(
        qtbot: QtBot, bar: RecordingBar, composer: QWidget) -> None:
    assert bar.isHidden()
    assert bar.start()
    assert bar.isVisible() and bar.geometry() == composer.rect()
    seen: set[float] = set()
    bar.recorder.level.connect(lambda _rms: seen.add(bar.meter.levels[-1]))
    qtbot.waitUntil(lambda: len(seen) >= 5 and max(seen) > 0.5, timeout=5000)
    qtbot.waitUntil(lambda: bar.recorder.duration >= 1.5, timeout=5000)
    assert bar.time_label.text().startswith("0:01")
    save_screenshot(bar.window(), "media-recording-bar", folder="")
    with qtbot.waitSignal(bar.recorded, timeout=3000) as sent:
        qtbot.mouseClick(bar.send_button, Qt.MouseButton.LeftButton)
    path, seconds = sent.args
    assert bar.isHidden()
    with av.open(str(path)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        assert container.duration / av.time_base == pytest.approx(seconds, abs=0.2)
    assert seconds >= 1.5


def test_escape_cancels_and_deletes(qtbot: QtBot, bar: RecordingBar, tmp_path: Path) -> None:
    bar.start()
    qtbot.waitUntil(lambda: bar.recorder.duration >= 0.3, timeout=5000)
    with qtbot.waitSignal(bar.cancelled, timeout=1000):
        qtbot.keyClick(bar, Qt.Key.Key_Escape)
    assert bar.isHidden()
    assert list((tmp_path / "voice").iterdir()) == []


def test_sliding_left_cancels(qtbot: QtBot, bar: RecordingBar) -> None:
    bar.start()
    qtbot.waitUntil(lambda: bar.recorder.duration >= 0.2, timeout=5000)
    start = QPoint(bar.width() - 150, bar.height() // 2)
    qtbot.mousePress(bar, Qt.MouseButton.LeftButton, pos=start)
    with qtbot.waitSignal(bar.cancelled, timeout=1000):
        for step in range(1, 12):
            qtbot.mouseMove(bar, start - QPoint(step * 30, 0))
    assert not bar.recorder.recording


def test_a_slip_of_the_finger_is_not_sent(qtbot: QtBot, bar: RecordingBar) -> None:
    sent: list[object] = []
    bar.recorded.connect(lambda *args: sent.append(args))
    bar.start()
    with qtbot.waitSignal(bar.cancelled, timeout=1000):
        bar.send()
    assert sent == []


def test_the_meter_reads_in_decibels() -> None:
    assert meter_value(0.0) == 0.0
    assert meter_value(0.6) == 1.0
    assert 0.2 < meter_value(0.02) < meter_value(0.1) < 1.0
