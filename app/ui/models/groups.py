"""My joined groups as a Qt model, sorted by name and updated by fine-grained diffs.

The SDK announces groups that changed (`on_groups_changed`) and groups I left
(`on_groups_removed`); each becomes an insert, a move, a `dataChanged` or a remove here, never
a reset, so the selected group (whose pane is open) and the scroll position survive. A group
without a picture is drawn from its first members' initials; those members arrive later than
the group (one request per group), so they are kept beside the rows and merely repaint it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.protocol.groups import GroupInfo

Index = QModelIndex | QPersistentModelIndex



class FaceMember(NamedTuple):
    """One of a group's first members, as its drawn avatar shows them."""

    user_id: str
    name: str
    face_url: str = ""


FaceMembers = list[FaceMember]
"""The first few members: what a group's drawn avatar shows."""


class Role(IntEnum):
    GROUP = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 3
    FACE_MEMBERS = Qt.ItemDataRole.UserRole + 4


def sort_key(group: GroupInfo) -> tuple[str, str]:
    return (group.name.casefold(), group.group_id)


class GroupListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GroupInfo] = []
        self._keys: list[tuple[str, str]] = []
        self._row_of: dict[str, int] = {}
        self._faces: dict[str, FaceMembers] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        group = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return group.name
        if role == Role.GROUP:
            return group
        if role == Role.ID:
            return group.group_id
        if role == Role.SEARCH_TEXT:
            return f"{group.name} {group.group_id}"
        if role == Role.FACE_MEMBERS:
            return self._faces.get(group.group_id, [])
        return None

    # --- reading -------------------------------------------------------------------------

    def row_of(self, group_id: str) -> int:
        return self._row_of.get(group_id, -1)

    def group(self, group_id: str) -> GroupInfo | None:
        row = self.row_of(group_id)
        return self._rows[row] if row >= 0 else None

    def groups(self) -> list[GroupInfo]:
        return list(self._rows)

    def face_members(self, group_id: str) -> FaceMembers:
        return self._faces.get(group_id, [])

    def group_face(self, group_id: str) -> tuple[str, FaceMembers]:
        """``GroupFaces``: what the chat list and header draw this group's avatar from."""
        group = self.group(group_id)
        return (group.face_url if group is not None else "", self._faces.get(group_id, []))

    # --- changes -------------------------------------------------------------------------

    def upsert(self, groups: Iterable[GroupInfo]) -> None:
        for group in groups:
            self._upsert_one(group)

    def replace_all(self, groups: Iterable[GroupInfo]) -> None:
        """The complete list (a fresh load): diffed against the rows, so nothing resets."""
        fresh = list(groups)
        keep = {g.group_id for g in fresh}
        self.remove([g.group_id for g in self._rows if g.group_id not in keep])
        self.upsert(fresh)

    def remove(self, group_ids: Iterable[str]) -> None:
        for group_id in group_ids:
            row = self.row_of(group_id)
            self._faces.pop(group_id, None)
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._keys[row]
            del self._row_of[group_id]
            self._reindex(row)
            self.endRemoveRows()

    def set_face_members(self, group_id: str, members: FaceMembers) -> None:
        if self._faces.get(group_id) == members:
            return
        self._faces[group_id] = members
        row = self.row_of(group_id)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Role.FACE_MEMBERS])

    def _upsert_one(self, group: GroupInfo) -> None:
        key = sort_key(group)
        row = self.row_of(group.group_id)
        if row < 0:
            at = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, group)
            self._keys.insert(at, key)
            self._reindex(at)
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
            self._rows.insert(target, group)
            self._keys.insert(target, key)
            self._reindex(min(row, target))
            self.endMoveRows()
            row = target
        else:
            self._rows[row] = group
            self._keys[row] = key
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def _reindex(self, start: int) -> None:
        """Rows from `start` on moved: their IDs point at their new rows."""
        for row in range(start, len(self._rows)):
            self._row_of[self._rows[row].group_id] = row


class GroupFilterModel(QSortFilterProxyModel):
    """The search box: matches names and IDs, keeps the source order."""

    def __init__(self, source: GroupListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(Role.SEARCH_TEXT)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_query(self, text: str) -> None:
        self.setFilterFixedString(text.strip())
