"""Pictures for avatars, read off the GUI thread: the crop view's preview of a chosen file, and
my own face at the rail's size.

Both read with Qt's reader in the loop's executor (QImage, never QPixmap, is safe there), EXIF
orientation applied, scaling while decoding so a 48-megapixel photo never sits whole in memory.
A file Qt cannot read is told as an IMError with the SDK's image code, so the dialog says the
same words whether the preview or the upload refused it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from app.protocol import ErrorCode, IMError
from app.ui.media.decode import decode, displayable, open_reader, set_scaled, upright_size

PREVIEW_SIDE = 2048
"""The preview's longer side: sharp in a 400 px frame zoomed in well past 2×."""
MAX_PIXELS = 50_000_000
"""As the SDK's image checks: a header claiming more is a bomb, not a picture."""


@dataclass(frozen=True, slots=True)
class Picture:
    image: QImage
    """Upright, at most PREVIEW_SIDE on its longer side."""
    source_size: QSize
    """The whole upright picture in the file: what a crop is measured in."""


def read_preview(path: Path) -> Picture:
    """Synchronous; see `load_preview`."""
    reader = open_reader(path)
    whole = upright_size(reader)
    if not whole.isValid() or whole.isEmpty():
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"{path.name}: {reader.errorString()}")
    if whole.width() * whole.height() > MAX_PIXELS:
        raise IMError(ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS,
                      f"{whole.width()}×{whole.height()}")
    scale = min(1.0, PREVIEW_SIDE / max(whole.width(), whole.height()))
    if scale < 1.0:
        set_scaled(reader, QSize(max(1, round(whole.width() * scale)),
                                 max(1, round(whole.height() * scale))))
    image = reader.read()
    if image.isNull():
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"{path.name}: {reader.errorString()}")
    return Picture(displayable(image), whole)


async def load_preview(path: Path) -> Picture:
    """The chosen file for the crop view, or the IMError saying why it is no picture."""
    return await asyncio.get_running_loop().run_in_executor(None, read_preview, path)


async def load_face(path: Path, side_px: int) -> QImage | None:
    """The centre square of a face file at `side_px` device pixels; None if unreadable."""
    decoded = await asyncio.get_running_loop().run_in_executor(
        None, decode, path, QSize(side_px, side_px))
    return decoded.image if decoded is not None else None
