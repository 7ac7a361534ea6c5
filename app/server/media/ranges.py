"""The two byte-range headers of the media API, parsed strictly and without exceptions escaping
as anything but refusals.

``Content-Range`` on an upload chunk (``bytes START-END/SIZE``) is the client's statement of
where its bytes go: anything else is refused (9003). ``Range`` on a download follows RFC 9110:
one range (``a-b``, ``a-``, ``-n``); a header that cannot be read, or asks for several ranges,
is ignored and the whole content is sent; a range that starts past the end cannot be satisfied
(416, 23009).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.protocol import ErrorCode, IMError

_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19})", re.IGNORECASE)
_RANGE = re.compile(r"bytes=([0-9]{0,19})-([0-9]{0,19})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int
    """Inclusive, as both headers write it."""

    @property
    def length(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True, slots=True)
class ChunkRange(ByteRange):
    total: int


def chunk_range(header: str | None) -> ChunkRange:
    """An upload chunk's ``Content-Range``; 9003 unless it is ``bytes START-END/SIZE`` with
    ``START <= END < SIZE``."""
    found = _CONTENT_RANGE.fullmatch((header or "").strip())
    if found is None:
        raise IMError(ErrorCode.INVALID_BODY,
                      "Content-Range: expected 'bytes START-END/SIZE' (END inclusive)")
    start, end, total = map(int, found.groups())
    if not start <= end < total:
        raise IMError(ErrorCode.INVALID_BODY,
                      f"Content-Range: bytes {start}-{end}/{total} is not a range inside "
                      "the upload (START <= END < SIZE)")
    return ChunkRange(start, end, total)


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The part of ``size`` bytes a download's ``Range`` asks for; None for all of it."""
    found = _RANGE.fullmatch((header or "").strip())
    if found is None or size <= 0:
        return None
    first, last = found.groups()
    if not first:
        if not last:
            return None
        suffix = int(last)
        if suffix == 0:
            raise IMError(ErrorCode.RANGE_NOT_SATISFIABLE,
                          f"bytes=-0 asks for nothing of {size} bytes")
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # not a range at all: ignored
    if start >= size:
        raise IMError(ErrorCode.RANGE_NOT_SATISFIABLE,
                      f"the range starts at byte {start}; the item has {size} bytes")
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)
