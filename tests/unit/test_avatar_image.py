"""The avatar made from a local picture: the square framed in the upright picture, the same
whether libjpeg decoded the photo whole or at a reduced scale (``draft``), with its EXIF gone."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageOps, ImageStat

from app.sdk.media.avatar_image import AVATAR_SIDE, prepare_avatar, square_in
from tests.support import media_files


def _difference(a: Image.Image, b: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean)


def test_a_big_rotated_photo_is_cut_where_framed_at_a_reduced_decode(tmp_path: Path) -> None:
    photo = media_files.jpeg_rotated(tmp_path / "big.jpg", 4000, 3000)  # shown 3000 × 4000
    made = prepare_avatar(photo, tmp_path / "out", (500, 1000, 2000, 2000))
    with Image.open(photo) as original:
        upright = ImageOps.exif_transpose(original)
    expected = upright.crop((500, 1000, 2500, 3000)).resize((AVATAR_SIDE, AVATAR_SIDE))
    with Image.open(made) as face:
        assert face.format == "JPEG" and face.size == (AVATAR_SIDE, AVATAR_SIDE)
        assert not face.getexif()
        assert _difference(face, expected) < 3


def test_a_rectangle_becomes_its_centred_square() -> None:
    assert square_in((0, 0, 200, 260)) == (0, 30, 200)
    assert square_in((10, 20, 300, 100)) == (110, 20, 100)
