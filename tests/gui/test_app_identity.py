"""The process names itself so that desktops match its windows to `tidings.desktop` and its
icon: application, organisation and desktop-file names, and the X11 instance name (WM_CLASS),
which Qt takes from argv[0] — "__main__.py" under `python -m app` unless the bootstrap says
otherwise. The real bootstrap runs in a child process: a QApplication exists here already."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = """
import json, sys
from PySide6.QtGui import QGuiApplication
from app.ui.app import create_qapp
qapp = create_qapp(["-platform", "offscreen"])
print(json.dumps({
    "application": qapp.applicationName(),
    "organization": qapp.organizationName(),
    "domain": qapp.organizationDomain(),
    "desktop_file": QGuiApplication.desktopFileName(),
    "argv0": qapp.arguments()[0],
    "quit_on_last_window": qapp.quitOnLastWindowClosed(),
    "icon": not qapp.windowIcon().isNull(),
}))
"""


def test_bootstrap_names_the_app_after_its_desktop_file() -> None:
    done = subprocess.run([sys.executable, "-c", BOOTSTRAP], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    names = json.loads(done.stdout.strip().splitlines()[-1])
    assert names["application"] == "Tidings"
    assert names["organization"] == "Tidings"
    assert names["domain"] == "tidings.app"
    assert names["desktop_file"] == "tidings"
    assert names["argv0"] == "tidings"  # X11 WM_CLASS becomes ("tidings", "Tidings")
    assert names["icon"] and not names["quit_on_last_window"]

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "resources" / f"{names['desktop_file']}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name"] == names["application"]
    assert desktop["StartupWMClass"] == names["argv0"]
    assert desktop["Icon"] == names["desktop_file"] and desktop["Type"] == "Application"
