"""Media times as players show them: "0:07", "12:05", "1:02:03"; "0:07,4" while recording."""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale


def clock(seconds: float) -> str:
    """Whole seconds, rounded down (an elapsed time never shows a second not yet reached)."""
    whole = max(0, math.floor(seconds + 1e-6))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def clock_tenths(seconds: float) -> str:
    """With tenths, in the locale's decimal sign: a recording's counter visibly runs."""
    tenths = max(0, math.floor(seconds * 10 + 1e-6))
    return f"{clock(tenths // 10)}{QLocale().decimalPoint()}{tenths % 10}"
