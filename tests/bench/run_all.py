"""``make bench``: every benchmark in its own process, each printing its own figures.

    python tests/bench/run_all.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def benches(quick: bool) -> list[list[str]]:
    return [
        ["tests.bench.c2c_throughput", *(["--quick"] if quick else [])],
        ["tests.bench.desktop_startup", "--runs", "3" if quick else "7"],
        ["tests.bench.desktop_chat", "open"],
        ["tests.bench.desktop_chat", "rss"],
        ["tests.bench.abuse_figures", "--sockets", "1000" if quick else "3000"],
        ["tests.bench.media_figures", "--runs", "1" if quick else "3"],
        ["tests.bench.group_fanout", *(["--quick"] if quick else [])],
        ["tests.bench.local_search", "--messages", "100000" if quick else "1000000"],
        ["tests.bench.search_panel", "--messages", "20000" if quick else "100000"],
        ["tests.bench.conversation_list", "--seconds", "5" if quick else "10"],
        ["tests.bench.quick_switcher", "--runs", "10" if quick else "30"],
        ["tests.bench.notification_latency", "--messages", "50" if quick else "200"],
        ["tests.bench.packaging_figures", "--runs", "3" if quick else "5"],
    ]


if __name__ == "__main__":
    for module, *args in benches("--quick" in sys.argv[1:]):
        print(f"\n=== {module} {' '.join(args)} ===", flush=True)
        subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, check=True)
