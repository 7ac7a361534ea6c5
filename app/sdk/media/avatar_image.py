"""A local picture made into an avatar: the chosen square, upright, 512×512, before any upload.

Faces are shown to everyone at many sizes, so one small square is stored rather than the
user's photo: a few dozen kilobytes every reader fetches quickly, with no EXIF left in it
(a phone photo's location must not travel with a face). The crop is given in the pixels of
the picture as it is shown — upright, EXIF orientation applied — since that is what the user
framed. Opaque pictures become JPEG; one whose chosen square keeps transparent pixels stays
PNG, so a logo's clear corners do not turn black.

The file is decoded in full before anything is made from it, with the checks of image
messages (``images.py``): a non-image, a corrupt or truncated file or a decompression bomb
is refused with a code here, never uploaded. Synchronous; callers run it in an executor.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from app.protocol import ErrorCode, IMError

from .images import FORMATS

AVATAR_SIDE = 512
JPEG_QUALITY = 90
"""Higher than an image message's levels: a face is small, looked at closely, and stored once."""
ACCEPTED = frozenset({*FORMATS, "BMP"})
"""Pillow's format names taken as a face."""
_REDUCING_GAP = 3.0
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})

Crop = tuple[int, int, int, int]
"""(left, top, width, height) in the upright picture's pixels."""


def prepare_avatar(src: Path, out_dir: Path, crop: Crop | None = None, *,
                   max_pixels: int = 50_000_000) -> Path:
    """A new file in ``out_dir`` holding the avatar; the caller moves it into the media cache.
    ``crop`` None takes the largest centred square; a rectangle that is not square is narrowed
    to the centred square inside it (rounding in a crop view must not stretch a face)."""
    try:
        fh = src.open("rb")
    except OSError as error:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{src}: {error.strerror or error}") from error
    try:
        with fh, Image.open(fh) as image:
            if image.format not in ACCEPTED:
                raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"unsupported format: {image.format}")
            width, height = image.size
            if width * height > max_pixels:
                raise IMError(ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS,
                              f"{width}×{height} is more than {max_pixels} pixels")
            face = _render(image, crop)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise IMError(ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS, str(error)) from error
    except UnidentifiedImageError as error:
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, "not an image") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"cannot decode: {error}") from error
    return _write(face, out_dir)


def _render(image: Image.Image, crop: Crop | None) -> Image.Image:
    stored = image.size
    swapped = image.getexif().get(ExifTags.Base.Orientation) in _SWAPPING_ORIENTATIONS
    upright = (stored[1], stored[0]) if swapped else stored
    box = square_in(_clamped(crop, upright) if crop else (0, 0, *upright))
    if image.format == "JPEG":
        # libjpeg decodes at 1/2 … 1/8 scale while the square keeps ≥ AVATAR_SIDE pixels.
        scale = min(1.0, AVATAR_SIDE / box[2])
        image.draft("RGB", (max(1, round(stored[0] * scale)), max(1, round(stored[1] * scale))))
    image.load()
    factor = image.size[0] / stored[0]
    ImageOps.exif_transpose(image, in_place=True)
    left, top, side = (v * factor for v in box)
    square = (left, top, left + side, top + side)
    mode = "RGB"
    if image.has_transparency_data:
        image = image.convert("RGBA")
        # transparent only outside the square: JPEG after all (decided on the square itself,
        # since resampling at its edge mixes in the clear pixels beyond it)
        inside = image.getchannel("A").crop(tuple(round(v) for v in square))
        if inside.getextrema()[0] < 255:
            mode = "RGBA"
    if image.mode != mode:
        image = image.convert(mode)
    return image.resize((AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS, box=square,
                        reducing_gap=_REDUCING_GAP)


def _clamped(crop: Crop, size: tuple[int, int]) -> Crop:
    left, top, width, height = crop
    right, bottom = min(size[0], left + width), min(size[1], top + height)
    left, top = max(0, left), max(0, top)
    if right - left < 1 or bottom - top < 1:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                      f"the crop {crop} lies outside the {size[0]}×{size[1]} picture")
    return left, top, right - left, bottom - top


def square_in(rect: Crop) -> tuple[int, int, int]:
    """(left, top, side): the centred square inside ``rect``."""
    left, top, width, height = rect
    side = min(width, height)
    return left + (width - side) // 2, top + (height - side) // 2, side


def _write(face: Image.Image, out_dir: Path) -> Path:
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    opaque = face.mode == "RGB"
    fd, name = tempfile.mkstemp(prefix="avatar-", suffix=".jpg" if opaque else ".png",
                                dir=out_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            if opaque:
                face.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                face.save(out, "PNG", optimize=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
