"""Image levels from real files made with Pillow: sizes, orientation, formats, refusals."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from app.protocol import ErrorCode, ImageKind, IMError
from app.sdk.media.images import PreparedImage, prepare_image

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 255, 0)


def halves(size: tuple[int, int], left: tuple[int, ...], right: tuple[int, ...],
           mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, right)
    image.paste(Image.new(mode, (size[0] // 2, size[1]), left), (0, 0))
    return image


def kinds(prepared: PreparedImage) -> list[ImageKind]:
    return [level.kind for level in prepared.levels]


def dims(prepared: PreparedImage) -> list[tuple[int, int]]:
    return [(level.width, level.height) for level in prepared.levels]


def near(pixel: tuple[int, ...], colour: tuple[int, ...], slack: int = 40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=False))


def assert_sizes_are_file_sizes(prepared: PreparedImage) -> None:
    for level in prepared.levels:
        assert level.size == level.path.stat().st_size


def assert_opens_as(path: Path, fmt: str, size: tuple[int, int]) -> Image.Image:
    image = Image.open(path)
    assert (image.format, image.size) == (fmt, size)
    image.load()
    return image


def test_a_png_with_alpha_keeps_it_in_png_levels(tmp_path):
    src = tmp_path / "a.png"
    halves((1600, 1200), (*RED, 255), (*BLUE, 0), "RGBA").save(src)
    prepared = prepare_image(src, tmp_path / "out")
    assert prepared.format == "png"
    assert kinds(prepared) == [ImageKind.ORIGINAL, ImageKind.LARGE, ImageKind.THUMB]
    assert dims(prepared) == [(1600, 1200), (960, 720), (264, 198)]
    original, large, thumb = prepared.levels
    assert original.path == src
    for level in (large, thumb):
        assert level.path.parent == tmp_path / "out"
        image = assert_opens_as(level.path, "PNG", (level.width, level.height))
        assert image.mode == "RGBA"
        assert image.getpixel((2, 2)) == (*RED, 255)
        assert image.getpixel((level.width - 3, 2))[3] == 0
    assert_sizes_are_file_sizes(prepared)


def test_exif_orientation_swaps_the_displayed_size_and_levels_are_upright(tmp_path):
    src = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways; displayed turned 90° clockwise
    halves((1200, 800), RED, BLUE).save(src, quality=95, exif=exif)
    before = src.read_bytes()
    prepared = prepare_image(src, tmp_path)
    assert prepared.format == "jpg"
    assert dims(prepared) == [(800, 1200), (720, 1080), (198, 297)]
    for level in prepared.levels[1:]:
        image = assert_opens_as(level.path, "JPEG", (level.width, level.height))
        assert near(image.getpixel((level.width // 2, 5)), RED)  # the left edge is now on top
        assert near(image.getpixel((level.width // 2, level.height - 5)), BLUE)
        assert 0x0112 not in image.getexif()
    assert src.read_bytes() == before
    assert_sizes_are_file_sizes(prepared)


def test_an_animated_gif_stays_gif_and_its_levels_show_the_first_frame(tmp_path):
    src = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (800, 600), colour) for colour in (RED, GREEN, BLUE)]
    frames[0].save(src, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(src).n_frames == 3
    prepared = prepare_image(src, tmp_path)
    assert prepared.format == "gif"
    assert dims(prepared) == [(800, 600), (800, 600), (264, 198)]
    assert prepared.levels[1].path == src  # 600 px is already no taller than the large level
    thumb = assert_opens_as(prepared.levels[2].path, "JPEG", (264, 198))
    assert near(thumb.getpixel((132, 99)), RED)
    assert_sizes_are_file_sizes(prepared)


def test_webp_still_and_animated(tmp_path):
    still = tmp_path / "still.webp"
    Image.new("RGB", (1000, 800), GREEN).save(still, quality=90)
    prepared = prepare_image(still, tmp_path)
    assert prepared.format == "webp"
    assert dims(prepared) == [(1000, 800), (900, 720), (248, 198)]
    assert near(assert_opens_as(prepared.levels[1].path, "JPEG", (900, 720)).getpixel((9, 9)),
                GREEN)

    animated = tmp_path / "anim.webp"
    frames = [Image.new("RGBA", (400, 300), (*colour, 255)) for colour in (BLUE, RED)]
    frames[0].save(animated, save_all=True, append_images=frames[1:], duration=100, lossless=True)
    prepared = prepare_image(animated, tmp_path)
    assert prepared.format == "webp"
    thumb = Image.open(prepared.levels[2].path).convert("RGB")
    assert thumb.size == (264, 198)
    assert near(thumb.getpixel((100, 100)), BLUE)
    assert_sizes_are_file_sizes(prepared)


def test_a_small_image_is_every_level_itself(tmp_path):
    src = tmp_path / "icon.png"
    Image.new("RGB", (150, 100), RED).save(src)
    out = tmp_path / "out"
    prepared = prepare_image(src, out)
    assert [level.path for level in prepared.levels] == [src, src, src]
    assert dims(prepared) == [(150, 100)] * 3
    assert {level.size for level in prepared.levels} == {src.stat().st_size}
    assert not any(out.iterdir())


def test_each_call_writes_its_own_files(tmp_path):
    src = tmp_path / "p.jpg"
    Image.new("RGB", (2000, 1000), BLUE).save(src)
    first, second = prepare_image(src, tmp_path / "out"), prepare_image(src, tmp_path / "out")
    assert {lv.path for lv in first.levels[1:]}.isdisjoint(lv.path for lv in second.levels[1:])
    assert len(list((tmp_path / "out").iterdir())) == 4


def truncated_jpeg(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.jpg"
    Image.effect_noise((1500, 1000), 60).convert("RGB").save(whole, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    return cut


@pytest.mark.parametrize("name", ["truncated", "garbage", "text", "bmp", "empty"])
def test_files_that_are_not_images_it_can_send_are_refused(tmp_path, name):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    src = tmp_path / f"{name}.bin"
    if name == "truncated":
        src = truncated_jpeg(tmp_path)
    elif name == "garbage":
        src.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)  # a JPEG start, then junk
    elif name == "text":
        src.write_text("this is not a picture\n" * 50)
    elif name == "bmp":
        Image.new("RGB", (300, 300), RED).save(src, "BMP")
    else:
        src.write_bytes(b"")
    with pytest.raises(IMError) as refused:
        prepare_image(src, tmp_path / "out")
    assert refused.value.code == ErrorCode.SDK_IMAGE_INVALID
    if name == "bmp":
        assert "unsupported format" in refused.value.detail
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def png_claiming(tmp_path: Path, width: int, height: int) -> Path:
    """A real 8×8 1-bit PNG whose header is rewritten to claim ``width``×``height``: decoding it
    would fail on the missing rows, so only a check of the header refuses it as too big."""
    small = tmp_path / "small.png"
    Image.new("1", (8, 8), 1).save(small)
    data = bytearray(small.read_bytes())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    bomb = tmp_path / f"bomb-{width}x{height}.png"
    bomb.write_bytes(bytes(data))
    return bomb


# Pillow warns between its limit and twice it (10000×9000); as an error, the warning is refused
# like the rest.
@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(20000, 20000), (10000, 9000), (8000, 7000)])
def test_a_huge_canvas_is_refused_from_its_header(tmp_path, size):
    bomb = png_claiming(tmp_path, *size)
    assert bomb.stat().st_size < 200
    with pytest.raises(IMError) as refused:
        prepare_image(bomb, tmp_path / "out")
    assert refused.value.code == ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS


def test_the_pixel_limit_is_the_callers(tmp_path):
    src = tmp_path / "p.png"
    Image.new("RGB", (2000, 1500), RED).save(src)
    with pytest.raises(IMError) as refused:
        prepare_image(src, tmp_path, max_pixels=2_999_999)
    assert refused.value.code == ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS
    assert prepare_image(src, tmp_path, max_pixels=3_000_000).levels[0].width == 2000


def test_a_missing_or_unreadable_file(tmp_path):
    for src in (tmp_path / "missing.jpg", tmp_path):
        with pytest.raises(IMError) as refused:
            prepare_image(src, tmp_path / "out")
        assert refused.value.code == ErrorCode.SDK_FILE_UNREADABLE
