"""Where the non-Python files (icons, themes, translations) are, and the app icon.

Paths are resolved from this file rather than the working directory, so `python -m app` works
from any directory of a checkout; a PyInstaller build unpacks `resources/` next to the bundled
code (`sys._MEIPASS`), which is checked first.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon, QImageReader


def resources_dir() -> Path:
    """The `resources/` folder of the checkout or of the frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def themes_dir() -> Path:
    return resources_dir() / "themes"


def translations_dir() -> Path:
    return resources_dir() / "translations"


@cache
def app_icon() -> QIcon:
    """The Tidings mark: the SVG where Qt can render SVG (crisp at every tray and HiDPI size),
    else the 256 px PNG. Needs a QGuiApplication."""
    if b"svg" in {bytes(f.data()) for f in QImageReader.supportedImageFormats()}:
        return QIcon(str(icons_dir() / "tidings.svg"))
    return QIcon(str(icons_dir() / "tidings-256.png"))
