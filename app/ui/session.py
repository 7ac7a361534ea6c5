"""One signed-in user's time in the app: the SDK client, its Qt bridge and the main window.

The window comes before the network. The user's cache is opened (`init_storage`) and the main
window shown and filled from it first, so a remembered account is usable in a fraction of a
second even when the service is slow, unreachable, or — for "This computer" — still starting;
the client connects and signs in in the background. The service's address may therefore not be
known yet when the cache opens (the embedded service reports its port once it listens), which
is why `open` takes a coroutine function that finds it.

A session ends once, for one reason (`SessionEnd`); the app then closes it and decides what the
user sees next. Nothing here signs in again by itself after a kick or an expired sig: the SDK
never retries those, and neither does the app (no login loop between two devices).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Signal

from app.protocol import ErrorCode, IMError, Platform
from app.sdk import IMClient, SDKConfig
from app.sdk.client import AUTH_FAILURES
from app.ui import collector
from app.ui.bridge import SdkBridge
from app.ui.credentials import Credential
from app.ui.desktop.tray import TrayIcon
from app.ui.notify.badge import BadgeCount
from app.ui.notify.center import NotificationCenter
from app.ui.notify.notifier import Notifier
from app.ui.settings import DEMO, EMBEDDED, AppSettings
from app.ui.tasks import TaskGroup
from app.ui.views.main_window import MainWindow, ServiceKind
from app.ui.views.nav_rail import Page

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 5.0
"""Signing out or closing the connection must not hold up quitting when the network is gone."""
RETRY_DELAY_S = 2.0
"""Between sign-in attempts while the service cannot be reached (the SDK already waited)."""
SIGN_IN_AGAIN = AUTH_FAILURES | {ErrorCode.SDK_SIG_EXPIRED}
"""Refusals that only a new password sign-in can fix."""
UNREACHABLE = {ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_REQUEST_TIMEOUT}


class SessionEnd(Enum):
    SIGNED_OUT = "signed_out"
    """The user chose Sign out."""
    KICKED = "kicked"
    """The account signed in on another device of this platform (L8)."""
    EXPIRED = "expired"
    """The UserSig expired or was refused."""
    FAILED = "failed"
    """The service could not be started or refused the sign-in for another reason."""


class Session(QObject):
    ended = Signal(object)
    """SessionEnd, emitted once; the app then calls `close`."""
    quit_requested = Signal()
    """The main window wants the app to quit (closed without a tray to hide in)."""

    def __init__(self, credential: Credential, data_dir: Path, settings: AppSettings,
                 tray: TrayIcon, parent: QObject | None = None, *,
                 notifier: Notifier | None = None) -> None:
        """`notifier`: the desktop notifications' adapter (tests give one whose OS backend
        records); by default the OS's."""
        super().__init__(parent)
        self.credential = credential
        self._data_dir = data_dir
        self._settings = settings
        self._tray = tray
        self._tasks = TaskGroup("session")
        self.client = IMClient()
        self.bridge: SdkBridge | None = None
        self.window: MainWindow | None = None
        self.notifier = notifier
        self.notifications: NotificationCenter | None = None
        self.badge: BadgeCount | None = None
        self.end: SessionEnd | None = None
        self.error: IMError | None = None
        """Why the session FAILED, when it did."""

    @property
    def service_kind(self) -> ServiceKind:
        server = self.credential.server
        return "demo" if server == DEMO else "local" if server == EMBEDDED else "remote"

    async def open(self, server_url: Callable[[], Awaitable[str]], *,
                   minimized: bool = False, anchor: QRect | None = None) -> None:
        """Show the main window from the cache, then connect and sign in in the background.
        Without a remembered geometry the window opens centred on `anchor` (the window it
        replaces), so the app keeps its place on screen."""
        client = self.client
        # The cache lives under <data_dir>/<SDKAppID>/<user>: both known before the address.
        client.configure(self.credential.sdk_app_id,
                         SDKConfig(data_dir=self._data_dir, platform=Platform.DESKTOP))
        await client.init_storage(self.credential.user_id)

        self.bridge = bridge = SdkBridge(client, self)
        bridge.kicked.connect(lambda: self._finish(SessionEnd.KICKED))
        bridge.sig_expired.connect(lambda: self._finish(SessionEnd.EXPIRED))

        self.window = window = MainWindow(client, bridge, self._settings,
                                          service=self.service_kind, anchor=anchor)
        window.sign_out_requested.connect(lambda: self._finish(SessionEnd.SIGNED_OUT))
        window.quit_requested.connect(self.quit_requested)
        self._notifications(client, bridge, window)
        if not minimized:
            window.show()
        elif not self._tray.available:
            window.showMinimized()
        await window.start()
        assert self.badge is not None
        await self.badge.start(window.conversations.conversations())
        self._tray.set_unread(self.badge.value)
        collector.settle()
        self._tasks.run(self._sign_in(server_url))

    def _notifications(self, client: IMClient, bridge: SdkBridge, window: MainWindow) -> None:
        """Desktop notifications and the tray's badge (N1–N4), fed by the same bridge."""
        if self.notifier is None:
            self.notifier = Notifier(self._tray.tray, parent=self)
        self.notifications = center = NotificationCenter(
            client, bridge, self._settings, self.notifier, self._data_dir / "notification-icons",
            conversation=window.conversations.conversation, focused=self.reading,
            window=lambda: self.window, faces=window.chat.faces, parent=self)
        center.activated.connect(self.open_from_notification)
        # The tray clicked while a notification shows: its chat, not just the window.
        self._tray.activate_requested.connect(center.open_newest)
        self.badge = badge = BadgeCount(client, self)
        bridge.new_message.connect(badge.message)
        bridge.conversations_changed.connect(badge.update)
        bridge.conversations_deleted.connect(badge.remove)
        badge.changed.connect(self._tray.set_unread)

    def reading(self) -> str:
        """The chat the user is looking at: open in the active, visible main window."""
        window = self.window
        if (window is None or not window.isVisible() or window.isMinimized()
                or not window.isActiveWindow() or window.pages.currentIndex() != Page.CHATS):
            return ""
        return window.chat.conversation_id

    def open_from_notification(self, conversation_id: str, msg_id: str) -> None:
        """A notification was clicked: its chat at its message (the chat list for a summary
        of several chats), in front."""
        window = self.window
        if window is None:
            return
        if conversation_id:
            window.open_message(conversation_id, msg_id)
        else:
            window.rail.set_page(Page.CHATS)
            window.pages.setCurrentIndex(Page.CHATS)
        self.raise_window()

    def raise_window(self) -> None:
        """Bring the main window to the front (tray click, a second launch)."""
        if self.window is None:
            return
        if self.window.isMinimized():
            self.window.showNormal()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    async def close(self) -> None:
        """Take the window down and end the client; signs out on the service only when the
        user asked to (a quit keeps the account signed in for the next start)."""
        self._tasks.cancel_all()
        self._tray.set_unread(0)
        if self.notifications is not None:
            self._tray.activate_requested.disconnect(self.notifications.open_newest)
            self.notifications.close()
            try:  # notifications of a closed session would open nothing
                await asyncio.wait_for(self.notifications.withdraw_all(), CLOSE_TIMEOUT_S)
            except TimeoutError:
                log.info("notifications not withdrawn in time")
            self.notifications.notifier.close()
        if self.window is not None:
            window, self.window = self.window, None
            window.quit_requested.disconnect(self.quit_requested)
            try:  # saves the open draft and waits for sends in flight
                await asyncio.wait_for(window.shutdown(), CLOSE_TIMEOUT_S)
            except TimeoutError:
                log.info("the main window did not shut down in time")
            window.hide()
            window.deleteLater()
        if self.bridge is not None:
            self.bridge.detach()
        try:
            if self.end is SessionEnd.SIGNED_OUT:
                await asyncio.wait_for(self.client.logout(), CLOSE_TIMEOUT_S)
            await asyncio.wait_for(self.client.uninit(), CLOSE_TIMEOUT_S)
        except (IMError, TimeoutError) as exc:
            log.info("the client did not close cleanly: %s", exc)
        collector.release()

    async def _sign_in(self, server_url: Callable[[], Awaitable[str]]) -> None:
        try:
            url = await server_url()
        except IMError as exc:
            self.error = exc
            self._finish(SessionEnd.FAILED)
            return
        self.client.init(self.credential.sdk_app_id, url, self.client.config)
        while True:
            try:
                await self.client.login(self.credential.user_id, self.credential.user_sig)
                log.info("%s signed in at %s", self.credential.user_id, url)
                return
            except IMError as exc:
                if exc.code in UNREACHABLE:
                    log.info("cannot sign in yet (%s); trying again", exc)
                    await asyncio.sleep(RETRY_DELAY_S)
                    continue
                log.warning("sign-in refused: %s", exc)
                if exc.code == ErrorCode.KICKED_BY_OTHERS:
                    self._finish(SessionEnd.KICKED)
                elif exc.code in SIGN_IN_AGAIN:
                    self._finish(SessionEnd.EXPIRED)
                else:
                    self.error = exc
                    self._finish(SessionEnd.FAILED)
                return

    def _finish(self, end: SessionEnd) -> None:
        if self.end is None:
            self.end = end
            self.ended.emit(end)
