"""The three levels of an image message (MD1), made before anything is uploaded.

The original is sent as the user's own bytes, so the receiver can save exactly the file that was
sent; only the large and thumbnail levels are re-encoded. Those are upright (EXIF orientation
applied and not carried over), because a viewer that ignores EXIF must still show them the right
way up, and they carry no other metadata, so a photo's location never travels in a preview.

The file is decoded in full before it is accepted: a truncated or corrupt file fails here, with a
code, instead of as a blank bubble on the receiver's side. The pixel count is checked from the
header first, so a small file that claims a huge canvas is refused before any memory is spent.
Everything is synchronous; callers run it in an executor.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from app.protocol import ErrorCode, ImageKind, IMError

# Pillow's default, restated because refusing truncated files depends on it: with it on, one
# decodes "successfully" with grey padding.
ImageFile.LOAD_TRUNCATED_IMAGES = False

FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
"""Pillow's name → the ``format`` an image element carries; nothing else is sent as an image."""

LEVEL_SIDES = ((ImageKind.LARGE, 720), (ImageKind.THUMB, 198))
"""Each re-encoded level's shorter side, largest first (each is made from the one before)."""

JPEG_QUALITY = 85
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
_REDUCING_GAP = 3.0  # box-reduce first, Lanczos the rest: same look, a fraction of the time


@dataclass(frozen=True, slots=True)
class Level:
    """One level of an image. ``path`` is the source file itself for the original and for any
    level the original is already small enough to be: that file belongs to the user, so the
    caller copies it into the cache (``MediaCache.put_file``), and moves (``adopt``) only the
    files made in ``out_dir``. ``width``/``height`` are as displayed (upright)."""

    kind: ImageKind
    path: Path
    size: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PreparedImage:
    format: str
    levels: list[Level]
    """ORIGINAL first, then LARGE, THUMB."""


def prepare_image(src: Path, out_dir: Path, max_pixels: int = 50_000_000) -> PreparedImage:
    try:
        fh = src.open("rb")
    except OSError as error:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{src}: {error.strerror or error}") from error
    with fh:
        size = os.fstat(fh.fileno()).st_size
        fmt, (width, height), rendered = _decode(fh, max_pixels)
    levels = [Level(ImageKind.ORIGINAL, src, size, width, height)]
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        for kind, _ in LEVEL_SIDES:
            image = rendered.get(kind)
            levels.append(_write(kind, image, out_dir) if image is not None
                          else Level(kind, src, size, width, height))
    except BaseException:
        for level in levels:
            if level.path != src:
                level.path.unlink(missing_ok=True)
        raise
    return PreparedImage(fmt, levels)


def _decode(fh: BinaryIO, max_pixels: int
            ) -> tuple[str, tuple[int, int], dict[ImageKind, Image.Image]]:
    """The format, the displayed size, and the re-encoded levels the original is too big to be,
    as upright images in the mode they will be saved in."""
    try:
        with Image.open(fh) as image:
            fmt = FORMATS.get(image.format or "")
            if fmt is None:
                raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"unsupported format: {image.format}")
            width, height = image.size
            if width * height > max_pixels:
                raise IMError(ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS,
                              f"{width}×{height} is more than {max_pixels} pixels")
            sides = [(kind, side) for kind, side in LEVEL_SIDES if min(width, height) > side]
            if sides and image.format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale while staying above the largest
                # level: a third of the time and a sixteenth of the memory for a 12-megapixel
                # photo. Every byte is still entropy-decoded, so truncation is still caught.
                image.draft("RGB", shorter_side_to((width, height), sides[0][1]))
            image.load()
            if image.getexif().get(ExifTags.Base.Orientation) in _SWAPPING_ORIENTATIONS:
                width, height = height, width
            rendered: dict[ImageKind, Image.Image] = {}
            if sides:
                mode = "RGBA" if image.has_transparency_data else "RGB"
                ImageOps.exif_transpose(image, in_place=True)
                upright = image.convert(mode) if image.mode != mode else image
                for kind, side in sides:
                    upright = upright.resize(shorter_side_to((width, height), side),
                                             Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP)
                    rendered[kind] = upright
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise IMError(ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS, str(error)) from error
    except UnidentifiedImageError as error:
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, "not an image") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise IMError(ErrorCode.SDK_IMAGE_INVALID, f"cannot decode: {error}") from error
    return fmt, (width, height), rendered


def shorter_side_to(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled so its shorter side is ``side`` (MD1 sizes levels by the shorter side, so
    a tall screenshot's preview is as legible as a wide photo's)."""
    width, height = size
    shorter = min(width, height)
    return max(1, round(width * side / shorter)), max(1, round(height * side / shorter))


def _write(kind: ImageKind, image: Image.Image, out_dir: Path) -> Level:
    """JPEG for opaque pixels (a fraction of PNG's size for photos), PNG to keep an alpha
    channel. A fresh name per call, because several images may be prepared into one folder."""
    opaque = image.mode == "RGB"
    fd, name = tempfile.mkstemp(prefix=f"{kind}-", suffix=".jpg" if opaque else ".png",
                                dir=out_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            if opaque:
                image.save(out, "JPEG", quality=JPEG_QUALITY)
            else:
                image.save(out, "PNG")
            size = out.tell()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Level(kind, path, size, image.width, image.height)
