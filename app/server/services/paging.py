"""The byte budget of paged answers (``msg.pull``, ``msg.history``, ``conv.sync``).

Items are counted as they will be sent: each is encoded once (or is already stored encoded) and
its length, plus the comma before it, is taken from ``Limits.answer_bytes``. What is not an item
— the frame around the body and the body's fixed fields (``more``, ``is_finished``,
``version``, ``next_after``) — is covered by ``ENVELOPE_BYTES``, so a whole answer frame stays
within the budget. The one exception is an item larger than the budget by itself: it goes out
alone, because a page that cannot hold its first item would never let the client move on.
"""

from __future__ import annotations

ENVELOPE_BYTES = 256
"""Room for ``{"re":…,"body":{…}}`` and the fixed fields of any paged answer: request ids and
versions are at most 20 digits, ``next_after`` a conversation ID of at most 54 characters."""


class PageBudget:
    def __init__(self, answer_bytes: int) -> None:
        self._left = answer_bytes - ENVELOPE_BYTES
        self._empty = True

    def take(self, size: int) -> bool:
        """Count an item of ``size`` encoded bytes; False when it does not fit. The first item
        of a page always fits."""
        cost = size + 1
        if cost > self._left and not self._empty:
            return False
        self._left -= cost
        self._empty = False
        return True
