"""One conversation's timeline as a Qt model: a window of messages, not the whole history.

The window starts at the newest page and grows upwards page by page as the user scrolls
(``load_older``); when it grows past ``MAX_ROWS`` while the user sits at the bottom, the oldest
rows are dropped again (``trim``), so a chat with 100,000 cached messages costs the same as one
with 100 (Telegram Desktop's sliding slice, Nheko's bounded event cache). If the user is reading
far up and the window is full, new messages are counted instead of added; "jump to latest"
reloads the newest page.

Opening is two steps: ``show`` switches to the conversation at once (so nothing that arrives
from then on is taken for another chat) and ``load_newest`` reads the newest page. Whatever
arrives while that page is being read — a new message, an ack, a deletion, a receipt — is kept
aside and applied on top of the page, since the page may have been read from the cache just
before it was stored.

A message far back (a search result, a notification) opens in context: ``load_around`` fills
the window with a page up to and including it and a page after it, and from there the window
grows both ways — older pages on scrolling up, newer ones (``load_newer``) on scrolling down —
until a newer page reaches the newest message and the window follows new messages again
(``at_latest``). Until then, what arrives is counted for the jump button, not added.

Where the cache cannot show what lies above the window without the service — missed beyond the
catch-up window, or never loaded, while offline — the page says so (``gap_before``) and the
window's top row is a *gap row* instead of a message: older messages the cache happens to hold
are never joined onto newer ones. Loading older history online fills the gap from the service
and the row goes; offline nothing is asked, so the row cannot cause a request loop.
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

from app.sdk import HistoryType, IMClient, Message, MessageReceipt, MessageStatus
from app.sdk.models import HistoryPage

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
    UNREAD_DIVIDER = Qt.ItemDataRole.UserRole + 5
    """The first message that was unread when the chat was opened: an "Unread messages" bar
    above it, for as long as the chat stays open."""
    GAP = Qt.ItemDataRole.UserRole + 6
    """A GapState: what the gap row can do now (NONE on message rows)."""


class GapState(IntEnum):
    NONE = 0
    LOADABLE = 1
    """Online: a click (or scrolling to it) loads the missing messages from the service."""
    OFFLINE = 2
    """Only the service has the missing messages; they load once the app is online."""
    LOADING = 3


GAP_KEY = "gap:"
"""Role.KEY of the gap row (no message id looks like it)."""


def _order(msg: Message) -> tuple[int, int]:
    """Stored messages by seq; my unsent ones after all of them, by creation time."""
    return (msg.seq, 0) if msg.seq else (1 << 62, msg.time_ms)


def _counts_as_unread(msg: Message) -> bool:
    return not msg.is_self and not msg.is_excluded_from_unread_count


def _day(ms: int) -> tuple[int, int, int]:
    t = time.localtime(ms / 1000)
    return (t.tm_year, t.tm_mon, t.tm_mday)


class TimelineModel(QAbstractListModel):
    newer_available = Signal(int)
    """Messages arrived that the window does not hold (the user is reading far up)."""
    link_toggled = Signal()
    """The app went online or offline (``link_changed``): a page that stopped at a gap may
    load now."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.conversation_id = ""
        self._rows: list[Message] = []
        self.has_older = False
        self.has_newer = False
        """The window stops short of the newest message (opened around one far back): newer
        pages load on scrolling down."""
        self.gap_below = False
        """The last newer page stopped where only the service has what follows."""
        self.at_latest = True
        self.missed = 0
        self.first_unread_id = ""
        self.gap_above = False
        """Row 0 is the gap row: the cache cannot show what lies above the oldest message."""
        self._loading_older = False
        self._loading_newer = False
        self._newer_arrivals: dict[str, Message] = {}
        """While a newer page is read: what arrived meanwhile, added if the page reaches the
        newest message."""
        self._arrivals: dict[str, Message] | None = None
        """While the newest page is read: what arrived meanwhile, by msg_id (latest state)."""
        self._receipts: list[MessageReceipt] = []

    # --- Qt model ------------------------------------------------------------------------

    @property
    def _top(self) -> int:
        """Model rows above the first message: the gap row, if any."""
        return 1 if self.gap_above else 0

    def _index(self, position: int) -> QModelIndex:
        """The model index of ``self._rows[position]``."""
        return self.index(position + self._top)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows) + self._top

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if self.gap_above and index.row() == 0:
            return self._gap_data(role)
        position = index.row() - self._top
        if not 0 <= position < len(self._rows):
            return None
        msg = self._rows[position]
        if role == Role.GAP:
            return GapState.NONE
        if role == Role.MESSAGE:
            return msg
        if role == Qt.ItemDataRole.DisplayRole:
            text = msg.text_elem
            return text.text if text is not None else ""
        if role == Role.KEY:
            return msg.msg_id
        if role == Role.UNREAD_DIVIDER:
            return bool(self.first_unread_id) and msg.msg_id == self.first_unread_id
        if role == Role.DAY_HEADER:
            return position == 0 or _day(self._rows[position - 1].time_ms) != _day(msg.time_ms)
        if role == Role.RUN_START:
            if position == 0:
                return True
            prev = self._rows[position - 1]
            return (
                prev.sender != msg.sender
                or _day(prev.time_ms) != _day(msg.time_ms)
                or msg.time_ms - prev.time_ms > RUN_GAP_MS
            )
        return None

    def _gap_data(self, role: int) -> object:
        if role == Role.GAP:
            return self.gap_state
        if role == Role.KEY:
            return GAP_KEY
        if role in (Role.DAY_HEADER, Role.RUN_START, Role.UNREAD_DIVIDER):
            return False
        return None

    @property
    def gap_state(self) -> GapState:
        if not self.gap_above:
            return GapState.NONE
        if self._loading_older:
            return GapState.LOADING
        return GapState.LOADABLE if self.client.ready else GapState.OFFLINE

    def link_changed(self) -> None:
        """The app went online or offline: the gap row says something else now."""
        if self.gap_above:
            self.dataChanged.emit(self.index(0), self.index(0), [Role.GAP])
        self.link_toggled.emit()

    def roleNames(self) -> dict[int, bytes]:
        return {
            Role.MESSAGE: b"message",
            Role.DAY_HEADER: b"dayHeader",
            Role.RUN_START: b"runStart",
            Role.KEY: b"key",
            Role.UNREAD_DIVIDER: b"unreadDivider",
            Role.GAP: b"gap",
        }

    # --- loading -------------------------------------------------------------------------

    def messages(self) -> list[Message]:
        return list(self._rows)

    def row_of(self, msg_id: str) -> int:
        position = self._position(msg_id)
        return position + self._top if position >= 0 else -1

    def _position(self, msg_id: str) -> int:
        for position in range(len(self._rows) - 1, -1, -1):
            if self._rows[position].msg_id == msg_id:
                return position
        return -1

    @property
    def loading(self) -> bool:
        """The newest page is being read (``show`` was called, ``load_newest`` has not ended)."""
        return self._arrivals is not None

    def show(self, conversation_id: str) -> None:
        """Switch to `conversation_id`, empty until ``load_newest`` has read its newest page;
        from now on its arrivals are kept, none is lost to the page replacing the rows."""
        self._clear(conversation_id)
        self._arrivals = {}
        self._receipts = []

    async def load_newest(self) -> None:
        """Fill the window with the newest page of the conversation given to ``show``."""
        conversation_id = self.conversation_id
        if self._arrivals is None:
            self.show(conversation_id)
        try:
            page = await self.client.message_manager.get_history_page(conversation_id, PAGE)
        except BaseException:
            if self.conversation_id == conversation_id:
                self._end_loading(HistoryPage([], is_finished=True))
            raise
        if self.conversation_id == conversation_id:
            self._end_loading(page)

    def _end_loading(self, page: HistoryPage, newer: HistoryPage | None = None) -> None:
        """The window becomes `page` (and `newer`, the page after it when opened around a
        message) with what arrived meanwhile on top — all of it at the newest, only the new
        states of messages the window holds when it stops short of the newest."""
        arrivals, self._arrivals = self._arrivals or {}, None
        receipts, self._receipts = self._receipts, []
        merged = {m.msg_id: m for m in page.messages}
        if newer is not None:
            merged.update((m.msg_id, m) for m in newer.messages)
        latest = newer is None or newer.is_finished
        merged.update((k, m) for k, m in arrivals.items() if latest or k in merged)
        self.beginResetModel()
        self._rows = sorted((m for m in merged.values() if self._visible(m)), key=_order)
        self.has_older = not page.is_finished
        self.gap_above = page.gap_before
        self.has_newer = not latest
        self.gap_below = newer is not None and newer.gap_after
        self.at_latest = latest
        self.endResetModel()
        self.apply_receipts(receipts)

    async def load_around(self, seq: int) -> None:
        """Fill the window around the message with `seq` of the conversation given to
        ``show``: a page up to and including it and a page after it."""
        conversation_id = self.conversation_id
        if self._arrivals is None:
            self.show(conversation_id)
        manager = self.client.message_manager
        try:
            page = await manager.get_history_page(conversation_id, PAGE, last_msg_seq=seq)
            newer = await manager.get_history_page(conversation_id, PAGE, last_msg_seq=seq + 1,
                                                   get_type=HistoryType.CLOUD_NEWER)
        except BaseException:
            if self.conversation_id == conversation_id:
                self._end_loading(HistoryPage([], is_finished=True))
            raise
        if self.conversation_id == conversation_id:
            self._end_loading(page, newer)

    async def load_newer(self) -> int:
        """Append the page below the window (opened around a message); returns how many
        messages were added. The page that reaches the newest message makes the window
        follow new messages again, with what arrived while it was read."""
        if not self.has_newer or self._loading_newer or self._arrivals is not None:
            return 0
        if self.gap_below and not self.client.ready:
            return 0
        conversation_id = self.conversation_id
        anchor = next((m for m in reversed(self._rows) if m.seq), None)
        if anchor is None:
            return 0
        self._loading_newer = True
        self._newer_arrivals = {}
        try:
            page = await self.client.message_manager.get_history_page(
                conversation_id, PAGE, anchor, HistoryType.CLOUD_NEWER)
        finally:
            self._loading_newer = False
            arrivals, self._newer_arrivals = self._newer_arrivals, {}
        if conversation_id != self.conversation_id:
            return 0
        known = {m.msg_id for m in self._rows}
        newer = sorted((m for m in page.messages if self._visible(m) and m.msg_id not in known),
                       key=_order)
        if newer:
            first = len(self._rows) + self._top
            self.beginInsertRows(QModelIndex(), first, first + len(newer) - 1)
            self._rows.extend(newer)
            self.endInsertRows()
            self._refresh(first - self._top)
        self.gap_below = page.gap_after
        if len(self._rows) > MAX_ROWS:
            self.trim(MAX_ROWS)  # the oldest go, far above the screen
        if page.is_finished:
            self.has_newer = False
            self.at_latest = True
            self.missed = 0
            for msg in arrivals.values():
                self.add_message(msg)
        return len(newer)

    async def open(self, conversation_id: str) -> None:
        """Show a conversation: its newest page, from the cache when it has it."""
        self.show(conversation_id)
        await self.load_newest()

    def close(self) -> None:
        """Show no conversation (the chat pane went back to its empty state)."""
        self._clear("")

    def _clear(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        self._arrivals = None
        self._receipts = []
        self.beginResetModel()
        self._rows = []
        self.gap_above = False
        self.has_older = False
        self.has_newer = False
        self.gap_below = False
        self.at_latest = True
        self.missed = 0
        self.first_unread_id = ""
        self.endResetModel()

    async def load_older(self) -> int:
        """Prepend the page above the window; returns how many messages were added. At a gap
        the page comes from the service; offline nothing is asked (the gap row stays)."""
        if not self.has_older or self._loading_older or not self._rows:
            return 0
        if self.gap_above and not self.client.ready:
            return 0
        conversation_id = self.conversation_id
        anchor = next((m for m in self._rows if m.seq), None)
        if anchor is None:
            self.has_older = False
            return 0
        self._loading_older = True
        self.link_changed()
        try:
            page = await self.client.message_manager.get_history_page(
                conversation_id, PAGE, anchor, HistoryType.CLOUD_OLDER)
        finally:
            self._loading_older = False
            self.link_changed()
        if conversation_id != self.conversation_id:
            return 0
        known = {m.msg_id for m in self._rows}
        older = sorted((m for m in page.messages if self._visible(m) and m.msg_id not in known),
                       key=_order)
        self.has_older = not page.is_finished
        self._prepend(older, page.gap_before)
        if not self.at_latest:
            self._trim_bottom(MAX_ROWS)
        return len(older)

    def _trim_bottom(self, keep: int) -> None:
        """Drop the newest rows beyond ``keep`` while paging up in a window that stops short
        of the newest anyway (paging down brings them back)."""
        extra = len(self._rows) - keep
        if extra <= 0:
            return
        first = len(self._rows) - extra + self._top
        self.beginRemoveRows(QModelIndex(), first, first + extra - 1)
        del self._rows[-extra:]
        self.endRemoveRows()
        self.has_newer = True
        self.gap_below = False

    def _prepend(self, older: list[Message], gap: bool) -> None:
        """Put `older` above the window's first message and the gap row (back) on top when
        the page stopped at a gap: one insert each, the view keeps still across them."""
        if self.gap_above and not gap:
            self.beginRemoveRows(QModelIndex(), 0, 0)
            self.gap_above = False
            self.endRemoveRows()
        if older:
            first = self._top
            self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
            self._rows[0:0] = older
            self.endInsertRows()
            self._refresh(len(older))
        if gap and not self.gap_above:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self.gap_above = True
            self.endInsertRows()

    async def jump_to_latest(self) -> None:
        if not self.at_latest:
            divider = self.first_unread_id
            await self.open(self.conversation_id)
            self._set_divider(divider)

    async def reveal_unread(self, unread: int, max_rows: int = MAX_ROWS) -> int:
        """Put the "Unread messages" divider above the oldest of the `unread` newest messages
        that count as unread, loading older pages until it is in the window (at most
        `max_rows` rows, then above the oldest one loaded); returns its row, -1 if none."""
        if unread <= 0:
            return -1
        position = self._unread_from_end(unread)
        while position < 0 and self.has_older and len(self._rows) < max_rows:
            if not await self.load_older():
                break
            position = self._unread_from_end(unread)
        if position < 0:
            position = next((i for i, m in enumerate(self._rows) if _counts_as_unread(m)), -1)
        if position < 0:
            return -1
        self._set_divider(self._rows[position].msg_id)
        return position + self._top

    def _unread_from_end(self, count: int) -> int:
        for position in range(len(self._rows) - 1, -1, -1):
            if _counts_as_unread(self._rows[position]):
                count -= 1
                if count == 0:
                    return position
        return -1

    def _set_divider(self, msg_id: str) -> None:
        self.first_unread_id = msg_id
        row = self.row_of(msg_id) if msg_id else -1
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Role.UNREAD_DIVIDER])

    def newest_seq_up_to(self, row: int) -> int:
        """The seq of the newest stored message at or above `row` (0 if none)."""
        for position in range(min(row - self._top, len(self._rows) - 1), -1, -1):
            if self._rows[position].seq:
                return self._rows[position].seq
        return 0

    def trim(self, keep: int = MAX_ROWS) -> None:
        """Drop the oldest rows beyond ``keep`` (the user is at the bottom). A gap row goes
        with them: it is no longer at the window's top; paging up finds it again."""
        extra = len(self._rows) - keep
        if extra <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, extra - 1 + self._top)
        del self._rows[:extra]
        self.gap_above = False
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
        if self._arrivals is not None:
            self._arrivals[msg.msg_id] = msg
            return
        if self._loading_newer:
            self._newer_arrivals[msg.msg_id] = msg
        position = self._position(msg.msg_id)
        if position >= 0:
            self._replace(position, msg)
            return
        if not self._visible(msg):
            return
        if not self.at_latest or len(self._rows) >= 2 * MAX_ROWS:
            self.at_latest = False
            self.has_newer = True  # scrolling down pages it in
            self.missed += 1
            self.newer_available.emit(self.missed)
            return
        at = len(self._rows)
        key = _order(msg)
        while at > 0 and _order(self._rows[at - 1]) > key:
            at -= 1
        self.beginInsertRows(QModelIndex(), at + self._top, at + self._top)
        self._rows.insert(at, msg)
        self.endInsertRows()
        self._refresh(at + 1)

    def _remove(self, position: int) -> None:
        row = position + self._top
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[position]
        self.endRemoveRows()
        self._refresh(position)

    def _replace(self, position: int, msg: Message) -> None:
        if not self._visible(msg):
            self._remove(position)
            return
        # Compare with the neighbours, not with the old key: the SDK updates a sent message in
        # place (seq and time arrive with the ack), so the row may already hold `msg` itself.
        self._rows[position] = msg
        key = _order(msg)
        in_place = (position == 0 or _order(self._rows[position - 1]) <= key) and (
            position == len(self._rows) - 1 or key <= _order(self._rows[position + 1])
        )
        if in_place:
            index = self._index(position)
            self.dataChanged.emit(index, index)
            return
        self._remove(position)
        self.add_message(msg)

    def apply_receipts(self, receipts: list[MessageReceipt]) -> None:
        if self._arrivals is not None:
            self._receipts.extend(receipts)
            return
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
                self.dataChanged.emit(self._index(changed[0]), self._index(changed[-1]))

    def _refresh(self, position: int) -> None:
        """Neighbours decide day headers and runs: re-evaluate the message at `position` of
        the window after a change."""
        if 0 <= position < len(self._rows):
            index = self._index(position)
            self.dataChanged.emit(index, index, [Role.DAY_HEADER, Role.RUN_START])
