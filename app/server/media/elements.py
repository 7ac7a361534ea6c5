"""Field checks of media elements in a message (sizes, durations, names, abstracts), and the
sizes a message states for the items it refers to.

The decoder already holds each field to its type; this holds the values to what a message may
say, so a receiver never has to cope with a negative size or a 10,000-line abstract. Refusals
are 20001 naming the field, like the message's other bad fields. Which media a message may
refer to is ``access``'s business, not this module's.
"""

from __future__ import annotations

from typing import Final

from app.protocol import (
    ErrorCode,
    FileElem,
    ImageElem,
    IMError,
    Limits,
    MergerElem,
    SoundElem,
    VideoElem,
)
from app.protocol.elements import Elem

FILE_NAME_MAX_BYTES: Final = 255
"""What file systems allow for one name."""
ABSTRACT_LINES_MAX: Final = 10
NUMBER_MAX: Final = 2**63 - 1


def _count(name: str, value: int, most: int = NUMBER_MAX) -> None:
    if not 0 <= value <= most:
        raise IMError(ErrorCode.INVALID_MESSAGE, f"{name}: expected 0–{most}, not {value}")


def check_media_fields(elem: Elem, limits: Limits) -> None:
    """Raise 20001 when a media element's values are out of range; other elements pass."""
    match elem:
        case ImageElem():
            kinds = [info.kind for info in elem.images]
            if len(set(kinds)) != len(kinds):
                raise IMError(ErrorCode.INVALID_MESSAGE,
                              "image.images: each of original, large and thumb at most once")
            for info in elem.images:
                prefix = f"image.images[{info.kind}]"
                _count(f"{prefix}.size", info.size)
                _count(f"{prefix}.width", info.width)
                _count(f"{prefix}.height", info.height)
        case SoundElem():
            _count("sound.size", elem.size)
            _count("sound.duration_s", elem.duration_s, limits.sound_seconds_max)
        case VideoElem():
            _count("video.size", elem.size)
            _count("video.duration_s", elem.duration_s)
            _count("video.snapshot.size", elem.snapshot.size)
            _count("video.snapshot.width", elem.snapshot.width)
            _count("video.snapshot.height", elem.snapshot.height)
        case FileElem():
            _count("file.size", elem.size)
            if len(elem.name.encode()) > FILE_NAME_MAX_BYTES:
                raise IMError(ErrorCode.INVALID_MESSAGE,
                              f"file.name: at most {FILE_NAME_MAX_BYTES} bytes")
        case MergerElem():
            _count("merger.size", elem.size)
            if len(elem.abstracts) > ABSTRACT_LINES_MAX:
                raise IMError(ErrorCode.INVALID_MESSAGE,
                              f"merger.abstracts: at most {ABSTRACT_LINES_MAX} lines")


def declared_sizes(elem: Elem) -> list[tuple[str, int]]:
    """(uuid, size) for every held item the element refers to, as the element states them."""
    match elem:
        case ImageElem():
            return [(info.uuid, info.size) for info in elem.images if info.uuid]
        case VideoElem():
            pairs = [(elem.uuid, elem.size), (elem.snapshot.uuid, elem.snapshot.size)]
            return [(uuid, size) for uuid, size in pairs if uuid]
        case SoundElem() | FileElem() | MergerElem():
            return [(elem.uuid, elem.size)] if elem.uuid else []
    return []
