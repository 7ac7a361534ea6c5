"""The typing indicator of a one-to-one chat, both ways: what I type tells the peer (the SDK
throttles it), and the peer's typing shows under their name in the header until they stop, send,
or go quiet for ``SHOWN_S`` — a "stopped" can be lost with the link."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.sdk import IMClient
from app.sdk.typing_status import SHOWN_S
from app.ui.system_conversation import is_system_user
from app.ui.tasks import TaskGroup
from app.ui.widgets.chat_header import ChatHeader


class TypingLine(QObject):
    def __init__(self, client: IMClient, header: ChatHeader, parent: QObject) -> None:
        super().__init__(parent)
        self._client = client
        self._header = header
        self._peer = ""
        self._tasks = TaskGroup("typing")
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(int(SHOWN_S * 1000))
        self._quiet.timeout.connect(lambda: self._show(False))

    def open(self, peer: str) -> None:
        """The chat now open: ``peer`` for a one-to-one chat, "" for anything else."""
        self.leave()
        self._peer = "" if is_system_user(peer) else peer

    def leave(self) -> None:
        if self._peer:
            self._send(False)
        self._show(False)
        self._peer = ""

    def edited(self, text: str) -> None:
        """The composer's text changed: typing while it holds something, stopped when empty."""
        if self._peer:
            self._send(bool(text.strip()))

    def sent(self) -> None:
        if self._peer:
            self._send(False)

    def heard(self, user_id: str, typing: bool) -> None:
        if user_id != self._peer or not self._peer:
            return
        self._show(typing)
        if typing:
            self._quiet.start()

    def _show(self, typing: bool) -> None:
        if not typing:
            self._quiet.stop()
        self._header.set_typing(typing)

    def _send(self, typing: bool) -> None:
        self._tasks.run(self._client.typing.send_typing_status(self._peer, typing))
