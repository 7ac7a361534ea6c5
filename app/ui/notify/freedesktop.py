"""desktop-notifier's freedesktop backend, updating a notification in place.

org.freedesktop.Notifications' Notify takes the ID of a notification to replace; desktop-notifier
always sends 0, so a conversation's next message would close its notification and open another
(two calls, and on most desktops a closing and an opening animation). This backend sends the ID
of the notification it is told it replaces, when the server still shows it. Linux only: it needs
dbus-fast, which desktop-notifier installs there alone.
"""

from __future__ import annotations

from typing import Any

from desktop_notifier import Icon
from desktop_notifier.backends.dbus import DBusDesktopNotifier


class ReplacingDBusNotifier(DBusDesktopNotifier):
    """desktop-notifier's freedesktop backend with Notify's replaces_id: the next send replaces
    the notification `replacing` (an identifier) when the server still shows it."""

    def __init__(self, app_name: str, app_icon: Icon | None = None) -> None:
        super().__init__(app_name, app_icon)
        self.replacing = ""

    async def _init_dbus(self) -> Any:
        interface = await super()._init_dbus()
        notify = interface.call_notify  # type: ignore[attr-defined]

        async def call_notify(app_name: str, replaces_id: int, *args: Any) -> int:
            ids = self._platform_to_interface_notification_identifier.inverse
            old = ids.get(self.replacing) if self.replacing else None
            if old is not None:  # still showing (not closed by the user or the server)
                replaces_id = old
                del ids[self.replacing]
                self._clear_notification_from_cache(self.replacing)
            return await notify(app_name, replaces_id, *args)

        interface.call_notify = call_notify  # type: ignore[attr-defined]
        return interface
