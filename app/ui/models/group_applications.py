"""The join requests waiting for me (groups I own or administer), as a Qt model.

The SDK keeps no list of them — it fetches them from the service — so this model is the one
copy the Groups page and every group pane share: the page's "Applications" entry and the rail
show the total, a pane its own group's (`GroupApplicationFilter`). It is read again whenever an
application arrives or is decided (by me or by another admin, who wins if first), so a badge
never counts a request that someone else already answered.

Applicants are user IDs; their nicknames come from the SDK's profile book, fetched once.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from app.protocol import IMError
from app.protocol.groups import ApplicationStatus, GroupApplication
from app.sdk import IMClient, UserInfo
from app.ui.tasks import TaskGroup

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    APPLICATION = Qt.ItemDataRole.UserRole + 1
    GROUP_ID = Qt.ItemDataRole.UserRole + 2
    APPLICANT_NAME = Qt.ItemDataRole.UserRole + 3


def application_key(application: GroupApplication) -> tuple[str, str]:
    return (application.group_id, application.applicant)


class GroupApplicationsModel(QAbstractListModel):
    count_changed = Signal(int)
    """How many requests wait, in all groups."""
    failed = Signal(object)
    """An IMError from reading the list or deciding a request."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._reads = TaskGroup("group applications")
        self._decisions = TaskGroup("group application decisions")
        self._rows: list[GroupApplication] = []
        self._names: dict[str, str] = {}
        self._deciding: set[tuple[str, str]] = set()
        self._again = False
        self._stopped = False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        application = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Role.APPLICANT_NAME):
            return self.applicant_name(application.applicant)
        if role == Role.APPLICATION:
            return application
        if role == Role.GROUP_ID:
            return application.group_id
        return None

    def stop(self) -> None:
        """Signing out or quitting: no read or decision may land in a deleted model, and none
        starts any more."""
        self._stopped = True
        self._reads.cancel_all()
        self._decisions.cancel_all()

    def applications(self, group_id: str = "") -> list[GroupApplication]:
        return [a for a in self._rows if not group_id or a.group_id == group_id]

    def applicant_name(self, user_id: str) -> str:
        return self._names.get(user_id) or user_id

    def is_deciding(self, application: GroupApplication) -> bool:
        return application_key(application) in self._deciding

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again (one read at a time; a request meanwhile reads once more)."""
        if self._stopped or not self._client.ready:
            return
        if self._reads.busy:
            self._again = True
            return
        self._reads.run(self._load(), on_error=self.failed.emit)

    async def _load(self) -> None:
        while True:
            self._again = False
            found = await self._client.group_manager.get_group_application_list()
            pending = [a for a in found if a.status == ApplicationStatus.PENDING]
            self._show(pending)
            unknown = [a.applicant for a in pending if a.applicant not in self._names]
            if unknown:
                self._take_names(await self._client.get_users_info(unknown))
            if not self._again:
                return

    def _show(self, applications: list[GroupApplication]) -> None:
        """Diff against the rows: remove the decided, append the new, keep the rest."""
        keys = {application_key(a) for a in applications}
        for row in reversed(range(len(self._rows))):
            if application_key(self._rows[row]) not in keys:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        have = {application_key(a) for a in self._rows}
        new = [a for a in applications if application_key(a) not in have]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self.count_changed.emit(len(self._rows))

    def _take_names(self, infos: list[UserInfo]) -> None:
        self._names.update({i.user_id: i.nick_name for i in infos if i.nick_name})
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    # --- deciding ------------------------------------------------------------------------

    def decide(self, application: GroupApplication, accept: bool) -> None:
        key = application_key(application)
        if self._stopped or key in self._deciding:
            return
        self._deciding.add(key)
        self._repaint(key)
        manager = self._client.group_manager
        coro = (manager.accept_group_application(application) if accept
                else manager.refuse_group_application(application))

        def done(_decided: object) -> None:
            self._deciding.discard(key)
            self._show([a for a in self._rows if application_key(a) != key])

        def failed(error: IMError) -> None:
            self._deciding.discard(key)
            self._repaint(key)
            self.failed.emit(error)
            self.refresh()  # decided by another admin first: it leaves the list

        self._decisions.run(coro, on_done=done, on_error=failed)

    def _repaint(self, key: tuple[str, str]) -> None:
        for row, application in enumerate(self._rows):
            if application_key(application) == key:
                self.dataChanged.emit(self.index(row), self.index(row))


class GroupApplicationFilter(QSortFilterProxyModel):
    """One group's requests (a group pane's inbox); "" shows every group's."""

    def __init__(self, source: GroupApplicationsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(Role.GROUP_ID)

    def set_group(self, group_id: str) -> None:
        if group_id:
            self.setFilterRegularExpression(f"^{QRegularExpression.escape(group_id)}$")
        else:
            self.setFilterRegularExpression("")
