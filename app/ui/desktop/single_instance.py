"""One running app per user and profile: a second launch raises the first and exits (U6).

Two instances on the same data directory would fight over the SQLite cache and log in the same
device twice. The first instance listens on a QLocalServer (a Unix socket or a Windows named
pipe) whose name is derived from the user and the data directory, so separate profiles
(`--data-dir`) still run side by side. A later launch connects, sends one JSON line
`{"cmd": "activate", "argv": [...]}` and quits; the first emits `activation_requested(argv)`.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024
"""A knock is a short argv; anything longer is not from us and is dropped."""
KNOCK_TIMEOUT_MS = 2000
"""How long the first instance waits for a connected client to finish its line."""


def server_name(data_dir: str | os.PathLike[str]) -> str:
    """`tidings-<user>-<12 hex of the data dir>`: per user (a shared /tmp or pipe namespace must
    not let one user raise another's window) and per profile."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry / no USER in some containers
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32]
    path = os.path.normcase(os.path.abspath(os.fspath(data_dir)))
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:12]
    return f"tidings-{user}-{digest}"


class SingleInstance(QObject):
    """Owns the per-profile local server once `try_acquire` returned True."""

    activation_requested = Signal(list)
    """A later launch knocked; the argument is its argv (list[str]). Raise the main window."""

    def __init__(self, data_dir: str | os.PathLike[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    @property
    def name(self) -> str:
        return self._name

    def try_acquire(self, argv: Sequence[str] = (), timeout_ms: int = 300) -> bool:
        """True if this process is now the instance for its profile; False if another one
        answered (it has been sent `argv` and asked to activate — exit quietly).

        Blocks the GUI thread for at most about 2 × `timeout_ms`, and only when another instance
        exists: call it once at startup, before showing any window.
        """
        if self._server is not None:
            return True
        if self._knock(list(argv), timeout_ms):
            return False
        self._listen()
        return True

    def release(self) -> None:
        """Stop listening (removes the socket file) so a new launch becomes the instance."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _knock(self, argv: list[str], timeout_ms: int) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(timeout_ms):
            return False
        message = {"cmd": "activate", "argv": argv}
        socket.write(json.dumps(message).encode("utf-8") + b"\n")
        if not socket.waitForBytesWritten(timeout_ms):
            log.warning("instance %s accepted but did not read the activation", self._name)
        socket.disconnectFromServer()
        return True

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if (
            not server.listen(self._name)
            and server.serverError() == QAbstractSocket.SocketError.AddressInUseError
        ):
            # Nobody answered on it above: a crashed instance left its socket file behind.
            QLocalServer.removeServer(self._name)
            server.listen(self._name)
        if not server.isListening():
            # Run anyway: refusing to start would be worse than a possible second instance.
            log.warning("single-instance server %s: %s", self._name, server.errorString())
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            _Knock(socket, self._on_line, self)

    def _on_line(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if (
            not isinstance(message, dict)
            or message.get("cmd") != "activate"
            or not isinstance(message.get("argv"), list)
        ):
            log.warning("ignoring an activation message that is not ours")
            return
        self.activation_requested.emit([str(a) for a in message["argv"]])


class _Knock(QObject):
    """One incoming connection: collects a line without blocking, hands it over, closes."""

    def __init__(
        self, socket: QLocalSocket, on_line: Callable[[bytes], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._on_line = on_line
        self._socket = socket
        self._buffer = bytearray()
        self._done = False
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._finish)
        QTimer.singleShot(KNOCK_TIMEOUT_MS, self, self._finish)
        self._read()  # data that arrived before we connected to readyRead

    def _read(self) -> None:
        self._buffer += self._socket.readAll().data()
        if b"\n" in self._buffer or len(self._buffer) > MAX_MESSAGE_BYTES:
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._buffer += self._socket.readAll().data()
        line, newline, _ = bytes(self._buffer).partition(b"\n")
        if newline and len(line) <= MAX_MESSAGE_BYTES:
            self._on_line(line)
        self._socket.abort()
        self.deleteLater()
