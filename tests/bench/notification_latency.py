"""Notification latency: from a peer's send to the Notify call at the desktop's notification
server, beside a ceiling measured in the same run.

The whole path is real: a peer (an SDK client) sends through the service (a child process) to
Alice's app session — the Session the app opens, its window hidden in the tray, the
NotificationCenter, desktop-notifier's freedesktop backend over dbus-fast — and the Notify call
arrives at a notification server served with dbus-fast on a private D-Bus session bus. The
peer and the server run on their own thread and loop (a desktop daemon is another process; the
app's loop is not lent to them), so each message is timed on one clock from just before the
peer's send to the server receiving Notify. Messages go one at a time, each after the last
one's Notify, so the figure is latency, not queueing; each one replaces the notification of the
one before in place (the burst rule: Notify with its replaces_id).

The ceiling is what no app could avoid, measured in the same run: the SDK's delivery of the
same message to Alice's client (peer's send → her `on_recv_new_message`) plus a bare Notify
round trip on the same bus (a dbus-fast client calling the server, no app in between). The
ratio says how much the app's own part (decision, texts, icon, replacing, desktop-notifier)
adds.

    python -m tests.bench.notification_latency [--messages 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from dbus_fast import BusType
from dbus_fast.aio import MessageBus
from PySide6.QtWidgets import QApplication

from app.sdk import Message
from app.ui.credentials import Credential
from app.ui.desktop.tray import TrayIcon
from app.ui.session import Session
from app.ui.settings import AppSettings
from tests.support.clients import Peer, connect
from tests.support.notifications import (
    BUS_NAME,
    OBJECT_PATH,
    NotificationServer,
    NotifyCall,
    SessionBus,
    serve_notifications,
)
from tests.support.service import Service

T = TypeVar("T")
WARM_UP = 10


def pct(data: list[float], p: float) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


class Side:
    """The peer and the notification server, on a thread with its own asyncio loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="side", daemon=True)
        self.thread.start()
        self.server = NotificationServer()
        self.notified = asyncio.Event()
        self.expect = ""
        self.peer: Peer | None = None
        self.daemon: MessageBus | None = None

    async def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on this side's loop and await it from the app's."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    async def start(self, address: str, service: Service, data_dir: Path) -> None:
        self.daemon = await serve_notifications(address, self.server)

        def arrived(call: NotifyCall) -> None:
            if self.expect and call.body.endswith(self.expect):
                self.notified.set()

        self.server.on_notify = arrived
        self.peer = await connect(service, "bob", data_dir / "bob")
        await self.peer.client.set_self_info(nick="Bob")

    async def send_one(self, text: str) -> tuple[float, float]:
        """Send `text` to Alice; (time before the send, time its Notify arrived)."""
        assert self.peer is not None
        self.expect = text
        self.notified.clear()
        mm = self.peer.mm
        msg = mm.create_text_message(text)
        started = time.perf_counter()
        await mm.send_message(msg, receiver="alice")
        await asyncio.wait_for(self.notified.wait(), 10)
        return started, self.server.calls[-1].at

    async def stop(self) -> None:
        if self.peer is not None:
            await self.peer.close()
        if self.daemon is not None:
            self.daemon.disconnect()


async def bare_notify(address: str, runs: int) -> list[float]:
    """Milliseconds per Notify round trip from a plain dbus-fast client on the app's loop."""
    bus = await MessageBus(bus_address=address, bus_type=BusType.SESSION).connect()
    introspection = await bus.introspect(BUS_NAME, OBJECT_PATH)
    iface = bus.get_proxy_object(BUS_NAME, OBJECT_PATH, introspection).get_interface(BUS_NAME)
    out = []
    for i in range(runs + WARM_UP):
        started = time.perf_counter()
        await iface.call_notify("bare", 0, "", "Bob", f"bare {i}", [], {}, -1)  # type: ignore
        if i >= WARM_UP:
            out.append((time.perf_counter() - started) * 1000)
    bus.disconnect()
    return out


async def run(messages: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="tidings-notify-bench-"))
    bus = SessionBus.start()
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    service = Service(tmp / "service").start()
    side = Side()
    session: Session | None = None
    try:
        await side.call(side.start(bus.address, service, tmp))
        settings = AppSettings(tmp / "settings.ini")
        tray = TrayIcon(settings)
        credential = Credential(service.url, "alice", service.sig("alice"), service.sdk_app_id)
        session = Session(credential, tmp / "alice", settings, tray)

        async def url() -> str:
            return service.url

        await session.open(url, minimized=True)
        center = session.notifications
        assert center is not None and center.notifier.native
        while not (session.client.ready and not center.first_catch_up):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        delivered: dict[str, float] = {}
        assert session.bridge is not None
        session.bridge.new_message.connect(
            lambda m: delivered.__setitem__(text_of(m), time.perf_counter()))

        end_to_end: list[float] = []
        delivery: list[float] = []
        for i in range(messages + WARM_UP):
            text = f"bench {i}"
            sent, notified = await side.call(side.send_one(text))
            if i >= WARM_UP:
                end_to_end.append((notified - sent) * 1000)
                delivery.append((delivered[text] - sent) * 1000)
        bare = await bare_notify(bus.address, messages)
        calls = len(side.server.calls)
        closes = len(side.server.closed)
    finally:
        if session is not None:
            await session.close()
        await side.call(side.stop())
        side.loop.call_soon_threadsafe(side.loop.stop)
        service.stop()
        bus.stop()

    ceiling50 = statistics.median(delivery) + statistics.median(bare)
    ceiling99 = pct(delivery, 0.99) + pct(bare, 0.99)
    print(f"{messages} messages, one at a time, each replacing the last notification "
          f"({calls} Notify and {closes} CloseNotification calls at the server)")
    print(f"{'path':<46} {'p50 ms':>8} {'p99 ms':>8}")
    rows = [("send → Notify at the server (the app)", end_to_end),
            ("send → Alice's SDK (delivery)", delivery),
            ("bare Notify round trip on the bus", bare)]
    for label, data in rows:
        print(f"{label:<46} {statistics.median(data):>8.2f} {pct(data, 0.99):>8.2f}")
    print(f"{'ceiling: delivery + bare Notify':<46} {ceiling50:>8.2f} {ceiling99:>8.2f}")
    print(f"{'ratio app ÷ ceiling':<46} {statistics.median(end_to_end) / ceiling50:>8.2f} "
          f"{pct(end_to_end, 0.99) / ceiling99:>8.2f}")


def text_of(msg: Message) -> str:
    return msg.text_elem.text if msg.text_elem is not None else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    if not SessionBus.available():
        print("dbus-daemon is not installed: no figures", file=sys.stderr)
        return
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(run(args.messages))


if __name__ == "__main__":
    main()
