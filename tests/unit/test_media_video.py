"""Probing real video and sound files written with PyAV in the test."""

from __future__ import annotations

import os
from pathlib import Path

import av
import pytest
from PIL import Image

from app.protocol import ErrorCode, IMError
from app.sdk.media.video import probe_sound, probe_video

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 255, 0)
VIDEO_CODEC = "libx264" if "libx264" in av.codecs_available else "mpeg4"


def split(size: tuple[int, int], left: tuple[int, int, int], right: tuple[int, int, int]
          ) -> Image.Image:
    image = Image.new("RGB", size, right)
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), left))
    return image


def write_video(path: Path | object, frames: int, size: tuple[int, int] = (320, 240), *,
                fps: int = 25, codec: str = VIDEO_CODEC, rotation: int = 0,
                container_format: str | None = None) -> None:
    """Frame 0 is red on the left, blue on the right; the rest are green."""
    target = str(path) if isinstance(path, Path) else path
    with av.open(target, "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        if rotation:
            stream.set_display_rotation(rotation)
        for index in range(frames):
            picture = split(size, RED, BLUE) if index == 0 else Image.new("RGB", size, GREEN)
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def write_sound(path: Path, seconds: float, codec: str, rate: int = 44100) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        fmt = stream.codec_context.format.name
        total, step = round(seconds * rate), 1024
        for start in range(0, total, step):
            count = min(step, total - start)
            frame = av.AudioFrame(format=fmt, layout="mono", samples=count)
            frame.planes[0].update(bytes(frame.planes[0].buffer_size))
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def near(pixel: tuple[int, ...], colour: tuple[int, ...], slack: int = 60) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=False))


def test_a_two_second_mp4(tmp_path):
    src = tmp_path / "clip.mp4"
    write_video(src, 50)
    info = probe_video(src, tmp_path / "out")
    assert (info.duration_s, info.width, info.height, info.format) == (2, 320, 240, "mp4")
    assert info.snapshot.parent == tmp_path / "out"
    snapshot = Image.open(info.snapshot)
    assert snapshot.format == "JPEG"
    assert snapshot.size == (info.snapshot_width, info.snapshot_height) == (320, 240)
    assert near(snapshot.getpixel((40, 120)), RED)  # the first frame, not a later one
    assert near(snapshot.getpixel((280, 120)), BLUE)


def test_a_part_second_rounds_up(tmp_path):
    src = tmp_path / "clip.mp4"
    write_video(src, 55)  # 2.2 s
    assert probe_video(src, tmp_path).duration_s == 3
    short = tmp_path / "short.mp4"
    write_video(short, 3)
    assert probe_video(short, tmp_path).duration_s == 1


def test_rotation_metadata_turns_the_snapshot_and_the_size(tmp_path):
    src = tmp_path / "portrait.mp4"
    write_video(src, 5, rotation=-90)  # shown turned 90° clockwise, as a phone records
    info = probe_video(src, tmp_path)
    assert (info.width, info.height) == (240, 320)
    snapshot = Image.open(info.snapshot)
    assert snapshot.size == (240, 320)
    assert near(snapshot.getpixel((120, 40)), RED)  # the left half is now on top
    assert near(snapshot.getpixel((120, 280)), BLUE)


def test_a_large_video_has_a_snapshot_the_size_of_a_large_image(tmp_path):
    src = tmp_path / "hd.mov"
    write_video(src, 3, (1920, 1080))
    info = probe_video(src, tmp_path)
    assert (info.width, info.height, info.format) == (1920, 1080, "mov")
    assert (info.snapshot_width, info.snapshot_height) == (1280, 720)
    assert Image.open(info.snapshot).size == (1280, 720)


class Unseekable:
    """A sink without ``seek``: the muxer cannot go back to write the length, as when a browser
    records a WebM."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)


def test_a_webm_that_states_no_length_is_measured_from_its_packets(tmp_path):
    sink = Unseekable()
    write_video(sink, 30, (64, 48), fps=10, codec="libvpx", container_format="webm")
    src = tmp_path / "recorded.webm"
    src.write_bytes(sink.data)
    with av.open(str(src)) as container:
        assert container.duration is None and container.streams.video[0].duration is None
    info = probe_video(src, tmp_path)
    assert (info.duration_s, info.format) == (3, "webm")
    assert near(Image.open(info.snapshot).getpixel((8, 24)), RED)


@pytest.mark.parametrize(("seconds", "expected"), [(2.0, 2), (2.7, 3), (0.3, 1)])
@pytest.mark.parametrize(("codec", "suffix"), [("aac", "m4a"), ("pcm_s16le", "wav")])
def test_sound_duration_in_whole_seconds(tmp_path, codec, suffix, seconds, expected):
    src = write_sound(tmp_path / f"voice.{suffix}", seconds, codec)
    assert probe_sound(src) == expected


def garbage(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.mp4"
    if kind == "text":
        path.write_text("this is not a video at all\n" * 200)
    elif kind == "random":  # FFmpeg opens these as an ANSI-art "video"
        path = tmp_path / "random.bin"
        path.write_bytes(os.urandom(200_000))
    elif kind == "empty":
        path.write_bytes(b"")
    else:  # a picture, which FFmpeg opens as a one-frame film
        path = tmp_path / "photo.jpg"
        Image.new("RGB", (64, 64), RED).save(path)
    return path


@pytest.mark.parametrize("kind", ["text", "random", "empty", "jpeg"])
def test_files_that_are_not_media_are_refused(tmp_path, kind):
    src = garbage(tmp_path, kind)
    for probe in (lambda: probe_video(src, tmp_path / "out"), lambda: probe_sound(src)):
        with pytest.raises(IMError) as refused:
            probe()
        assert refused.value.code == ErrorCode.SDK_MEDIA_INVALID
    assert not (tmp_path / "out").exists()


def test_a_stream_of_the_wrong_kind_is_refused(tmp_path):
    sound = write_sound(tmp_path / "voice.wav", 1.0, "pcm_s16le")
    video = tmp_path / "mute.mp4"
    write_video(video, 5)
    for probe in (lambda: probe_video(sound, tmp_path), lambda: probe_sound(video)):
        with pytest.raises(IMError) as refused:
            probe()
        assert refused.value.code == ErrorCode.SDK_MEDIA_INVALID


def test_a_missing_file(tmp_path):
    for probe in (lambda: probe_video(tmp_path / "gone.mp4", tmp_path),
                  lambda: probe_sound(tmp_path / "gone.m4a")):
        with pytest.raises(IMError) as refused:
            probe()
        assert refused.value.code == ErrorCode.SDK_FILE_UNREADABLE
