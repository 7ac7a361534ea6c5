"""The chat pane: header, timeline, "jump to latest", composer — or the empty state.

It owns what is specific to the open conversation: the timeline window (TimelineModel), the
draft in the composer, loading older history as the user scrolls up, the "Unread messages"
divider of a chat opened with unread messages, and marking the chat read up to the newest message
on screen (ReadMarker). Work for the open chat runs in `tasks`, cancelled on every switch; sends
and deletes run in `_lasting` and draft saves in `_drafts`, because they must finish even when
the user has moved on. Only draft saves are awaited at shutdown: an unsent message is already in
the SDK's persistent outbox, and waiting for its ack offline could take minutes.

Where the cache cannot show older history without the service, the timeline's top row is a gap
row: clicking it, or scrolling to it while online, loads the missing page from the service. An
answer that does not fill it is not asked for again by scrolling until the link changes or the
user clicks, and offline nothing is asked at all. When the service's data goes
back to an earlier copy, the chat reads its history again from scratch and says so once.

On a wide window the composer keeps to the timeline's message column, so what is written lines
up with what is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QStackedLayout, QVBoxLayout, QWidget

from app.protocol import ErrorCode, IMError
from app.sdk import Conversation, IMClient, Message, MessageReceipt, MessageStatus
from app.ui.models.timeline import Role, TimelineModel
from app.ui.resources import app_icon
from app.ui.settings import AppSettings
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.placeholder import PlaceholderPage
from app.ui.views.read_marker import ReadMarker
from app.ui.widgets.chat_header import ChatHeader
from app.ui.widgets.composer import Composer
from app.ui.widgets.jump_button import JumpButton
from app.ui.widgets.message_delegate import MAX_COLUMN, body_text
from app.ui.widgets.timeline_view import TimelineView

DRAFT_SAVE_MS = 1200
"""Typing pauses this long before the draft is written (switching chats saves at once)."""
NOTICE_MS = 8000
FLUSH_TIMEOUT_S = 3.0
"""A draft is written to the cache at once; only its sync to other devices can be slow."""
JUMP_MARGIN = 18
TRIM_ABOVE = 160
TRIM_TO = 100
"""While the user follows the newest messages the window keeps two to four pages (a few screens
above the viewport, as Telegram Desktop does): QListView lays out every row again after each
insert, so the window's size is what a new message costs (about 30 µs per row)."""
DIVIDER_MARGIN = 48
"""Room above the "Unread messages" divider when the chat opens (or jumps) to it."""
MIN_WIDTH = 300
"""The narrowest the chat pane gets: the composer's box and button stay whole."""


