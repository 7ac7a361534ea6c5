"""Native desktop notifications through desktop-notifier, one per conversation.

desktop-notifier speaks each OS's own API — org.freedesktop.Notifications over D-Bus
(dbus-fast, on this asyncio loop) on Linux, WinRT toasts on Windows, UNUserNotificationCenter
from an app bundle on macOS — so the desktop's own settings (Focus Assist, Focus, GNOME's do not
disturb) also apply. Where it has no backend (macOS outside a bundle, old Windows) or the
backend fails (no notification server on the bus), the tray's balloon says it instead.

Notifications are keyed, by conversation: showing one under a key replaces the one shown there,
so a burst of fifty messages is one notification that updates, not fifty. On freedesktop that is
Notify's replaces_id (updated in place: one call, no closing and reopening); desktop-notifier
always sends 0 there, so `freedesktop.ReplacingDBusNotifier` supplies it. Elsewhere the old one
is cleared and the new one sent, with the key as the notification's thread.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_notifier import (
    DEFAULT_SOUND,
    Capability,
    DesktopNotifier,
    Icon,
    Notification,
    ReplyField,
    Sound,
)
from desktop_notifier.backends.base import DesktopNotifierBackend
from desktop_notifier.backends.dummy import DummyNotificationCenter
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from app.ui.resources import icons_dir

log = logging.getLogger(__name__)

APP_NAME = "Tidings"
"""Also the name of the desktop entry (`tidings.desktop`) freedesktop servers look up."""
RETRY_NATIVE_S = 60.0
"""After the native backend failed, the balloon is used this long before trying it again."""
BALLOON_MS = 6000
SEND_TIMEOUT_S = 3.0
"""A notification server that does not answer (a bus whose name activation hangs) must not hold
up the next notification or the session's end: the tray says it instead."""
LINUX_SOUND = Sound(name="message-new-instant")
"""The freedesktop sound theme's name for an instant message."""


def _desktop_notifier(icon: Icon) -> DesktopNotifier:
    """desktop-notifier with the OS's backend, or without one (the tray then) when the OS
    refuses it — WinRT may refuse a toast notifier — instead of failing the session."""
    try:
        return DesktopNotifier(app_name=APP_NAME, app_icon=icon)
    except Exception as exc:
        log.warning("no native notifications: %s", exc)
        notifier = object.__new__(DesktopNotifier)
        notifier._backend = DummyNotificationCenter(APP_NAME, icon)
        notifier._did_request_authorisation = False
        return notifier


@dataclass(frozen=True, slots=True)
class Shown:
    """What was last shown under a key, as the notifier was asked (tests and logs read it)."""

    key: str
    title: str
    body: str
    icon: Path | None
    msg_id: str
    sound: bool
    native: bool


