"""Save a screenshot of one X11 window (by ID) as PNG, through Qt's xcb platform.

    DISPLAY=:N python tests/packaging/screenshot.py WINDOW_ID OUT.png
"""

from __future__ import annotations

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtGui import QGuiApplication


def main(window_id: int, out: str) -> int:
    app = QGuiApplication(sys.argv[:1])
    screen = app.primaryScreen()
    pixmap = screen.grabWindow(window_id)
    if pixmap.isNull() or not pixmap.save(out):
        print(f"screenshot: could not grab window {window_id:#x}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1], 0), sys.argv[2]))
