"""Rows painted once and drawn again from a pixmap while nothing they show has changed.

A list that moves one row to the top repaints every visible row below it, though none of them
changed: with a stream of updates that is most of the GUI thread's painting. A row is kept as
a pixmap with what it was drawn from — the model's object for the row (its identity: models
replace objects rather than change them) and a tuple of everything else the painter read
(size, state, theme, font, language, the avatar's pixmap, the minute for relative times) —
and drawn from it while both match.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from PySide6.QtGui import QPixmap

CAPACITY = 128
"""A few screens of rows: scrolling back and forth reuses them, a long list does not grow it."""


class RowPixmaps:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._rows: OrderedDict[Hashable, tuple[object, tuple[object, ...], QPixmap]] = (
            OrderedDict())

    def get(self, row: Hashable, source: object, look: tuple[object, ...]) -> QPixmap | None:
        entry = self._rows.get(row)
        if entry is None or entry[0] is not source or entry[1] != look:
            return None
        self._rows.move_to_end(row)
        return entry[2]

    def put(self, row: Hashable, source: object, look: tuple[object, ...],
            pixmap: QPixmap) -> None:
        self._rows[row] = (source, look, pixmap)
        self._rows.move_to_end(row)
        while len(self._rows) > self._capacity:
            self._rows.popitem(last=False)

    def clear(self) -> None:
        self._rows.clear()
