"""Where the app gets media bytes: what `IMClient.media` offers, as a Protocol.

The UI depends on these two calls only, so tests and benches can hand the loader anything that
answers them from a real media cache, and the UI never reaches into the SDK's cache layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

ProgressFn = Callable[[int, int], None]
"""(bytes done, bytes in all) of a download."""


class MediaSource(Protocol):
    def cached(self, uuid: str, url: str = "") -> Path | None:
        """The complete local file, or None; cheap (it is called while painting)."""

    async def download(self, uuid: str, *, url: str = "", size: int = 0,
                       progress: ProgressFn | None = None) -> Path:
        """Fetch the item into the user's cache (one download per item at a time)."""
