"""The chat pane: header, timeline, "jump to latest", composer — or the empty state.

It owns what is specific to the open conversation: the timeline window (TimelineModel), the
draft in the composer, loading older history as the user scrolls up, and marking the chat read
when the user can actually see its newest messages (chat open, window active, scrolled to the
bottom). Work for the open chat runs in `tasks`, cancelled on every switch; sends and deletes
run in `_lasting` and draft saves in `_drafts`, because they must finish even when the user has
moved on. Only draft saves are awaited at shutdown: an unsent message is already in the SDK's
persistent outbox, and waiting for its ack offline could take minutes.
"""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QGuiApplication,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.sdk import Conversation, IMClient, Message, MessageReceipt, MessageStatus
from app.ui.models.timeline import Role, TimelineModel
from app.ui.resources import app_icon
from app.ui.settings import AppSettings
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.placeholder import PlaceholderPage
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.composer import Composer
from app.ui.widgets.conversation_delegate import conversation_avatar_key
from app.ui.widgets.jump_button import JumpButton
from app.ui.widgets.message_delegate import body_text
from app.ui.widgets.timeline_view import TimelineView

DRAFT_SAVE_MS = 1200
"""Typing pauses this long before the draft is written (switching chats saves at once)."""
MARK_READ_MS = 150
"""Bursts of arrivals collapse into one read report."""
NOTICE_MS = 8000
FLUSH_TIMEOUT_S = 3.0
"""A draft is written to the cache at once; only its sync to other devices can be slow."""
JUMP_MARGIN = 18
TRIM_ABOVE = 160
TRIM_TO = 100
"""While the user follows the newest messages the window keeps two to four pages (a few screens
above the viewport, as Telegram Desktop does): QListView lays out every row again after each
insert, so the window's size is what a new message costs (about 30 µs per row)."""


