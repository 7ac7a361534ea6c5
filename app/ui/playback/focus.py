"""One sound at a time, app-wide: starting a voice or a video silences whatever else plays.

Every messenger behaves so — a second voice message stops the first, a voice pauses a video.
Holders are kept weakly, so a closed player never receives a call.
"""

from __future__ import annotations

import weakref
from typing import Protocol


class FocusHolder(Protocol):
    def yield_focus(self) -> None:
        """Another sound starts: stop or pause (called on the GUI thread)."""


_holder: weakref.ReferenceType[FocusHolder] | None = None


def take(holder: FocusHolder) -> None:
    """`holder` starts to sound; the previous holder yields first."""
    global _holder
    previous = _holder() if _holder is not None else None
    _holder = weakref.ref(holder)
    if previous is not None and previous is not holder:
        previous.yield_focus()


def release(holder: FocusHolder) -> None:
    """`holder` went quiet for good (stopped, closed)."""
    global _holder
    if _holder is not None and _holder() is holder:
        _holder = None
