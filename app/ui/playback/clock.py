"""A wall clock that pauses: the pace of a video without sound, or past the end of its sound.

Read from the GUI thread (presenting) and the decoder thread (dropping late frames), hence the
lock.
"""

from __future__ import annotations

import threading
import time


class WallClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base = 0.0
        self._since: float | None = None
        """`time.monotonic()` when it last started running; None while paused."""

    def position(self) -> float:
        with self._lock:
            if self._since is None:
                return self._base
            return self._base + time.monotonic() - self._since

    def reset(self, position: float) -> None:
        with self._lock:
            self._base = position
            if self._since is not None:
                self._since = time.monotonic()

    def set_paused(self, paused: bool) -> None:
        with self._lock:
            if paused and self._since is not None:
                self._base += time.monotonic() - self._since
                self._since = None
            elif not paused and self._since is None:
                self._since = time.monotonic()
