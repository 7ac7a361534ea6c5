"""A session's notifications: new messages in, decisions, texts and the notifier out.

It listens to the SDK bridge like every view, asks `decision` about each new message with the
user's state at that moment, and hands what passes to the `Notifier` keyed by conversation, so
a burst updates one notification ("3 new messages" over the latest). A conversation read, opened
or clicked starts its count again and takes its notification away. The first catch-up after the
app started goes into one summary instead (`summary`). Clicking a notification asks for its
conversation at its message (`activated`); a reply from it is sent there through the SDK.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTime, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.protocol import ConvType, IMError
from app.protocol.ids import parse_conversation_id
from app.sdk import Conversation, IMClient, Message
from app.ui.bridge import SdkBridge
from app.ui.faces import FaceStore, fetchable
from app.ui.notify.decision import Moment, Skip, Target, decide, interrupts, quiet_hours
from app.ui.notify.icons import IconFiles
from app.ui.notify.notifier import Notifier
from app.ui.notify.summary import Missed
from app.ui.notify.texts import Texts, burst_texts, message_texts
from app.ui.settings import AppSettings
from app.ui.tasks import TaskGroup

log = logging.getLogger(__name__)

AWAITING_FACES = 32
"""At most this many face URLs are waited for (a failed fetch never arrives)."""
SUMMARY_KEY = "tidings:summary"
"""The key of the after-restart summary (no conversation ID looks like it)."""


def local_minute() -> int:
    now = QTime.currentTime()
    return now.hour() * 60 + now.minute()


class NotificationCenter(QObject):
    activated = Signal(str, str)
    """Open conversation_id at msg_id and raise the window; an empty conversation ID means
    the chat list (the summary of several chats)."""
    raised = Signal(str, str)
    """A notification was shown (key, msg_id): benches and tests measure and wait on it."""

    def __init__(self, client: IMClient, bridge: SdkBridge, settings: AppSettings,
                 notifier: Notifier, icon_folder: Path, *,
                 conversation: Callable[[str], Conversation | None] = lambda _id: None,
                 focused: Callable[[], str] = lambda: "",
                 window: Callable[[], QWidget | None] = lambda: None,
                 faces: FaceStore | None = None,
                 clock: Callable[[], int] = local_minute,
                 parent: QObject | None = None) -> None:
        """`conversation` looks a conversation up in the list, `focused` names the chat the
        user is reading (open in the active window) or "", `window` is what to flash."""
        super().__init__(parent)
        self._client = client
        self._bridge = bridge
        self._settings = settings
        self.notifier = notifier
        self._icons = IconFiles(icon_folder)
        self._conversation = conversation
        self._focused = focused
        self._window = window
        self._faces = faces
        self._clock = clock
        self._tasks = TaskGroup("notifications")
        self._awaiting_face: dict[str, list[tuple[str, str, Texts, str, str]]] = {}
        """Face URL → notifications shown with initials while it loaded: (key, msg_id, texts,
        sender, sender's name), to show again with the picture."""
        self._bursts: dict[str, int] = {}
        """Per conversation: messages told since it was last seen."""
        self.first_catch_up = True
        """Until the first catch-up after start finishes, new messages go to the summary."""
        self.missed = Missed()
        self._summary_target = ("", "")
        """(conversation ID or "" for several, msg_id) the summary opens."""
        self.skipped: Counter[Skip] = Counter()
        """Why messages raised nothing (logs, tests)."""
        bridge.new_message.connect(self.on_message)
        bridge.sync_finished.connect(self._on_synced)
        bridge.conversations_changed.connect(self._on_conversations)
        bridge.conversations_deleted.connect(self._on_deleted)
        bridge.message_revoked.connect(self._on_revoked)
        bridge.message_modified.connect(self._on_modified)
        if faces is not None:
            faces.arrived.connect(self._on_face)
        notifier.activated.connect(self._on_activated)
        notifier.replied.connect(self.reply)

    def close(self) -> None:
        for signal, slot in ((self._bridge.new_message, self.on_message),
                             (self._bridge.sync_finished, self._on_synced),
                             (self._bridge.conversations_changed, self._on_conversations),
                             (self._bridge.conversations_deleted, self._on_deleted),
                             (self._bridge.message_revoked, self._on_revoked),
                             (self._bridge.message_modified, self._on_modified)):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._tasks.cancel_all()

    async def withdraw_all(self) -> None:
        await self.notifier.withdraw_all()

    # --- the state of the moment ---------------------------------------------------------

    def moment(self) -> Moment:
        s = self._settings
        return Moment(enabled=s.notifications, do_not_disturb=s.do_not_disturb,
                      quiet_hours=quiet_hours(s.quiet_hours, s.quiet_from, s.quiet_to),
                      minute=self._clock(), focused_conversation=self._focused(),
                      catching_up=self.first_catch_up)

    def target(self, msg: Message) -> tuple[Target, str]:
        """The conversation's notifying facts and show name, from the list or (a chat not
        listed yet) from what the SDK knows of the group or person."""
        conv = self._conversation(msg.conversation_id)
        if conv is not None:
            return Target(conv.recv_opt, conv.group_type), conv.show_name
        if msg.conv_type == ConvType.GROUP:
            group = self._client.group_manager.cached_group(msg.group_id)
            if group is not None:
                return Target(group_type=group.group_type), group.name or msg.group_id
            return Target(), msg.group_id
        friend = self._client.friendship_manager.cached_friend(msg.sender)
        return Target(), (friend.remark if friend else "") or msg.nick_name or msg.sender

    # --- messages in ---------------------------------------------------------------------

    def on_message(self, msg: Message) -> None:
        target, name = self.target(msg)
        moment = self.moment()
        reason = decide(msg, target, moment)
        conv_id = msg.conversation_id
        if reason is None:
            self._tasks.run(self._notify(msg, name))
            return
        self.skipped[reason] += 1
        if reason is Skip.CATCHING_UP and not msg.is_excluded_from_unread_count:
            self.missed.add(conv_id, name, msg.msg_id, message_texts(msg, name).body)
        elif reason is Skip.FOCUSED:
            self._seen(conv_id)

    async def _notify(self, msg: Message, name: str) -> None:
        conv_id = msg.conversation_id
        count = self._bursts[conv_id] = self._bursts.get(conv_id, 0) + 1
        texts = burst_texts(message_texts(msg, name), count)
        sender_name = msg.name_card or msg.nick_name or msg.sender
        if msg.conv_type == ConvType.C2C:
            sender_name = name or sender_name
        image = self._faces.image(msg.face_url) if self._faces and msg.face_url else None
        icon = self._icons.face(msg.sender, sender_name, msg.face_url, image)
        if image is None and msg.face_url and fetchable(msg.face_url):
            self._await_face(msg.face_url, (conv_id, msg.msg_id, texts, msg.sender, sender_name))
        await self.notifier.show(conv_id, texts.title, texts.body, msg_id=msg.msg_id,
                                 icon=icon, sound=self._settings.notification_sound,
                                 reply=True)
        self._alert()
        self.raised.emit(conv_id, msg.msg_id)

    def _await_face(self, url: str, shown: tuple[str, str, Texts, str, str]) -> None:
        """Only where the OS updates a notification in place: elsewhere showing it again would
        pop it up a second time (the next one has the picture anyway)."""
        if not self.notifier.updates_in_place:
            return
        self._awaiting_face.setdefault(url, []).append(shown)
        while len(self._awaiting_face) > AWAITING_FACES:  # faces that never come
            del self._awaiting_face[next(iter(self._awaiting_face))]

    def _on_face(self, url: str) -> None:
        """A sender's picture arrived: a notification still showing their initials gets it,
        quietly."""
        waiting = self._awaiting_face.pop(url, [])
        image = self._faces.image(url) if waiting and self._faces is not None else None
        if image is None:
            return
        for key, msg_id, texts, sender, name in waiting:
            shown = self.notifier.last.get(key)
            if shown is None or shown.msg_id != msg_id:
                continue  # gone, or a newer message's notification replaced it
            icon = self._icons.face(sender, name, url, image)
            self._tasks.run(self.notifier.show(key, texts.title, texts.body, msg_id=msg_id,
                                               icon=icon, sound=False, reply=True))

    def _alert(self) -> None:
        """Taskbar/dock urgency: the window's button flashes (Windows), the dock icon bounces
        once (macOS), the window is marked urgent (X11) until it is activated."""
        window = self._window()
        if window is not None:
            QApplication.alert(window)

    def _on_synced(self) -> None:
        if not self.first_catch_up:
            return
        self.first_catch_up = False
        missed, self.missed = self.missed, Missed()
        texts = missed.texts()
        if texts is None:
            return
        reason = interrupts(self.moment(), missed.single)
        if reason is not None:
            log.info("the summary of %d messages is not shown: %s", missed.messages,
                     reason.value)
            return
        single = missed.single
        msg_id = missed.latest[single][0] if single else ""
        self._summary_target = (single, msg_id)
        self._tasks.run(self._show_summary(texts.title, texts.body, msg_id))

    async def _show_summary(self, title: str, body: str, msg_id: str) -> None:
        await self.notifier.show(SUMMARY_KEY, title, body, msg_id=msg_id,
                                 sound=self._settings.notification_sound, reply=False)
        self._alert()
        self.raised.emit(SUMMARY_KEY, msg_id)

    # --- seen, read, clicked -------------------------------------------------------------

    def _seen(self, conv_id: str) -> None:
        self._bursts.pop(conv_id, None)
        if self.notifier.showing(conv_id):
            self._tasks.run(self.notifier.withdraw(conv_id))

    def _on_conversations(self, convs: list[Conversation]) -> None:
        for conv in convs:
            if conv.unread_count == 0 and conv.conversation_id in self._bursts:
                self._seen(conv.conversation_id)

    def _on_deleted(self, ids: list[str]) -> None:
        for conv_id in ids:
            self._seen(conv_id)

    def newest(self) -> tuple[str, str] | None:
        """(conversation ID, msg_id) of the newest message notification still showing."""
        for key in reversed(self.notifier.last):
            if key != SUMMARY_KEY:
                return key, self.notifier.last[key].msg_id
        return None

    def open_newest(self) -> bool:
        """Open what the newest notification is about (the tray clicked while one shows), as
        its click would; False when none shows."""
        newest = self.newest()
        if newest is None:
            return False
        self._seen(newest[0])
        self.activated.emit(*newest)
        return True

    def _on_revoked(self, msg_id: str, _revoker: str) -> None:
        """A recalled message must not stay on screen in a notification."""
        for key, shown in list(self.notifier.last.items()):
            if shown.msg_id == msg_id and key != SUMMARY_KEY:
                self._seen(key)

    def _on_modified(self, msg: Message) -> None:
        """An edited message shows its new text where a notification still shows it: the
        same notification, quietly, with the burst's count as it was."""
        shown = self.notifier.last.get(msg.conversation_id)
        if shown is None or shown.msg_id != msg.msg_id:
            return
        _target, name = self.target(msg)
        texts = burst_texts(message_texts(msg, name), self._bursts.get(shown.key, 1))
        self._tasks.run(self.notifier.show(shown.key, texts.title, texts.body,
                                           msg_id=msg.msg_id, icon=shown.icon, sound=False,
                                           reply=True))

    def _on_activated(self, key: str, msg_id: str) -> None:
        if key == SUMMARY_KEY:
            single, msg_id = self._summary_target
            self.activated.emit(single, msg_id)
            return
        self._bursts.pop(key, None)
        self.activated.emit(key, msg_id)

    def reply(self, conv_id: str, text: str) -> None:
        """Send `text` into `conv_id` (the notification's reply field)."""
        try:
            kind, target = parse_conversation_id(conv_id)
        except IMError:
            return
        self._seen(conv_id)
        manager = self._client.message_manager
        msg = manager.create_text_message(text)
        if kind == ConvType.GROUP:
            self._tasks.run(manager.send_message(msg, group_id=target))
        else:
            self._tasks.run(manager.send_message(msg, receiver=target))
