"""The clock follows the system's 12/24-hour setting, not the UI language: choosing English on
a British or German system keeps "14:05". Qt reads the system locale from the environment
(LANG, LC_TIME) once per process, so each system runs in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QApplication
from app.ui.formatting import clock_time
from app.ui.i18n import install_language
app = QApplication(["clock", "-platform", "offscreen"])
at = QDateTime(QDate(2026, 11, 26), QTime(14, 5)).toMSecsSinceEpoch()
for choice in sys.argv[1:]:
    install_language(app, choice)
    print(choice, clock_time(at))
"""


def _clocks(environment: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    env |= environment | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, "system", "en", "zh_CN", "en"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # CLDR puts a narrow no-break space before AM/PM.
    out = done.stdout.replace("\u202f", " ")
    return dict(line.split(" ", 1) for line in out.splitlines() if line)


@pytest.mark.parametrize("lang", ["en_GB.UTF-8", "de_DE.UTF-8"])
def test_choosing_english_keeps_a_24_hour_system_clock(lang: str) -> None:
    clocks = _clocks({"LANG": lang})
    assert clocks == {"system": "14:05", "en": "14:05", "zh_CN": "14:05"}


def test_a_12_hour_system_keeps_its_clock_in_every_language() -> None:
    clocks = _clocks({"LANG": "en_US.UTF-8"})
    assert clocks["system"] == clocks["en"] == "2:05 PM"
    assert clocks["zh_CN"] == "2:05 下午"


def test_the_time_format_setting_wins_over_the_language_setting() -> None:
    assert _clocks({"LANG": "en_US.UTF-8", "LC_TIME": "de_DE.UTF-8"})["en"] == "14:05"
