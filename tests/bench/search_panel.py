"""The search panel on a big cache: how long the GUI thread is ever blocked while the user types
queries and scrolls through their results.

A cache of ``--messages`` (100,000) messages in 2,000 conversations is built as
``local_search`` builds it (its words, its triggers); a real ``IMClient`` opens it offline and the
real ``SearchPanel`` searches it through the SDK (FTS5 on the cache thread). A 1 ms precise timer
on the GUI thread (``StallProbe``) records the gaps between its ticks while, for each query, the
text is typed a character every 60 ms, the answer awaited, and the result list scrolled to its
end ``--pages`` times (each time the next page of 40 comes). Target: no gap over 5 ms beyond the
timer's own jitter.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.search_panel [--messages 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from app.sdk import IMClient
from app.sdk.cache.store import CacheStore
from app.ui.views.search_panel import SearchPanel
from tests.bench.conversation_list import StallProbe
from tests.bench.local_search import build
from tests.support.clients import sdk_config

APP_ID = 1400000001
QUERIES = ("跑步", "meeting", "跑", "的")


async def _until(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the panel did not answer")
        await asyncio.sleep(0.005)


async def measure(root: Path, pages: int) -> None:
    client = IMClient()
    client.init(APP_ID, "ws://127.0.0.1:9/ws", sdk_config(root))
    await client.init_storage("me")
    host = QWidget()
    host.resize(1100, 720)
    host.show()
    panel = SearchPanel(client, host)
    panel.open("")
    probe = StallProbe()
    rows = []
    for query in QUERIES:
        probe.start()
        started = time.perf_counter()
        panel.field.clear()
        for n in range(1, len(query) + 1):
            panel.field.setText(query[:n])
            await asyncio.sleep(0.06)
        await _until(lambda: not panel._debounce.isActive() and not panel.busy)
        answered = time.perf_counter() - started
        for _ in range(pages):
            if panel.model.complete:
                break
            shown = panel.model.rowCount()
            panel.list.doItemsLayout()
            bar = panel.list.verticalScrollBar()
            bar.setValue(bar.maximum())
            await _until(lambda s=shown: not panel.busy and (panel.model.rowCount() > s
                                                             or panel.model.complete))
            await asyncio.sleep(0.02)  # let it paint
        gaps = probe.stop()
        ordered = sorted(gaps)
        rows.append((query, panel.model.total, panel.model.rowCount(), answered * 1000,
                     max(gaps), ordered[int(len(ordered) * 0.99)], statistics.median(gaps)))
    panel.stop()
    host.close()
    await client.uninit()
    print(f"{'query':<10} {'matches':>8} {'shown':>6} {'answer ms':>10} {'max gap':>8} "
          f"{'p99':>6} {'median':>7}")
    for query, total, shown, answer, worst, p99, median in rows:
        print(f"{query:<10} {total:>8} {shown:>6} {answer:>10.0f} {worst:>8.1f} {p99:>6.1f} "
              f"{median:>7.2f}")
    print("target: no GUI-thread gap over 5 ms (the 1 ms timer's own jitter aside)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / str(APP_ID) / "me" / "cache.db"
        path.parent.mkdir(parents=True)
        setup = asyncio.new_event_loop()
        store = CacheStore(path, "me")
        setup.run_until_complete(store.open())  # the schema, then the rows beside it
        seconds = build(path, args.messages)
        setup.run_until_complete(store.close())
        setup.close()
        print(f"cache of {args.messages} messages built and indexed in {seconds:.0f} s")
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(measure(root, args.pages))


if __name__ == "__main__":
    main()
