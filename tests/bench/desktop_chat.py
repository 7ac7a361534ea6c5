"""Desktop figures on a big cached account, measured in the real main window (offscreen):

- opening a chat with 100,000 cached messages: time from the click to its first screen painted;
- RSS after opening 1,000 conversations (100 messages each) one after another.

No service is needed: the app works from its cache before the network answers, which is the
situation these figures describe.

    python -m tests.bench.desktop_chat [open] [rss]     (each in its own process for RSS)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
import qasync
from PySide6.QtWidgets import QApplication

from app.protocol import ConversationState, TextElem
from app.protocol import Message as WireMessage
from app.sdk import IMClient, SDKConfig
from app.sdk.cache.store import CacheStore
from app.ui import collector
from app.ui.bridge import SdkBridge
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme
from app.ui.views.main_window import MainWindow
from tests.bench.cached_account import ME, SDK_APP_ID, build, cache_path

UNREACHABLE = "ws://127.0.0.1:9/ws"


async def open_window(data_dir: Path) -> tuple[IMClient, MainWindow]:
    client = IMClient()
    client.init(SDK_APP_ID, UNREACHABLE, SDKConfig(data_dir=data_dir, reconnect_min_s=30,
                                                   reconnect_max_s=60))
    await client.init_storage(ME)
    settings = AppSettings(data_dir / "settings.ini")
    window = MainWindow(client, SdkBridge(client), settings)
    window.resize(1100, 720)
    window.show()
    await window.start()
    collector.settle()  # as the app's session does once its window has filled
    return client, window


async def first_screen(window: MainWindow, conv_id: str) -> float:
    """Milliseconds from asking for a chat to its first screen painted."""
    started = time.perf_counter()
    window.open_conversation(conv_id)
    model = window.chat.model
    while model.conversation_id != conv_id or model.rowCount() == 0:  # noqa: ASYNC110
        await asyncio.sleep(0)  # polls at the loop's own granularity: the figure is the wait
    window.chat.timeline.viewport().repaint()
    return (time.perf_counter() - started) * 1000


async def bench_open_big_chat(root: Path) -> None:
    data_dir = root / "big"
    took = await build(data_dir, 1, 100_000)
    await build_extra(data_dir)
    print(f"cache with 100,000 messages in one chat built in {took:.1f}s")
    client, window = await open_window(data_dir)
    samples = []
    for _ in range(15):
        samples.append(await first_screen(window, "c2c_peer0000"))
        await first_screen(window, "c2c_other")
    print(f"open chat with 100,000 cached messages, first screen: "
          f"p50 {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms "
          f"(first {samples[0]:.1f} ms, {len(samples)} opens)")
    await window.shutdown()
    await client.uninit()


async def build_extra(data_dir: Path) -> None:
    """A second, small chat to switch to between opens of the big one."""
    store = CacheStore(cache_path(data_dir), ME)
    await store.open()
    await store.store_messages([WireMessage(
        msg_id=f"o{i}", conv_type=1, sender="other", receiver=ME, seq=i, time=i * 1000,
        elems=[TextElem(f"short chat {i}")]) for i in range(1, 31)])
    await store.apply_states([ConversationState(conv_id="c2c_other", conv_type=1, max_seq=30,
                                                read_seq=30)])
    await store.close()


async def bench_rss(root: Path) -> None:
    data_dir = root / "many"
    took = await build(data_dir, 1000, 100)
    print(f"cache with 1,000 conversations × 100 messages built in {took:.1f}s")
    process = psutil.Process()
    client, window = await open_window(data_dir)
    rows = window.conversations.rowCount()
    before = process.memory_info().rss / 2**20
    started = time.perf_counter()
    for conv in window.conversations.conversations():
        await first_screen(window, conv.conversation_id)
    elapsed = time.perf_counter() - started
    after = process.memory_info().rss / 2**20
    print(f"RSS with {rows} conversations listed: {before:.0f} MiB; after opening all of them: "
          f"{after:.0f} MiB ({elapsed / rows * 1000:.1f} ms per open)")
    await window.shutdown()
    await client.uninit()


BENCHES = {"open": bench_open_big_chat, "rss": bench_rss}


async def main(which: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in which:
            await BENCHES[name](Path(tmp))


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    collector.tune()
    app = QApplication(sys.argv[:1])
    apply_theme(app, "light")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main([a for a in sys.argv[1:] if a in BENCHES] or list(BENCHES)))
