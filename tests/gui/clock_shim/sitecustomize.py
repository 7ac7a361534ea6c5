"""Test-only clock shift for the service subprocess (put this folder on PYTHONPATH).

Screenshots need history spread over several days, and the service stamps every message with
its own clock; with ``TIDINGS_TEST_CLOCK_FILE`` set, ``app.server.clock`` adds the number of
milliseconds written in that file (read on every call, so a test can move time forward while
the service runs). Without the variable this does nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

_CLOCK_FILE = os.environ.get("TIDINGS_TEST_CLOCK_FILE")

if _CLOCK_FILE:
    import app.server.clock as _clock

    _real_ms = _clock.now_ms
    _path = Path(_CLOCK_FILE)

    def _offset_ms() -> int:
        try:
            return int(_path.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def _now_ms() -> int:
        return _real_ms() + _offset_ms()

    def _now_s() -> int:
        return _now_ms() // 1000

    _clock.now_ms = _now_ms
    _clock.now_s = _now_s