class _Header(QWidget):
    """Avatar, name and the peer's user ID above the timeline."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.avatar = AvatarLabel(40, self)
        self.name = QLabel(self)
        font = QFont()
        font.setPointSizeF(self.font().pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.detail = QLabel(self)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names = QVBoxLayout()
        names.setSpacing(1)
        names.addStretch(1)
        names.addWidget(self.name)
        names.addWidget(self.detail)
        names.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 10)
        layout.setSpacing(12)
        layout.addWidget(self.avatar)
        layout.addLayout(names, 1)
        self.setFixedHeight(64)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()

    def show_conversation(self, conv: Conversation) -> None:
        self.avatar.set_avatar(conversation_avatar_key(conv), conv.show_name)
        self.name.setText(conv.show_name)
        target = conv.user_id or conv.group_id
        self.detail.setText(target)
        self.detail.setVisible(target != conv.show_name)

    def _apply_theme(self) -> None:
        self.detail.setStyleSheet(f"color: {current_palette().secondary_text.name()}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.window)
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)


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
        self._marking = False
        self._loading_older = False

        self.empty = PlaceholderPage(lambda _palette, _dpr: app_icon().pixmap(96, 96),
                                     self._empty_texts, self._empty_action, self)
        self.empty.action_requested.connect(self.new_chat_requested)
        self._page = QWidget(self)
        self.header = _Header(self._page)
        self.timeline = TimelineView(self._page)
        timeline_font = QFont()
        timeline_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self.timeline.setFont(timeline_font)
        self.timeline.setModel(self.model)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.jump = JumpButton(self.timeline)
        self.jump.hide()
        self.notice = QLabel(self._page)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.composer = Composer(settings, self._page)
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
        page.addWidget(self.composer)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self._page)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(MARK_READ_MS)
        self._read_timer.timeout.connect(self._mark_read_if_seen)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.composer.send_requested.connect(self.send_text)
        self.composer.text_edited.connect(self._draft_timer.start)
        self.timeline.near_top.connect(self._load_older)
        self.timeline.at_bottom_changed.connect(self._on_at_bottom)
        self.timeline.verticalScrollBar().valueChanged.connect(self._update_jump)
        self.timeline.customContextMenuRequested.connect(self._context_menu)
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
        self._reset_jump()
        self._stack.setCurrentWidget(self._page)
        self.composer.focus()
        self.tasks.run(self._open(conv))

    async def _open(self, conv: Conversation) -> None:
        await self.model.open(conv.conversation_id)
        self.timeline.scroll_to_bottom()
        if self._conv is not None and self._conv.unread_count > 0:
            self._mark_read()

    def close_chat(self) -> None:
        """Back to the empty state (the conversation was deleted, or the user signed out)."""
        self._leave_current()
        self._conv = None
        self.model.close()
        self._stack.setCurrentWidget(self.empty)

    def _leave_current(self) -> None:
        self._draft_timer.stop()
        self._read_timer.stop()
        if self._conv is not None:
            self.save_draft()
        self.tasks.cancel_all()
        self._marking = False
        self._loading_older = False

    def update_conversation(self, conv: Conversation) -> None:
        """The list model has a newer copy of the open conversation (name, unread, draft…)."""
        if self._conv is None or conv.conversation_id != self._conv.conversation_id:
            return
        if conv.show_name != self._conv.show_name:
            self.header.show_conversation(conv)
            self.timeline.delegate.set_names({conv.user_id: conv.show_name})
            self.timeline.viewport().update()
        self._conv = conv
        if conv.unread_count > 0:
            self._read_timer.start()

    # --- SDK events routed by the main window --------------------------------------------

    def on_message(self, msg: Message) -> None:
        """A new message, or a new state of a known one (ack, failure, resend)."""
        self.model.add_message(msg)

    def on_receipts(self, receipts: list[MessageReceipt]) -> None:
        self.model.apply_receipts(receipts)

    def window_activated(self) -> None:
        self._read_timer.start()

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

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_MS)

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
        for group in (self.tasks, self._lasting, self._drafts):
            group.cancel_all()

    # --- reading -------------------------------------------------------------------------

    def _sees_latest(self) -> bool:
        return (
            self._conv is not None
            and self.isVisible()
            and self.window().isActiveWindow()
            and self.timeline.at_bottom
            and self.model.at_latest
        )

    def _mark_read_if_seen(self) -> None:
        if self._conv is not None and self._conv.unread_count > 0 and self._sees_latest():
            self._mark_read()

    def _mark_read(self) -> None:
        conv = self._conv
        if conv is None or self._marking:
            return
        self._marking = True

        def finished(_result: object) -> None:
            self._marking = False

        self.tasks.run(
            self.client.message_manager.mark_conversation_as_read(conv.conversation_id),
            on_done=finished,
            on_error=finished,
        )

    # --- history and "jump to latest" ----------------------------------------------------

    def _load_older(self) -> None:
        if self._conv is None or self._loading_older or not self.model.has_older:
            return
        self._loading_older = True

        def done(_count: int) -> None:
            self._loading_older = False

        def failed(_error: IMError) -> None:
            self._loading_older = False

        self.tasks.run(self.model.load_older(), on_done=done, on_error=failed)

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
            self._read_timer.start()
            self._trim_soon()
        self._update_jump()

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
        count = self._unseen + self._missed
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
        return super().eventFilter(watched, event)

    # --- message actions -----------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.timeline.indexAt(pos)
        if not index.isValid():  # the Menu key: the current message
            index = self.timeline.currentIndex()
            pos = self.timeline.visualRect(index).center()
        msg = index.data(Role.MESSAGE) if index.isValid() else None
        if not isinstance(msg, Message):
            return
        self.timeline.setCurrentIndex(index)
        menu = QMenu(self)
        copy = QAction(self.tr("Copy"), menu)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(body_text(msg)))
        menu.addAction(copy)
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
        self.notice.setStyleSheet(
            f"color: {palette.danger.name()}; padding: 8px 18px 0 18px;"
        )
        self.timeline.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.timeline.delegate.clear_cache()
            self.timeline.doItemsLayout()
        super().changeEvent(event)
