"""The main window: navigation rail, conversation list, chat pane, connection status.

It is the one place where SDK events (through `SdkBridge`) are routed to the views: the list
model takes every conversation change, the chat pane takes the messages and receipts of the open
chat. `start()` shows the conversation list from the SDK's cache first — before the network has
answered — and then follows live updates.

Which service the account is on changes what the window says: the demo says it is a demo (title
and a dismissable banner with the way to a real account); an account without chats is told its
user ID, the one thing another person needs to write to it.

Closing the window either hides it (`hide_on_close`, for the tray) or asks the app to quit
(`quit_requested`); the app bootstrap decides what quitting means and should await `shutdown()`
first so the open draft and messages in flight are saved.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QImage, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ConvType
from app.protocol.friends import Friend
from app.protocol.groups import GroupInfo
from app.protocol.ids import C2C_PREFIX, GROUP_PREFIX, is_valid_user_id
from app.sdk import Conversation, IMClient, Message, UserInfo
from app.ui.bridge import SdkBridge
from app.ui.group_bridge import GroupBridge
from app.ui.models.conversations import ConversationListModel
from app.ui.models.group_applications import GroupApplicationsModel
from app.ui.own_face import OwnFace
from app.ui.settings import AppSettings
from app.ui.shortcuts import install as install_shortcuts
from app.ui.switcher_match import LIMIT, Candidate, build_candidates
from app.ui.system_conversation import named
from app.ui.tasks import TaskGroup
from app.ui.views.chat import ChatView
from app.ui.views.contacts_page import ContactsPage
from app.ui.views.conversation_list import ConversationListPane
from app.ui.views.demo_banner import DemoBanner
from app.ui.views.group_pane import GroupPane
from app.ui.views.groups_page import GroupsPage
from app.ui.views.my_profile import MyProfileDialog
from app.ui.views.nav_rail import NavRail, Page
from app.ui.views.new_chat import NewChatDialog
from app.ui.views.placement import MAIN_WINDOW_MIN_SIZE, MAIN_WINDOW_SIZE, place
from app.ui.views.quick_switcher import QuickSwitcher
from app.ui.views.search_panel import SearchMessagesRow, SearchPanel
from app.ui.views.settings_dialog import SettingsDialog
from app.ui.views.shortcuts_sheet import ShortcutsSheet
from app.ui.views.starting import demo_title
from app.ui.views.status_line import StatusLine

PAGE_SIZE = 50
LIST_WIDTH = 320

ServiceKind = Literal["demo", "local", "remote"]
"""The demo's service, the service on this computer ("This computer"), or a server."""


