"""The service's notion of "now". Every time on the wire is integer milliseconds since the epoch,
REST bodies use seconds; keeping both conversions here avoids off-by-1000 mistakes."""

from __future__ import annotations

import time


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def now_s() -> int:
    return int(time.time())
