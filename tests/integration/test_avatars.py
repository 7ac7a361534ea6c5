"""Avatars between real SDK clients through the real service: a local picture becomes my face
(the chosen square, upright, 512×512, no EXIF), anyone signed in reads its bytes through the
media manager, and a file that is no picture is refused before anything is uploaded."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from app.protocol import ErrorCode, IMError
from app.protocol.elements import media_ref_uuid
from app.sdk.avatars import face_file
from tests.support import media_files


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0–255."""
    return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean)


def _claims_pixels(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's first bytes)."""
    media_files.png(path, 16, 16)
    data = bytearray(path.read_bytes())
    ihdr = struct.pack(">II", width, height) + data[24:29]
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path.write_bytes(bytes(data))
    return path


async def test_a_rotated_photo_becomes_a_face_others_read(peers, tmp_path) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    photo = media_files.jpeg_rotated(tmp_path / "me.jpg", 1600, 900)  # shown 900 × 1600
    face_url = await alice.client.upload_avatar(str(photo), (0, 100, 900, 900))
    uuid = media_ref_uuid(face_url)
    assert uuid is not None
    mine = alice.client.media.cached(uuid)
    assert mine is not None  # shown at once, without a download

    info = await alice.client.set_self_info(face_url=face_url)
    assert info is not None and info.face_url == face_url

    # bob shares no chat with alice and is not her friend: a face is for everyone
    (seen,) = await bob.client.get_users_info(["alice"])
    assert seen.face_url == face_url
    got = await face_file(bob.client, seen.face_url)
    assert got is not None and got.read_bytes() == mine.read_bytes()
    with Image.open(got) as face:
        assert face.format == "JPEG" and face.size == (512, 512)
        assert not face.getexif()  # no orientation, no location: nothing of the photo's EXIF
        with Image.open(photo) as original:
            upright = ImageOps.exif_transpose(original)
        framed = upright.crop((0, 100, 900, 1000)).resize((512, 512))
        assert _difference(face, framed) < 4
        assert _difference(face, upright.crop((0, 0, 900, 900)).resize((512, 512))) > 4


async def test_transparency_keeps_png_and_a_rectangle_is_narrowed(peers, tmp_path) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    logo = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    logo.paste(media_files.gradient(200, 200), (100, 50))
    logo.save(tmp_path / "logo.png")
    clear = await alice.client.upload_avatar(tmp_path / "logo.png")  # the centred 300 square
    with Image.open(await face_file(bob.client, clear)) as face:
        assert face.format == "PNG" and face.mode == "RGBA" and face.size == (512, 512)
        assert face.getpixel((0, 0))[3] == 0 and face.getpixel((256, 256))[3] == 255

    # opaque inside the chosen square: JPEG after all; a 200 × 260 rectangle is its centred
    # 200 square, not a stretched face
    inside = await alice.client.upload_avatar(tmp_path / "logo.png", (100, 20, 200, 260))
    with Image.open(await face_file(bob.client, inside)) as face:
        assert face.format == "JPEG" and face.size == (512, 512)
        expected = logo.crop((100, 50, 300, 250)).resize((512, 512))
        assert _difference(face, expected) < 4


async def test_what_is_no_picture_is_refused_before_upload(peers, tmp_path) -> None:
    alice = await peers("alice")
    photo = media_files.jpeg_rotated(tmp_path / "whole.jpg", 800, 600)
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(photo.read_bytes()[: photo.stat().st_size // 2])
    text = tmp_path / "notes.png"
    text.write_text("not a picture at all")
    bomb = _claims_pixels(tmp_path / "bomb.png", 20_000, 20_000)
    before = alice.client.media.cache.total_bytes()
    for path, code in ((truncated, ErrorCode.SDK_IMAGE_INVALID),
                       (text, ErrorCode.SDK_IMAGE_INVALID),
                       (bomb, ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS),
                       (tmp_path / "missing.jpg", ErrorCode.SDK_FILE_UNREADABLE)):
        with pytest.raises(IMError) as refused:
            await alice.client.upload_avatar(path)
        assert refused.value.code == code, (path.name, refused.value)
    with pytest.raises(IMError) as outside:
        await alice.client.upload_avatar(photo, (900, 900, 100, 100))
    assert outside.value.code == ErrorCode.SDK_INVALID_PARAMETERS
    assert alice.client.media.cache.total_bytes() == before  # nothing was made, nor sent
