"""One conversation's timeline as a Qt model: a window of messages, not the whole history.

The window starts at the newest page and grows upwards page by page as the user scrolls
(``load_older``); when it grows past ``MAX_ROWS`` while the user sits at the bottom, the oldest
rows are dropped again (``trim``), so a chat with 100,000 cached messages costs the same as one
with 100 (Telegram Desktop's sliding slice, Nheko's bounded event cache). If the user is reading
far up and the window is full, new messages are counted instead of added; "jump to latest"
reloads the newest page.
"""

from __future__ import annotations

import time
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.sdk import IMClient, Message, MessageReceipt, MessageStatus

Index = QModelIndex | QPersistentModelIndex

PAGE = 40
MAX_ROWS = 600
RUN_GAP_MS = 5 * 60 * 1000


class Role(IntEnum):
    MESSAGE = Qt.ItemDataRole.UserRole + 1
    DAY_HEADER = Qt.ItemDataRole.UserRole + 2
    """The message starts a new day: the view draws a date chip above it."""
    RUN_START = Qt.ItemDataRole.UserRole + 3
    """The message starts a run from one sender: the view shows the avatar and name."""
    KEY = Qt.ItemDataRole.UserRole + 4


def _order(msg: Message) -> tuple[int, int]:
    """Stored messages by seq; my unsent ones after all of them, by creation time."""
    return (msg.seq, 0) if msg.seq else (1 << 62, msg.time_ms)


def _day(ms: int) -> tuple[int, int, int]:
    t = time.localtime(ms / 1000)
    return (t.tm_year, t.tm_mon, t.tm_mday)


class TimelineModel(QAbstractListModel):
    newer_available = Signal(int)
    """Messages arrived that the window does not hold (the user is reading far up)."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.conversation_id = ""
        self._rows: list[Message] = []
        self.has_older = False
        self.at_latest = True
        self.missed = 0
        self._loading_older = False

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        msg = self._rows[row]
        if role == Role.MESSAGE:
            return msg
        if role == Qt.ItemDataRole.DisplayRole:
            text = msg.text_elem
            return text.text if text is not None else ""
        if role == Role.KEY:
            return msg.msg_id
        if role == Role.DAY_HEADER:
            return row == 0 or _day(self._rows[row - 1].time_ms) != _day(msg.time_ms)
        if role == Role.RUN_START:
            if row == 0:
                return True
            prev = self._rows[row - 1]
            return (
                prev.sender != msg.sender
                or _day(prev.time_ms) != _day(msg.time_ms)
                or msg.time_ms - prev.time_ms > RUN_GAP_MS
            )
        return None

    def roleNames(self) -> dict[int, bytes]:
        return {
            Role.MESSAGE: b"message",
            Role.DAY_HEADER: b"dayHeader",
            Role.RUN_START: b"runStart",
            Role.KEY: b"key",
        }

    # --- loading -------------------------------------------------------------------------

    def messages(self) -> list[Message]:
        return list(self._rows)

    def row_of(self, msg_id: str) -> int:
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].msg_id == msg_id:
                return row
        return -1

    async def open(self, conversation_id: str) -> None:
        """Show a conversation: its newest page, from the cache when it has it."""
        self._clear(conversation_id)
        batch = await self.client.message_manager.get_history_message_list(conversation_id, PAGE)
        if self.conversation_id != conversation_id:
            return
        self.beginResetModel()
        self._rows = sorted((m for m in batch if self._visible(m)), key=_order)
        self.has_older = bool(batch)
        self.endResetModel()

    def close(self) -> None:
        """Show no conversation (the chat pane went back to its empty state)."""
        self._clear("")

    def _clear(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        self.beginResetModel()
        self._rows = []
        self.has_older = False
        self.at_latest = True
        self.missed = 0
        self.endResetModel()

    async def load_older(self) -> int:
        """Prepend the page above the window; returns how many rows were added."""
        if not self.has_older or self._loading_older or not self._rows:
            return 0
        conversation_id = self.conversation_id
        anchor = next((m for m in self._rows if m.seq), None)
        if anchor is None:
            self.has_older = False
            return 0
        self._loading_older = True
        try:
            batch = await self.client.message_manager.get_history_message_list(
                conversation_id, PAGE, anchor
            )
        finally:
            self._loading_older = False
        if conversation_id != self.conversation_id:
            return 0
        known = {m.msg_id for m in self._rows}
        older = sorted((m for m in batch if self._visible(m) and m.msg_id not in known), key=_order)
        self.has_older = bool(batch)
        if not older:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(older) - 1)
        self._rows[0:0] = older
        self.endInsertRows()
        self._refresh(len(older))
        return len(older)

    async def jump_to_latest(self) -> None:
        if not self.at_latest:
            await self.open(self.conversation_id)

    def trim(self, keep: int = MAX_ROWS) -> None:
        """Drop the oldest rows beyond ``keep`` (the user is at the bottom)."""
        extra = len(self._rows) - keep
        if extra <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, extra - 1)
        del self._rows[:extra]
        self.endRemoveRows()
        self.has_older = True
        self._refresh(0)

    # --- live updates --------------------------------------------------------------------

    @staticmethod
    def _visible(msg: Message) -> bool:
        return msg.status != MessageStatus.HAS_DELETED and not msg.online_user_only

    def add_message(self, msg: Message) -> None:
        """A new or changed message of any conversation; only this one's are taken."""
        if msg.conversation_id != self.conversation_id:
            return
        row = self.row_of(msg.msg_id)
        if row >= 0:
            self._replace(row, msg)
            return
        if not self._visible(msg):
            return
        if not self.at_latest or len(self._rows) >= 2 * MAX_ROWS:
            self.at_latest = False
            self.missed += 1
            self.newer_available.emit(self.missed)
            return
        at = len(self._rows)
        key = _order(msg)
        while at > 0 and _order(self._rows[at - 1]) > key:
            at -= 1
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, msg)
        self.endInsertRows()
        self._refresh(at + 1)

    def _replace(self, row: int, msg: Message) -> None:
        if not self._visible(msg):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self._refresh(row)
            return
        # Compare with the neighbours, not with the old key: the SDK updates a sent message in
        # place (seq and time arrive with the ack), so the row may already hold `msg` itself.
        self._rows[row] = msg
        key = _order(msg)
        in_place = (row == 0 or _order(self._rows[row - 1]) <= key) and (
            row == len(self._rows) - 1 or key <= _order(self._rows[row + 1])
        )
        if in_place:
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self._refresh(row)
        self.add_message(msg)

    def apply_receipts(self, receipts: list[MessageReceipt]) -> None:
        for receipt in receipts:
            if receipt.conversation_id != self.conversation_id:
                continue
            changed = [
                r
                for r, m in enumerate(self._rows)
                if m.is_self and 0 < m.seq <= receipt.read_seq and not m.is_peer_read
            ]
            for row in changed:
                self._rows[row].is_peer_read = True
            if changed:
                self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))

    def _refresh(self, row: int) -> None:
        """Neighbours decide day headers and runs: re-evaluate the row after a change."""
        if 0 <= row < len(self._rows):
            index = self.index(row)
            self.dataChanged.emit(index, index, [Role.DAY_HEADER, Role.RUN_START])
