"""Python's cycle collector, tuned for a long-running GUI process.

A collection of the oldest generation walks every tracked object. Once a big account's cache
rows, models and Qt wrappers are loaded that is hundreds of thousands of objects, and each full
pass stopped the GUI thread for 50–300 ms: the longest stalls of the conversation list under a
stream of updates (`tests/bench/conversation_list.py`) were all inside `gc_collect_main`.

What exists once the main window has filled lives for the whole session, so `settle` moves it
out of the collector's sight (`gc.freeze`); later garbage is still collected, in passes over
the young objects only. Raising the first generation's threshold makes those passes fewer
without making them long.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 5_000
"""Allocations between young collections (CPython's default is 700)."""


def tune() -> None:
    """At start-up, before the window exists."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def settle() -> None:
    """Once the session's long-lived state is loaded (the main window filled)."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """When the session ends: what it loaded is garbage now, and may hold cycles."""
    gc.unfreeze()
