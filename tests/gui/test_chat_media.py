"""Media a user receives, played and opened from the chat, against the real service with real
SDK clients: a voice message clicked plays (the bubble follows the player, a second click
pauses, the unplayed dot goes), a video opens in its own window, a forwarded chat history opens
as a list, and select mode marks the picked rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.protocol import Platform
from app.sdk import Message
from app.ui.theme import apply_theme
from app.ui.views.chat import ChatView
from tests.gui.chat_helpers import App, open_app, row_geometry
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support.clients import Peer
from tests.support.media_files import m4a, mp4
from tests.support.service import Service

Arun = Callable[..., Any]


def _click(widget: QWidget, pos: QPoint) -> None:
    for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
        QApplication.sendEvent(widget, QMouseEvent(
            kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton if kind == QMouseEvent.Type.MouseButtonPress
            else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def _click_bubble(chat: ChatView, msg_id: str) -> None:
    geo = row_geometry(chat, chat.model.row_of(msg_id))
    _click(chat.timeline.viewport(), geo.bubble.center().toPoint())


async def _chat_with(app: App, conv_id: str, count: int) -> ChatView:
    app.window.open_conversation(conv_id)
    chat = app.window.chat
    await until(lambda: chat.model.rowCount() >= count, what="messages shown")
    return chat


async def _send(peer: Peer, msg: Message, to: str) -> Message:
    return await peer.mm.send_message(msg, receiver=to)


def test_a_voice_message_plays_pauses_and_loses_its_unplayed_dot(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)
    voice = m4a(tmp_path / "note.m4a", seconds=3.0)

    async def scenario() -> None:
        sent = await _send(bob, await bob.mm.create_sound_message(str(voice), 3), "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", 1)
            media = chat.media
            voices = media.kit.voices
            assert not voices.is_played(sent.msg_id)
            _click_bubble(chat, sent.msg_id)
            await until(lambda: media.player.state == "playing", what="voice playing")
            assert voices.is_played(sent.msg_id)
            await until(lambda: voices.position(sent.msg_id)[0] > 0.05, what="bubble follows")
            assert voices.position(sent.msg_id)[1]  # shown as playing
            _click_bubble(chat, sent.msg_id)
            assert media.player.state == "paused"
            paused_at = voices.position(sent.msg_id)
            assert not paused_at[1] and paused_at[0] > 0
            _click_bubble(chat, sent.msg_id)
            assert media.player.state == "playing"
            await until(lambda: media.player.state == "stopped", timeout=15,
                        what="played to the end")
            assert voices.position(sent.msg_id) == (0.0, False)  # back to its start
            assert media.player.path is not None
            assert media.player.path.read_bytes() == voice.read_bytes()
        finally:
            await app.close()

    arun(scenario())


def test_a_video_opens_in_its_own_window_from_the_viewer(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)
    clip = mp4(tmp_path / "harbour.mp4", seconds=1.0)

    async def scenario() -> None:
        sent = await _send(bob, await bob.mm.create_video_message(str(clip)), "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", 1)
            _click_bubble(chat, sent.msg_id)
            viewer = chat.timeline.viewer
            assert viewer is not None, "a click on a video opens the viewer"
            viewer.play_video.emit(viewer.current)
            await until(lambda: chat.media.video is not None, what="video window")
            window = chat.media.video
            assert window is not None and window.isVisible()
            await until(lambda: window.player.duration > 0, what="video opened")
            window.close()
            await until(lambda: chat.media.video is None, what="video window gone")
        finally:
            await app.close()

    arun(scenario())


def test_a_forwarded_history_opens_and_select_mode_marks_rows(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("carol")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        first = await _send(bob, bob.mm.create_text_message("Tickets are booked."), "carol")
        second = await _send(bob, bob.mm.create_text_message("Platform 4, 9:10."), "carol")
        bundle = await bob.mm.create_merger_message(
            [first, second], "Chat history of bob and carol",
            ["bob: Tickets are booked.", "bob: Platform 4, 9:10."], "[Chat history]")
        merged = await _send(bob, bundle, "alice")
        note = await _send(bob, bob.mm.create_text_message("See above."), "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            chat = await _chat_with(app, "c2c_bob", 2)
            _click_bubble(chat, merged.msg_id)
            await until(lambda: chat.media.merger is not None, what="history opened")
            dialog = chat.media.merger
            assert dialog is not None
            assert dialog.windowTitle() == "Chat history of bob and carol"
            assert [text.text() for _header, text in dialog.entries] == [
                "Tickets are booked.", "Platform 4, 9:10."]
            assert dialog.entries[0][0].text().startswith("bob")
            deliver_posted_events()
            save_screenshot(dialog, "media-merger-dialog", folder="")
            dialog.reject()

            viewport = chat.timeline.viewport()
            picked = row_geometry(chat, chat.model.row_of(note.msg_id)).bubble
            other = row_geometry(chat, chat.model.row_of(merged.msg_id)).bubble
            edge = viewport.width() - 3

            def band(bubble: Any) -> tuple[int, int]:
                image = viewport.grab().toImage()
                return (image.pixel(edge, int(bubble.center().y())),
                        image.pixel(edge, int(other.center().y())))

            before = band(picked)
            chat.start_selecting(note.msg_id)
            deliver_posted_events()
            after = band(picked)
            assert after[0] != before[0], "the picked row is tinted"
            assert after[1] == before[1], "a row not picked is not"
            save_screenshot(app.window, "media-select-mode", folder="")
            chat.stop_selecting()
            assert band(picked)[0] == before[0]
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")
