"""Repainting only the rows that show a face which just arrived.

A face arrives for one URL; the list it belongs to may hold hundreds of rows, of which a
screenful is visible. Walking the visible rows and updating the rectangles of those that show
the URL keeps an arrival from repainting a whole list (and from walking rows nobody sees).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtWidgets import QAbstractItemView


def repaint_rows(view: QAbstractItemView, shows: Callable[[QModelIndex], bool]) -> None:
    """Update the visible rows of `view` for which `shows(index)` holds."""
    model = view.model()
    if model is None:
        return
    viewport = view.viewport()
    top = view.indexAt(QPoint(0, 0))
    row = top.row() if top.isValid() else 0
    while row < model.rowCount():
        index = model.index(row, 0)
        rect = view.visualRect(index)
        if rect.top() > viewport.height():
            break
        if shows(index):
            viewport.update(rect)
        row += 1
