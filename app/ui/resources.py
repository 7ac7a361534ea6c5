"""Where the non-Python files (icons, themes, translations) are, and the app icon.

Paths are resolved from this file rather than the working directory, so `python -m app` works
from any directory of a checkout. Three places, the first that exists: a PyInstaller build puts
`resources/` next to the bundled code (`sys._MEIPASS`); an installed wheel carries it as
`app/resources/` (setup.py copies it there and compiles the translations); a checkout, or an
editable install of one, has it beside `app/`.
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
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"


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
