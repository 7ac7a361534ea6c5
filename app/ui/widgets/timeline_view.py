"""The timeline's list view: sticks to the bottom, and keeps still when history loads above.

Two behaviours every messenger has and QListView lacks:

- While the user is at the bottom, new rows (and late layouts, e.g. after a resize or after the
  model was filled) keep the view at the bottom.
- When older rows are inserted at the top, the row the user is looking at stays exactly where it
  was on screen: the scroll offset is re-based on that row across the insert (measured to its
  bubble, since its day chip may disappear when the day's earlier messages arrive above it).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.ui.widgets.message_delegate import MessageDelegate

BOTTOM_SLACK = 4
"""Pixels from the end that still count as "at the bottom"."""


class TimelineView(QListView):
    near_top = Signal()
    """The user is within a screen of the oldest loaded row: time to load older history."""
    at_bottom_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.verticalScrollBar().setSingleStep(24)
        # Air between the newest bubble and the composer, and under the header.
        self.setViewportMargins(0, 4, 0, 12)
        self.delegate = MessageDelegate(self)
        self.setItemDelegate(self.delegate)
        self._at_bottom = True
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            old.rowsAboutToBeInserted.disconnect(self._before_insert)
            old.rowsInserted.disconnect(self._after_insert)
            old.modelReset.disconnect(self._on_reset)
        super().setModel(model)
        if model is not None:
            model.rowsAboutToBeInserted.connect(self._before_insert)
            model.rowsInserted.connect(self._after_insert)
            model.modelReset.connect(self._on_reset)

    # --- state ---------------------------------------------------------------------------

    @property
    def at_bottom(self) -> bool:
        return self._at_bottom

    def scroll_to_bottom(self) -> None:
        self.doItemsLayout()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._set_at_bottom(True)

    def first_visible_index(self) -> QModelIndex:
        return self.indexAt(QPoint(self.viewport().width() // 2, 1))

    def _set_at_bottom(self, value: bool) -> None:
        if value != self._at_bottom:
            self._at_bottom = value
            self.at_bottom_changed.emit(value)

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._set_at_bottom(value >= bar.maximum() - BOTTOM_SLACK)
        if value <= self.viewport().height():
            self.near_top.emit()

    def _on_range(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self._at_bottom:
            bar.setValue(maximum)
        if bar.value() <= self.viewport().height():
            self.near_top.emit()

    # --- keeping the view still across inserts above -------------------------------------

    def _before_insert(self, parent: QModelIndex, first: int, _last: int) -> None:
        self._anchor = None
        model = self.model()
        if parent.isValid() or first != 0 or self._at_bottom or model.rowCount() == 0:
            return
        index = self.first_visible_index()
        if not index.isValid():
            return
        top = self.visualRect(index).top() + self.delegate.content_top(index)
        self._anchor = (QPersistentModelIndex(index), top)

    def _after_insert(self, parent: QModelIndex, _first: int, _last: int) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or not anchor[0].isValid():
            return
        index, old_top = self.model().index(anchor[0].row(), 0), anchor[1]
        self.doItemsLayout()
        new_top = self.visualRect(index).top() + self.delegate.content_top(index)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + new_top - old_top)

    def _on_reset(self) -> None:
        self._anchor = None
        self._set_at_bottom(True)
