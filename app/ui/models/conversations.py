"""The conversation list as a Qt model, kept sorted by fine-grained inserts, moves and changes.

Pinned conversations come first, then the most recent activity. An update never resets the
model: a conversation that moves is moved with ``beginMoveRows`` (selection and scroll position
survive), one that stays put only emits ``dataChanged`` for its row.

A chat the user has just opened with "new chat" exists nowhere yet — the SDK creates it with
its first message or draft — but the user expects to see it listed at once. It is listed as a
*local* row until the SDK's own announcement of it replaces it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.sdk import Conversation

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    CONVERSATION = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    UNREAD = Qt.ItemDataRole.UserRole + 3
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 4


def sort_key(conv: Conversation) -> tuple[int, int, str]:
    return (0 if conv.is_pinned else 1, -conv.order_key, conv.conversation_id)


class ConversationListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Conversation] = []
        self._keys: list[tuple[int, int, str]] = []
        self._local: set[str] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conv = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return conv.show_name
        if role == Role.CONVERSATION:
            return conv
        if role == Role.ID:
            return conv.conversation_id
        if role == Role.UNREAD:
            return conv.unread_count
        if role == Role.SEARCH_TEXT:
            return f"{conv.show_name} {conv.user_id or conv.group_id}"
        return None

    def roleNames(self) -> dict[int, bytes]:
        return {
            Qt.ItemDataRole.DisplayRole: b"display",
            Role.CONVERSATION: b"conversation",
            Role.ID: b"conversationId",
            Role.UNREAD: b"unread",
        }

    def row_of(self, conversation_id: str) -> int:
        for row, conv in enumerate(self._rows):
            if conv.conversation_id == conversation_id:
                return row
        return -1

    def conversation(self, conversation_id: str) -> Conversation | None:
        row = self.row_of(conversation_id)
        return self._rows[row] if row >= 0 else None

    def conversations(self) -> list[Conversation]:
        return list(self._rows)

    def upsert(self, conversations: Iterable[Conversation]) -> None:
        for conv in conversations:
            self._local.discard(conv.conversation_id)
            self._upsert_one(conv)

    def add_local(self, conv: Conversation) -> None:
        """List a chat that the SDK does not know yet (see the module's docstring)."""
        if self.row_of(conv.conversation_id) < 0:
            self._local.add(conv.conversation_id)
            self._upsert_one(conv)

    def is_local(self, conversation_id: str) -> bool:
        return conversation_id in self._local

    def drop_local(self, conversation_id: str) -> None:
        """Unlist a local row that never became a real conversation (left without a word)."""
        if conversation_id in self._local:
            self.remove([conversation_id])

    def _upsert_one(self, conv: Conversation) -> None:
        key = sort_key(conv)
        row = self.row_of(conv.conversation_id)
        if row < 0:
            at = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, conv)
            self._keys.insert(at, key)
            self.endInsertRows()
            return
        del self._keys[row]
        target = bisect.bisect_left(self._keys, key)
        self._keys.insert(row, key)
        if target != row:
            # Qt's destination is the row *before which* it lands in the old numbering.
            dest = target + 1 if target > row else target
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
            self._rows.pop(row)
            self._keys.pop(row)
            self._rows.insert(target, conv)
            self._keys.insert(target, key)
            self.endMoveRows()
            row = target
        else:
            self._rows[row] = conv
            self._keys[row] = key
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def remove(self, conversation_ids: Iterable[str]) -> None:
        for conversation_id in conversation_ids:
            self._local.discard(conversation_id)
            row = self.row_of(conversation_id)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                del self._keys[row]
                self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._keys.clear()
        self._local.clear()
        self.endResetModel()


class ConversationFilterModel(QSortFilterProxyModel):
    """The filter box: matches names and IDs, keeps the source order."""

    def __init__(self, source: ConversationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(Role.SEARCH_TEXT)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_query(self, text: str) -> None:
        self.setFilterFixedString(text.strip())
