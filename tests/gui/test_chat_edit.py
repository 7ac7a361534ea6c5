"""Editing my last message from the keyboard, as in Telegram Desktop: ↑ in the empty composer
loads my newest text message under an "Editing" bar, Enter saves, Esc cancels and gives the
draft back; the bubble says "edited" beside its time, here and — live — in the peer's window.
Both sides are real windows on real SDK clients against the real service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.sdk import Message
from app.ui.media.bubbles import meta_text
from app.ui.theme import apply_theme
from tests.gui.chat_helpers import App, menu_texts, open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.service import Service

Arun = Callable[..., Any]


def _newest(app: App) -> Message:
    return app.window.chat.model.messages()[-1]


def test_up_in_the_empty_composer_edits_my_last_message(
    service: Service, arun: Arun, qtbot: QtBot, qapp: QApplication, tmp_path: Path,
) -> None:
    async def scenario() -> None:
        alice = await open_app(service, "alice", tmp_path / "alice")
        bob = await open_app(service, "bob", tmp_path / "bob")
        try:
            apply_theme(qapp, "light")
            await alice.client.message_manager.send_message(
                alice.client.message_manager.create_text_message("hi bob"), receiver="bob")
            await until(lambda: alice.listed("c2c_bob") is not None, what="the chat listed")
            await until(lambda: bob.listed("c2c_alice") is not None, what="bob's chat")
            alice.window.open_conversation("c2c_bob")
            bob.window.open_conversation("c2c_alice")
            await until(lambda: alice.timeline_texts() == ["hi bob"], what="alice's chat")
            await until(lambda: bob.timeline_texts() == ["hi bob"], what="bob's chat")

            chat = alice.window.chat
            box = chat.composer.edit
            qtbot.keyClicks(box, "lunch at 12?")
            qtbot.keyPress(box, Qt.Key.Key_Return)
            await until(lambda: bob.timeline_texts()[-1:] == ["lunch at 12?"],
                        what="bob gets the message")
            await until(lambda: _newest(alice).seq > 0, what="the ack")

            # A draft typed and then cleared leaves the box empty: ↑ starts the edit.
            box.setFocus()
            qtbot.keyPress(box, Qt.Key.Key_Up)
            assert chat.composer.editing and not chat.composer.reply_bar.isHidden()
            assert chat.composer.reply_bar.title.text() == "Editing"
            assert chat.composer.reply_bar.abstract.text() == "lunch at 12?"
            assert box.toPlainText() == "lunch at 12?"
            # Esc cancels: the bar goes, the box is empty again, nothing changed.
            qtbot.keyPress(box, Qt.Key.Key_Escape)
            assert not chat.composer.editing and chat.composer.reply_bar.isHidden()
            assert box.toPlainText() == ""

            qtbot.keyPress(box, Qt.Key.Key_Up)
            assert box.toPlainText() == "lunch at 12?"
            box.selectAll()
            qtbot.keyClicks(box, "lunch at 1?")
            save_screenshot(alice.window, "chat-edit-composer-light", folder="")
            qtbot.keyPress(box, Qt.Key.Key_Return)
            assert not chat.composer.editing and box.toPlainText() == ""
            await until(lambda: alice.timeline_texts()[-1:] == ["lunch at 1?"]
                        and _newest(alice).is_modified, what="my bubble edited")
            await until(lambda: bob.timeline_texts()[-1:] == ["lunch at 1?"]
                        and _newest(bob).is_modified, what="bob's bubble edited live")
            assert len(alice.timeline_texts()) == 2 and len(bob.timeline_texts()) == 2
            assert meta_text(_newest(bob)).startswith("edited ")
            assert meta_text(_newest(alice)).startswith("edited ")
            for side, conv_id in ((bob, "c2c_alice"), (alice, "c2c_bob")):
                await until(lambda s=side, c=conv_id: (
                    s.listed(c).last_message.text_elem.text == "lunch at 1?"),
                    what="the chat list's preview")
            save_screenshot(bob.window, "chat-edit-peer-light", folder="")
            apply_theme(qapp, "dark")
            save_screenshot(bob.window, "chat-edit-peer-dark", folder="")
            qtbot.keyPress(box, Qt.Key.Key_Up)
            save_screenshot(alice.window, "chat-edit-composer-dark", folder="")
            qtbot.keyPress(box, Qt.Key.Key_Escape)

            # Offline the edit is not lost: it fails at once, says so, and stays in the box
            # under the bar; Enter saves it once the link is back.
            service.kill()
            await until(lambda: not alice.client.ready, what="alice offline")
            qtbot.keyPress(box, Qt.Key.Key_Up)
            box.selectAll()
            qtbot.keyClicks(box, "lunch at 2?")
            qtbot.keyPress(box, Qt.Key.Key_Return)
            await until(lambda: chat.composer.editing and chat.notice.isVisible(),
                        what="the edit back in the box")
            assert box.toPlainText() == "lunch at 2?"
            assert chat.composer.reply_bar.abstract.text() == "lunch at 1?"
            service.start()
            await until(lambda: alice.client.ready, timeout=30, what="alice online again")
            qtbot.keyPress(box, Qt.Key.Key_Return)
            await until(lambda: bob.timeline_texts()[-1:] == ["lunch at 2?"],
                        timeout=30, what="the edit saved after the link came back")
            assert not chat.composer.editing and box.toPlainText() == ""
            await until(lambda: alice.timeline_texts()[-1:] == ["lunch at 2?"],
                        what="my own bubble saved too")

            # The context menu offers Edit on my text messages only, not on the peer's.
            assert "Edit" in menu_texts(chat, _newest(alice).msg_id)
            assert "Edit" not in menu_texts(bob.window.chat, _newest(bob).msg_id)
            # Its Edit does what ↑ does; a draft in the box comes back afterwards.
            qtbot.keyClicks(box, "half-written")
            chat.start_edit(_newest(alice))
            assert chat.composer.editing and box.toPlainText() == "lunch at 2?"
            qtbot.keyPress(box, Qt.Key.Key_Escape)
            assert box.toPlainText() == "half-written"
        finally:
            apply_theme(qapp, "light")
            await alice.close()
            await bob.close()

    arun(scenario())