class MainWindow(QMainWindow):
    quit_requested = Signal()
    """The user closed the window (with `hide_on_close` off) or chose Quit."""
    sign_out_requested = Signal()

    def __init__(
        self,
        client: IMClient,
        bridge: SdkBridge,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        service: ServiceKind = "remote",
        anchor: QRect | None = None,
    ) -> None:
        """`anchor`: where the window this one replaces stands (sign-in, "Starting the
        demo…"); without a remembered geometry the window opens centred on it."""
        super().__init__(parent)
        self.client = client
        self.bridge = bridge
        self.settings = settings
        self.service = service
        self.hide_on_close = self._tray_wanted()
        """Closing hides the window instead of asking to quit. Follows the close-to-tray
        setting where a system tray exists; the bootstrap may set it directly."""
        self.tasks = TaskGroup("main window")
        self.conversations = ConversationListModel(self)
        self._settings_dialog: SettingsDialog | None = None
        self._new_chat: NewChatDialog | None = None
        self._shortcuts_sheet: ShortcutsSheet | None = None
        self.my_profile: MyProfileDialog | None = None
        self.own_face = OwnFace(client, self)
        """My face on the rail (and in My profile) once my face URL's picture is here."""
        self._my_name = ""
        self._started = False
        self._shut_down = False

        self.rail = NavRail(self)
        self.list_pane = ConversationListPane(self.conversations, self)
        self.chat = ChatView(client, settings, self)
        self.group_applications = GroupApplicationsModel(client, self)
        """The join requests waiting for me: one list for the Groups page and the chat's pane."""
        self.group_events = GroupBridge(client, self)
        self.group_pane = GroupPane(client, self.group_applications, self, closable=True)
        """A group chat's info and members, beside the chat (the header's group button)."""
        self.group_pane.setMinimumWidth(320)
        self.group_pane.hide()
        self.groups_page = GroupsPage(client, self.group_applications, self)
        self.contacts_page = ContactsPage(client, self)
        left = QWidget(self)
        left.setObjectName("conversationColumn")
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.list_pane, 1)
        self.search_row = SearchMessagesRow(left)
        """"Search messages for …" under the chat filter while it has text."""
        pane_layout = self.list_pane.layout()
        if isinstance(pane_layout, QVBoxLayout):
            pane_layout.insertWidget(1, self.search_row)  # between the filter and the list
        else:
            column.addWidget(self.search_row)
        left.setMinimumWidth(240)
        self.status_line = StatusLine(left)  # floats over the list's bottom: no layout jump
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chat)
        self.splitter.addWidget(self.group_pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([LIST_WIDTH, MAIN_WINDOW_SIZE.width() - LIST_WIDTH])
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.contacts_page)
        self.pages.addWidget(self.groups_page)
        self.demo_banner: DemoBanner | None = None
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        if service == "demo":
            self.demo_banner = DemoBanner(self)
            self.demo_banner.leave_requested.connect(self.sign_out_requested)
            right.addWidget(self.demo_banner)
        right.addWidget(self.pages, 1)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.rail)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.rail.page_changed.connect(self.pages.setCurrentIndex)
        self.rail.settings_clicked.connect(self.open_settings)
        self.rail.avatar_clicked.connect(self._account_menu)
        self.own_face.changed.connect(self._show_my_face)
        self.status_line.retry_requested.connect(client.reconnect_now)
        self.list_pane.conversation_selected.connect(self.open_conversation)
        self.list_pane.new_chat_requested.connect(self.open_new_chat)
        self.list_pane.pin_requested.connect(self._pin)
        self.list_pane.delete_requested.connect(self._confirm_delete)
        self.list_pane.mark_read_requested.connect(self._mark_read)
        self.list_pane.mark_all_read_requested.connect(self.mark_all_read)
        self.list_pane.receive_option_requested.connect(self._set_receive_option)
        self.chat.new_chat_requested.connect(self.open_new_chat)
        self.chat.group_info_requested.connect(self.toggle_group_pane)
        self.group_pane.closed.connect(self.group_pane.hide)
        self.group_pane.open_chat_requested.connect(self.open_conversation)
        self.groups_page.open_chat_requested.connect(self.open_conversation)
        self.groups_page.profile_requested.connect(self.show_contact)
        self.group_pane.profile_requested.connect(self.show_contact)
        self.groups_page.requests_changed.connect(self.rail.set_requests)
        self.contacts_page.open_chat_requested.connect(self.open_conversation)
        self.contacts_page.requests_changed.connect(self.rail.set_friend_requests)
        self.chat.contact_info_requested.connect(self.show_contact)
        self._draw_group_faces()
        self.list_pane.set_faces(self.chat.faces)
        for event in (self.group_events.members_changed, self.group_events.members_removed):
            event.connect(lambda group_id, _members: self.chat.group_changed(group_id))
        self.group_events.group_info_changed.connect(
            lambda group_id, _changes: self.chat.group_changed(group_id))
        for change in (self.conversations.rowsInserted, self.conversations.rowsRemoved,
                       self.conversations.modelReset):
            change.connect(self._update_hints)
        settings.changed.connect(self._on_setting)
        self._shortcuts()
        self._message_search()

        self.retranslate()
        self.setMinimumSize(MAIN_WINDOW_MIN_SIZE)
        place(self, settings.window_geometry, anchor)
        self.status_line.set_state(client.connection_state)

    # --- start ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Wire the SDK events and fill the list from the cache (works offline)."""
        if self._started:
            return
        self._started = True
        bridge = self.bridge
        changed_meanwhile: set[str] = set()

        def remember(convs: list[Conversation]) -> None:
            changed_meanwhile.update(c.conversation_id for c in convs)

        bridge.conversations_changed.connect(remember)
        bridge.conversations_changed.connect(self._on_conversations)
        bridge.conversations_deleted.connect(self._on_conversations_deleted)
        bridge.new_message.connect(self.chat.on_message)
        bridge.message_status_changed.connect(self.chat.on_message)
        bridge.receipts.connect(self.chat.on_receipts)
        bridge.message_revoked.connect(self.chat.on_message_revoked)
        bridge.message_modified.connect(self.chat.on_message_modified)
        bridge.typing_status.connect(self.chat.typing.heard)
        bridge.send_progress.connect(self.chat.media.kit.files.on_send_progress)
        bridge.total_unread_changed.connect(self.rail.set_unread)
        bridge.connection_changed.connect(self.status_line.set_state)
        bridge.retry_scheduled.connect(self.status_line.set_retry_in)
        bridge.sync_started.connect(self.status_line.sync_started)
        bridge.sync_finished.connect(self.status_line.sync_ended)
        bridge.sync_failed.connect(self.status_line.sync_ended)
        bridge.self_info_updated.connect(self._on_self_info)
        bridge.connection_changed.connect(lambda *_: self.chat.link_changed())
        bridge.sync_finished.connect(self.chat.synced)
        bridge.server_data_reset.connect(self._on_server_data_reset)
        bridge.sync_finished.connect(self.group_applications.refresh)
        bridge.sync_finished.connect(self.groups_page.read_missing_faces)
        self.status_line.set_state(self.client.connection_state)
        me = self.client.me
        self._on_self_info((self.client.profiles.user_info(me) if me else None) or UserInfo(me))

        manager = self.client.conversation_manager
        next_seq = 0
        try:
            while True:
                page = await manager.get_conversation_list(next_seq, PAGE_SIZE)
                # A live update that arrived while this page was read is newer than the page.
                fresh = [c for c in named(page.conversation_list)
                         if c.conversation_id not in changed_meanwhile]
                self.conversations.upsert(fresh)
                next_seq = page.next_seq
                if page.is_finished or not page.conversation_list:
                    break
            self.rail.set_unread(await manager.get_total_unread_message_count())
        finally:
            bridge.conversations_changed.disconnect(remember)
        await self.groups_page.start()
        await self.contacts_page.start()

    # --- conversations -------------------------------------------------------------------

    def _on_conversations(self, convs: list[Conversation]) -> None:
        self.conversations.upsert(convs)
        for conv in convs:
            self.chat.update_conversation(conv)

    def _on_conversations_deleted(self, ids: list[str]) -> None:
        self.conversations.remove(ids)
        if self.chat.conversation_id in ids:
            self.chat.close_chat()
            self.list_pane.select("")

    def _on_server_data_reset(self, _reason: str) -> None:
        """The service's data went back to an earlier copy: the chat reads its history again,
        reopened and listed (until the resync announces it) if the resync's deletions closed
        it; the rest of the list follows from the resync's own announcements."""
        conv = self.chat.reload_after_reset()
        if conv is not None and self.conversations.row_of(conv.conversation_id) < 0:
            self.conversations.add_local(conv)
            self.list_pane.select(conv.conversation_id)

    def open_conversation(self, conv_id: str, name: str = "") -> None:
        """Show the chat `conv_id` (from the list, a notification, or a new chat). A C2C chat
        that does not exist yet opens empty and is created by its first message."""
        conv = self.conversations.conversation(conv_id)
        if conv is None:
            conv = self._new_local(conv_id, name)
            if conv is None:
                return
            self.conversations.add_local(conv)
            self.tasks.run(self._refresh_unlisted(conv_id))
        left = self.chat.conversation_id
        if left and left != conv_id:
            self.conversations.drop_local(left)
        self.rail.set_page(Page.CHATS)
        self.pages.setCurrentIndex(Page.CHATS)
        self.list_pane.select(conv_id)
        self.chat.open(conv)
        if self.group_pane.isVisible():
            if conv.group_id:
                self.group_pane.show_group(conv.group_id)
            else:
                self.group_pane.hide()

    def open_message(self, conv_id: str, msg_id: str) -> None:
        """Show the chat `conv_id` at message `msg_id` (a notification's click, a search
        result): Chats, the chat opened, its timeline loaded around the message, scrolled to
        it and flashed. A message this device does not hold opens the chat at its newest."""
        self.open_conversation(conv_id)

        async def find() -> None:
            found = await self.client.message_manager.find_messages([msg_id])
            if found and self.chat.conversation_id == conv_id:
                self.show_message(conv_id, found[0])
        self.tasks.run(find())

    def show_message(self, conv_id: str, msg: Message) -> None:
        """`open_message` for a message at hand (the search panel's result)."""
        self.open_conversation(conv_id)
        conv = self.chat.conversation
        if conv is not None and conv.conversation_id == conv_id:
            self.chat.open(conv, at=msg)

    # --- message search ------------------------------------------------------------------

    def _message_search(self) -> None:
        """The search panel (Ctrl+Shift+F, the list's "Search messages" row)."""
        self.search_panel = SearchPanel(self.client, self)
        self.search_panel.faces = self.chat.faces
        self.search_panel.group_faces = self.groups_page.model
        self.search_panel.open_requested.connect(self.show_message)
        self.search_panel.closed.connect(self._focus_after_popup)
        self.search_row.clicked.connect(self.open_search)
        self.list_pane.filter.textChanged.connect(self.search_row.set_text)
        self.escape_handlers[0:0] = [self.search_panel.close_panel, self._close_find_bar]

    def _close_find_bar(self) -> bool:
        return self.pages.currentIndex() == Page.CHATS and self.chat.search.close_find()

    def open_search(self, text: str = "") -> None:
        """The search panel over the window, with `text` (else what it last had)."""
        self.search_panel.open(text, self.conversations.conversations())

    def show_contact(self, user_id: str) -> None:
        """A person's card on the Contacts page: a one-to-one chat header's button, a group
        member's menu, a sender's avatar in a chat."""
        self.rail.set_page(Page.CONTACTS)
        self.pages.setCurrentIndex(Page.CONTACTS)
        self.contacts_page.show_user(user_id)

    def toggle_group_pane(self, group_id: str) -> None:
        """The chat header's group button: the group's pane beside the chat, or away again."""
        if self.group_pane.isVisible() and self.group_pane.group_id == group_id:
            self.group_pane.hide()
            return
        self.group_pane.show_group(group_id)
        if not self.group_pane.isVisible():
            sizes = self.splitter.sizes()
            pane = max(320, min(400, sizes[1] - 400))  # the chat keeps 400 px where it can
            self.group_pane.show()
            self.splitter.setSizes([sizes[0], sizes[1] - pane, pane])

    def _new_local(self, conv_id: str, name: str) -> Conversation | None:
        """A chat not listed yet: a person written to for the first time, or a group of mine
        nobody has written in."""
        now = time.time_ns() // 1_000_000
        if conv_id.startswith(GROUP_PREFIX):
            group_id = conv_id[len(GROUP_PREFIX):]
            info = self.client.group_manager.cached_group(group_id)
            if info is None:
                return None
            return Conversation(conversation_id=conv_id, type=ConvType.GROUP, group_id=group_id,
                                show_name=name or info.name or group_id,
                                face_url=info.face_url, group_type=info.group_type,
                                order_key=now)
        peer = conv_id[len(C2C_PREFIX):] if conv_id.startswith(C2C_PREFIX) else ""
        if not is_valid_user_id(peer):
            return None
        return Conversation(conversation_id=conv_id, type=ConvType.C2C, user_id=peer,
                            show_name=name or peer, order_key=now)

    async def _refresh_unlisted(self, conv_id: str) -> None:
        """A chat opened before it is in the list: its cached state (draft, history) if any."""
        conv = await self.client.conversation_manager.get_conversation(conv_id)
        if conv is not None:
            (conv,) = named([conv])
            self.chat.update_conversation(conv)
            if self.conversations.is_local(conv_id) and (conv.last_message or conv.draft_text):
                self.conversations.upsert([conv])

    def _pin(self, conv_id: str, pinned: bool) -> None:
        self.tasks.run(self.client.conversation_manager.pin_conversation(conv_id, pinned))

    def _mark_read(self, conv_id: str) -> None:
        self.tasks.run(self.client.message_manager.mark_conversation_as_read(conv_id))

    def mark_all_read(self) -> None:
        self.tasks.run(self.client.message_manager.mark_all_message_as_read())

    def _set_receive_option(self, conv_id: str, opt: int) -> None:
        manager = self.client.conversation_manager
        self.tasks.run(manager.set_conversation_receive_option(conv_id, opt))

    def _confirm_delete(self, conv_id: str) -> None:
        conv = self.conversations.conversation(conv_id)
        name = conv.show_name if conv else conv_id
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete chat"))
        box.setText(self.tr("Delete the chat with %1?").replace("%1", name))
        box.setInformativeText(
            self.tr("Its messages are removed for you only. A new message brings the chat back.")
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            if box.clickedButton() is delete:
                self.tasks.run(self.client.conversation_manager.delete_conversation(conv_id))

        box.finished.connect(finished)
        box.open()

    # --- dialogs -------------------------------------------------------------------------

    def open_new_chat(self) -> None:
        if self._new_chat is not None:
            self._new_chat.raise_()
            self._new_chat.activateWindow()
            return
        dialog = NewChatDialog(self.client, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(
            lambda user_id, name: self.open_conversation(C2C_PREFIX + user_id, name)
        )
        dialog.finished.connect(lambda _r: setattr(self, "_new_chat", None))
        self._new_chat = dialog
        dialog.open()

    def open_settings(self) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.show()
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(self.settings, self.client.me, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sign_out_requested.connect(dialog.accept)
        dialog.sign_out_requested.connect(self.sign_out_requested)
        dialog.shortcuts_requested.connect(lambda: self.open_shortcuts(dialog))
        dialog.finished.connect(lambda _r: setattr(self, "_settings_dialog", None))
        self._settings_dialog = dialog
        dialog.open()

    def open_my_profile(self) -> None:
        if self.my_profile is not None:
            self.my_profile.raise_()
            self.my_profile.activateWindow()
            return
        dialog = MyProfileDialog(self.client, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show_face(self.own_face.image)
        dialog.finished.connect(lambda _r: setattr(self, "my_profile", None))
        self.my_profile = dialog
        dialog.open()

    def _account_menu(self) -> None:
        menu = QMenu(self)
        me = QAction(self._my_name or self.client.me, menu)
        me.setEnabled(False)
        menu.addAction(me)
        menu.addSeparator()
        profile = QAction(self.tr("My profile…"), menu)
        profile.triggered.connect(self.open_my_profile)
        menu.addAction(profile)
        settings = QAction(self.tr("Settings…"), menu)
        settings.triggered.connect(self.open_settings)
        menu.addAction(settings)
        keys = QAction(self.tr("Keyboard shortcuts"), menu)
        keys.setShortcut("Ctrl+/")
        keys.triggered.connect(self.open_shortcuts)
        menu.addAction(keys)
        sign_out = QAction(self.tr("Sign out"), menu)
        sign_out.triggered.connect(self.sign_out_requested)
        menu.addAction(sign_out)
        quit_app = QAction(self.tr("Quit Tidings"), menu)
        quit_app.triggered.connect(self.quit_requested)
        menu.addAction(quit_app)
        avatar = self.rail.avatar
        menu.popup(avatar.mapToGlobal(avatar.rect().topRight()))

    def _on_self_info(self, info: UserInfo) -> None:
        self._my_name = info.nick_name
        self.rail.set_me(info.user_id, info.nick_name, self.own_face.image)
        self.own_face.show(info.face_url)

    def _show_my_face(self, image: QImage | None) -> None:
        self.rail.set_me(self.client.me, self._my_name, image)
        if self.my_profile is not None:
            self.my_profile.show_face(image)

    def _draw_group_faces(self) -> None:
        """Group chats in the list and the header show the group's avatar as the Groups page
        draws it (picture or first members), and follow when that changes."""
        faces = self.groups_page.model
        self.list_pane.delegate.group_faces = faces
        self.chat.header.group_faces = faces

        def redraw() -> None:
            self.list_pane.list.viewport().update()
            self.chat.header.refresh_group_avatar()
        for change in (faces.dataChanged, faces.rowsInserted, faces.rowsRemoved,
                       faces.modelReset):
            change.connect(redraw)

    # --- keyboard ------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        """The window's shortcuts, as `app.ui.shortcuts` declares them."""
        self.switcher = QuickSwitcher(self, self._switcher_source())
        self.switcher.delegate.faces = self.chat.faces
        self.switcher.delegate.group_faces = self.groups_page.model
        self.switcher.chosen.connect(self.open_conversation)
        self.switcher.closed.connect(self._focus_after_popup)
        self.list_pane.chat_focus_requested.connect(self.chat.composer.focus)
        self.shortcuts = install_shortcuts(self, {
            "quick_switcher": self.open_switcher,
            "next_chat": lambda: self.step_chat(1),
            "previous_chat": lambda: self.step_chat(-1),
            "next_unread": lambda: self.step_chat(1, unread=True),
            "previous_unread": lambda: self.step_chat(-1, unread=True),
            "page_chats": lambda: self.show_page(Page.CHATS),
            "page_contacts": lambda: self.show_page(Page.CONTACTS),
            "page_groups": lambda: self.show_page(Page.GROUPS),
            "new_chat": self.open_new_chat,
            "settings": self.open_settings,
            "shortcuts": self.open_shortcuts,
            "quit": self.quit_requested.emit,
            "search_messages": lambda: self.open_search(""),
        })
        self.escape_handlers: list[Callable[[], bool]] = [
            self._close_switcher, self._close_group_pane, self._close_card,
        ]
        """Esc asks these in turn until one closed something (topmost first); others (a
        search panel) may put theirs in front."""

    def _switcher_source(self) -> Callable[[], list[Candidate]]:
        def source() -> list[Candidate]:  # a worker thread: only the snapshots below
            return build_candidates(conversations, friends, groups)
        conversations: list[Conversation] = []
        friends: list[Friend] = []
        groups: list[GroupInfo] = []

        def snapshot() -> None:
            conversations[:] = self.conversations.conversations()
            friends[:] = self.contacts_page.model.friends()
            groups[:] = self.groups_page.model.groups()
        self._snapshot_for_switcher = snapshot
        return source

    def open_switcher(self) -> None:
        """Ctrl+K: the quick switcher over conversations, contacts and groups."""
        if self.switcher.isVisible():
            self.switcher.field.selectAll()
            return
        self._snapshot_for_switcher()
        recent = self.conversations.conversations()[:LIMIT]
        self.switcher.open(build_candidates(recent, [], []))

    def step_chat(self, delta: int, unread: bool = False) -> None:
        """Alt+↓/↑, Ctrl+Tab: the next or previous chat in the list's order; Alt+Shift+↓/↑
        (`unread`): the next or previous one with unread messages."""
        conv_id = self.list_pane.neighbour(delta, unread)
        if conv_id:
            self.open_conversation(conv_id)

    def show_page(self, page: Page) -> None:
        """Ctrl+1–3: a page of the rail, its list focused."""
        self.rail.set_page(page)
        self.pages.setCurrentIndex(page)
        widget = {Page.CHATS: self.list_pane.list, Page.CONTACTS: self.contacts_page.list,
                  Page.GROUPS: self.groups_page.list}[page]
        if page != Page.CHATS or not self.chat.conversation_id:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.chat.composer.focus()

    def open_shortcuts(self, over: QWidget | None = None) -> None:
        """Ctrl+/ (or Settings, `over` it): the Keyboard shortcuts sheet."""
        if self._shortcuts_sheet is not None:
            self._shortcuts_sheet.raise_()
            self._shortcuts_sheet.activateWindow()
            return
        sheet = ShortcutsSheet(self.settings, over or self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.finished.connect(lambda _r: setattr(self, "_shortcuts_sheet", None))
        self._shortcuts_sheet = sheet
        sheet.open()

    def escape(self) -> bool:
        """Esc: close the topmost panel or popup; True if one was closed."""
        return any(handler() for handler in self.escape_handlers)

    def _close_switcher(self) -> bool:
        if self.switcher.isVisible():
            self.switcher.close_switcher()
            return True
        return False

    def _close_group_pane(self) -> bool:
        pane = self.group_pane
        if self.pages.currentIndex() != Page.CHATS or not pane.isVisible():
            return False
        pane.hide()
        self._focus_after_popup()
        return True

    def _close_card(self) -> bool:
        if self.pages.currentIndex() != Page.CONTACTS:
            return False
        return self.contacts_page.close_card()

    def _focus_after_popup(self) -> None:
        """Where the keys go once a popup or panel is gone: the open chat's message box, else
        the page's list."""
        if self.pages.currentIndex() == Page.CHATS and self.chat.conversation_id:
            self.chat.composer.focus()
        elif self.pages.currentIndex() == Page.CHATS:
            self.list_pane.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that no widget took closes the topmost panel, or else gives the keys back to
        the open chat's message box (from the message list, the header)."""
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        if event.key() == Qt.Key.Key_Escape and plain:
            if not self.escape():
                self._focus_after_popup()  # nothing to close: the keys back to the message box
            event.accept()
            return
        super().keyPressEvent(event)

    # --- window life ---------------------------------------------------------------------

    def _tray_wanted(self) -> bool:
        return self.settings.close_to_tray and QSystemTrayIcon.isSystemTrayAvailable()

    def _on_setting(self, key: str) -> None:
        if key == "close_to_tray":
            self.hide_on_close = self._tray_wanted()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Hide to the tray, or ask the app to quit; after `shutdown()` really close."""
        if self._shut_down:
            event.accept()
            return
        self.settings.window_geometry = bytes(self.saveGeometry().data())
        event.ignore()
        if self.hide_on_close:
            self.hide()
            self.chat.save_draft()
        else:
            self.quit_requested.emit()

    async def shutdown(self) -> None:
        """Before quitting or signing out: remember the geometry, save the open draft, stop
        background work. Afterwards `close()` closes the window for good."""
        self.settings.window_geometry = bytes(self.saveGeometry().data())
        await self.chat.flush()
        await self.chat.faces.close()
        # No await from here on: an event arriving during one (a sync ending) would start new
        # reads in the parts already stopped, to land after the window is deleted.
        self.tasks.cancel_all()
        self.groups_page.stop()
        self.contacts_page.stop()
        self.own_face.stop()
        self.group_pane.stop()
        self.group_applications.stop()
        self.switcher.stop()
        self.search_panel.stop()
        self._shut_down = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.chat.window_activated()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(demo_title() if self.service == "demo" else "Tidings")
        self._update_hints()

    def _update_hints(self, *_args: object) -> None:
        """With no chats, both empty panes tell the user their ID (not in the demo)."""
        me = self.client.me
        note = ""
        if me and self.service != "demo" and self.conversations.rowCount() == 0:
            who = f"<b>{html.escape(me)}</b>"
            if self.service == "local":
                note = self.tr("Your user ID is %1. Others who use Tidings on this computer "
                               "can start a chat with you with it.")
            else:
                note = self.tr("Your user ID is %1. Share it so that people can start a chat "
                               "with you.")
            note = note.replace("%1", who)
        self.list_pane.set_note(note)
        self.chat.empty.set_note(note)
