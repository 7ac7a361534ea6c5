"""The conversation list under a steady stream: 1,000 conversations, 100 new messages a second
spread over them, arriving through the real service and SDK into the real main window
(offscreen). The figure is the GUI thread's longest stall — the time between two ticks of a
1 ms timer — against the 16 ms frame budget, beside the same probe on the idle window in the
same run (what the machine and Qt cost with nothing happening).

The sender is another process, so the GUI thread pays for receiving, sorting and painting only.
A stall also counts time the OS gave the process no core: run it on an otherwise idle machine
(the app's CPU share under load is printed too, to tell the two apart).

    python -m tests.bench.conversation_list [--conversations 1000] [--rate 100] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import qasync
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.sdk import IMClient
from app.ui import collector
from app.ui.bridge import SdkBridge
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme
from app.ui.views.main_window import MainWindow
from tests.support.clients import sdk_config
from tests.support.service import Service

ME = "me"
FRAME_MS = 16.0


def peers(n: int) -> list[str]:
    return [f"peer{i:04d}" for i in range(n)]


def text_body(sender: str, text: str, n: int) -> dict[str, object]:
    return {"SyncOtherMachine": 2, "From_Account": sender, "To_Account": ME, "MsgRandom": n,
            "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]}


async def seed(service: Service, senders: list[str]) -> None:
    """Every peer exists and has written to me once: 1,000 conversations before the window."""
    async with httpx.AsyncClient(base_url=service.url, timeout=60) as http:
        for start in range(0, len(senders), 99):
            reply = await http.post(
                f"/v4/im_open_login_svc/multiaccount_import?{service.admin_query()}",
                json={"Accounts": [ME, *senders[start:start + 99]]})
            assert reply.json()["ErrorCode"] == 0, reply.text
        for start in range(0, len(senders), 50):
            batch = senders[start:start + 50]
            replies = await asyncio.gather(*(
                http.post(f"/v4/openim/sendmsg?{service.admin_query()}",
                          json=text_body(s, f"hello from {s}", i))
                for i, s in enumerate(batch)))
            assert all(r.json()["ErrorCode"] == 0 for r in replies)


async def load(url: str, key: str, conversations: int, rate: float, seconds: float) -> None:
    """The sending process: `rate` messages a second, each from a random peer, on a schedule
    (not as fast as possible), so the window sees the stream a busy user would."""
    service = Service(data_dir=Path("."), key=key, url=url)
    senders, rng = peers(conversations), random.Random(7)
    total = int(rate * seconds)
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        started = time.perf_counter()
        tasks = []
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            body = text_body(rng.choice(senders), f"update {n}", 10_000 + n)
            tasks.append(asyncio.ensure_future(
                http.post(f"/v4/openim/sendmsg?{service.admin_query()}", json=body)))
        replies = await asyncio.gather(*tasks)
    assert all(r.json()["ErrorCode"] == 0 for r in replies)
    print(f"sent {total} messages in {time.perf_counter() - started:.1f}s", flush=True)


class StallProbe:
    """Gaps between ticks of a 1 ms precise timer on the GUI thread."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps = []
        self._clock.start()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.gaps

    def _tick(self) -> None:
        self.gaps.append(self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()


def describe(gaps: list[float]) -> str:
    ordered = sorted(gaps)
    p99 = ordered[int(len(ordered) * 0.99)]
    over = sum(1 for g in gaps if g > FRAME_MS)
    return (f"max {max(gaps):.1f} ms, p99 {p99:.1f} ms, median {statistics.median(gaps):.2f} ms,"
            f" {over} over {FRAME_MS:.0f} ms")


async def measure(conversations: int, rate: float, seconds: float, root: Path) -> None:
    service = Service(data_dir=root / "service").start()
    try:
        senders = peers(conversations)
        await seed(service, senders)
        client = IMClient()
        client.init(service.sdk_app_id, service.ws, sdk_config(root / "me"))
        bridge = SdkBridge(client)
        await client.login(ME, service.sig(ME))
        window = MainWindow(client, bridge, AppSettings(root / "settings.ini"))
        window.resize(1100, 720)
        window.show()
        await window.start()
        model = window.conversations
        while model.rowCount() < conversations:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        collector.settle()  # as the app's session does once its window has filled
        unread = 0

        def counted(total: int) -> None:
            nonlocal unread
            unread = total

        bridge.total_unread_changed.connect(counted)
        probe = StallProbe()
        probe.start()
        await asyncio.sleep(seconds / 2)  # the idle window, to compare with
        idle = probe.stop()

        sender = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.bench.conversation_list", "--load", service.url,
            "--conversations", str(conversations), "--rate", str(rate),
            "--seconds", str(seconds), env=dict(os.environ, TIDINGS_SECRET_KEY=service.key))
        probe.start()
        cpu, wall = time.process_time(), time.perf_counter()
        expected = int(rate * seconds)
        deadline = time.monotonic() + seconds * 4 + 30
        while unread < conversations + expected and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        busy = probe.stop()
        share = (time.process_time() - cpu) / (time.perf_counter() - wall)
        assert await asyncio.wait_for(sender.wait(), 60) == 0, "the sender failed"
        top = model.index(0, 0).data()
        print(f"{conversations} conversations, {rate:.0f} updates/s for {seconds:.0f}s: "
              f"{unread - conversations} of {expected} counted as unread; top row {top!r}")
        print(f"GUI-thread stall under load: {describe(busy)}")
        print(f"GUI-thread stall idle (same run): {describe(idle)}")
        print(f"the app's CPU under load: {share:.0%} of one core (all its threads)")
        print(f"longest stall {max(busy):.1f} ms = {max(busy) / FRAME_MS:.2f}× the "
              f"{FRAME_MS:.0f} ms frame budget (target ≤ 1.00×), "
              f"{max(busy) / max(idle):.1f}× the idle window's longest")
        await window.shutdown()
        bridge.detach()
        await client.uninit()
    finally:
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--load", metavar="URL")
    args = parser.parse_args()
    if args.load:
        asyncio.run(load(args.load, os.environ["TIDINGS_SECRET_KEY"], args.conversations,
                         args.rate, args.seconds))
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    collector.tune()
    app = QApplication(sys.argv)
    apply_theme(app, "light")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, loop:
        loop.run_until_complete(measure(args.conversations, args.rate, args.seconds,
                                        Path(tmp)))


if __name__ == "__main__":
    main()
