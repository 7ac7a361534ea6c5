"""Reading an image file into a QImage of the size it is shown at — run in a worker thread.

QImageReader scales while it reads (libjpeg decodes a 12-megapixel photo at 1/8 scale straight
away), so a bubble never holds more pixels than it paints. EXIF orientation is applied
(`setAutoTransform`), and since the scaled size is given in the file's stored orientation, a
rotated photo's target is swapped before it is asked for. Bubbles fill their rectangle, so the
image is cropped to the bubble's aspect ratio around its centre; it is never scaled up here
(painting does that, without holding the larger copy). The result is premultiplied ARGB or
RGB32, the formats the raster engine blits without converting.

Media files in the cache are named by uuid, without an extension: the format is read from the
content. Only QImage is used (QPixmap belongs to the GUI thread).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

NATURAL_MAX_SIDE = 4096
"""A "natural size" read (the viewer's original) keeps to this many pixels on its longer side:
a phone photo (4032×3024) is read whole, a 50-megapixel one at most 64 MB."""
TINY_SIDE = 20
"""The longer side of the preview kept for blur-up: a few hundred bytes, blurry when enlarged."""


@dataclass(frozen=True, slots=True)
class Decoded:
    image: QImage
    tiny: QImage
    source_size: QSize
    """The upright size of the whole image in the file."""


def upright_size(reader: QImageReader) -> QSize:
    size = reader.size()
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size.transpose()
    return size


def open_reader(path: Path) -> QImageReader:
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    return reader


def plan(whole: QSize, target: QSize) -> tuple[QSize, QSize]:
    """(the size to read `whole` at, the centred part of it to keep) to fill `target`, or
    for an empty `target` the natural size within NATURAL_MAX_SIDE."""
    if target.isEmpty():
        scale = min(1.0, NATURAL_MAX_SIDE / max(whole.width(), whole.height()))
        cover = scale
    else:
        cover = max(target.width() / whole.width(), target.height() / whole.height())
        scale = min(cover, 1.0)
    scaled = QSize(max(1, round(whole.width() * scale)), max(1, round(whole.height() * scale)))
    if target.isEmpty():
        return scaled, scaled
    return scaled, QSize(min(scaled.width(), math.ceil(target.width() * scale / cover)),
                         min(scaled.height(), math.ceil(target.height() * scale / cover)))


def set_scaled(reader: QImageReader, scaled: QSize) -> None:
    """Ask `reader` for the upright size `scaled` (it takes the size in stored orientation)."""
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        scaled = scaled.transposed()
    reader.setScaledSize(scaled)


def crop_centre(image: QImage, crop: QSize) -> QImage:
    if image.size() == crop or image.width() < crop.width() or image.height() < crop.height():
        return image
    return image.copy(QRect((image.width() - crop.width()) // 2,
                            (image.height() - crop.height()) // 2, crop.width(), crop.height()))


def decode(path: Path, target: QSize) -> Decoded | None:
    """`path` read to fill `target` (device pixels), or at its natural size (capped at
    NATURAL_MAX_SIDE) when `target` is empty; None when the file is not a readable image."""
    reader = open_reader(path)
    whole = upright_size(reader)
    if not whole.isValid() or whole.isEmpty():
        return None
    scaled, crop = plan(whole, target)
    if scaled != whole:
        set_scaled(reader, scaled)
    image = reader.read()
    if image.isNull():
        return None
    image = displayable(crop_centre(image, crop))
    return Decoded(image, tiny_of(image), whole)


def displayable(image: QImage) -> QImage:
    """`image` in the format painting uses without a conversion per paint."""
    wanted = (QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel()
              else QImage.Format.Format_RGB32)
    return image if image.format() == wanted else image.convertToFormat(wanted)


def tiny_of(image: QImage) -> QImage:
    return image.scaled(TINY_SIDE, TINY_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)
