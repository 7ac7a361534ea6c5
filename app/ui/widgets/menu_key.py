"""Lists from the keyboard: the Menu key or Shift+F10 opens the menu of the current row, where
a right-click on that row would (`open_menu_by_key`); Enter opens the current row
(`open_row_by_enter`: the chat of a friend or a group); popups whose field keeps the focus
move the list's current row themselves (`step_current`).

Qt makes a keyboard context-menu event from the Menu key only where the platform sends one, and
never from Shift+F10 (the Windows and GNOME convention); a list whose menu is a
`customContextMenuRequested` handler would also get the list's centre, not the current row.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView


def step_current(view: QAbstractItemView, delta: int) -> None:
    """Move `view`'s current row by `delta`, stopping at either end, and show it."""
    model = view.model()
    rows = model.rowCount() if model is not None else 0
    if not rows:
        return
    current = view.currentIndex().row()
    row = max(0, min(rows - 1, (current if current >= 0 else -1) + delta))
    index = model.index(row, 0)
    view.setCurrentIndex(index)
    view.scrollTo(index)


def is_menu_key(event: QKeyEvent) -> bool:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (event.key() == Qt.Key.Key_Menu and mods == Qt.KeyboardModifier.NoModifier) or (
        event.key() == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier)


class _MenuKey(QObject):
    def __init__(self, view: QAbstractItemView, open_menu: Callable[[QPoint], None]) -> None:
        super().__init__(view)
        self._view = view
        self._open_menu = open_menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        keyboard_menu = (event.type() == QEvent.Type.ContextMenu and isinstance(
            event, QContextMenuEvent) and event.reason() == QContextMenuEvent.Reason.Keyboard)
        if keyboard_menu or (event.type() == QEvent.Type.KeyPress
                             and isinstance(event, QKeyEvent) and is_menu_key(event)):
            # The key press is taken, so Qt makes no context-menu event of it as well.
            index = self._view.currentIndex()
            if index.isValid():
                self._view.scrollTo(index)
                self._open_menu(self._view.visualRect(index).center())
            return True
        return False


def open_menu_by_key(view: QAbstractItemView, open_menu: Callable[[QPoint], None]) -> None:
    """The Menu key and Shift+F10 on `view` call `open_menu` with the centre of its current
    row, in viewport coordinates (as `customContextMenuRequested` gives a click)."""
    view.installEventFilter(_MenuKey(view, open_menu))


class _EnterKey(QObject):
    def __init__(self, view: QAbstractItemView, open_row: Callable[[QModelIndex], None]) -> None:
        super().__init__(view)
        self._view = view
        self._open_row = open_row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self._view.currentIndex().isValid()):
            self._open_row(self._view.currentIndex())
            return True
        return False


def open_row_by_enter(view: QAbstractItemView, open_row: Callable[[QModelIndex], None]) -> None:
    """Enter on `view` calls `open_row` with its current row."""
    view.installEventFilter(_EnterKey(view, open_row))
