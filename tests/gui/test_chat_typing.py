"""The typing indicator in a one-to-one chat, both ways, against the real service: the peer's
typing shows under their name and goes when they stop; what I type reaches the peer, and
sending says I stopped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.sdk import AdvancedMsgListener
from tests.gui.chat_helpers import open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


class Heard(AdvancedMsgListener):
    def __init__(self) -> None:
        self.states: list[tuple[str, bool]] = []

    def on_recv_typing_status(self, user_id: str, typing: bool) -> None:
        self.states.append((user_id, typing))


def test_typing_shows_both_ways(service: Service, gui_peers: Callable[..., Peer], arun: Arun,
                                qtbot: QtBot, tmp_path: Path) -> None:
    bob = gui_peers("bob")
    heard = Heard()
    bob.client.message_manager.add_advanced_msg_listener(heard)

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            window = app.window
            await bob.mm.send_message(bob.mm.create_text_message("hi"), receiver="alice")
            await until(lambda: app.listed("c2c_bob") is not None, what="bob's chat")
            window.open_conversation("c2c_bob")
            await until(lambda: app.timeline_texts() == ["hi"], what="the chat shown")
            header = window.chat.header
            assert not header.subtitle.isVisible()
            await bob.client.typing.send_typing_status("alice", True)
            await until(lambda: header.subtitle.isVisible()
                        and "typing" in header.subtitle.text(), what="bob typing shown")
            save_screenshot(window, "chat-typing-light", "chat")
            await bob.client.typing.send_typing_status("alice", False)
            await until(lambda: not header.subtitle.isVisible(), what="bob stopped")

            qtbot.keyClicks(window.chat.composer.edit, "on my way")
            await until(lambda: ("alice", True) in heard.states, what="bob hears me type")
            qtbot.keyClick(window.chat.composer.edit, "\r")
            await until(lambda: heard.states[-1] == ("alice", False), what="sending stops it")
        finally:
            await app.close()

    arun(scenario(), timeout=120)
