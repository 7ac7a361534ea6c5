"""What a video or voice message states about its file: length, size, and a still to show.

Only ordinary audio/video containers are accepted. FFmpeg will "open" nearly anything — random
bytes as an ANSI-art video, a JPEG as a one-frame film — and a message that claims to be a video
must play as one on the other side. One frame (or one audio packet) is decoded as well, so a file
whose header parses but whose content does not is refused here rather than by the receiver's
player. Synchronous; callers run it in an executor.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from av.container import InputContainer
from av.stream import Stream
from PIL import Image

from app.protocol import ErrorCode, IMError

from .images import JPEG_QUALITY, shorter_side_to

VIDEO_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "matroska,webm": "mkv",
    "avi": "avi",
    "flv": "flv",
    "mpegts": "ts",
    "mpeg": "mpg",
    "ogg": "ogv",
    "asf": "wmv",
}
"""FFmpeg's demuxer name → the ``format`` a video element carries when the file's own suffix is
not one of the demuxer's (a ``.mov`` stays ``mov``, a ``.webm`` ``webm``)."""

SOUND_CONTAINERS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "ogg", "mp3", "aac",
                              "wav", "flac", "amr", "aiff"})

SNAPSHOT_SIDE = 720
"""The snapshot is shown where a large image level would be, so it is sized like one."""

_ROTATIONS = {90: Image.Transpose.ROTATE_90, -90: Image.Transpose.ROTATE_270,
              180: Image.Transpose.ROTATE_180, -180: Image.Transpose.ROTATE_180}


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """``width``/``height`` are the video's as displayed (rotation applied); ``snapshot`` is a
    JPEG made in ``out_dir``, which the caller moves into the cache."""

    duration_s: int
    width: int
    height: int
    format: str
    snapshot: Path
    snapshot_width: int
    snapshot_height: int


def probe_video(src: Path, out_dir: Path) -> VideoInfo:
    with _opened(src) as container:
        if container.format.name not in VIDEO_CONTAINERS or not container.streams.video:
            raise IMError(ErrorCode.SDK_MEDIA_INVALID, f"{src.name}: not a video")
        stream = container.streams.video[0]
        duration = _duration(container, stream)
        frame = _first_frame(container, stream)
        if not isinstance(frame, av.VideoFrame):
            raise IMError(ErrorCode.SDK_MEDIA_INVALID, f"{src.name}: no decodable video frame")
        image = frame.to_image()
        transpose = _ROTATIONS.get(frame.rotation)
        fmt = _format(container, src)
    if transpose is not None:
        image = image.transpose(transpose)
    width, height = image.size
    if min(width, height) > SNAPSHOT_SIDE:
        image = image.resize(shorter_side_to(image.size, SNAPSHOT_SIDE), Image.Resampling.LANCZOS,
                             reducing_gap=3.0)
    snapshot = _save_snapshot(image, out_dir)
    return VideoInfo(max(1, math.ceil(duration)), width, height, fmt, snapshot, image.width,
                     image.height)


def probe_sound(src: Path) -> int:
    """Whole seconds, rounded half up; a sound shorter than half a second still says 1."""
    with _opened(src) as container:
        if container.format.name not in SOUND_CONTAINERS or not container.streams.audio:
            raise IMError(ErrorCode.SDK_MEDIA_INVALID, f"{src.name}: not a sound")
        stream = container.streams.audio[0]
        duration = _duration(container, stream)
        if not isinstance(_first_frame(container, stream), av.AudioFrame):
            raise IMError(ErrorCode.SDK_MEDIA_INVALID, f"{src.name}: no decodable audio")
    return max(1, math.floor(duration + Fraction(1, 2)))


@contextmanager
def _opened(src: Path) -> Iterator[InputContainer]:
    """The file opened by FFmpeg, its failures as codes. Readability is checked first so a
    missing file is told apart from one FFmpeg cannot parse."""
    try:
        src.open("rb").close()
    except OSError as error:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{src}: {error.strerror or error}") from error
    try:
        with av.open(str(src), metadata_errors="ignore") as container:
            yield container
    except av.FFmpegError as error:
        raise IMError(ErrorCode.SDK_MEDIA_INVALID, f"{src.name}: {error}") from error


def _duration(container: InputContainer, stream: Stream) -> Fraction:
    """From the header when it says; otherwise read off the packets' timestamps (demuxing, not
    decoding), because a file recorded without seeking back — a browser's MediaRecorder WebM —
    states no length at all."""
    if container.duration:
        return Fraction(container.duration, av.time_base)
    if stream.duration and stream.time_base:
        return stream.duration * stream.time_base
    start = stream.start_time or 0
    end = start
    for packet in container.demux(stream):
        if packet.pts is not None:
            end = max(end, packet.pts + (packet.duration or 0))
    container.seek(0)
    return (end - start) * stream.time_base


def _first_frame(container: InputContainer, stream: Stream) -> av.VideoFrame | av.AudioFrame | None:
    """The first frame that decodes; packets that do not (a damaged start) are skipped."""
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.InvalidDataError:
            continue
        if frames:
            return frames[0]
    return None


def _format(container: InputContainer, src: Path) -> str:
    suffix = src.suffix.lower().lstrip(".")
    if suffix in (container.format.extensions or ()):
        return suffix
    return VIDEO_CONTAINERS[container.format.name]


def _save_snapshot(image: Image.Image, out_dir: Path) -> Path:
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="snapshot-", suffix=".jpg", dir=out_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
