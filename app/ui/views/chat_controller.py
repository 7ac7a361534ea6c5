"""What the chat does with what the user writes and picks: sending, drafts, and message actions.

`ChatView` lays the chat out and wires its widgets; the policy behind them is here:

- Sending text, and media from the preview sheet: each file becomes a message (the SDK reads
  and decodes it in an executor), shown at once as SENDING and sent in the order chosen. The
  caption is shown with them but sent once they are: the SDK lets a text overtake media still
  uploading, and a caption read before its photo is no caption. A file the SDK refuses (not a
  picture after all, too many pixels, unreadable, too large) is named in one notice with the
  reason, and the others still go. A reply puts TUIKit's quote (`app.sdk.reply`) in the first
  message's cloud custom data.
- Drafts: written when typing pauses and when the chat is left, only if they changed.
- Recall within the SDK's window (by the service's clock), with the text of what was recalled
  from this device kept for "Re-edit"; forwarding one by one or as a merged chat history;
  delete for me; copying a cached picture; saving media.

Sends, recalls, forwards and deletes run in `_lasting` and draft saves in `_drafts`, because
they must finish even when the user has moved to another chat. Only draft saves are awaited at
shutdown: an unsent message is already in the SDK's persistent outbox, and waiting for its ack
offline could take minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage

from app.protocol import ConvType, ErrorCode, ImageKind, IMError, MediaKind
from app.protocol.elements import TextElem
from app.protocol.groups import GroupRole
from app.sdk import Conversation, IMClient, Message, MessageStatus
from app.sdk.reply import message_abstract, reply_cloud_data
from app.ui.models.timeline import Role, TimelineModel
from app.ui.tasks import TaskGroup
from app.ui.views.send_preview import Outgoing

DRAFT_SAVE_MS = 1200
"""Typing pauses this long before the draft is written (switching chats saves at once)."""
FLUSH_TIMEOUT_S = 3.0
"""A draft is written to the cache at once; only its sync to other devices can be slow."""
MERGER_ABSTRACTS = 4
"""Lines of a merged chat history shown in its bubble, as TUIKit shows."""
FORWARDABLE = frozenset({MessageStatus.SEND_SUCC, MessageStatus.LOCAL_IMPORTED})


@dataclass(frozen=True, slots=True)
class MediaSource:
    """Where a message's media lives in the service's store, and a name to save it under."""

    uuid: str
    url: str
    size: int
    name: str


def media_source(msg: Message) -> MediaSource | None:
    """The file a message carries (a picture's original), None for text and the like."""
    stamp = time.strftime("%Y-%m-%d_%H-%M-%S", time.localtime(msg.time_ms / 1000))
    if (image := msg.image_elem) is not None:
        info = image.level(ImageKind.ORIGINAL) or image.level(ImageKind.LARGE)
        if info is not None:
            return MediaSource(info.uuid, info.url, info.size,
                               f"photo_{stamp}.{image.format or 'jpg'}")
    if (video := msg.video_elem) is not None:
        return MediaSource(video.uuid, video.url, video.size, f"video_{stamp}.{video.format}")
    if (sound := msg.sound_elem) is not None:
        return MediaSource(sound.uuid, sound.url, sound.size, f"voice_{stamp}.{sound.format}")
    if (file := msg.file_elem) is not None:
        return MediaSource(file.uuid, file.url, file.size, file.name or f"file_{stamp}")
    return None


RETRY_EDIT = frozenset({ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_REQUEST_TIMEOUT,
                        ErrorCode.RATE_LIMITED, ErrorCode.SENSITIVE_WORD})
"""Refusals of an edit that the user can get past by trying again (online, later, or with
another word): the edit goes back into the composer with its new text."""


class ChatController(QObject):
    notice = Signal(str, bool)
    """A line for the user above the composer: (text, is an error)."""
    sent_here = Signal()
    """A message of mine was put at the bottom of the open chat: follow it there."""
    reply_changed = Signal()
    """The message being replied to was chosen or dropped (`replying_to`)."""
    edit_changed = Signal()
    """A message of mine began or stopped being edited in the composer (`editing`)."""

    def __init__(self, client: IMClient, model: TimelineModel,
                 conversation: Callable[[], Conversation | None],
                 composer_text: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._model = model
        self._conversation = conversation
        self._composer_text = composer_text
        self._lasting = TaskGroup("chat sends")
        self._drafts = TaskGroup("drafts")
        self._saved_drafts: dict[str, str] = {}
        self._recalled: dict[str, str] = {}
        """Texts of my messages recalled from this device, by msg_id ("Re-edit")."""
        self._reply_to: Message | None = None
        self._editing: Message | None = None
        self._edit_stash = ""
        """The composer's text before the edit began: the draft, given back after it."""
        self._edit_text = ""
        """What the box holds when the edit begins: the message's text, or the new text of an
        edit that could not be saved yet (offline), to try again."""
        self._pastes: tempfile.TemporaryDirectory[str] | None = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)

    def _open_id(self) -> str:
        conv = self._conversation()
        return conv.conversation_id if conv is not None else ""

    # --- the chat opened and left --------------------------------------------------------

    def opened(self, conv: Conversation) -> None:
        """`conv` is shown now with its draft in the composer: that is what is saved."""
        self._saved_drafts[conv.conversation_id] = conv.draft_text

    def leaving(self) -> None:
        """The open chat is about to be left (or read again): its draft is saved now."""
        self._draft_timer.stop()
        if self._conversation() is not None:
            self.save_draft()
        self.cancel_reply()
        self.cancel_edit()

    # --- editing -------------------------------------------------------------------------

    @property
    def editing(self) -> Message | None:
        return self._editing

    @property
    def edit_text(self) -> str:
        return self._edit_text

    @property
    def edit_stash(self) -> str:
        """What the composer held before the edit began (the chat's draft)."""
        return self._edit_stash

    @staticmethod
    def can_edit(msg: Message) -> bool:
        """My stored text message, not recalled: its text can be changed (V2TIM lets any
        message's cloud custom data change, but only text is shown to be edited here)."""
        return (msg.is_self and msg.status == MessageStatus.SEND_SUCC and msg.seq > 0
                and msg.text_elem is not None and not msg.online_user_only)

    def start_edit(self, msg: Message, composer_text: str, text: str | None = None) -> None:
        """Edit `msg` in the composer, the box holding its text (or `text`); `composer_text`
        (the draft) comes back afterwards."""
        if not self.can_edit(msg):
            return
        self.cancel_reply()
        if self._editing is None:
            self._edit_stash = composer_text
        self._editing = msg
        original = msg.text_elem.text if msg.text_elem is not None else ""
        self._edit_text = original if text is None else text
        self.edit_changed.emit()

    def cancel_edit(self) -> None:
        if self._editing is not None:
            self._editing = None
            self.edit_changed.emit()

    def save_edit(self, text: str) -> None:
        """The composer's text as the edited message's new text; an unchanged or empty text
        changes nothing. The bubble shows the new text once the service stored it (here from
        the answer, on the peer's devices from the push); a refusal says why."""
        msg = self._editing
        if msg is None:
            return
        self.cancel_edit()
        original = msg.text_elem.text if msg.text_elem is not None else ""
        if not text.strip() or text == original:
            return
        row = self._model.row_of(msg.msg_id)
        current = self._model.index(row).data(Role.MESSAGE) if row >= 0 else None
        if isinstance(current, Message) and current.modify_version > msg.modify_version:
            msg = current  # edited elsewhere since the edit began: the service decides (8006)
        edited = replace(msg, elems=[TextElem(text=text)])

        def failed(error: IMError) -> None:
            self.notice.emit(self.edit_error_text(error), True)
            if (error.code in RETRY_EDIT and self._editing is None
                    and self._open_id() == msg.conversation_id):
                # Back into the box, to save again once the link is back (or the word gone).
                self.start_edit(msg, self._composer_text(), text)

        self._lasting.run(self.client.message_manager.modify_message(edited),
                          on_done=self.show_modified, on_error=failed)

    def edit_error_text(self, error: IMError) -> str:
        if error.code == ErrorCode.MODIFY_CONFLICT:
            return self.tr("The message was edited on another device meanwhile; your change "
                           "was not saved.")
        if error.code == ErrorCode.ALREADY_REVOKED:
            return self.tr("The message was recalled and can no longer be edited.")
        if error.code == ErrorCode.SDK_NETWORK_UNAVAILABLE:
            return self.tr("You're offline: the message was not edited.")
        if error.code == ErrorCode.SENSITIVE_WORD:
            return self.tr("The new text contains a word that is not allowed.")
        return self.tr("The message could not be edited (%1).").replace("%1", error.detail)

    def show_modified(self, msg: Message) -> None:
        """`msg` was edited (here or elsewhere): a row showing an older version of it takes
        the new text and "edited"; a message not in the window stays out of it."""
        row = self._model.row_of(msg.msg_id)
        shown = self._model.index(row).data(Role.MESSAGE) if row >= 0 else None
        if not isinstance(shown, Message) or shown.modify_version >= msg.modify_version:
            return
        if shown.is_revoked:
            return
        self._model.add_message(replace(
            shown, elems=list(msg.elems), cloud_custom_data=msg.cloud_custom_data,
            modify_version=msg.modify_version, modify_time_ms=msg.modify_time_ms))

    def last_editable(self) -> Message | None:
        """My newest text message in the window that can be edited (↑ in the empty box)."""
        for row in range(self._model.rowCount() - 1, -1, -1):
            msg = self._model.index(row).data(Role.MESSAGE)
            if isinstance(msg, Message) and self.can_edit(msg):
                return msg
        return None

    # --- replying ------------------------------------------------------------------------

    @property
    def replying_to(self) -> Message | None:
        return self._reply_to

    def reply(self, msg: Message) -> None:
        self.cancel_edit()
        self._reply_to = msg
        self.reply_changed.emit()

    def cancel_reply(self) -> None:
        if self._reply_to is not None:
            self._reply_to = None
            self.reply_changed.emit()

    def _quote(self, msg: Message) -> None:
        """Make `msg` the reply, if one is being written (only the first message of a send)."""
        original, self._reply_to = self._reply_to, None
        if original is None:
            return
        msg.cloud_custom_data = reply_cloud_data(original, message_abstract(original))
        self.reply_changed.emit()

    # --- sending -------------------------------------------------------------------------

    def send_text(self, text: str, mentions: list[str] | None = None) -> None:
        """Send what the composer held (the view has cleared it, so the draft saved is
        empty); in a group, ``mentions`` are the members picked with "@" (or AT_ALL)."""
        conv = self._conversation()
        if conv is None or not text.strip():
            return
        self.save_draft()
        manager = self.client.message_manager
        if mentions and conv.type == ConvType.GROUP:
            msg = manager.create_text_at_message(text, mentions)
        else:
            msg = manager.create_text_message(text)
        self._quote(msg)
        self._show_and_send(msg, conv)

    def send_files(self, items: list[Outgoing], as_media: bool, caption: str) -> None:
        """What the preview sheet let through, in its order, then the caption (the view has
        moved the composer's text into it and cleared the composer)."""
        conv = self._conversation()
        if conv is None or not (items or caption.strip()):
            return
        self.save_draft()
        self._lasting.run(self._send_files(conv, items, as_media, caption))

    async def _send_files(self, conv: Conversation, items: list[Outgoing], as_media: bool,
                          caption: str) -> None:
        refused = []
        sends = []
        for item in items:
            try:
                msg = await self._create(item, item.kind(as_media))
            except IMError as error:
                refused.append(self.tr("“%1” was not sent: %2").replace("%1", item.name)
                               .replace("%2", self.media_error_text(error)))
                continue
            self._quote(msg)
            sends.append(self._show_and_send(msg, conv))
        if refused and conv.conversation_id == self._open_id():
            self.notice.emit("\n".join(refused), True)
        if caption.strip():
            msg = self.client.message_manager.create_text_message(caption)
            self._quote(msg)
            self._show(msg, conv)
            await asyncio.gather(*sends, return_exceptions=True)
            self._submit(msg)

    def send_voice(self, path: Path, seconds: float) -> None:
        """A voice message recorded in the composer (its file is the SDK's to keep)."""
        conv = self._conversation()
        if conv is not None:
            self._lasting.run(self._send_voice(conv, path, seconds))

    async def _send_voice(self, conv: Conversation, path: Path, seconds: float) -> None:
        try:
            msg = await self.client.message_manager.create_sound_message(
                str(path), max(1, round(seconds)))
        except IMError as error:
            if conv.conversation_id == self._open_id():
                self.notice.emit(self.tr("The voice message was not sent: %1")
                                 .replace("%1", self.media_error_text(error)), True)
            return
        self._quote(msg)
        self._show_and_send(msg, conv)

    async def _create(self, item: Outgoing, kind: MediaKind) -> Message:
        manager = self.client.message_manager
        if kind == MediaKind.IMAGE:
            return await manager.create_image_message(item.path)
        if kind == MediaKind.VIDEO:
            return await manager.create_video_message(item.path)
        return await manager.create_file_message(item.path, item.name)

    def _show_and_send(self, msg: Message, conv: Conversation) -> asyncio.Task[Message]:
        self._show(msg, conv)
        return self._submit(msg)

    def _show(self, msg: Message, conv: Conversation) -> None:
        """`msg` in the timeline at once, as SENDING."""
        # The SDK sets these too; the timeline needs them right away.
        if conv.type == ConvType.GROUP:
            msg.conv_type, msg.group_id = ConvType.GROUP, conv.group_id
        else:
            msg.receiver = conv.user_id
        self._model.add_message(msg)
        if conv.conversation_id == self._open_id():
            self.sent_here.emit()

    def resend(self, msg: Message) -> None:
        if not isinstance(msg, Message) or msg.status != MessageStatus.SEND_FAIL:
            return
        msg.status = MessageStatus.SENDING
        self._model.add_message(msg)
        self._submit(msg)

    def _submit(self, msg: Message) -> asyncio.Task[Message]:
        return self._lasting.run(
            self.client.message_manager.send_message(
                msg, receiver=msg.receiver or None, group_id=msg.group_id or None),
            on_done=self._model.add_message,
            on_error=lambda error: self._send_failed(msg, error),
        )

    def _send_failed(self, msg: Message, error: IMError) -> None:
        msg.status = MessageStatus.SEND_FAIL
        self._model.add_message(msg)
        if msg.conversation_id == self._open_id():
            self.notice.emit(self.send_error_text(error), True)

    async def stage_image(self, image: QImage) -> str:
        """A pasted picture written as a PNG (in an executor) for the preview sheet; "" when
        it cannot be written. The files live until the app quits: the SDK copies what it
        sends into its media cache when the message is created."""
        if self._pastes is None:
            self._pastes = tempfile.TemporaryDirectory(prefix="tidings-paste-")
        stamp = time.strftime("%Y-%m-%d %H.%M.%S")
        name = self.tr("Pasted image %1").replace("%1", stamp)
        path = Path(self._pastes.name) / f"{name}.png"
        number = 1
        while path.exists():
            number += 1
            path = path.with_name(f"{name} ({number}).png")
        loop = asyncio.get_running_loop()
        if await loop.run_in_executor(None, image.save, str(path), "PNG", 50):
            return str(path)
        self.notice.emit(self.tr("The pasted picture could not be prepared for sending."), True)
        return ""

    # --- why something failed ------------------------------------------------------------

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
            ErrorCode.MEDIA_TOO_LARGE: self.tr(
                "The file was not sent: it is larger than the server accepts."),
        }
        text = texts.get(error.code) if isinstance(error.code, ErrorCode) else None
        return text or self.tr("The message was not sent (%1).").replace("%1", error.detail)

    def media_error_text(self, error: IMError) -> str:
        """Why a file could not become a message, as the end of "“name” was not sent: …"."""
        texts = {
            ErrorCode.SDK_IMAGE_INVALID: self.tr("it is not a picture this app can read"),
            ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS: self.tr(
                "the picture has too many pixels; send it as a file"),
            ErrorCode.SDK_MEDIA_INVALID: self.tr(
                "it is not a video this app can read; send it as a file"),
            ErrorCode.SDK_MEDIA_TOO_LARGE: self.tr("it is larger than allowed for its kind"),
            ErrorCode.SDK_FILE_UNREADABLE: self.tr("the file can't be read"),
        }
        text = texts.get(error.code) if isinstance(error.code, ErrorCode) else None
        return text or error.detail

    # --- drafts --------------------------------------------------------------------------

    def draft_edited(self) -> None:
        self._draft_timer.start()

    def save_draft(self) -> None:
        """Write the composer's text as the open chat's draft, if it changed."""
        conv = self._conversation()
        if conv is None:
            return
        self._draft_timer.stop()
        text = self._edit_stash if self._editing is not None else self._composer_text()
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
        for group in (self._lasting, self._drafts):
            group.cancel_all()
        if self._pastes is not None:
            self._pastes.cleanup()
            self._pastes = None

    # --- recall --------------------------------------------------------------------------

    def can_recall(self, msg: Message) -> bool:
        """Stored by the service, not a tip, and mine inside the recall window by its clock —
        or, in a group I own or administer, someone else's my role reaches (an admin not the
        owner's; whether the sender is another admin the service decides, and says)."""
        if msg.status != MessageStatus.SEND_SUCC or msg.seq <= 0 or msg.group_tips_elem:
            return False
        if msg.is_self:
            window_ms = self.client.limits.revoke_window_s * 1000
            return self.client.server_time_ms() - msg.time_ms <= window_ms
        group = (self.client.group_manager.cached_group(msg.group_id)
                 if msg.conv_type == ConvType.GROUP else None)
        if group is None:
            return False
        return group.role == GroupRole.OWNER or (
            group.role == GroupRole.ADMIN and msg.sender != group.owner)

    def recall(self, msg: Message) -> None:
        # Kept before asking: the service's msg.revoked push may show the recall before the
        # answer arrives, and "Re-edit" must be there as soon as it shows.
        text = msg.text_elem.text if msg.is_self and msg.text_elem is not None else ""
        if text:
            self._recalled[msg.msg_id] = text

        def done(_result: None) -> None:
            self.show_revoked(msg.msg_id, self.client.me)

        def failed(error: IMError) -> None:
            if error.code == ErrorCode.ALREADY_REVOKED:
                self.show_revoked(msg.msg_id)
                return
            self._recalled.pop(msg.msg_id, None)
            self.notice.emit(self.recall_error_text(error), True)

        self._lasting.run(self.client.message_manager.revoke_message(msg), on_done=done,
                          on_error=failed)

    def recall_error_text(self, error: IMError) -> str:
        if error.code == ErrorCode.REVOKE_TIME_LIMIT:
            return self.tr("The message is too old to recall.")
        if error.code == ErrorCode.SDK_NETWORK_UNAVAILABLE:
            return self.tr("You're offline: the message was not recalled.")
        return self.tr("The message could not be recalled (%1).").replace("%1", error.detail)

    def recalled_text(self, msg_id: str) -> str:
        """The text of my message `msg_id` recalled from this device ("" if none)."""
        return self._recalled.get(msg_id, "")

    def show_revoked(self, msg_id: str, revoker: str = "") -> None:
        """Message `msg_id` was recalled (by me, by its sender, or by `revoker` in a group):
        its row shows it without its content, as the cache now holds it."""
        row = self._model.row_of(msg_id)
        msg = self._model.index(row).data(Role.MESSAGE) if row >= 0 else None
        if not isinstance(msg, Message) or (msg.is_revoked and not msg.elems):
            return
        self._model.add_message(replace(
            msg, status=MessageStatus.LOCAL_REVOKED, elems=[], cloud_custom_data="",
            revoker=revoker if revoker and revoker != msg.sender else msg.revoker))

    # --- forward and delete --------------------------------------------------------------

    @staticmethod
    def can_forward(msg: Message) -> bool:
        return msg.status in FORWARDABLE and bool(msg.elems)

    def forward(self, messages: list[Message], targets: list[Conversation],
                merged: bool) -> None:
        """Send `messages` (oldest first) on to each of `targets`: copies one by one, or one
        merged chat history per chat."""
        source = self._conversation()
        if not messages or not targets or source is None:
            return
        self._lasting.run(self._forward(messages, targets, merged, source))

    async def _forward(self, messages: list[Message], targets: list[Conversation],
                       merged: bool, source: Conversation) -> None:
        manager = self.client.message_manager
        try:
            for conv in targets:
                if merged:
                    me = self.my_name()
                    title = (self.tr("Chat history of %1 and %2")
                             .replace("%1", me).replace("%2", source.show_name))
                    abstracts = [
                        f"{me if m.is_self else source.show_name}: {message_abstract(m)}"
                        for m in messages[:MERGER_ABSTRACTS]]
                    bundle = await manager.create_merger_message(
                        messages, title, abstracts, self.tr("[Chat history]"))
                    self._show_and_send(bundle, conv)
                else:
                    for msg in messages:
                        self._show_and_send(manager.create_forward_message(msg), conv)
        except IMError as error:
            self.notice.emit(self.tr("The messages could not be forwarded (%1).")
                             .replace("%1", error.detail), True)
            return
        elsewhere = [c.show_name for c in targets if c.conversation_id != self._open_id()]
        if elsewhere:
            self.notice.emit(self.tr("Forwarded to %1.").replace("%1", ", ".join(elsewhere)),
                             False)

    def my_name(self) -> str:
        """My nickname, or my user ID without one (how my messages are quoted)."""
        me = self.client.me
        profile = self.client.profiles.get(me)
        return (profile.nick if profile is not None else "") or me

    def delete(self, messages: list[Message]) -> None:
        """Delete for me (the peer keeps them)."""
        self._lasting.run(
            self.client.message_manager.delete_messages(messages),
            on_done=lambda _r: [self._model.add_message(m) for m in messages],
            on_error=lambda error: self.notice.emit(
                self.tr("The message could not be deleted (%1).").replace("%1", error.detail),
                True),
        )

    # --- copy and save -------------------------------------------------------------------

    def cached_picture(self, msg: Message) -> Path | None:
        """The best copy of a picture message this device holds (original, then large)."""
        image = msg.image_elem
        if image is None:
            return None
        for kind in (ImageKind.ORIGINAL, ImageKind.LARGE):
            info = image.level(kind)
            path = self.client.media.cached(info.uuid, info.url) if info is not None else None
            if path is not None:
                return path
        return None

    def copy_picture(self, msg: Message) -> None:
        """The picture on the clipboard, decoded in an executor."""
        path = self.cached_picture(msg)
        if path is None:
            return

        async def copy() -> None:
            loop = asyncio.get_running_loop()
            image = await loop.run_in_executor(None, QImage, str(path))
            if image.isNull():
                self.notice.emit(self.tr("The picture could not be copied."), True)
            else:
                QGuiApplication.clipboard().setImage(image)

        self._lasting.run(copy())

    def save_media(self, msg: Message, target: str) -> None:
        """The message's file to `target`, fetched first if this device does not hold it."""
        source = media_source(msg)
        if source is None:
            return

        async def save() -> None:
            path = await self.client.media.download(source.uuid, url=source.url,
                                                    size=source.size)
            try:
                await asyncio.to_thread(shutil.copyfile, path, target)
            except OSError as error:
                self.notice.emit(self.tr("The file could not be saved (%1).")
                                 .replace("%1", error.strerror or str(error)), True)
                return
            self.notice.emit(self.tr("Saved to %1.").replace("%1", target), False)

        self._lasting.run(save(), on_error=lambda error: self.notice.emit(
            self.tr("The file could not be downloaded (%1).").replace("%1", error.detail), True))
