"""The demo's photos, video, voice note and documents, drawn on the spot.

Nothing is downloaded and nothing large is bundled: each item is painted with Pillow or encoded
with PyAV from a fixed seed, so every run shows the same pictures, and a newcomer sees every kind
of bubble — a sunrise over a ridge, a short clip of it, a voice note, a PDF — without a network.
"""

from __future__ import annotations

import array
import itertools
import math
import random
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFilter, ImageFont

Color = tuple[int, int, int]


def _mix(a: Color, b: Color, t: float) -> Color:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def _sky(width: int, height: int, stops: list[tuple[float, Color]]) -> Image.Image:
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        for (t0, c0), (t1, c1) in itertools.pairwise(stops):
            if t0 <= t <= t1:
                column.putpixel((0, y), _mix(c0, c1, (t - t0) / (t1 - t0)))
                break
    return column.resize((width, height))


def _ridge(rng: random.Random, width: int, base: float, rough: float) -> list[tuple[float, float]]:
    points, y = [(0.0, base)], base
    for x in range(0, width + 40, 40):
        y = min(max(y + rng.uniform(-rough, rough), base - 3 * rough), base + 2 * rough)
        points.append((float(x), y))
    return points


def sunrise(width: int = 1600, height: int = 1067, glow: float = 1.0, seed: int = 7,
            ) -> Image.Image:
    """Layered ridges under a dawn sky; ``glow`` brightens it (the video animates it)."""
    rng = random.Random(seed)
    sky = _sky(width, height, [(0.0, _mix((18, 30, 74), (60, 90, 170), glow - 0.6)),
                               (0.45, _mix((120, 70, 110), (250, 140, 90), glow)),
                               (0.62, (255, 196, 120)), (1.0, (255, 226, 170))])
    draw = ImageDraw.Draw(sky, "RGBA")
    sun_y = height * (0.62 - 0.12 * glow)
    for radius, alpha in ((260, 30), (170, 60), (110, 120)):
        draw.ellipse((width * 0.62 - radius, sun_y - radius, width * 0.62 + radius,
                      sun_y + radius), fill=(255, 236, 190, alpha))
    draw.ellipse((width * 0.62 - 70, sun_y - 70, width * 0.62 + 70, sun_y + 70),
                 fill=(255, 248, 225, 255))
    layers = [(0.58, 22, (96, 74, 110)), (0.66, 28, (70, 52, 88)), (0.76, 34, (44, 34, 62)),
              (0.88, 30, (24, 20, 38))]
    for base, rough, color in layers:
        outline = _ridge(rng, width, height * base, rough)
        draw.polygon([*outline, (width, height), (0, height)], fill=(*color, 255))
    return sky.filter(ImageFilter.GaussianBlur(0.6))


def coffee(width: int = 1200, height: int = 1200) -> Image.Image:
    """A pour-over seen from above on a wooden table."""
    rng = random.Random(3)
    table = _sky(width, height, [(0.0, (122, 84, 56)), (1.0, (96, 64, 42))])
    draw = ImageDraw.Draw(table, "RGBA")
    for _ in range(60):
        y = rng.uniform(0, height)
        draw.line((0, y, width, y + rng.uniform(-30, 30)), fill=(60, 38, 24, 40),
                  width=rng.randint(2, 6))
    cx, cy = width / 2, height / 2
    draw.ellipse((cx - 430, cy - 430, cx + 430, cy + 430), fill=(240, 236, 228, 255))
    draw.ellipse((cx - 300, cy - 300, cx + 300, cy + 300), fill=(250, 248, 244, 255))
    draw.ellipse((cx - 250, cy - 250, cx + 250, cy + 250), fill=(92, 52, 28, 255))
    draw.ellipse((cx - 200, cy - 215, cx + 190, cy + 175), fill=(150, 96, 52, 200))
    draw.ellipse((cx + 300, cy - 80, cx + 470, cy + 80), outline=(240, 236, 228, 255), width=34)
    return table.filter(ImageFilter.GaussianBlur(1.2))


def icon_drafts(width: int = 1400, height: int = 900) -> Image.Image:
    """Two logo candidates, rounded (A) and square (B), on a design board."""
    board = Image.new("RGB", (width, height), (244, 245, 248))
    draw = ImageDraw.Draw(board)
    font = _font(64)
    for i, (label, radius, color) in enumerate((("A", 90, (52, 120, 246)),
                                                ("B", 12, (32, 178, 120)))):
        x = 200 + i * 600
        draw.rounded_rectangle((x, 200, x + 400, 600), radius, fill=color)
        draw.ellipse((x + 110, 310, x + 290, 490), fill=(255, 255, 255))
        draw.text((x + 200, 700), label, fill=(60, 64, 72), font=font, anchor="mm")
    return board


