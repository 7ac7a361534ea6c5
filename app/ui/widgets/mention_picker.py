"""The "@" picker of a group chat's composer: type "@" and the members show above the box,
narrowed by what follows, chosen with the mouse or ↑ ↓ Enter/Tab (Esc closes).

It is a child of the composer, not a popup window, so the text box keeps the keyboard focus and
the user can keep typing; the box hands it the navigation keys (`handle_key`). The chosen
member goes in as "@Name " and is remembered, so the message sent mentions exactly the members
whose "@Name" is still in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.protocol import AT_ALL
from app.ui.widgets.avatar import render_avatar

ROWS = 6
ROW_H = 36
AVATAR = 24

_TYPED = re.compile(r"(?:^|\s)@([^\s@]{0,32})$")
"""An "@" at the start of a word, and what was typed after it, right before the cursor."""


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: str
    name: str


def typed_query(text_before_cursor: str) -> str | None:
    """What follows the "@" being typed, or None when the cursor is not in a mention."""
    found = _TYPED.search(text_before_cursor)
    return found.group(1) if found else None


def matches(candidates: list[Candidate], query: str) -> list[Candidate]:
    """Names or IDs containing the query (case-folded), those starting with it first."""
    q = query.casefold()
    hits = [c for c in candidates if q in c.name.casefold() or q in c.user_id.casefold()]
    return sorted(hits, key=lambda c: (not c.name.casefold().startswith(q), c.name.casefold()))


class MentionPicker(QListWidget):
    chosen = Signal(object)
    """The Candidate picked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mentionPicker")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(AVATAR, AVATAR))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.hide()

    def show_matches(self, found: list[Candidate], everyone_label: str, anchor: QPoint,
                     width: int) -> None:
        """List `found` in a box whose bottom-left is at `anchor` (in the parent)."""
        self.clear()
        dpr = self.devicePixelRatioF()
        for candidate in found:
            label = everyone_label if candidate.user_id == AT_ALL else candidate.name
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, candidate)
            item.setSizeHint(QSize(0, ROW_H))
            if candidate.user_id != AT_ALL:
                item.setIcon(QIcon(render_avatar(candidate.user_id, candidate.name, AVATAR, dpr)))
                item.setToolTip(candidate.user_id)
        if not found:
            self.hide()
            return
        self.setCurrentRow(0)
        height = min(len(found), ROWS) * ROW_H + 2 * self.frameWidth() + 4
        self.setGeometry(anchor.x(), anchor.y() - height, width, height)
        self.show()
        self.raise_()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Navigation keys while open; True when the key was used here."""
        if self.isHidden():
            return False
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            self.setCurrentRow((self.currentRow() + step) % self.count())
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            item = self.currentItem()
            if item is not None:
                self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        return False
