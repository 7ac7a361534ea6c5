"""The bars of a voice message: deterministic from its uuid until real peaks are sent.

A voice element carries no peaks yet, so the shape is made from the uuid's hash: the same
message always looks the same, on every device and after every restart, and two messages look
different. The values follow speech a little (neighbouring bars related, a slow swell of
phrases, the loudest bar full height) so the bubble does not read as noise.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache

BAR_WIDTH = 3.0
BAR_GAP = 2.0


@lru_cache(maxsize=2048)
def bars(seed: str, count: int) -> tuple[float, ...]:
    """`count` heights between 0.12 and 1 for the message `seed` (its uuid or id)."""
    digest = hashlib.sha256(seed.encode()).digest()
    while len(digest) < count + 2:
        digest += hashlib.sha256(digest).digest()
    raw = [b / 255 for b in digest[:count + 2]]
    phase = raw[0] * math.tau
    heights = []
    for i in range(count):
        # Syllables: a little of each neighbour, under a slow swell of phrases.
        value = 0.25 * raw[i] + 0.5 * raw[i + 1] + 0.25 * raw[i + 2]
        swell = 0.7 + 0.3 * math.sin(phase + i / max(1, count) * math.tau * 1.5)
        heights.append(value * swell)
    top = max(heights, default=1.0) or 1.0
    return tuple(max(0.12, min(1.0, (h / top) ** 1.4)) for h in heights)


def bar_count(width: float) -> int:
    return max(8, int((width + BAR_GAP) // (BAR_WIDTH + BAR_GAP)))