class Notifier(QObject):
    activated = Signal(str, str)
    """The user clicked the notification of key (conversation ID) about message msg_id."""
    replied = Signal(str, str)
    """The user replied from the notification of key: the text to send there."""

    def __init__(self, tray: QSystemTrayIcon | None = None,
                 backend: DesktopNotifierBackend | None = None,
                 parent: QObject | None = None) -> None:
        """`backend` replaces the OS's (tests: a recording one, everything above it real)."""
        super().__init__(parent)
        self._desktop = _desktop_notifier(Icon(path=icons_dir() / "tidings-256.png"))
        if backend is None and platform.system() == "Linux":
            from app.ui.notify.freedesktop import ReplacingDBusNotifier  # needs dbus-fast

            backend = ReplacingDBusNotifier(APP_NAME, self._desktop.app_icon)
        if backend is not None:
            self._desktop._backend = backend  # the lowest layer; the rest stays the library's
        self._backend = self._desktop._backend
        self.native = not isinstance(self._backend, DummyNotificationCenter)
        """Whether the OS has a notification API here (else the tray balloon)."""
        self._tray = tray
        self._shown: dict[str, str] = {}
        """Key → identifier of the native notification showing for it."""
        self._balloon: Shown | None = None
        self._native_failed_at = -RETRY_NATIVE_S
        self._lock = asyncio.Lock()
        self._capabilities: frozenset[Capability] | None = None
        self.last: dict[str, Shown] = {}
        if tray is not None:
            tray.messageClicked.connect(self._balloon_clicked)

    @property
    def backend(self) -> DesktopNotifierBackend:
        return self._backend

    @property
    def updates_in_place(self) -> bool:
        """Showing under a key again updates that notification without popping it up anew
        (freedesktop's replaces_id)."""
        return self.native and hasattr(self._backend, "replacing")

    async def show(self, key: str, title: str, body: str, *, msg_id: str = "",
                   icon: Path | None = None, sound: bool = True, reply: bool = True) -> None:
        """Show (or replace) the notification of `key`."""
        async with self._lock:
            native = self.native and time.monotonic() - self._native_failed_at > RETRY_NATIVE_S
            replaces = ""
            if native and hasattr(self._backend, "replacing"):
                replaces = self._shown.pop(key, "")
            await self._close(key)
            if native:
                native = await self._send(key, title, body, msg_id, icon, sound, reply,
                                          replaces)
            if not native:
                self._show_balloon(key, title, body, msg_id, icon)
            self.last.pop(key, None)  # newest last
            self.last[key] = Shown(key, title, body, icon, msg_id, sound, native)

    async def withdraw(self, key: str) -> None:
        """Take the notification of `key` away (its chat was read)."""
        async with self._lock:
            await self._close(key)
            self.last.pop(key, None)

    async def withdraw_all(self) -> None:
        async with self._lock:
            for key in list(self._shown):
                await self._close(key)
            self.last.clear()

    def close(self) -> None:
        """The session ended: let go of the OS's notification service (the D-Bus connection)."""
        bus = getattr(self._backend, "bus", None)
        if bus is not None and hasattr(bus, "disconnect"):
            bus.disconnect()
            self._backend.interface = None  # type: ignore[attr-defined]

    def showing(self, key: str) -> bool:
        return key in self._shown or (self._balloon is not None and self._balloon.key == key)

    async def _send(self, key: str, title: str, body: str, msg_id: str, icon: Path | None,
                    sound: bool, reply: bool, replaces: str = "") -> bool:
        reply_field = None
        if reply:
            reply_field = ReplyField(
                title=QCoreApplication.translate("Notifications", "Reply"),
                button_title=QCoreApplication.translate("Notifications", "Send"),
                on_replied=lambda text: self._replied(key, identifier, text))
        notification = Notification(
            title, body, icon=Icon(path=icon) if icon is not None else None,
            sound=(LINUX_SOUND if platform.system() == "Linux" else DEFAULT_SOUND)
            if sound else None,
            reply_field=reply_field, thread=key,
            on_clicked=lambda: self._clicked(key, identifier, msg_id),
            on_dismissed=lambda: self._forget(key, identifier))
        identifier = notification.identifier
        backend = self._backend
        in_place = hasattr(backend, "replacing")  # ReplacingDBusNotifier
        if in_place:
            backend.replacing = replaces  # type: ignore[attr-defined]
        try:
            await asyncio.wait_for(self._desktop.send_notification(notification),
                                   SEND_TIMEOUT_S)
        except TimeoutError:
            log.info("the notification server did not answer; the tray says it")
            self._native_failed_at = time.monotonic()
            return False
        finally:
            if in_place:
                backend.replacing = ""  # type: ignore[attr-defined]
        # desktop-notifier logs a failed send instead of raising; a sent one is current.
        if identifier not in await self._backend.get_current_notifications():
            log.info("no native notification (see desktop_notifier's warning); the tray says it")
            self._native_failed_at = time.monotonic()
            return False
        self._shown[key] = identifier
        return True

    async def _close(self, key: str) -> None:
        identifier = self._shown.pop(key, None)
        if identifier is not None:
            try:
                await asyncio.wait_for(self._desktop.clear(identifier), SEND_TIMEOUT_S)
            except Exception as exc:  # already closed by the user or the server
                log.debug("notification %s not cleared: %r", identifier, exc)
        if self._balloon is not None and self._balloon.key == key:
            self._balloon = None

    def _show_balloon(self, key: str, title: str, body: str, msg_id: str,
                      icon: Path | None) -> None:
        tray = self._tray
        if tray is None or not tray.isVisible() or not QSystemTrayIcon.supportsMessages():
            log.info("no way to show a notification here")
            self._balloon = None
            return
        self._balloon = Shown(key, title, body, icon, msg_id, False, False)
        tray.showMessage(title, body, QIcon(str(icon)) if icon is not None else QIcon(),
                         BALLOON_MS)

    def _balloon_clicked(self) -> None:
        shown, self._balloon = self._balloon, None
        if shown is not None:
            self.last.pop(shown.key, None)
            self.activated.emit(shown.key, shown.msg_id)

    def _forget(self, key: str, identifier: str) -> None:
        """The notification `identifier` of `key` is gone (clicked, dismissed, replied)."""
        if self._shown.get(key) == identifier:
            del self._shown[key]
            self.last.pop(key, None)

    def _clicked(self, key: str, identifier: str, msg_id: str) -> None:
        self._forget(key, identifier)
        self.activated.emit(key, msg_id)

    def _replied(self, key: str, identifier: str, text: str) -> None:
        self._forget(key, identifier)
        if text.strip():
            self.replied.emit(key, text)
