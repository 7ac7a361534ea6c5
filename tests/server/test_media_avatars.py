"""Avatars through the media path: content uploaded as kind ``avatar`` is readable by every
signed-in user (a face is shown to all), while other uploads stay private; a profile's or a
group's face may name service content (``tidings-media:<uuid>``) only when it is an avatar."""

from __future__ import annotations

import os
from typing import Any

import pytest

from app.protocol import ErrorCode

from .conftest import Service
from .test_media_upload import MediaClient, account, refused


@pytest.fixture
async def media(service: Service) -> Any:
    clients: dict[str, MediaClient] = {}

    async def of(user: str) -> MediaClient:
        if user not in clients:
            await account(service, user)
            clients[user] = MediaClient(service, user)
        return clients[user]

    yield of
    for client in clients.values():
        await client.aclose()


async def test_an_avatar_is_readable_by_anyone_and_a_photo_is_not(service: Service,
                                                                  media: Any) -> None:
    alice, bob = await media("alice"), await media("bob")
    face = os.urandom(30_000)
    face_id = await alice.upload(face, kind="avatar")
    photo_id = await alice.upload(os.urandom(30_000), kind="image")
    got = await bob.get(face_id)
    assert got.status_code == 200 and got.content == face
    refused(await bob.get(photo_id), 403, ErrorCode.MEDIA_FORBIDDEN)
    too_big = await alice.start(os.urandom(16), "avatar", size=6 * 1024 * 1024)
    refused(too_big, 413, ErrorCode.MEDIA_TOO_LARGE)


async def test_a_face_names_only_avatar_uploads(service: Service, media: Any) -> None:
    alice_http = await media("alice")
    face_id = await alice_http.upload(os.urandom(20_000), kind="avatar")
    photo_id = await alice_http.upload(os.urandom(20_000), kind="image")
    alice = await service.login("alice")
    bob = await service.login("bob")
    assert await alice.error("profile.set", {"face_url": f"tidings-media:{photo_id}"}) == 23008
    profile = await alice.call("profile.set", {"face_url": f"tidings-media:{face_id}"})
    assert profile["face_url"] == f"tidings-media:{face_id}"
    (seen,) = (await bob.call("profile.get", {"user_ids": ["alice"]}))["profiles"]
    assert seen["face_url"] == f"tidings-media:{face_id}"
    # a web URL is the face's own business, as before
    await alice.call("profile.set", {"face_url": "https://example.org/me.png"})

    assert await alice.error("group.create", {
        "group_type": "Work", "name": "Pics", "face_url": f"tidings-media:{photo_id}"}) == 23008
    group_id = (await alice.call("group.create", {
        "group_type": "Work", "name": "Pics", "face_url": f"tidings-media:{face_id}"}))[
        "group_id"]
    assert await alice.error("group.set_info", {
        "group_id": group_id, "face_url": f"tidings-media:{photo_id}"}) == 23008