AVATAR_SIDE = 512
AVATARS: dict[str, Callable[[], Image.Image]] = {
    "coffee": lambda: coffee().resize((AVATAR_SIDE, AVATAR_SIDE)),
    "ridge": lambda: sunrise(AVATAR_SIDE, AVATAR_SIDE),
    "dusk": lambda: sunrise(AVATAR_SIDE, AVATAR_SIDE, glow=0.55, seed=3),
    "logo": lambda: icon_drafts().crop((150, 150, 650, 650)).resize((AVATAR_SIDE,
                                                                      AVATAR_SIDE)),
}
"""Profile pictures: squares cut from the demo's own photos, as people pick them."""


def avatar(name: str, path: Path) -> Path:
    AVATARS[name]().convert("RGB").save(path, "JPEG", quality=88)
    return path


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "msyh.ttc",
                 "PingFang.ttc", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    for folder in (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype")):
        for path in folder.rglob("*.tt[cf]") if folder.is_dir() else ():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def document(path: Path, title: str, lines: list[str]) -> Path:
    """A one-page A4 PDF (Pillow writes PDFs from pictures of pages)."""
    page = Image.new("RGB", (1240, 1754), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 150), fill=(52, 120, 246))
    draw.text((90, 75), title, fill=(255, 255, 255), font=_font(56), anchor="lm")
    body = _font(34)
    for i, line in enumerate(lines):
        draw.text((90, 260 + i * 64), line, fill=(40, 44, 52), font=body)
    page.save(path, "PDF", resolution=150.0, title=title)
    return path


def photo(path: Path, draw: Callable[[], Image.Image]) -> Path:
    draw().save(path, "JPEG", quality=88, optimize=True)
    return path


def sunrise_clip(path: Path, seconds: float = 4.0, fps: int = 24) -> Path:
    """The ridge brightening at dawn, 640×360 H.264 (MPEG-4 where no H.264 encoder exists)."""
    width, height = 640, 360
    with av.open(str(path), "w") as container:
        codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        frames = int(seconds * fps)
        for i in range(frames):
            frame = av.VideoFrame.from_image(sunrise(width, height, 0.55 + 0.45 * i / frames))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def voice_note(path: Path, seconds: float = 6.0, rate: int = 48000) -> Path:
    """Speech-like syllables (a gliding pitch under a syllable envelope), AAC in an M4A — the
    format voice messages are recorded in."""
    rng = random.Random(11)
    syllables = [(rng.uniform(0.12, 0.3), rng.uniform(140, 220)) for _ in range(40)]
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        total, step, phase = int(seconds * rate), 1024, 0.0
        for start in range(0, total, step):
            count = min(step, total - start)
            samples = array.array("f")
            for n in range(start, start + count):
                t = n / rate
                index, at = 0, 0.0
                while index < len(syllables) - 1 and at + syllables[index][0] < t:
                    at += syllables[index][0]
                    index += 1
                length, pitch = syllables[index]
                local = (t - at) / length
                envelope = math.sin(math.pi * min(max(local, 0.0), 1.0)) ** 2
                pause = 0.0 if index % 7 == 6 else 1.0
                phase += 2 * math.pi * pitch * (1 + 0.08 * local) / rate
                samples.append(0.35 * pause * envelope * (math.sin(phase)
                                                          + 0.4 * math.sin(2 * phase)))
            frame = av.AudioFrame(format="fltp", layout="mono", samples=count)
            frame.planes[0].update(samples.tobytes())
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


ITEMS: dict[str, tuple[str, str, Callable[[Path], Path]]] = {
    "sunrise": ("image", "sunrise.jpg", lambda p: photo(p, sunrise)),
    "coffee": ("image", "pour-over.jpg", lambda p: photo(p, coffee)),
    "icon-drafts": ("image", "logo-drafts.jpg", lambda p: photo(p, icon_drafts)),
    "sunrise-clip": ("video", "sunrise.mp4", sunrise_clip),
    "voice-recipe": ("sound", "voice.m4a", voice_note),
    "icon-guidelines": ("file", "Icon guidelines v2.pdf", lambda p: document(
        p, "Icon guidelines v2", ["1. Corners: rounded, 22% of the side",
                                  "2. 线宽统一 2 px，留白 12%", "3. Dark theme: +12% contrast",
                                  "4. Deadline: Friday"])),
    "reading-list": ("file", "读书会 12 月书单.pdf", lambda p: document(
        p, "Reading list · 书单", ["《三体》 — 刘慈欣", "The Left Hand of Darkness — Le Guin",
                                   "《活着》 — 余华", "Piranesi — Susanna Clarke"])),
}
"""What each demo item is (the element kind), the file name it is sent under, and how to make
it in a directory."""


def make(item: str, folder: Path) -> tuple[str, Path]:
    """(element kind, path of the file made) for one of ``ITEMS``."""
    kind, name, render = ITEMS[item]
    return kind, render(folder / name)
