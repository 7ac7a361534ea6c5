"""The sensitive-word filter for text (M10): case-insensitive substring match against a list.

The list comes from a UTF-8 file with one word per line (blank lines and ``#`` comments are
skipped). All words are compiled into one regular expression over case-folded text, so a check
costs one scan of the message whatever the size of the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path


class SensitiveWords:
    def __init__(self, words: Iterable[str] = ()) -> None:
        folded = sorted({w.strip().casefold() for w in words if w.strip()}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, folded))) if folded else None

    @classmethod
    def from_file(cls, path: Path | None) -> SensitiveWords:
        if path is None:
            return cls()
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(line for line in lines if not line.lstrip().startswith("#"))

    def find(self, text: str) -> str | None:
        """The first listed word the text contains, or None."""
        if self._pattern is None:
            return None
        found = self._pattern.search(text.casefold())
        return found.group(0) if found else None
