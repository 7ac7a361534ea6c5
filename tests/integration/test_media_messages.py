"""Media messages between real SDK clients through the real service: what one device creates
from a file arrives at the other byte for byte, with its levels, durations and snapshot; big
uploads report progress and survive a restart half-way; bad files are refused before upload."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from app.protocol import ErrorCode, ImageKind, IMError
from app.sdk import MessageStatus
from app.sdk.models import Message
from tests.support import media_files
from tests.support.clients import Peer, wait_until


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def received(peer: Peer, msg_id: str) -> Message:
    await wait_until(lambda: any(m.msg_id == msg_id for m in peer.recorder.messages),
                     what=f"message {msg_id} to arrive")
    return next(m for m in peer.recorder.messages if m.msg_id == msg_id)


async def test_a_photo_arrives_with_three_levels_and_the_original_bytes(peers, tmp_path) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    photo = media_files.jpeg_rotated(tmp_path / "holiday.jpg", 1600, 900)
    msg = await alice.mm.create_image_message(str(photo))
    elem = msg.image_elem
    assert elem is not None and elem.format == "jpg"
    assert [i.kind for i in elem.images] == [ImageKind.ORIGINAL, ImageKind.LARGE, ImageKind.THUMB]
    original = elem.level(ImageKind.ORIGINAL)
    assert original is not None and (original.width, original.height) == (900, 1600)
    assert alice.client.media.cached(original.uuid) is not None  # shown before any upload

    progress: list[int] = []
    sent = await alice.mm.send_message(msg, receiver="bob", progress=progress.append)
    assert sent.status == MessageStatus.SEND_SUCC and progress and progress[-1] == 100
    assert progress == sorted(progress)

    got = (await received(bob, msg.msg_id)).image_elem
    assert got is not None and got == elem
    for info in got.images:
        path = await bob.client.media.download(info.uuid, size=info.size)
        assert path.stat().st_size == info.size and sha(path) == info.uuid
    assert sha(bob.client.media.cached(original.uuid)) == sha(photo)
    large, thumb = got.level(ImageKind.LARGE), got.level(ImageKind.THUMB)
    assert large is not None and min(large.width, large.height) == 720
    assert thumb is not None and min(thumb.width, thumb.height) == 198
    assert large.height > large.width  # EXIF orientation applied to the levels


async def test_a_big_file_reports_progress_and_arrives_intact(peers, tmp_path) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    data = media_files.random_file(tmp_path / "dataset.bin", 30 * 1024 * 1024)
    msg = await alice.mm.create_file_message(str(data), "dataset.bin")
    progress: list[int] = []
    await alice.mm.send_message(msg, receiver="bob", progress=progress.append)
    assert len(progress) >= 10 and progress == sorted(progress) and progress[-1] == 100

    elem = (await received(bob, msg.msg_id)).file_elem
    assert elem is not None and elem.name == "dataset.bin" and elem.size == data.stat().st_size
    seen: list[tuple[int, int]] = []
    path = await bob.client.media.download(elem.uuid, size=elem.size,
                                           progress=lambda d, t: seen.append((d, t)))
    assert sha(path) == sha(data)
    assert seen and seen[-1][0] == elem.size


async def test_video_voice_and_a_merged_history(peers, tmp_path) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    video = await alice.mm.create_video_message(str(media_files.mp4(tmp_path / "clip.mp4", 2.0)))
    voice = await alice.mm.create_sound_message(str(media_files.m4a(tmp_path / "note.m4a", 3.0)))
    for msg in (video, voice):
        await alice.mm.send_message(msg, receiver="bob")
    got_video = (await received(bob, video.msg_id)).video_elem
    assert got_video is not None and got_video.duration_s == 2 and got_video.format == "mp4"
    assert (got_video.snapshot.width, got_video.snapshot.height) == (320, 240)
    snapshot = await bob.client.media.download(got_video.snapshot.uuid)
    assert sha(snapshot) == got_video.snapshot.uuid
    got_voice = (await received(bob, voice.msg_id)).sound_elem
    assert got_voice is not None and got_voice.duration_s == 3

    text = await alice.mm.send_message(alice.mm.create_text_message("see both"), receiver="bob")
    merged = await bob.mm.create_merger_message(
        [video, text], "Chat history of alice", ["alice: [Video]", "alice: see both"],
        "[Chat history]")
    await bob.mm.send_message(merged, receiver="alice")
    arrived = await received(alice, merged.msg_id)
    assert arrived.merger_elem is not None and arrived.merger_elem.title == "Chat history of alice"
    inner = await alice.mm.download_merger_message(arrived)
    assert [m.msg_id for m in inner] == [video.msg_id, text.msg_id]
    assert inner[0].video_elem == got_video


async def test_an_upload_cut_by_a_restart_resumes(peers, service, tmp_path) -> None:
    bob = await peers("bob")
    alice = await peers("alice")
    data = media_files.random_file(tmp_path / "big.bin", 24 * 1024 * 1024)
    msg = await alice.mm.create_file_message(str(data))
    half = asyncio.Event()

    def watch(percent: int) -> None:
        if percent >= 40:
            half.set()

    sending = asyncio.create_task(alice.mm.send_message(msg, receiver="bob", progress=watch))
    await asyncio.wait_for(half.wait(), 60)
    await alice.close()  # the app quits half-way through the upload
    sending.cancel()
    await asyncio.gather(sending, return_exceptions=True)

    again = await peers("alice")  # the same cache: the outbox still holds the message
    pending = await again.client.cache.uploads.pending()
    assert [p.msg_id for p in pending] == [msg.msg_id] and pending[0].upload_id
    elem = (await received(bob, msg.msg_id)).file_elem
    assert elem is not None
    assert sha(await bob.client.media.download(elem.uuid, size=elem.size)) == sha(data)


async def test_bad_files_are_refused_before_anything_is_sent(peers, tmp_path) -> None:
    alice = await peers("alice")
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(media_files.jpeg_rotated(tmp_path / "ok.jpg").read_bytes()[:4000])
    with pytest.raises(IMError) as info:
        await alice.mm.create_image_message(str(corrupt))
    assert info.value.code == ErrorCode.SDK_IMAGE_INVALID

    with pytest.raises(IMError) as info:
        await alice.mm.create_image_message(str(tmp_path / "missing.png"))
    assert info.value.code == ErrorCode.SDK_FILE_UNREADABLE

    huge = tmp_path / "huge.iso"
    with huge.open("wb") as out:
        out.truncate(101 * 1024 * 1024)  # sparse: nothing is written, the size is what counts
    with pytest.raises(IMError) as info:
        await alice.mm.create_file_message(str(huge))
    assert info.value.code == ErrorCode.SDK_MEDIA_TOO_LARGE
    assert "100 MB" in info.value.detail


async def test_only_participants_may_fetch_media(peers, tmp_path) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    secret = media_files.random_file(tmp_path / "secret.bin", 200_000)
    msg = await alice.mm.send_message(await alice.mm.create_file_message(str(secret)),
                                      receiver="bob")
    elem = msg.file_elem
    assert elem is not None
    await received(bob, msg.msg_id)
    with pytest.raises(IMError) as info:
        await carol.client.media.download(elem.uuid, size=elem.size)
    assert info.value.code == ErrorCode.MEDIA_FORBIDDEN
    assert carol.client.media.cached(elem.uuid) is None
    assert sha(await bob.client.media.download(elem.uuid)) == sha(secret)


async def test_forwarding_received_media_needs_no_upload(peers, tmp_path) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    photo = media_files.png(tmp_path / "cat.png", 800, 600)
    first = await alice.mm.send_message(await alice.mm.create_image_message(str(photo)),
                                        receiver="bob")
    incoming = await received(bob, first.msg_id)
    forward = bob.mm.create_forward_message(incoming)
    assert forward.msg_id != first.msg_id and forward.image_elem == first.image_elem
    assert all(bob.client.media.cached(i.uuid) is None for i in forward.image_elem.images)
    await bob.mm.send_message(forward, receiver="carol")
    got = (await received(carol, forward.msg_id)).image_elem
    assert got is not None
    original = got.level(ImageKind.ORIGINAL)
    assert original is not None
    assert sha(await carol.client.media.download(original.uuid)) == sha(photo)
    assert Path(carol.client.media.cached(original.uuid)).stat().st_size == original.size  # noqa: ASYNC240
