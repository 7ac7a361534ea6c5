"""A group's members as a Qt model, read from the service a page at a time.

A group may have thousands of members, so pages (`next_seq`, 50 each) are fetched when the list
scrolls near its end (`canFetchMore`/`fetchMore`, which QListView calls by itself). The role
filter is the service's (`MemberFilter`), so changing it starts again from the first page; the
search box is local (name card, nickname, ID), and while it has text the remaining pages are
read too, so a match on page 30 is found without scrolling there first.

Member events upsert or remove rows in place: a mute, a new admin or a name card shows at once,
without reloading what was already read. A reply for a group or filter that is no longer shown
is dropped (the generation counter), so switching groups quickly never mixes two lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from app.protocol import IMError
from app.protocol.groups import GroupMember, GroupMembersResp, MemberFilter
from app.protocol.groups import GroupRole as MemberRole
from app.sdk import IMClient
from app.ui.tasks import TaskGroup

Index = QModelIndex | QPersistentModelIndex
PAGE = 50

_FILTER_ROLES = {MemberFilter.OWNER: MemberRole.OWNER, MemberFilter.ADMIN: MemberRole.ADMIN,
                 MemberFilter.COMMON: MemberRole.MEMBER}


class Role(IntEnum):
    MEMBER = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 3


def display_name(member: GroupMember) -> str:
    """A member's name in this group: their name card, else their nickname, else their ID."""
    return member.name_card or member.nick or member.user_id


def matches(filter_bits: int, role: int) -> bool:
    return filter_bits == MemberFilter.ALL or any(
        filter_bits & bit and role == wanted for bit, wanted in _FILTER_ROLES.items())


class GroupMemberModel(QAbstractListModel):
    load_failed = Signal(object)
    """An IMError: a page could not be read (offline, no longer a member)."""
    loading_changed = Signal(bool)

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("group members")
        self._group_id = ""
        self._filter = MemberFilter.ALL
        self._rows: list[GroupMember] = []
        self._row_of: dict[str, int] = {}
        self._next_seq = 0
        self._complete = True
        self._generation = 0
        self._want_all = False

    # --- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        member = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_name(member)
        if role == Role.MEMBER:
            return member
        if role == Role.ID:
            return member.user_id
        if role == Role.SEARCH_TEXT:
            return f"{member.name_card} {member.nick} {member.user_id}"
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch_page()

    # --- what is shown -------------------------------------------------------------------

    def stop(self) -> None:
        self._tasks.cancel_all()

    @property
    def group_id(self) -> str:
        return self._group_id

    @property
    def member_filter(self) -> int:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._tasks.busy

    @property
    def complete(self) -> bool:
        """Every page of the current filter has been read."""
        return self._complete

    def show_group(self, group_id: str, member_filter: int = MemberFilter.ALL) -> None:
        """Start over with the first page of `group_id`'s members passing `member_filter`."""
        self._tasks.cancel_all()
        self._generation += 1
        self._group_id = group_id
        self._filter = MemberFilter(member_filter)
        self.beginResetModel()
        self._rows.clear()
        self._row_of.clear()
        self.endResetModel()
        self._next_seq = 0
        self._complete = not group_id
        if group_id:
            self._fetch_page()
        else:
            self.loading_changed.emit(False)

    def set_filter(self, member_filter: int) -> None:
        if member_filter != self._filter:
            self.show_group(self._group_id, member_filter)

    def reload(self) -> None:
        self.show_group(self._group_id, self._filter)

    def load_all(self, wanted: bool = True) -> None:
        """Keep reading pages until the last (the search box has text)."""
        self._want_all = wanted
        if wanted:
            self.fetchMore()

    def member(self, user_id: str) -> GroupMember | None:
        row = self._row_of.get(user_id, -1)
        return self._rows[row] if row >= 0 else None

    def members(self) -> list[GroupMember]:
        return list(self._rows)

    def row_of(self, user_id: str) -> int:
        return self._row_of.get(user_id, -1)

    # --- pages ---------------------------------------------------------------------------

    def _fetch_page(self) -> None:
        generation, group_id = self._generation, self._group_id
        manager = self._client.group_manager
        coro = manager.get_group_member_list(group_id, self._filter, self._next_seq, PAGE)
        self._tasks.run(coro, on_done=lambda page: self._on_page(generation, page),
                        on_error=lambda error: self._on_error(generation, error))
        self.loading_changed.emit(True)

    def _on_page(self, generation: int, page: GroupMembersResp) -> None:
        if generation != self._generation:
            return
        self._next_seq = page.next_seq
        self._complete = page.next_seq == 0
        self._upsert(page.members)
        self.loading_changed.emit(False)
        if self._want_all and not self._complete:
            self._fetch_page()

    def _on_error(self, generation: int, error: IMError) -> None:
        if generation != self._generation:
            return
        self._complete = True  # no retry loop from canFetchMore; reload() asks again
        self.loading_changed.emit(False)
        self.load_failed.emit(error)

    # --- events --------------------------------------------------------------------------

    def upsert(self, group_id: str, members: Iterable[GroupMember]) -> None:
        """Members who entered or changed; a member whose new role the filter hides goes."""
        if group_id != self._group_id:
            return
        members = list(members)
        self.remove(group_id, [m.user_id for m in members if not matches(self._filter, m.role)])
        self._upsert([m for m in members if matches(self._filter, m.role)])

    def remove(self, group_id: str, user_ids: Iterable[str]) -> None:
        if group_id != self._group_id:
            return
        for user_id in user_ids:
            row = self._row_of.pop(user_id, -1)
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            for later in range(row, len(self._rows)):
                self._row_of[self._rows[later].user_id] = later
            self.endRemoveRows()

    def _upsert(self, members: Iterable[GroupMember]) -> None:
        new: list[GroupMember] = []
        for member in members:
            row = self._row_of.get(member.user_id, -1)
            if row >= 0:
                self._rows[row] = member
                index = self.index(row)
                self.dataChanged.emit(index, index)
            elif member.user_id not in {m.user_id for m in new}:
                new.append(member)
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for offset, member in enumerate(new):
                self._rows.append(member)
                self._row_of[member.user_id] = first + offset
            self.endInsertRows()


class GroupMemberFilterModel(QSortFilterProxyModel):
    """The member search box: name card, nickname or ID; keeps the service's order."""

    def __init__(self, source: GroupMemberModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.setSourceModel(source)
        self.setFilterRole(Role.SEARCH_TEXT)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_query(self, text: str) -> None:
        query = text.strip()
        self.setFilterFixedString(query)
        self._source.load_all(bool(query))