class ChatView(QWidget):
    """The right-hand pane. The main window feeds it the SDK events it routes."""

    new_chat_requested = Signal()

    def __init__(
        self, client: IMClient, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.settings = settings
        self.tasks = TaskGroup("chat")
        self._lasting = TaskGroup("chat sends")
        self._drafts = TaskGroup("drafts")
        self.model = TimelineModel(client, self)
        self._conv: Conversation | None = None
        self._saved_drafts: dict[str, str] = {}
        self._unseen = 0
        self._missed = 0
        self._loading_older = False
        self._gap_tried = False
        """A load at the gap row ended without filling it: scrolling does not ask again."""
        self._just_closed: tuple[Conversation, str] | None = None
        """The chat closed in this turn of the event loop, with the composer's text."""
        self._pending_notice = ""
        self._notice_is_error = True
        self._reload_when_synced = False
        """The service's data was reset: the resync under way refills the cache, read the
        chat again once it ends."""
        self._opening = False
        """The newest page (and, with unread messages, the pages up to the first) are being
        loaded: where the view stands now is not what the user will be shown."""
        self._opened = object()
        self.setMinimumWidth(MIN_WIDTH)

        self.empty = PlaceholderPage(lambda _palette, _dpr: app_icon().pixmap(96, 96),
                                     self._empty_texts, self._empty_action, self)
        self.empty.action_requested.connect(self.new_chat_requested)
        self._page = QWidget(self)
        self.header = ChatHeader(self._page)
        self.timeline = TimelineView(self._page)
        self._apply_fonts()
        self.timeline.setModel(self.model)
        self.reader = ReadMarker(client, self.timeline, self.model, lambda: self._conv,
                                 self._can_see, self)
        self.jump = JumpButton(self.timeline)
        self.jump.hide()
        self.notice = QLabel(self._page)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.composer = Composer(settings, self._page)
        self.composer.setMaximumWidth(MAX_COLUMN)
        divider = QFrame(self._page)
        divider.setFixedHeight(1)
        self._divider = divider

        page = QVBoxLayout(self._page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.header)
        page.addWidget(self.timeline, 1)
        page.addWidget(divider)
        page.addWidget(self.notice)
        page.addWidget(self.composer, 0, Qt.AlignmentFlag.AlignHCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self._page)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.composer.send_requested.connect(self.send_text)
        self.composer.text_edited.connect(self._draft_timer.start)
        self.timeline.near_top.connect(self._load_older)
        self.timeline.gap_clicked.connect(self._fill_gap)
        self.timeline.at_bottom_changed.connect(self._on_at_bottom)
        self.timeline.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.timeline.message_menu_requested.connect(self._context_menu)
        self.timeline.delegate.resend_requested.connect(self.resend)
        self.timeline.installEventFilter(self)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.newer_available.connect(self._on_newer_available)
        self.model.modelReset.connect(self._update_jump)
        self.jump.clicked.connect(self.jump_to_latest)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()

    # --- what is open --------------------------------------------------------------------

    @property
    def conversation_id(self) -> str:
        return self._conv.conversation_id if self._conv else ""

    @property
    def conversation(self) -> Conversation | None:
        return self._conv

    def _empty_texts(self) -> tuple[str, str]:
        return (self.tr("No chat selected"),
                self.tr("Choose a conversation on the left, or start a new one."))

    def _empty_action(self) -> str:
        return self.tr("New chat")

    def open(self, conv: Conversation) -> None:
        """Show `conv`: newest page from the cache, its draft in the composer, read if unread."""
        if self._conv is not None and conv.conversation_id == self._conv.conversation_id:
            self.update_conversation(conv)
            return
        self._leave_current()
        self._conv = conv
        self._saved_drafts[conv.conversation_id] = conv.draft_text
        self.header.show_conversation(conv)
        self.timeline.delegate.set_names({conv.user_id: conv.show_name} if conv.user_id else {})
        self.composer.set_text(conv.draft_text)
        self.notice.hide()
        if self._pending_notice:
            self.show_notice(self._pending_notice, error=False)
            self._pending_notice = ""
        self._stack.setCurrentWidget(self._page)
        self.composer.focus()
        self._load()

    def _load(self) -> None:
        """Fill the empty timeline with the open chat's newest page (and the unread divider)."""
        assert self._conv is not None
        self.model.show(self._conv.conversation_id)  # from now on its arrivals are kept
        self._reset_jump()
        self._gap_tried = False
        self._opening = True
        self._opened = object()
        self.tasks.run(self._open(self._opened))

    async def _open(self, token: object) -> None:
        """Newest page; with unread messages, the divider above the first one, in view.
        `token` tells this opening from a later one (a cancelled one ends after it began)."""
        try:
            await self.model.load_newest()
            conv = self._conv
            row = -1
            if conv is not None and conv.unread_count > 0:
                row = await self.model.reveal_unread(conv.unread_count)
        finally:
            if token is self._opened:
                self._opening = False
        self.timeline.scroll_to_bottom()
        if row >= 0:
            self.timeline.scroll_to_row(row, DIVIDER_MARGIN)
        self._update_jump()
        self.reader.soon()

    def close_chat(self) -> None:
        """Back to the empty state (the conversation was deleted, or the user signed out)."""
        self._leave_current()
        if self._conv is not None:
            self._just_closed = (self._conv, self.composer.text())
            QTimer.singleShot(0, self._forget_closed)
        self._conv = None
        self.model.close()
        self._stack.setCurrentWidget(self.empty)

    def _forget_closed(self) -> None:
        self._just_closed = None

    def reload_after_reset(self) -> Conversation | None:
        """The service's data went back to an earlier copy and the SDK dropped its history:
        read the chat again from scratch — now (what is left: my unsent messages) and when the
        resync ends — and say so once. The SDK announces the resync's deletions just before
        this, and they closed the chat if its conversation went; it is opened again (the
        resync brings it back) with what the composer held, and returned so that the list can
        show it meanwhile. With no chat open, the notice waits for one."""
        text = self.tr("The server's data was restored from an earlier copy; "
                       "history was reloaded.")
        self._reload_when_synced = True
        if self._conv is not None:
            self._leave_current()
            self._conv = replace(self._conv, unread_count=0)  # counts of the old log
            self.reader.forget()
            self._load()
        elif self._just_closed is not None:
            conv, text_in_composer = self._just_closed
            self._just_closed = None
            self.reader.forget()
            self.open(replace(conv, unread_count=0))
            self.composer.set_text(text_in_composer)
        else:
            self._pending_notice = text
            return None
        self.show_notice(text, error=False)
        return self._conv

    def synced(self) -> None:
        """A catch-up ended: the app is online, and after a reset the cache is full again."""
        self.link_changed()
        if self._reload_when_synced:
            self._reload_when_synced = False
            if self._conv is not None:
                self._leave_current()
                self._load()

    def link_changed(self) -> None:
        """The app went online or offline: the gap row's words change, and a load at the gap
        that missed may be tried again. Nothing loads by itself here: a link that flaps would
        make a request of every reconnect."""
        self.model.link_changed()
        self._gap_tried = False

    def _leave_current(self) -> None:
        self._draft_timer.stop()
        self.reader.stop()
        if self._conv is not None:
            self.save_draft()
        self.tasks.cancel_all()
        self._loading_older = False
        self._gap_tried = False
        self._opening = False

    def update_conversation(self, conv: Conversation) -> None:
        """The list model has a newer copy of the open conversation (name, unread, draft…)."""
        if self._conv is None or conv.conversation_id != self._conv.conversation_id:
            return
        if conv.show_name != self._conv.show_name:
            self.header.show_conversation(conv)
            self.timeline.delegate.set_names({conv.user_id: conv.show_name})
            self.timeline.viewport().update()
        self._conv = conv
        self._update_jump()
        if conv.unread_count > 0:
            self.reader.soon()

    # --- SDK events routed by the main window --------------------------------------------

    def on_message(self, msg: Message) -> None:
        """A new message, or a new state of a known one (ack, failure, resend)."""
        self.model.add_message(msg)

    def on_receipts(self, receipts: list[MessageReceipt]) -> None:
        self.model.apply_receipts(receipts)

    def window_activated(self) -> None:
        self.reader.soon()

    # --- sending -------------------------------------------------------------------------

    def send_text(self, text: str) -> None:
        conv = self._conv
        if conv is None or not text.strip():
            return
        msg = self.client.message_manager.create_text_message(text)
        msg.receiver = conv.user_id  # the SDK sets it too; the timeline needs it right away
        self.composer.clear()
        self.save_draft()
        self.model.add_message(msg)
        self.timeline.scroll_to_bottom()
        self._reset_jump()
        self._submit(msg, conv.user_id)

    def resend(self, msg: Message) -> None:
        if not isinstance(msg, Message) or msg.status != MessageStatus.SEND_FAIL:
            return
        msg.status = MessageStatus.SENDING
        self.model.add_message(msg)
        self._submit(msg, msg.receiver)

    def _submit(self, msg: Message, receiver: str) -> None:
        self._lasting.run(
            self.client.message_manager.send_message(msg, receiver=receiver),
            on_done=self.model.add_message,
            on_error=lambda error: self._send_failed(msg, error),
        )

    def _send_failed(self, msg: Message, error: IMError) -> None:
        msg.status = MessageStatus.SEND_FAIL
        self.model.add_message(msg)
        if msg.conversation_id == self.conversation_id:
            self.show_notice(self.send_error_text(error))

    def send_error_text(self, error: IMError) -> str:
        """Why a message was not sent, in the user's words and language."""
        texts = {
            ErrorCode.SENSITIVE_WORD: self.tr(
                "The message was not sent: it contains a blocked word."),
            ErrorCode.MESSAGE_TOO_LONG: self.tr("The message was not sent: it is too long."),
            ErrorCode.RECEIVER_NOT_FOUND: self.tr(
                "The message was not sent: there is no such user."),
            ErrorCode.BLOCKED_BY_RECEIVER: self.tr("The message was not sent: you are blocked."),
            ErrorCode.NOT_FRIENDS: self.tr(
                "The message was not sent: you can only write to friends."),
            ErrorCode.SDK_SEND_EXPIRED: self.tr("The message could not be sent in time."),
            ErrorCode.SDK_NOT_LOGGED_IN: self.tr("The message was not sent: you are signed out."),
        }
        text = texts.get(error.code) if isinstance(error.code, ErrorCode) else None
        return text or self.tr("The message was not sent (%1).").replace("%1", error.detail)

    def show_notice(self, text: str, error: bool = True) -> None:
        """One line above the composer for a while: why something failed, or (not an
        `error`) what the app did by itself."""
        self.notice.setText(text)
        self._notice_is_error = error
        self._style_notice()
        self.notice.show()
        self._notice_timer.start(NOTICE_MS)

    def _style_notice(self) -> None:
        palette = current_palette()
        color = palette.danger if self._notice_is_error else palette.secondary_text
        self.notice.setStyleSheet(f"color: {color.name()}; padding: 8px 18px 0 18px;")

    # --- drafts --------------------------------------------------------------------------

    def save_draft(self) -> None:
        """Write the composer's text as the open chat's draft, if it changed."""
        conv = self._conv
        if conv is None:
            return
        self._draft_timer.stop()
        text = self.composer.text()
        if text.strip() == "":
            text = ""
        if self._saved_drafts.get(conv.conversation_id, "") == text:
            return
        self._saved_drafts[conv.conversation_id] = text
        self._drafts.run(
            self.client.conversation_manager.set_conversation_draft(conv.conversation_id, text)
        )

    async def flush(self) -> None:
        """Before quitting or signing out: save the draft now and wait (briefly) until the
        draft saves in flight are written; stop everything else."""
        self.save_draft()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._drafts.drain(), FLUSH_TIMEOUT_S)
        for group in (self.tasks, self._lasting, self._drafts, self.reader.tasks):
            group.cancel_all()

    # --- reading -------------------------------------------------------------------------

    def _can_see(self) -> bool:
        return (self._conv is not None and not self._opening and self.isVisible()
                and self.window().isActiveWindow())

    # --- history and "jump to latest" ----------------------------------------------------

    def _load_older(self) -> None:
        if (self._conv is None or self._opening or self._loading_older
                or not self.model.has_older):
            return
        at_gap = self.model.gap_above
        if at_gap and (self._gap_tried or not self.client.ready):
            return
        self._loading_older = True

        def done(count: int) -> None:
            self._loading_older = False
            self._gap_tried = at_gap and self.model.gap_above and count == 0

        def failed(_error: IMError) -> None:
            self._loading_older = False
            self._gap_tried = at_gap

        self.tasks.run(self.model.load_older(), on_done=done, on_error=failed)

    def _fill_gap(self) -> None:
        """The user clicked the gap row: ask the service again, even after a miss."""
        self._gap_tried = False
        self._load_older()

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid() or last != self.model.rowCount() - 1:
            return
        if self.timeline.at_bottom:
            self._trim_soon()
            return
        for row in range(first, last + 1):
            msg = self.model.index(row).data(Role.MESSAGE)
            if isinstance(msg, Message) and not msg.is_self:
                self._unseen += 1
        self._update_jump()

    def _on_newer_available(self, missed: int) -> None:
        self._missed = missed
        self._update_jump()

    def _on_at_bottom(self, at_bottom: bool) -> None:
        if at_bottom and self.model.at_latest:
            self._reset_jump()
            self._trim_soon()
        self._update_jump()

    def _on_scrolled(self, _value: int) -> None:
        self._update_jump()
        self.reader.soon()

    def _trim_soon(self) -> None:
        """Keep the window small while the user follows the newest messages (not from inside
        the model's own insert signal, hence the zero-delay timer)."""
        if self.model.rowCount() > TRIM_ABOVE:
            QTimer.singleShot(0, self._trim)

    def _trim(self) -> None:
        if self.timeline.at_bottom:
            self.model.trim(TRIM_TO)

    def _reset_jump(self) -> None:
        self._unseen = 0
        self._missed = 0
        self._update_jump()

    def _update_jump(self) -> None:
        bar = self.timeline.verticalScrollBar()
        far = bar.maximum() - bar.value() > self.timeline.viewport().height() // 2
        unread = self._conv.unread_count if self._conv is not None else 0
        count = max(self._unseen + self._missed, unread)
        show = self._conv is not None and (
            far or count > 0 or not self.model.at_latest
        ) and not (self.timeline.at_bottom and self.model.at_latest)
        self.jump.set_count(count)
        self.jump.setVisible(show)
        if show:
            self._place_jump()

    def _place_jump(self) -> None:
        view = self.timeline
        x = view.viewport().width() - self.jump.width() - JUMP_MARGIN
        y = view.height() - self.jump.height() - JUMP_MARGIN
        self.jump.move(x, y)
        self.jump.raise_()

    def jump_to_latest(self) -> None:
        """To the first unread message while it is still below the screen, else the newest."""
        divider = self.model.row_of(self.model.first_unread_id)
        if divider >= 0 and self.timeline.is_below_viewport(divider):
            self.timeline.scroll_to_row(divider, DIVIDER_MARGIN)
            return
        if self.model.at_latest:
            self.timeline.scroll_to_bottom()
            self._reset_jump()
            return

        async def reload() -> None:
            await self.model.jump_to_latest()
            self.timeline.scroll_to_bottom()
            self._reset_jump()

        self.tasks.run(reload())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.timeline and event.type() == QEvent.Type.Resize:
            self._place_jump()
            side = max(0, (self.timeline.width() - MAX_COLUMN) // 2)
            self.notice.setContentsMargins(side, 0, side, 0)  # it lines up with the column
        return super().eventFilter(watched, event)

    # --- message actions -----------------------------------------------------------------

    def _context_menu(self, index: QModelIndex, pos: QPoint) -> None:
        """The message's menu; Copy takes the selected part of its text when there is one."""
        msg = index.data(Role.MESSAGE)
        if not isinstance(msg, Message):
            return
        self.timeline.setCurrentIndex(index)
        menu = QMenu(self)
        text = self.timeline.selected_text(msg.msg_id) or body_text(msg)
        copy = QAction(self.tr("Copy"), menu)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
        menu.addAction(copy)
        link = self.timeline.link_at(pos)
        if link:
            copy_link = QAction(self.tr("Copy link"), menu)
            copy_link.triggered.connect(lambda: QGuiApplication.clipboard().setText(link))
            menu.addAction(copy_link)
        if msg.status == MessageStatus.SEND_FAIL:
            resend = QAction(self.tr("Resend"), menu)
            resend.triggered.connect(lambda: self.resend(msg))
            menu.addAction(resend)
        menu.addSeparator()
        delete = QAction(self.tr("Delete for me"), menu)
        delete.triggered.connect(lambda: self.delete_message(msg))
        menu.addAction(delete)
        menu.popup(self.timeline.viewport().mapToGlobal(pos))

    def delete_message(self, msg: Message) -> None:
        self._lasting.run(
            self.client.message_manager.delete_messages([msg]),
            on_done=lambda _r: self.model.add_message(msg),
            on_error=lambda error: self.show_notice(
                self.tr("The message could not be deleted (%1).").replace("%1", error.detail)
            ),
        )

    # --- look and language ---------------------------------------------------------------

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.timeline.setStyleSheet(
            f"QListView {{ background: {palette.window.name()}; }}"
            "QListView::item:hover, QListView::item:selected { background: transparent; }"
        )
        self._divider.setStyleSheet(f"background: {palette.separator.name()}")
        self._style_notice()
        self.timeline.viewport().update()

    def _apply_fonts(self) -> None:
        """The timeline's text is a little larger than the UI's, in the same families (the
        app font's fallbacks: Simplified Chinese and colour emoji faces). It is set on the view
        explicitly, so it is derived again whenever the app font changes."""
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self.timeline.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.timeline.delegate.clear_cache()
            self.timeline.doItemsLayout()
        elif event.type() == QEvent.Type.FontChange:
            self._apply_fonts()
        super().changeEvent(event)
