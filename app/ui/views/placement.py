"""Where a top-level window opens, so the app keeps one place on screen.

The demo's "starting" window, the sign-in window and the main window replace one another; a
window that jumps elsewhere each time looks like a different program. The main window opens at
the geometry it had when it was last closed; without one it opens centred on the window it
replaces (or on the screen), and the "starting" window takes exactly the main window's place.
Only Qt is imported: this runs before the first window shows.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MAIN_WINDOW_SIZE = QSize(1100, 720)
MAIN_WINDOW_MIN_SIZE = QSize(760, 480)
"""Rail, a 240 px list and a chat column wide and tall enough for the header, a few messages
and the composer."""
SCREEN_SHARE = 0.9
"""A first window never takes more of the screen than this, so it does not look maximised."""


def place(window: QWidget, saved: bytes, anchor: QRect | None = None,
          size: QSize = MAIN_WINDOW_SIZE, minimum: QSize = MAIN_WINDOW_MIN_SIZE) -> None:
    """Restore `saved` (from `saveGeometry`), else give `window` `size` (at least `minimum`)
    centred on `anchor` (the window it replaces) or on the screen, and inside the screen's
    free area as far as it fits."""
    if saved and window.restoreGeometry(QByteArray(saved)):
        return
    window.setGeometry(centred(size, anchor, minimum))


def centred(size: QSize, anchor: QRect | None = None, minimum: QSize = MAIN_WINDOW_MIN_SIZE,
            ) -> QRect:
    screen = None
    if anchor is not None and anchor.isValid():
        screen = QGuiApplication.screenAt(anchor.center())
    screen = screen or QGuiApplication.primaryScreen()
    free = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
    width = max(minimum.width(), min(size.width(), round(free.width() * SCREEN_SHARE)))
    height = max(minimum.height(), min(size.height(), round(free.height() * SCREEN_SHARE)))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(anchor.center() if anchor is not None and anchor.isValid()
                    else free.center())
    rect.moveLeft(max(free.left(), min(rect.left(), free.right() - width + 1)))
    rect.moveTop(max(free.top(), min(rect.top(), free.bottom() - height + 1)))
    return rect
