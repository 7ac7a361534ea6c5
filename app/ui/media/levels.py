"""Which level of an image a bubble or the viewer shows, and how big a bubble is.

An image message carries up to three levels (thumbnail: shorter side 198 px, large: 720 px, the
original); a video carries one snapshot. A bubble takes the smallest level that fills it without
visible enlargement, preferring a level this device already holds over downloading a sharper one,
and never downloads the original for a bubble (it may be megabytes) unless nothing else exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, QSizeF

from app.protocol import ImageElem, ImageKind, VideoElem
from app.ui.media.thumbnails import Want

MAX_SIDE = 320.0
MIN_SIDE = 80.0
UNKNOWN_RATIO = 4 / 3
"""Width over height of an image whose size the message does not say."""
UPSCALE_SLACK = 1.3
"""How much a level may be enlarged in a bubble before a sharper one is fetched."""


@dataclass(frozen=True, slots=True)
class Level:
    kind: ImageKind
    want: Want
    width: int
    height: int


def levels_of(elem: ImageElem | VideoElem) -> list[Level]:
    """The element's levels, smallest first."""
    if isinstance(elem, VideoElem):
        shot = elem.snapshot
        if not (shot.uuid or shot.url):
            return []
        return [Level(ImageKind.THUMB, Want(shot.uuid, shot.url, shot.size),
                      shot.width, shot.height)]
    order = {ImageKind.THUMB: 0, ImageKind.LARGE: 1, ImageKind.ORIGINAL: 2}
    found = [Level(info.kind, Want(info.uuid, info.url, info.size), info.width, info.height)
             for info in elem.images if info.uuid or info.url]
    return sorted(found, key=lambda level: order[level.kind])


def natural_size(elem: ImageElem | VideoElem) -> QSize:
    """The picture's upright size as the message states it (the largest level's)."""
    levels = levels_of(elem)
    for level in reversed(levels):
        if level.width > 0 and level.height > 0:
            return QSize(level.width, level.height)
    return QSize()


def bubble_size(natural: QSize, max_width: float) -> QSizeF:
    """The picture's size in a bubble: its aspect ratio within MAX_SIDE (and the column's
    `max_width`), no side under MIN_SIDE — a panorama is cropped rather than made a sliver."""
    ratio = (natural.width() / natural.height() if natural.isValid() and not natural.isEmpty()
             else UNKNOWN_RATIO)
    box = min(MAX_SIDE, max_width)
    width, height = (box, box / ratio) if ratio >= 1 else (box * ratio, box)
    if natural.isValid() and not natural.isEmpty():
        scale = min(1.0, max(natural.width() / width, natural.height() / height))
        width, height = width * scale, height * scale  # a small picture keeps its size
    return QSizeF(max(MIN_SIDE, min(box, width)), max(MIN_SIDE, min(box, height)))


def _fills(level: Level, target: QSize, slack: float) -> bool:
    if level.width <= 0 or level.height <= 0:
        return False
    cover = max(target.width() / level.width, target.height() / level.height)
    return cover <= slack


Held = Callable[[Want], Path | None]
"""Whether this device holds an item (`ThumbnailLoader.held`)."""


def bubble_level(levels: list[Level], target: QSize, holds: Held) -> Level | None:
    """The level to paint a bubble of `target` device pixels with."""
    if not levels:
        return None
    held = [level for level in levels if holds(level.want)]
    for level in held:
        if _fills(level, target, UPSCALE_SLACK):
            return level
    fetchable = [level for level in levels if level.kind != ImageKind.ORIGINAL] or levels
    for level in fetchable:
        if _fills(level, target, UPSCALE_SLACK):
            return level
    if held and levels.index(held[-1]) >= levels.index(fetchable[-1]):
        return held[-1]
    return fetchable[-1]
