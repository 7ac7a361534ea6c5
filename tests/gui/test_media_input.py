"""Getting media and actions into a chat, as a user does it, against the real service with real
SDK clients: files dropped on the chat (the overlay, the preview sheet, both messages at the
peer), a pasted screenshot, a file over the limit refused with its reason, a reply the peer can
parse as TUIKit's, a recall and its re-edit, the emoji picker with its recents, forwarding one by
one and as a merged chat history from select mode.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.protocol import DEFAULT_LIMITS, Platform
from app.sdk import Message, MessageStatus
from app.sdk.reply import parse_reply
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme
from app.ui.views.chat import ChatView
from app.ui.views.send_preview import SendPreview
from app.ui.widgets.composer import Composer
from app.ui.widgets.drop_overlay import FileType, Zone
from app.ui.widgets.emoji_picker import EmojiPicker
from tests.gui.chat_helpers import (
    App,
    menu_texts,
    open_app,
    row_geometry,
    trigger_action,
)
from tests.gui.conftest import ARTIFACTS, deliver_posted_events, until
from tests.support.clients import Peer
from tests.support.media_files import png, random_file
from tests.support.service import Service

Arun = Callable[..., Any]


# --- what the user does ------------------------------------------------------------------


class Drag:
    """Files dragged over a window the way QWidgetWindow delivers it: every event goes to the
    deepest widget under the cursor that accepts drops; when that widget changes, the old one
    hears a leave and the new one an enter (always followed by a move). A move starts out as
    the last answer was (a widget that took the enter need not handle moves)."""

    def __init__(self, window: QWidget, files: list[Path]) -> None:
        self.window = window
        self.mime = QMimeData()
        self.mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
        self.target: QWidget | None = None
        self.accepted = False

    def _target_at(self, pos: QPoint) -> QWidget | None:
        widget = self.window.childAt(pos) or self.window
        while widget is not None and not widget.acceptDrops() and not widget.isWindow():
            widget = widget.parentWidget()
        return widget if widget is not None and widget.acceptDrops() else None

    def _send(self, widget: QWidget, make: Callable[[QPoint], QDragMoveEvent]) -> bool:
        event = make(widget.mapFrom(self.window, self._pos))
        event.setAccepted(self.accepted)
        QApplication.sendEvent(widget, event)
        self.accepted = event.isAccepted()
        return self.accepted

    def move(self, pos: QPoint) -> bool:
        self._pos = pos
        target = self._target_at(pos)
        buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        action = Qt.DropAction.CopyAction
        if target is not self.target:
            if self.target is not None:
                QApplication.sendEvent(self.target, QDragLeaveEvent())
            self.target = target
            self.accepted = False
            if target is None:
                return False
            if not self._send(target, lambda p: QDragEnterEvent(
                    p, action, self.mime, buttons, mods)):
                return False
        if target is None:
            return False
        return self._send(target, lambda p: QDragMoveEvent(p, action, self.mime, buttons, mods))

    def drop(self, pos: QPoint) -> bool:
        self.move(pos)
        if self.target is None:
            return False
        local = QPointF(self.target.mapFrom(self.window, pos))
        event = QDropEvent(local, Qt.DropAction.CopyAction, self.mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        event.setAccepted(self.accepted)
        QApplication.sendEvent(self.target, event)
        return event.isAccepted()


def _in_chat(chat: ChatView, widget: QWidget, y_fraction: float) -> QPoint:
    """A point of `chat` over `widget`, `y_fraction` of the way down it."""
    return widget.mapTo(chat.window(), QPoint(widget.width() // 2,
                                              int(widget.height() * y_fraction)))


def _click(widget: QWidget, pos: QPoint) -> None:
    for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
        QApplication.sendEvent(widget, QMouseEvent(
            kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton if kind == QMouseEvent.Type.MouseButtonPress
            else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def _shoot(window: QWidget, name: str, dialog: QWidget | None = None) -> Path:
    """`test-artifacts/<name>.png`: the window, with `dialog` over it where Qt puts a dialog
    (centred on its parent window). The offscreen platform draws no window frames, so a
    shadow and a hairline stand in for the window manager's."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    image = window.grab().toImage()
    if dialog is not None:
        deliver_posted_events()
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        at = QPoint((window.width() - dialog.width()) // 2,
                    (window.height() - dialog.height()) // 2)
        frame = QRectF(at.x(), at.y(), dialog.width(), dialog.height())
        painter.setPen(Qt.PenStyle.NoPen)
        for spread in range(14, 0, -2):
            painter.setBrush(QColor(0, 0, 0, 6))
            painter.drawRoundedRect(frame.adjusted(-spread, -spread + 4, spread, spread + 4),
                                    spread, spread)
        painter.drawImage(at, dialog.grab().toImage())
        painter.setPen(QColor(0, 0, 0, 60))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()
    image.save(str(path))
    return path


def _shown(chat: ChatView, msg_id: str) -> Message | None:
    """The timeline's copy of a message (the row's, which a recall replaces)."""
    return next((m for m in chat.model.messages() if m.msg_id == msg_id), None)


async def _say(peer: Peer, text: str, to: str) -> Message:
    return await peer.mm.send_message(peer.mm.create_text_message(text), receiver=to)


async def _chat_with(app: App, conv_id: str, texts: list[str]) -> ChatView:
    app.window.open_conversation(conv_id)
    await until(lambda: app.timeline_texts()[-len(texts):] == texts, what="messages shown")
    return app.window.chat


def _sheet(chat: ChatView) -> SendPreview:
    assert chat.preview is not None, "no preview sheet"
    return chat.preview


# --- drop → overlay → sheet → sent ---------------------------------------------------------


def test_files_dropped_on_the_chat_are_previewed_and_sent_in_order(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)
    photo = png(tmp_path / "harbour.png", 1200, 800)
    data = random_file(tmp_path / "measurements.bin", 200 * 1024)

    async def scenario() -> None:
        await _say(bob, "Send me the photo and the data?", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", ["Send me the photo and the data?"])
            window = app.window
            drag = Drag(window, [photo, data])

            # Over the timeline: the chat takes the drag and shows two zones (a photo is in).
            assert drag.move(_in_chat(chat, chat.timeline, 0.5)) and drag.accepted
            assert chat.overlay.isVisible() and chat.overlay.split
            assert chat.overlay.geometry() == chat.rect()
            # Moving on, the overlay itself is under the cursor: it is the target now.
            media_zone = chat.overlay.zones()[0][1].center().toPoint()
            assert drag.move(chat.overlay.mapTo(window, media_zone))
            assert drag.target is chat.overlay and chat.overlay.hovered == Zone.MEDIA
            _shoot(window, "media-drop-overlay")
            # Over the text box too the overlay stays the target (the box would paste a URL).
            drag.move(_in_chat(chat, chat.composer.edit, 0.5))
            assert drag.target is chat.overlay and chat.overlay.hovered == Zone.FILES
            drag.move(QPoint(-5, -5))  # out of the window: leaves
            assert not chat.overlay.isVisible()

            # Dropped on "Send as photos": the sheet lists both, the picture as a tile.
            drag = Drag(window, [photo, data])
            drag.move(_in_chat(chat, chat.timeline, 0.4))
            assert drag.drop(chat.overlay.mapTo(window, media_zone))
            assert not chat.overlay.isVisible()
            sheet = _sheet(chat)
            await until(lambda: sheet.ready and sheet.has_preview(str(photo)),
                        what="files looked at, photo decoded")
            assert [(i.name, i.type) for i in sheet.items] == [
                ("harbour.png", FileType.PICTURE), ("measurements.bin", FileType.FILE)]
            assert sheet.as_media and sheet.as_media_choice.isVisible()
            assert [i.name for i in sheet.sendable()] == ["harbour.png", "measurements.bin"]
            assert sheet.title.text() == "Send 2 files"
            assert sheet.send_button.isEnabled()
            sheet.caption.setText("Harbour at dusk, and the logger's data")
            deliver_posted_events()
            _shoot(window, "media-preview-light", sheet)
            apply_theme(qapp, "dark")
            deliver_posted_events()
            await until(lambda: sheet.has_preview(str(photo)), what="dark sheet")
            _shoot(window, "media-preview-dark", sheet)
            apply_theme(qapp, "light")

            before = chat.model.rowCount()
            sheet.send_button.click()
            await until(lambda: chat.model.rowCount() == before + 3, what="shown at once")
            mine = chat.model.messages()[-3:]
            assert mine[0].image_elem is not None and mine[1].file_elem is not None
            assert mine[1].file_elem.name == "measurements.bin"
            assert mine[2].text_elem is not None
            assert all(m.is_self for m in mine)
            await until(lambda: all(m.status == MessageStatus.SEND_SUCC for m in mine),
                        timeout=40, what="all three acked")
            assert [m.seq for m in mine] == sorted(m.seq for m in mine)  # in the order chosen

            def arrived() -> list[Message]:
                ids = {m.msg_id for m in mine}
                return [m for m in bob.recorder.messages if m.msg_id in ids]

            await until(lambda: len(arrived()) == 3, what="bob receives them")
            got = {m.elem_type: m for m in arrived()}
            image = next(m for m in got.values() if m.image_elem is not None).image_elem
            assert image is not None and image.format == "png"
            file = next(m for m in got.values() if m.file_elem is not None).file_elem
            assert file is not None and file.size == 200 * 1024
            assert chat.preview is None
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")


# --- paste, and a file over the limit -------------------------------------------------------


def test_a_pasted_screenshot_and_copied_files_go_to_the_sheet_and_too_large_is_refused(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)
    huge = tmp_path / "disk image.iso"
    with huge.open("wb") as out:
        out.truncate(101 * 1024 * 1024)  # sparse: 101 MB on paper, nothing on disk
    notes = random_file(tmp_path / "notes.txt", 3000)

    async def scenario() -> None:
        await _say(bob, "Can you show me your screen?", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", ["Can you show me your screen?"])
            composer = chat.composer

            # A screenshot on the clipboard: pasted into the sheet, not the text box.
            shot = QImage(640, 400, QImage.Format.Format_RGB32)
            shot.fill(Qt.GlobalColor.darkCyan)
            QGuiApplication.clipboard().setImage(shot)
            composer.edit.paste()
            await until(lambda: chat.preview is not None and chat.preview.ready,
                        what="sheet for the pasted image")
            sheet = _sheet(chat)
            assert len(sheet.items) == 1 and sheet.items[0].type == FileType.PICTURE
            assert sheet.items[0].name.endswith(".png") and composer.text() == ""
            assert sheet.title.text() == "Send a photo"
            sheet.reject()
            await until(lambda: chat.preview is None, what="sheet closed")

            # Copied files (a file manager's text/uri-list): the same.
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(str(huge)), QUrl.fromLocalFile(str(notes))])
            mime.setText(f"{huge}\n{notes}")
            QGuiApplication.clipboard().setMimeData(mime)
            composer.edit.paste()
            await until(lambda: chat.preview is not None and chat.preview.ready,
                        what="sheet for the copied files")
            sheet = _sheet(chat)
            assert composer.text() == ""
            too_large, fine = sheet.items
            limit = DEFAULT_LIMITS.media_bytes("file")
            assert too_large.size > limit
            assert sheet.reason(too_large) == (
                "Too large: 101 MB (files can be at most 100 MB)")
            assert sheet.reason(fine) == ""
            assert [i.name for i in sheet.sendable()] == ["notes.txt"]
            # Shown on its row with its name, in the danger colour, before anything is sent.
            row = sheet._widgets[str(huge)]
            assert row.detail.text() == sheet.reason(too_large)
            assert "disk image.iso" in row.name.toolTip()

            sheet.send_button.click()
            await until(lambda: any(m.file_elem is not None and m.file_elem.name == "notes.txt"
                                    for m in bob.recorder.messages), what="the good one sent")
            assert not any(m.file_elem is not None and m.file_elem.name == "disk image.iso"
                           for m in chat.model.messages())
        finally:
            # The clipboard owns the QMimeData it was given; emptied here, it is deleted while
            # Python still runs rather than by Qt's teardown after the interpreter is gone.
            QGuiApplication.clipboard().clear()
            await app.close()

    arun(scenario())


# --- reply, recall, re-edit ---------------------------------------------------------------


def test_reply_is_a_tuikit_quote_and_recall_offers_re_edit(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        question = await _say(bob, "Where shall we meet tomorrow?", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", ["Where shall we meet tomorrow?"])
            theirs = menu_texts(chat, question.msg_id)
            assert "Reply" in theirs and "Recall" not in theirs  # not mine to recall
            trigger_action(chat, question.msg_id, "Reply")
            bar = chat.composer.reply_bar
            assert chat.composer.replying
            assert bar.title.text() == "Reply to bob"
            assert bar.abstract.text() == "Where shall we meet tomorrow?"

            qtbot.keyClicks(chat.composer.edit, "At the station, 9:00")
            qtbot.keyPress(chat.composer.edit, Qt.Key.Key_Return)
            assert not chat.composer.replying
            answer = chat.model.messages()[-1]

            def received() -> Message | None:
                return next((m for m in bob.recorder.messages if m.msg_id == answer.msg_id),
                            None)

            await until(lambda: received() is not None, what="bob gets the reply")
            got = received()
            assert got is not None
            quote = parse_reply(got.cloud_custom_data)
            assert quote is not None and quote.msg_id == question.msg_id
            assert quote.abstract == "Where shall we meet tomorrow?" and quote.sender == "bob"

            # Recall my own message within the window; its text comes back with Re-edit.
            qtbot.keyClicks(chat.composer.edit, "oops, wrong chat")
            qtbot.keyPress(chat.composer.edit, Qt.Key.Key_Return)
            oops = chat.model.messages()[-1]
            await until(lambda: oops.status == MessageStatus.SEND_SUCC, what="acked")
            assert "Recall" in menu_texts(chat, oops.msg_id)
            trigger_action(chat, oops.msg_id, "Recall")
            await until(lambda: (shown := _shown(chat, oops.msg_id)) is not None
                        and shown.is_revoked and oops.msg_id in bob.recorder.revoked,
                        what="recalled here and for bob")
            shown = _shown(chat, oops.msg_id)
            assert shown is not None and not shown.elems
            assert menu_texts(chat, oops.msg_id) == ["Re-edit", "Delete for me"]
            trigger_action(chat, oops.msg_id, "Re-edit")
            assert chat.composer.text() == "oops, wrong chat"
        finally:
            await app.close()

    arun(scenario())


# --- emoji -------------------------------------------------------------------------------


def test_the_emoji_picker_inserts_and_remembers_recents(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path,
) -> None:
    apply_theme(qapp, "light")
    settings = AppSettings(tmp_path / "settings.ini")
    composer = Composer(settings)
    qtbot.addWidget(composer)
    composer.resize(560, 120)
    composer.show()
    qtbot.waitExposed(composer)
    try:
        qtbot.keyClicks(composer.edit, "nice ")
        composer.emoji_button.click()
        picker = composer.emoji_picker
        assert isinstance(picker, EmojiPicker) and picker.isVisible()
        grid = picker.grid
        assert [s.key for s in grid.sections][:2] == ["people", "nature"]  # no recents yet
        # Click the thumbs-up in "Smileys & people".
        people = grid.sections[0]
        position = people.emoji.index("👍")
        _click(grid, grid.cell_rect(0, position).center())
        assert composer.text() == "nice 👍"
        assert settings.recent_emoji == "👍"
        _click(grid, grid.cell_rect(0, people.emoji.index("✌\ufe0f")).center())
        assert composer.text() == "nice 👍✌\ufe0f"  # qualified: drawn in colour everywhere
        assert settings.recent_emoji.split() == ["✌\ufe0f", "👍"]

        picker.close()
        composer.emoji_button.click()
        assert grid.sections[0].key == "recent" and grid.sections[0].emoji == ("✌\ufe0f", "👍")
        picker.search.setText("cat face")
        assert "🐱" in grid.sections[0].emoji and "🐶" not in grid.sections[0].emoji
        picker.search.clear()
        qtbot.waitUntil(lambda: grid.drawn, timeout=5000)  # drawn between events, not at once
        picker.grab().save(str(ARTIFACTS / "media-emoji-picker.png"))
        picker.close()
    finally:
        apply_theme(qapp, "system")


# --- forward and select ------------------------------------------------------------------


def test_forward_one_message_and_a_selection_as_a_merged_history(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    carol = gui_peers("carol")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        await _say(carol, "Any news from Bob?", "alice")
        first = await _say(bob, "The ferry leaves at 7.", "alice")
        second = await _say(bob, "Bring a jacket, it's windy.", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", [
                "The ferry leaves at 7.", "Bring a jacket, it's windy."])
            trigger_action(chat, first.msg_id, "Forward…")
            dialog = chat.forward_dialog
            assert dialog is not None
            await until(lambda: dialog.loaded, what="chats listed")
            names = [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]
            assert set(names) == {"bob", "carol"}
            assert not dialog.merged.isVisible()  # one message: nothing to merge
            dialog.search.setText("car")
            assert dialog.proxy.rowCount() == 1
            dialog.search.clear()
            dialog.set_chosen("c2c_carol")
            assert dialog.forward_button.isEnabled()
            deliver_posted_events()
            _shoot(app.window, "media-forward-dialog", dialog)
            dialog.forward_button.click()
            await until(lambda: any(m.text_elem is not None and m.sender == "alice"
                                    and m.text_elem.text == "The ferry leaves at 7."
                                    for m in carol.recorder.messages), what="carol gets a copy")
            assert "Forwarded to carol." in chat.notice.text()

            # Select both (a click on a row toggles it), forward as one merged history.
            trigger_action(chat, first.msg_id, "Select")
            assert chat.selected_ids == {first.msg_id}
            assert chat.selection_bar.isVisible() and not chat.composer.isVisible()
            viewport = chat.timeline.viewport()
            at = row_geometry(chat, chat.model.row_of(second.msg_id)).bubble.center().toPoint()
            QApplication.sendEvent(viewport, QMouseEvent(
                QMouseEvent.Type.MouseButtonPress, QPointF(at), QPointF(viewport.mapToGlobal(at)),
                Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier))
            assert chat.selected_ids == {first.msg_id, second.msg_id}
            assert chat.selection_bar.count.text() == "2 selected"
            chat.selection_bar.forward_button.click()
            assert not chat.selected_ids and chat.composer.isVisible()
            dialog = chat.forward_dialog
            assert dialog is not None and dialog.merged.isVisible()
            await until(lambda: dialog.loaded, what="chats listed")
            dialog.set_chosen("c2c_carol")
            dialog.merged.setChecked(True)
            dialog.forward_button.click()

            def merged() -> Message | None:
                return next((m for m in carol.recorder.messages if m.merger_elem is not None),
                            None)

            await until(lambda: merged() is not None, timeout=30, what="merged history")
            bundle = merged()
            assert bundle is not None and bundle.merger_elem is not None
            assert bundle.merger_elem.title == "Chat history of alice and bob"
            assert bundle.merger_elem.abstracts == [
                "bob: The ferry leaves at 7.", "bob: Bring a jacket, it's windy."]
            inside = await carol.mm.download_merger_message(bundle)
            assert [m.text_elem.text for m in inside if m.text_elem] == [
                "The ferry leaves at 7.", "Bring a jacket, it's windy."]
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")

