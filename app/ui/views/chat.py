"""The chat pane: header, timeline, "jump to latest", composer — or the empty state.

It lays out and wires what is specific to the open conversation: the timeline window
(TimelineModel), loading older history as the user scrolls up, the "Unread messages" divider of a
chat opened with unread messages, and marking the chat read up to the newest message on screen
(ReadMarker). What is done with what the user writes and picks — sending text, media and voice
messages, drafts, recall, forward, delete — is `ChatController`'s; playing voice messages and
videos and opening a forwarded history is `ChatMedia`'s. Work for the open chat runs in `tasks`,
cancelled on every switch.

Files reach the chat three ways, all ending in the preview sheet (`SendPreview`): the composer's
paper clip, a paste (a screenshot, copied files), and a drop anywhere on the chat, which shows
`DropOverlay` while the files are over it. The message menu offers what the message allows:
reply, copy (a cached picture as a picture), save, forward, select, recall within the window,
"Re-edit" of a text recalled from here, delete for me. Selecting shows a bar instead of the
composer (forward or delete the selected messages); `selected_ids` is what the rows should show
as selected.

Where the cache cannot show older history without the service, the timeline's top row is a gap
row: clicking it, or scrolling to it while online, loads the missing page from the service. An
answer that does not fill it is not asked for again by scrolling until the link changes or the
user clicks, and offline nothing is asked at all. When the service's data goes
back to an earlier copy, the chat reads its history again from scratch and says so once.

On a wide window the composer keeps to the timeline's message column, so what is written lines
up with what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.sdk import Conversation, IMClient, Message, MessageReceipt, MessageStatus
from app.sdk.reply import message_abstract
from app.ui.faces import faces_of
from app.ui.group_notices import notice_of
from app.ui.i18n import Retranslatable
from app.ui.models.timeline import Role, TimelineModel
from app.ui.resources import app_icon
from app.ui.settings import AppSettings
from app.ui.shortcuts import Scope
from app.ui.shortcuts import install as install_shortcuts
from app.ui.system_conversation import is_system
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.views.chat_controller import ChatController, media_source
from app.ui.views.chat_media import ChatMedia
from app.ui.views.chat_search import ChatSearch
from app.ui.views.forward_dialog import ForwardDialog
from app.ui.views.group_chat import GroupChat
from app.ui.views.placeholder import PlaceholderPage
from app.ui.views.read_marker import ReadMarker
from app.ui.views.send_preview import Outgoing, SendPreview
from app.ui.views.typing_line import TypingLine
from app.ui.widgets.chat_header import ChatHeader
from app.ui.widgets.composer import Composer
from app.ui.widgets.drop_overlay import DropOverlay
from app.ui.widgets.face_rows import repaint_rows
from app.ui.widgets.jump_button import JumpButton
from app.ui.widgets.message_delegate import MAX_COLUMN, body_text
from app.ui.widgets.timeline_view import TimelineView

NOTICE_MS = 8000
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


class SelectionBar(Retranslatable, QWidget):
    """Instead of the composer while messages are selected: how many, Forward, Delete, Cancel."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.count = QLabel(self)
        font = QFont(self.count.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.count.setFont(font)
        self.cancel_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.forward_button = QPushButton(self)
        set_primary(self.forward_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 14)
        row.setSpacing(10)
        row.addWidget(self.count, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.forward_button)
        self._selected = 0
        self.retranslate()

    def set_count(self, selected: int, forwardable: bool) -> None:
        self._selected = selected
        self.count.setText(self.tr("%1 selected").replace("%1", str(selected)))
        self.forward_button.setEnabled(forwardable)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.delete_button.setText(self.tr("Delete for me"))
        self.forward_button.setText(self.tr("Forward…"))
        self.count.setText(self.tr("%1 selected").replace("%1", str(self._selected)))


class ChatView(QWidget):
    """The right-hand pane. The main window feeds it the SDK events it routes."""

    new_chat_requested = Signal()
    group_info_requested = Signal(str)
    """The header's group button: show the group manager for this group ID."""
    contact_info_requested = Signal(str)
    """A person's card: a one-to-one chat's person button, or a sender's avatar clicked;
    their user ID."""
    selection_changed = Signal(frozenset)
    """The msg_ids selected in select mode (empty when it ends)."""

    def __init__(
        self, client: IMClient, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.settings = settings
        self.tasks = TaskGroup("chat")
        self.model = TimelineModel(client, self)
        self._conv: Conversation | None = None
        self._selected: dict[str, None] = {}
        """Select mode's messages, in the order they were picked (empty: not selecting)."""
        self.preview: SendPreview | None = None
        """The preview sheet while it is open."""
        self.forward_dialog: ForwardDialog | None = None
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
        self.group = GroupChat(client, self)
        self.timeline = TimelineView(self._page)
        self.faces = faces_of(client)
        self.header.set_faces(self.faces)
        self.timeline.delegate.faces = self.faces
        self.faces.arrived.connect(self._face_arrived)
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
        self.selection_bar = SelectionBar(self._page)
        self.selection_bar.setMaximumWidth(MAX_COLUMN)
        self.selection_bar.hide()
        self.controller = ChatController(client, self.model, lambda: self._conv,
                                         self.composer.text, self)
        self.media = ChatMedia(client, settings, self.timeline, self)
        self.search = ChatSearch(self)
        """A message shown in context (search, notifications) and the find bar (Ctrl+F)."""
        self.overlay = DropOverlay(self)
        self.setAcceptDrops(True)
        divider = QFrame(self._page)
        divider.setFixedHeight(1)
        self._divider = divider

        page = QVBoxLayout(self._page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.header)
        page.addWidget(self.search.bar)
        page.addWidget(self.timeline, 1)
        page.addWidget(divider)
        page.addWidget(self.notice)
        page.addWidget(self.composer, 0, Qt.AlignmentFlag.AlignHCenter)
        page.addWidget(self.selection_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self._page)

        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self._stop_selecting = QShortcut(QKeySequence(Qt.Key.Key_Escape), self._page,
                                         self.stop_selecting)
        self._stop_selecting.setEnabled(False)
        install_shortcuts(self._page, {"find_in_chat": self.search.open_find}, Scope.CHAT)

        self.composer.send_requested.connect(self.send_text)
        self.composer.text_edited.connect(self.controller.draft_edited)
        self.typing = TypingLine(client, self.header, self)
        self.composer.text_edited.connect(
            lambda: None if self.composer.editing else self.typing.edited(self.composer.text()))
        self.composer.files_chosen.connect(self.open_preview)
        self.composer.image_pasted.connect(self._paste_image)
        self.composer.reply_cancelled.connect(self.controller.cancel_reply)
        self.composer.edit_last_requested.connect(self._edit_last)
        self.composer.edit_cancelled.connect(self.controller.cancel_edit)
        self.controller.edit_changed.connect(self._show_editing)
        self.composer.voice_recorded.connect(self.controller.send_voice)
        self.composer.edit.installEventFilter(self)
        self.controller.notice.connect(self.show_notice)
        self.media.notice.connect(self.show_notice)
        self.controller.sent_here.connect(self._follow_mine)
        self.controller.reply_changed.connect(self._show_reply)
        self.overlay.dropped.connect(self.open_preview)
        self.selection_bar.cancel_button.clicked.connect(self.stop_selecting)
        self.selection_bar.delete_button.clicked.connect(self._delete_selected)
        self.selection_bar.forward_button.clicked.connect(self._forward_selected)
        self.timeline.near_top.connect(self._load_older)
        self.timeline.gap_clicked.connect(self._fill_gap)
        self.timeline.at_bottom_changed.connect(self._on_at_bottom)
        self.timeline.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.timeline.message_menu_requested.connect(self._context_menu)
        self.timeline.avatar_clicked.connect(self.contact_info_requested)
        self.timeline.delegate.resend_requested.connect(self.controller.resend)
        self.timeline.installEventFilter(self)
        self.timeline.viewport().installEventFilter(self)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.newer_available.connect(self._on_newer_available)
        self.model.modelReset.connect(self._update_jump)
        self.jump.clicked.connect(self.jump_to_latest)
        self.group.changed.connect(self._on_members_read)
        self.header.info_clicked.connect(self._on_group_info)
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

    def open(self, conv: Conversation, at: Message | None = None) -> None:
        """Show `conv`: newest page from the cache, its draft in the composer, read if unread;
        with `at`, the window around that message, scrolled to it and flashed."""
        if self._conv is not None and conv.conversation_id == self._conv.conversation_id:
            self.update_conversation(conv)
            if at is not None:
                self.search.show_message(at)
            return
        self._leave_current()
        self._conv = conv
        self.controller.opened(conv)
        self.group.open(conv)
        self._show_people(conv)
        self.typing.open(conv.user_id if not conv.group_id else "")
        self.composer.setVisible(not is_system(conv.conversation_id))  # no one writes there
        self.composer.set_text(conv.draft_text)
        self.notice.hide()
        if self._pending_notice:
            self.show_notice(self._pending_notice, error=False)
            self._pending_notice = ""
        self._stack.setCurrentWidget(self._page)
        self.composer.focus()
        if at is not None and at.seq:
            self.load_around(at)
        else:
            self._load()

    def _show_people(self, conv: Conversation) -> None:
        """Header, bubble names and "@" candidates: the peer, or the group's members."""
        self.timeline.delegate.set_me(self.client.me)
        self.timeline.delegate.lookup = self._known_name
        self.header.show_conversation(conv)
        self.header.set_group(self.group.subtitle(), self.tr("Group info and members"))
        if conv.user_id and not is_system(conv.conversation_id):
            self.header.set_person(self.tr("Profile"))
        if conv.group_id:
            self.timeline.delegate.set_names(self.group.names)
            self.timeline.delegate.face_urls = dict(self.group.face_urls)
        else:
            self.timeline.delegate.set_names({conv.user_id: conv.show_name})
            self.timeline.delegate.face_urls = {conv.user_id: conv.face_url}
        self.composer.set_mention_candidates(self.group.candidates)
        self.timeline.delegate.clear_cache()
        self.timeline.viewport().update()

    def _face_arrived(self, url: str) -> None:
        """Repaint the bubbles' avatars showing this face, nothing else."""
        delegate = self.timeline.delegate

        def shows(index: QModelIndex) -> bool:
            msg = index.data(Role.MESSAGE)
            return isinstance(msg, Message) and delegate.face_url_of(msg) == url
        repaint_rows(self.timeline, shows)

    def _known_name(self, user_id: str) -> str:
        profile = self.client.profiles.get(user_id)
        return profile.nick if profile is not None else ""

    def _on_members_read(self) -> None:
        if self._conv is not None:
            self._show_people(self._conv)

    def _on_group_info(self) -> None:
        if self._conv is not None and self._conv.group_id:
            self.group_info_requested.emit(self._conv.group_id)
        elif self._conv is not None and self._conv.user_id:
            self.header.info_button.setChecked(False)  # it opens a page: nothing stays toggled
            self.contact_info_requested.emit(self._conv.user_id)

    def group_changed(self, group_id: str) -> None:
        """The open group's members or profile changed: names and the member line follow."""
        if self._conv is not None and self._conv.group_id == group_id:
            self.group.reload()
            self.header.set_group(self.group.subtitle(), self.tr("Group info and members"))

    def _load(self) -> None:
        """Fill the empty timeline with the open chat's newest page (and the unread divider)."""
        assert self._conv is not None
        self.model.show(self._conv.conversation_id)  # from now on its arrivals are kept
        self._reset_jump()
        self._gap_tried = False
        self._opening = True
        self._opened = object()
        self.tasks.run(self._open(self._opened))

    @property
    def is_opening(self) -> bool:
        return self._opening

    def load_around(self, msg: Message) -> None:
        """Fill the timeline with the window around `msg` (in the open chat), then scroll to
        it and flash it (``ChatSearch``)."""
        assert self._conv is not None
        self.tasks.cancel_all()
        self._loading_older = False
        self.model.show(self._conv.conversation_id)
        self._reset_jump()
        self._gap_tried = False
        self._opening = True
        self._opened = token = object()

        async def around() -> None:
            try:
                await self.model.load_around(msg.seq)
            finally:
                if token is self._opened:
                    self._opening = False
            self.search.reveal(msg.msg_id)
            self._update_jump()
            self.reader.soon()

        self.tasks.run(around())

    def window_moved(self) -> None:
        """A newer page joined the window (or reached the newest): the jump button follows."""
        if self.model.at_latest and self.timeline.at_bottom:
            self._reset_jump()
        self._update_jump()

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
        self.faces.link_changed()  # faces that failed offline come now, not minutes later

    def _leave_current(self) -> None:
        self.search.leave()
        self.typing.leave()
        self.reader.stop()
        self.controller.leaving()
        self.stop_selecting()
        for dialog in (self.preview, self.forward_dialog):
            if dialog is not None:  # they act on this chat
                dialog.reject()
        self.tasks.cancel_all()
        self._loading_older = False
        self._gap_tried = False
        self._opening = False

    def update_conversation(self, conv: Conversation) -> None:
        """The list model has a newer copy of the open conversation (name, unread, draft…)."""
        if self._conv is None or conv.conversation_id != self._conv.conversation_id:
            return
        renamed = (conv.show_name, conv.face_url) != (self._conv.show_name, self._conv.face_url)
        self._conv = conv
        if renamed:
            self._show_people(conv)
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

    def on_message_revoked(self, msg_id: str, revoker: str) -> None:
        """A message was recalled (`SdkBridge.message_revoked`), by `revoker` when not its
        sender."""
        self.controller.show_revoked(msg_id, revoker)

    def on_message_modified(self, msg: Message) -> None:
        """A message was edited (`SdkBridge.message_modified`): its bubble shows the new text
        and "edited" if it is in the window."""
        self.controller.show_modified(msg)

    # --- sending -------------------------------------------------------------------------

    def send_text(self, text: str) -> None:
        if self.controller.editing is not None:
            self.controller.save_edit(text)  # the composer gets its draft back
            return
        if self._conv is None or not text.strip():
            return
        mentions = self.composer.mentions_in(text)
        self.composer.clear()
        self.typing.sent()
        self.controller.send_text(text, mentions)

    def _follow_mine(self) -> None:
        """A message of mine went into the open chat: show it."""
        self.timeline.scroll_to_bottom()
        self._reset_jump()

    def open_preview(self, paths: list[str], as_media: bool) -> None:
        """The preview sheet for `paths` (or more files for the one already open). Text in
        the composer becomes the caption, as in Telegram."""
        if not self._writable() or not paths:
            return
        if self.preview is not None:
            self.preview.add_paths(paths)
            return
        sheet = SendPreview(paths, as_media, self.client.limits, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.caption.setText(self.composer.text().strip())
        sheet.send_requested.connect(self._send_from_preview)
        sheet.finished.connect(self._preview_closed)
        self.preview = sheet
        sheet.open()

    def _send_from_preview(self, items: list[Outgoing], as_media: bool, caption: str) -> None:
        self.composer.clear()  # its text went into the caption
        self.controller.send_files(items, as_media, caption)

    def _preview_closed(self, _result: int) -> None:
        self.preview = None
        self.composer.focus()

    def _paste_image(self, image: QImage) -> None:
        if self._conv is None:
            return
        self.tasks.run(self.controller.stage_image(image),
                       on_done=lambda path: self.open_preview([path], True) if path else None)

    def _show_reply(self) -> None:
        msg = self.controller.replying_to
        if msg is None:
            self.composer.hide_reply()
            return
        name = self.controller.my_name() if msg.is_self else (
            self._conv.show_name if self._conv is not None else msg.sender)
        self.composer.show_reply(name, message_abstract(msg))

    def _edit_last(self) -> None:
        """↑ in the empty composer: edit my newest text message in view (Telegram's way)."""
        msg = self.controller.last_editable()
        if msg is not None:
            self.start_edit(msg)

    def start_edit(self, msg: Message) -> None:
        self.controller.start_edit(msg, self.composer.text())

    def _show_editing(self) -> None:
        msg = self.controller.editing
        if msg is None:
            if self.composer.editing:
                self.composer.hide_editing()
                self.composer.set_text(self.controller.edit_stash)
            return
        self.composer.show_editing(msg.text_elem.text if msg.text_elem is not None else "",
                                   self.controller.edit_text)

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
        self.controller.save_draft()

    async def flush(self) -> None:
        """Before quitting or signing out: save the draft now and wait (briefly) until the
        draft saves in flight are written; stop everything else."""
        await self.controller.flush()
        for group in (self.tasks, self.reader.tasks):
            group.cancel_all()
        self.media.close()

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
        if parent.isValid() or last != self.model.rowCount() - 1 or not self.model.at_latest:
            return  # (newer history paged in below a window opened far back is not news)
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
        kind = event.type()
        if watched is self.timeline and kind == QEvent.Type.Resize:
            self._place_jump()
            side = max(0, (self.timeline.width() - MAX_COLUMN) // 2)
            self.notice.setContentsMargins(side, 0, side, 0)  # it lines up with the column
        elif (watched is self.composer.edit and kind == QEvent.Type.DragEnter
              and isinstance(event, QDragEnterEvent) and self._begin_drag(event)):
            return True  # files over the text box: the overlay takes them, not the box
        elif (watched is self.timeline.viewport() and self._selected
              and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
              and isinstance(event, QMouseEvent)
              and event.button() == Qt.MouseButton.LeftButton):
            msg = self.timeline.indexAt(event.position().toPoint()).data(Role.MESSAGE)
            if isinstance(msg, Message):
                self.toggle_selected(msg.msg_id)
            return True  # select mode: a click picks, it does not select text
        return super().eventFilter(watched, event)

    # --- drag and drop -------------------------------------------------------------------

    def _writable(self) -> bool:
        return self._conv is not None and not is_system(self._conv.conversation_id)

    def _begin_drag(self, event: QDragEnterEvent) -> bool:
        if not self._writable() or self.preview is not None:
            return False
        if not self.overlay.begin(event.mimeData()):
            return False
        event.acceptProposedAction()
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._begin_drag(event):
            event.ignore()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())

    # --- message actions -----------------------------------------------------------------

    def _context_menu(self, index: QModelIndex, pos: QPoint) -> None:
        """The menu of the message at `index` with what it allows (see the module's doc);
        Copy takes the selected part of its text when there is one."""
        msg = index.data(Role.MESSAGE)
        if not isinstance(msg, Message) or msg.group_tips_elem is not None or notice_of(msg):
            return  # a group tip or notice is the service's record, not a message to act on
        self.timeline.setCurrentIndex(index)
        menu = QMenu(self)
        if msg.is_revoked:
            text = self.controller.recalled_text(msg.msg_id) if msg.is_self else ""
            if text:
                _add(menu, self.tr("Re-edit"), lambda: self._reedit(text))
        else:
            self._content_actions(menu, msg, pos)
        menu.addSeparator()
        _add(menu, self.tr("Delete for me"), lambda: self.controller.delete([msg]))
        menu.popup(self.timeline.viewport().mapToGlobal(pos))

    def _content_actions(self, menu: QMenu, msg: Message, pos: QPoint) -> None:
        controller = self.controller
        if msg.status in (MessageStatus.SEND_SUCC, MessageStatus.LOCAL_IMPORTED):
            _add(menu, self.tr("Reply"), lambda: controller.reply(msg))
        if controller.can_edit(msg):
            _add(menu, self.tr("Edit"), lambda: self.start_edit(msg))
        if msg.image_elem is not None:
            if controller.cached_picture(msg) is not None:
                _add(menu, self.tr("Copy image"), lambda: controller.copy_picture(msg))
        elif media_source(msg) is None:
            text = self.timeline.selected_text(msg.msg_id) or body_text(msg)
            _add(menu, self.tr("Copy"), lambda: QGuiApplication.clipboard().setText(text))
        link = self.timeline.link_at(pos)
        if link:
            _add(menu, self.tr("Copy link"), lambda: QGuiApplication.clipboard().setText(link))
        if media_source(msg) is not None and msg.status != MessageStatus.SEND_FAIL:
            _add(menu, self.tr("Save as…"), lambda: self.save_as(msg))
        if controller.can_forward(msg):
            _add(menu, self.tr("Forward…"), lambda: self.forward([msg]))
        _add(menu, self.tr("Select"), lambda: self.start_selecting(msg.msg_id))
        menu.addSeparator()
        if msg.status == MessageStatus.SEND_FAIL:
            _add(menu, self.tr("Resend"), lambda: controller.resend(msg))
        if controller.can_recall(msg):
            _add(menu, self.tr("Recall"), lambda: controller.recall(msg))

    def _reedit(self, text: str) -> None:
        """A recalled message's text back into the composer, where the cursor is."""
        self.composer.edit.insertPlainText(text)
        self.composer.focus()

    def forward(self, messages: list[Message]) -> None:
        """Ask where to, then forward `messages` (oldest first) there."""
        if not messages:
            return
        if self.forward_dialog is not None:
            self.forward_dialog.reject()
        dialog = ForwardDialog(self.client, len(messages), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(
            lambda convs, merged: self.controller.forward(messages, convs, merged))
        dialog.finished.connect(lambda _r: setattr(self, "forward_dialog", None))
        self.forward_dialog = dialog
        dialog.open()

    def save_as(self, msg: Message) -> None:
        source = media_source(msg)
        if source is None:
            return
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())
        dialog = QFileDialog(self, self.tr("Save as"), str(Path(folder) / source.name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda target: self.controller.save_media(msg, target))
        dialog.open()

    # --- select mode ---------------------------------------------------------------------

    @property
    def selected_ids(self) -> frozenset[str]:
        """The messages selected in select mode; rows whose msg_id is here are drawn
        selected (a tinted band and a ticked circle at the row's start)."""
        return frozenset(self._selected)

    def start_selecting(self, msg_id: str) -> None:
        self._selected = {msg_id: None}
        self._selection_shown()

    def toggle_selected(self, msg_id: str) -> None:
        if msg_id in self._selected:
            del self._selected[msg_id]
        else:
            self._selected[msg_id] = None
        self._selection_shown()

    def stop_selecting(self) -> None:
        if self._selected:
            self._selected = {}
            self._selection_shown()

    def selected_messages(self) -> list[Message]:
        """The selected messages still in the timeline, oldest first."""
        return [m for m in self.model.messages() if m.msg_id in self._selected]

    def _selection_shown(self) -> None:
        selecting = bool(self._selected)
        messages = self.selected_messages()
        self.selection_bar.set_count(len(self._selected),
                                     bool(messages) and all(map(self.controller.can_forward,
                                                                messages)))
        self.selection_bar.setVisible(selecting)
        self.composer.setVisible(not selecting)
        self._stop_selecting.setEnabled(selecting)
        self.timeline.delegate.set_picked(self.selected_ids)
        self.selection_changed.emit(self.selected_ids)
        self.timeline.viewport().update()
        if not selecting:
            self.composer.focus()

    def _forward_selected(self) -> None:
        messages = self.selected_messages()
        self.stop_selecting()
        self.forward(messages)

    def _delete_selected(self) -> None:
        messages = self.selected_messages()
        self.stop_selecting()
        if messages:
            self.controller.delete(messages)

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


def _add(menu: QMenu, text: str, slot: Callable[[], object]) -> None:
    action = QAction(text, menu)
    action.triggered.connect(slot)
    menu.addAction(action)
