"""Real media files made on the spot: pictures with Pillow, video and sound with PyAV."""

from __future__ import annotations

import array
import math
import os
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image


def gradient(width: int, height: int) -> Image.Image:
    """A photo-like picture: smooth colour ramps that compress like a photograph."""
    ramp = Image.linear_gradient("L")
    across = ramp.rotate(90).resize((width, height))
    down = ramp.resize((width, height))
    return Image.merge("RGB", (across, down, Image.blend(across, down, 0.5)))


def png(path: Path, width: int = 1200, height: int = 800) -> Path:
    gradient(width, height).save(path, "PNG")
    return path


def jpeg_rotated(path: Path, width: int = 1600, height: int = 900) -> Path:
    """Stored landscape, EXIF orientation 6: shown portrait, height × width."""
    exif = Image.Exif()
    exif[0x0112] = 6
    gradient(width, height).save(path, "JPEG", quality=90, exif=exif)
    return path


def gif(path: Path, frames: int = 4, size: int = 240) -> Path:
    images = [gradient(size, size).rotate(i * 90) for i in range(frames)]
    images[0].save(path, "GIF", save_all=True, append_images=images[1:], duration=120, loop=0)
    return path


def random_file(path: Path, size: int) -> Path:
    with path.open("wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            out.write(chunk)
            left -= len(chunk)
    return path


def mp4(path: Path, seconds: float = 2.0, width: int = 320, height: int = 240,
        fps: int = 24) -> Path:
    with av.open(str(path), "w") as container:
        codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_image(gradient(width, height).rotate(i * 3))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def m4a(path: Path, seconds: float = 3.0, rate: int = 44100) -> Path:
    """A voice-like tone in AAC, the format voice messages are recorded in."""
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        samples = int(seconds * rate)
        step = 1024
        for start in range(0, samples, step):
            count = min(step, samples - start)
            tone = array.array("f", (
                0.3 * math.sin(2 * math.pi * 220 * t) * (1 + 0.5 * math.sin(2 * math.pi * 3 * t))
                for t in ((start + i) / rate for i in range(count))))
            frame = av.AudioFrame(format="fltp", layout="mono", samples=count)
            frame.planes[0].update(tone.tobytes())
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
