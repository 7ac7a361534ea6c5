"""Stand-ins for the OS's notification service, at its lowest layer.

`RecordingBackend` is a desktop-notifier backend that keeps what it is asked to show: the
`Notifier` above it (and everything above that) runs as in the app. `SessionBus` starts a real
D-Bus session bus (`dbus-daemon --session`), and `NotificationServer` serves
org.freedesktop.Notifications on it with dbus-fast as a desktop's notification daemon would —
Notify, GetCapabilities, GetServerInformation, CloseNotification, the ActionInvoked and
NotificationClosed signals — so the app's real freedesktop backend talks to it over the wire.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from dbus_fast import BusType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusSignature
from dbus_fast.service import ServiceInterface, method, signal
from desktop_notifier import Capability, Notification
from desktop_notifier.backends.base import DesktopNotifierBackend

DBUS_DAEMON = "/usr/bin/dbus-daemon"
BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"

Str = Annotated[str, DBusSignature("s")]
UInt = Annotated[int, DBusSignature("u")]
Int = Annotated[int, DBusSignature("i")]
Strs = Annotated[list[str], DBusSignature("as")]
Hints = Annotated[dict[str, Any], DBusSignature("a{sv}")]


class RecordingBackend(DesktopNotifierBackend):
    """A desktop-notifier backend that shows nothing and remembers everything."""

    def __init__(self, capabilities: frozenset[Capability] | None = None) -> None:
        super().__init__("Tidings", None)
        self.sent: list[Notification] = []
        self.cleared: list[str] = []
        self._caps = capabilities if capabilities is not None else frozenset(Capability)

    async def request_authorisation(self) -> bool:
        return True

    async def has_authorisation(self) -> bool:
        return True

    async def _send(self, notification: Notification) -> None:
        self.sent.append(notification)

    async def _clear(self, identifier: str) -> None:
        self.cleared.append(identifier)

    async def _clear_all(self) -> None:
        self.cleared.extend(self._notification_cache)

    async def _get_capabilities(self) -> frozenset[Capability]:
        return self._caps

    @property
    def showing(self) -> list[Notification]:
        """Sent and neither cleared nor acted on, oldest first."""
        return [n for n in self.sent if n.identifier in self._notification_cache]

    def click(self, notification: Notification) -> None:
        """The user clicks it (what the OS backends do on their 'clicked' event)."""
        self.handle_clicked(notification.identifier,
                            self._clear_notification_from_cache(notification.identifier))

    def reply(self, notification: Notification, text: str) -> None:
        self.handle_replied(notification.identifier, text,
                            self._clear_notification_from_cache(notification.identifier))


@dataclass
class NotifyCall:
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    timeout: int
    id: int
    at: float = field(default_factory=time.perf_counter)


class NotificationServer(ServiceInterface):
    """org.freedesktop.Notifications as a notification daemon serves it."""

    def __init__(self, capabilities: tuple[str, ...] = ("body", "actions", "icon-static",
                                                        "sound", "inline-reply")) -> None:
        super().__init__(BUS_NAME)
        self.capabilities = list(capabilities)
        self.calls: list[NotifyCall] = []
        self.closed: list[int] = []
        self.arrived = asyncio.Event()
        self.on_notify: Callable[[NotifyCall], None] | None = None
        """Told of each Notify call as it arrives (a bench times them)."""
        self._next_id = 0

    @method()
    def Notify(self, app_name: Str, replaces_id: UInt, app_icon: Str,
               summary: Str, body: Str, actions: Strs, hints: Hints,
               expire_timeout: Int) -> UInt:
        if replaces_id and replaces_id in {c.id for c in self.live()}:
            notification_id = replaces_id  # updated in place, as the spec says
        else:
            self._next_id += 1
            notification_id = self._next_id
        self.calls.append(NotifyCall(app_name, replaces_id, app_icon, summary, body,
                                     list(actions), {k: v.value for k, v in hints.items()},
                                     expire_timeout, notification_id))
        self.arrived.set()
        if self.on_notify is not None:
            self.on_notify(self.calls[-1])
        return self._next_id

    @method()
    def GetCapabilities(self) -> Strs:
        return self.capabilities

    @method()
    def GetServerInformation(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["tidings-test", "Tidings tests", "1.0", "1.2"]

    @method()
    def CloseNotification(self, id: UInt):  # type: ignore[no-untyped-def]
        self.closed.append(id)
        self.NotificationClosed(id, 3)

    @signal()
    def ActionInvoked(self, id: UInt, action_key: Str) -> Annotated[list[Any],
                                                                     DBusSignature("us")]:
        return [id, action_key]

    @signal()
    def NotificationClosed(self, id: UInt, reason: UInt) -> Annotated[list[Any],
                                                                       DBusSignature("uu")]:
        return [id, reason]

    @signal()
    def NotificationReplied(self, id: UInt, text: Str) -> Annotated[list[Any],
                                                                     DBusSignature("us")]:
        return [id, text]

    def invoke(self, call: NotifyCall, action: str = "default") -> None:
        """The user clicks the notification (`default`) or one of its actions; like most
        servers, this one then closes it (reason 2: by the user)."""
        self.ActionInvoked(call.id, action)
        self.closed.append(call.id)
        self.NotificationClosed(call.id, 2)

    def live(self) -> list[NotifyCall]:
        """What shows now: the latest call of each notification not closed."""
        latest = {c.id: c for c in self.calls}
        return [c for c in latest.values() if c.id not in self.closed]


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
"""The session bus configuration without its service directories: no installed notification
daemon can be activated in place of (or before) the test's own server."""


class SessionBus:
    """A private D-Bus session bus for one test: `dbus-daemon --nofork --print-address` with
    a session bus's configuration (less the service activation)."""

    def __init__(self, process: subprocess.Popen[str], address: str) -> None:
        self.process = process
        self.address = address

    @classmethod
    def available(cls) -> bool:
        return Path(DBUS_DAEMON).exists() or shutil.which("dbus-daemon") is not None

    @classmethod
    def start(cls) -> SessionBus:
        binary = DBUS_DAEMON if Path(DBUS_DAEMON).exists() else shutil.which("dbus-daemon")
        assert binary, "dbus-daemon is not installed"
        config = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)  # noqa: SIM115
        with config:
            config.write(BUS_CONFIG)
        process = subprocess.Popen([binary, f"--config-file={config.name}", "--print-address",
                                    "--nofork"], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        address = process.stdout.readline().strip()  # printed once the config was read
        Path(config.name).unlink()
        assert address, "dbus-daemon printed no address"
        return cls(process, address)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def session_bus(monkeypatch: Any) -> Iterator[SessionBus]:
    """A private session bus, and DBUS_SESSION_BUS_ADDRESS pointing at it for the test."""
    bus = SessionBus.start()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    try:
        yield bus
    finally:
        bus.stop()


async def serve_notifications(address: str, server: NotificationServer) -> MessageBus:
    """Connect to the bus at `address`, export `server` and own the well-known name."""
    bus = await MessageBus(bus_address=address, bus_type=BusType.SESSION).connect()
    bus.export(OBJECT_PATH, server)
    await bus.request_name(BUS_NAME)
    return bus


def env_without_session_bus() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


def hint(call: NotifyCall, name: str) -> Any:
    value = call.hints.get(name)
    return value.value if isinstance(value, Variant) else value
