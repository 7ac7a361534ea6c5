"""My friends as one flat Qt list: friend-group headings, A–Z letters, and friend rows.

    MY FRIENDS · 12          (only when some friend is in a friend group)
    A
      Alice
    B ...
    WORK · 3
    ...

Every row has a sort key (group, letter, spelled name, user ID), so the whole list is one
sorted sequence; a change (a friend added, renamed, moved to a group; a search typed) computes
the new sequence and applies it as removes, inserts and `dataChanged` — never a reset once
rows are shown, so the selection and the scroll position survive a remark being edited. A
friend in two friend groups is listed under both; a friend group nobody is in yet keeps its
heading (with 0), so a group just made or emptied can still be renamed or deleted there;
searching keeps the headings of groups and letters that still have a match.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.protocol.friends import Friend
from app.ui.friend_names import section_of, show_name, sort_key

Index = QModelIndex | QPersistentModelIndex

DEFAULT_GROUP = ""
"""Friends in no friend group are listed under the default heading ("My friends")."""


class Kind(IntEnum):
    GROUP = 0
    LETTER = 1
    FRIEND = 2


class Role(IntEnum):
    KIND = Qt.ItemDataRole.UserRole + 1
    FRIEND = Qt.ItemDataRole.UserRole + 2
    USER_ID = Qt.ItemDataRole.UserRole + 3
    GROUP_NAME = Qt.ItemDataRole.UserRole + 4
    """The friend group of a heading or row ("" for the default one)."""
    COUNT = Qt.ItemDataRole.UserRole + 5
    """A group heading's number of friends."""


class _Key(NamedTuple):
    group_rank: int
    group: str
    letter_rank: int
    letter: str
    kind: int
    name: str
    user_id: str


class _Row(NamedTuple):
    key: _Key
    kind: Kind
    text: str
    """The heading's letter or group name, the friend's show name."""
    friend: Friend | None
    count: int


def matches(friend: Friend, needle: str) -> bool:
    """The search box: remark, nickname or user ID contain the text (any case)."""
    nick = friend.profile.nick if friend.profile is not None else ""
    return any(needle in value.casefold() for value in (friend.remark, nick, friend.user_id))


def _group_key(name: str) -> tuple[int, str]:
    return (0, "") if name == DEFAULT_GROUP else (1, name.casefold() + "\0" + name)


def build_rows(friends: Iterable[Friend], query: str = "",
               groups: Iterable[str] = ()) -> list[_Row]:
    """The list's rows for `friends`, sorted; headings for letters in use and for friend
    groups — every one of `groups` (all my friend groups) unless a search is typed, then only
    those with a match."""
    needle = query.strip().casefold()
    shown = [f for f in friends if not needle or matches(f, needle)]
    counts: dict[str, int] = {} if needle else dict.fromkeys(groups, 0)
    grouped = bool(counts) or any(f.group_names for f in shown)
    rows: dict[_Key, _Row] = {}
    for friend in shown:
        name = show_name(friend)
        letter = section_of(name)
        letter_rank, spelled = sort_key(name)
        for group in (friend.group_names or [DEFAULT_GROUP]) if grouped else [DEFAULT_GROUP]:
            g_rank, g_key = _group_key(group)
            counts[group] = counts.get(group, 0) + 1
            key = _Key(g_rank, g_key, letter_rank, letter, Kind.FRIEND, spelled, friend.user_id)
            rows[key] = _Row(key, Kind.FRIEND, name, friend, 0)
            letter_key = _Key(g_rank, g_key, letter_rank, letter, Kind.LETTER, "", "")
            rows.setdefault(letter_key, _Row(letter_key, Kind.LETTER, letter, None, 0))
    if grouped:
        for group, count in counts.items():
            g_rank, g_key = _group_key(group)
            key = _Key(g_rank, g_key, -1, "", Kind.GROUP, "", "")
            rows[key] = _Row(key, Kind.GROUP, group, None, count)
    return [rows[k] for k in sorted(rows)]


class FriendListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._friends: dict[str, Friend] = {}
        self._groups: tuple[str, ...] = ()
        self._query = ""
        self._rows: list[_Row] = []
        self._keys: list[_Key] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or self._rows[index.row()].kind != Kind.FRIEND:
            return Qt.ItemFlag.ItemIsEnabled  # headings cannot be selected
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == Role.KIND:
            return row.kind
        if role == Role.FRIEND:
            return row.friend
        if role == Role.USER_ID:
            return row.friend.user_id if row.friend is not None else ""
        if role == Role.GROUP_NAME:
            return row.text if row.kind == Kind.GROUP else ""
        if role == Role.COUNT:
            return row.count
        return None

    # --- reading -------------------------------------------------------------------------

    def friend(self, user_id: str) -> Friend | None:
        return self._friends.get(user_id)

    def friends(self) -> list[Friend]:
        return list(self._friends.values())

    def row_of(self, user_id: str) -> int:
        """The first row listing `user_id` (a friend in two groups has two), or -1."""
        return next((n for n, r in enumerate(self._rows)
                     if r.friend is not None and r.friend.user_id == user_id), -1)

    def shown_friend_count(self) -> int:
        return len({r.friend.user_id for r in self._rows if r.friend is not None})

    # --- changes -------------------------------------------------------------------------

    def replace_all(self, friends: Iterable[Friend]) -> None:
        self._friends = {f.user_id: f for f in friends}
        self._apply()

    def upsert(self, friends: Iterable[Friend]) -> None:
        self._friends.update({f.user_id: f for f in friends})
        self._apply()

    def remove(self, user_ids: Iterable[str]) -> None:
        for user_id in user_ids:
            self._friends.pop(user_id, None)
        self._apply()

    def set_query(self, text: str) -> None:
        self._query = text
        self._apply()

    def set_groups(self, names: Iterable[str]) -> None:
        """All my friend groups, those nobody is in included (their headings stay)."""
        self._groups = tuple(names)
        self._apply()

    def _apply(self) -> None:
        """Turn the rows into those of `build_rows`, one remove / insert / change at a time."""
        fresh = build_rows(self._friends.values(), self._query, self._groups)
        if not self._rows:
            if fresh:
                self.beginResetModel()
                self._rows, self._keys = fresh, [r.key for r in fresh]
                self.endResetModel()
            return
        wanted = {r.key: r for r in fresh}
        for n in range(len(self._rows) - 1, -1, -1):
            if self._keys[n] not in wanted:
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                del self._keys[n]
                self.endRemoveRows()
        for row in fresh:
            at = bisect.bisect_left(self._keys, row.key)
            if at < len(self._keys) and self._keys[at] == row.key:
                if self._rows[at] != row:
                    self._rows[at] = row
                    index = self.index(at)
                    self.dataChanged.emit(index, index)
                continue
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, row)
            self._keys.insert(at, row.key)
            self.endInsertRows()
