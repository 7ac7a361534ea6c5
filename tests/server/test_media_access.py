"""Who may read media and which media a message may carry (PROTOCOL.md §8): uploaders and the
participants of a conversation holding a message that refers to it, until it is revoked; a send
referring to media its sender may not read is refused and stores nothing; downloads in ranges.
Avatars are the exception: readable by every signed-in user, and the only service content a
profile's or a group's face may name (``tidings-media:<uuid>``).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from app.protocol import ErrorCode

from .conftest import Client, Service
from .test_media_upload import MediaClient, account, digest, no_tracebacks, refused


@pytest.fixture
async def media(service: Service) -> Any:
    """A MediaClient per user, made on first use."""
    clients: dict[str, MediaClient] = {}

    async def of(user: str) -> MediaClient:
        if user not in clients:
            await account(service, user)
            clients[user] = MediaClient(service, user)
        return clients[user]

    yield of
    for client in clients.values():
        await client.aclose()


def file_elem(uuid: str, size: int, name: str = "notes.txt") -> dict[str, Any]:
    return {"type": "file", "uuid": uuid, "size": size, "name": name}


async def send_elem(client: Client, to: str, elem: dict[str, Any], **options: Any
                    ) -> dict[str, Any]:
    return await client.request("msg.send", {"msg": {
        "msg_id": f"m{os.urandom(6).hex()}", "conv_type": 1, "sender": client.user_id,
        "receiver": to, "elems": [elem], **options}})


async def stored_count(client: Client, peer: str) -> int:
    synced = await client.call("conv.sync", {"version": 0})
    return next((c["max_seq"] for c in synced["conversations"]
                 if c["conv_id"] == f"c2c_{peer}"), 0)


async def test_a_participant_may_read_once_a_message_refers_to_it(service: Service,
                                                                  media: Any) -> None:
    alice_http, bob_http, eve_http = await media("alice"), await media("bob"), await media("eve")
    data = os.urandom(50_000)
    uuid = await alice_http.upload(data)
    refused(await bob_http.get(uuid), 403, ErrorCode.MEDIA_FORBIDDEN)

    alice = await service.login("alice")
    bob = await service.login("bob")
    ack = await send_elem(alice, "bob", file_elem(uuid, len(data)))
    assert ack.get("code", 0) == 0, ack
    pushed = await bob.push("msg.new")
    assert pushed["elems"] == [file_elem(uuid, len(data))]

    assert (await bob_http.get(uuid)).content == data
    refused(await eve_http.get(uuid), 403, ErrorCode.MEDIA_FORBIDDEN)
    # A participant holding it needs no upload to send it on.
    again = (await bob_http.start(data)).json()
    assert again["complete"] is True and again["uuid"] == uuid


async def test_a_receiver_may_forward_and_the_next_receiver_may_read(service: Service,
                                                                     media: Any) -> None:
    alice_http, carol_http = await media("alice"), await media("carol")
    await media("bob")
    data = os.urandom(4000)
    uuid = await alice_http.upload(data)
    alice, bob = await service.login("alice"), await service.login("bob")
    assert (await send_elem(alice, "bob", file_elem(uuid, len(data)))).get("code", 0) == 0
    refused(await carol_http.get(uuid), 403, ErrorCode.MEDIA_FORBIDDEN)
    forwarded = await send_elem(bob, "carol", file_elem(uuid, len(data)))
    assert forwarded.get("code", 0) == 0, forwarded
    assert (await carol_http.get(uuid)).content == data


async def test_revoking_the_only_message_takes_the_receivers_access_away(
        service: Service, media: Any) -> None:
    alice_http, bob_http = await media("alice"), await media("bob")
    data = os.urandom(4000)
    uuid = await alice_http.upload(data)
    alice = await service.login("alice")
    ack = (await send_elem(alice, "bob", file_elem(uuid, len(data))))["body"]
    assert (await bob_http.get(uuid)).status_code == 200
    roam = await service.admin("openim/admin_getroammsg", {
        "Operator_Account": "alice", "Peer_Account": "bob", "MaxCnt": 10, "MinTime": 0,
        "MaxTime": 2**32 - 1})
    key = roam["MsgList"][0]["MsgKey"]
    assert key.startswith(f"{ack['seq']}_")
    withdrawn = await service.admin("openim/admin_msgwithdraw", {
        "From_Account": "alice", "To_Account": "bob", "MsgKey": key})
    assert withdrawn["ErrorCode"] == 0, withdrawn
    refused(await bob_http.get(uuid), 403, ErrorCode.MEDIA_FORBIDDEN)
    assert (await alice_http.get(uuid)).content == data  # the uploader keeps it


@pytest.mark.parametrize("wanted", ["unknown", "someone_elses", "malformed"])
async def test_a_send_referring_to_media_the_sender_may_not_read_stores_nothing(
        service: Service, media: Any, wanted: str) -> None:
    bob_http = await media("bob")
    await media("alice")
    uuid = {"unknown": digest(b"never uploaded"),
            "someone_elses": await bob_http.upload(os.urandom(1000)),
            "malformed": "../../secret.key"}[wanted]
    alice = await service.login("alice")
    bob = await service.login("bob")
    image = {"type": "image", "format": "png", "images": [
        {"kind": "original", "uuid": uuid, "size": 1000, "width": 10, "height": 10}]}
    for elem in (file_elem(uuid, 1000), image,
                 {"type": "video", "uuid": uuid, "size": 1000, "duration_s": 3},
                 {"type": "video", "url": "https://cdn.example/v.mp4",
                  "snapshot": {"uuid": uuid, "size": 10}},
                 {"type": "sound", "uuid": uuid, "size": 1000, "duration_s": 3},
                 {"type": "merger", "title": "chat", "uuid": uuid, "size": 1000}):
        answer = await send_elem(alice, "bob", elem)
        assert answer["code"] == ErrorCode.MEDIA_REFERENCE_INVALID, answer
        assert answer["msg"]
    assert await stored_count(alice, "bob") == 0
    await bob.no_push()


async def test_a_message_must_state_the_items_real_size_or_none(service: Service,
                                                                media: Any) -> None:
    alice_http = await media("alice")
    await media("bob")
    data = os.urandom(2048)
    uuid = await alice_http.upload(data)
    alice = await service.login("alice")
    lying = await send_elem(alice, "bob", file_elem(uuid, 1))
    assert lying["code"] == ErrorCode.INVALID_MESSAGE and "2048" in lying["msg"], lying
    assert await stored_count(alice, "bob") == 0
    unknown = await send_elem(alice, "bob", file_elem(uuid, 0))
    assert unknown.get("code", 0) == 0, unknown


async def test_media_by_url_only_is_external_content_and_allowed(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    elem = {"type": "image", "format": "jpg", "images": [
        {"kind": "thumb", "url": "https://cdn.example/t.jpg", "size": 900, "width": 198,
         "height": 198}]}
    answer = await send_elem(alice, "bob", elem)
    assert answer.get("code", 0) == 0, answer
    assert (await bob.push("msg.new"))["elems"] == [elem]


@pytest.mark.parametrize("elem", [
    {"type": "file", "url": "https://x.example/f", "size": -1},
    {"type": "file", "url": "https://x.example/f", "name": "n" * 256},
    {"type": "sound", "url": "https://x.example/s", "duration_s": 601},
    {"type": "sound", "url": "https://x.example/s", "duration_s": -1},
    {"type": "video", "url": "https://x.example/v", "snapshot": {"width": -3}},
    {"type": "image", "images": [{"kind": "thumb", "url": "https://x.example/t", "height": -1}]},
    {"type": "image", "images": [{"kind": "thumb", "url": "a"}, {"kind": "thumb", "url": "b"}]},
    {"type": "merger", "title": "t", "abstracts": [f"line {i}" for i in range(11)]},
])
async def test_out_of_range_media_fields_are_refused(service: Service, elem: dict[str, Any],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    alice = await service.login("alice")
    answer = await send_elem(alice, "bob", elem)
    assert answer["code"] == ErrorCode.INVALID_MESSAGE, answer
    assert await stored_count(alice, "bob") == 0
    no_tracebacks(caplog)


async def test_media_cannot_go_online_only(service: Service, media: Any) -> None:
    alice_http = await media("alice")
    uuid = await alice_http.upload(os.urandom(100))
    alice = await service.login("alice")
    answer = await send_elem(alice, "bob", file_elem(uuid, 100), online_only=True)
    assert answer["code"] == ErrorCode.INVALID_MESSAGE and "online" in answer["msg"]


async def test_unknown_media_is_404(media: Any) -> None:
    alice_http = await media("alice")
    refused(await alice_http.get(digest(b"nothing")), 404, ErrorCode.MEDIA_NOT_FOUND)
    refused(await alice_http.get("not-a-digest"), 404, ErrorCode.MEDIA_NOT_FOUND)
    refused(await alice_http.get("AB" * 32), 404, ErrorCode.MEDIA_NOT_FOUND)


# --- ranges -------------------------------------------------------------------------------------

async def test_ranges_are_served_with_206_and_the_right_bytes(media: Any) -> None:
    alice_http = await media("alice")
    data = os.urandom(1_000_000)
    uuid = await alice_http.upload(data)
    size = len(data)
    for header, start, end in (("bytes=0-0", 0, 0), ("bytes=100-199", 100, 199),
                               ("bytes=999000-", 999_000, size - 1),
                               ("bytes=-500", size - 500, size - 1),
                               ("bytes=500000-99999999", 500_000, size - 1),
                               ("bytes=-5000000", 0, size - 1)):
        reply = await alice_http.get(uuid, range=header)
        assert reply.status_code == 206, (header, reply.text)
        assert reply.content == data[start:end + 1], header
        assert reply.headers["content-range"] == f"bytes {start}-{end}/{size}"
        assert reply.headers["content-length"] == str(end - start + 1)
        assert reply.headers["etag"] == f'"{uuid}"'
    # Headers that are no single byte range are ignored: the whole content comes.
    for header in ("bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=-"):
        reply = await alice_http.get(uuid, range=header)
        assert reply.status_code == 200 and reply.content == data, header
    # A validator of other content: everything.
    reply = await alice_http.get(uuid, range="bytes=0-9", **{"if-range": '"other"'})
    assert reply.status_code == 200 and len(reply.content) == size
    reply = await alice_http.get(uuid, range="bytes=0-9", **{"if-range": f'"{uuid}"'})
    assert reply.status_code == 206 and reply.content == data[:10]


async def test_an_unsatisfiable_range_is_416(media: Any, caplog: pytest.LogCaptureFixture
                                             ) -> None:
    alice_http = await media("alice")
    data = os.urandom(1000)
    uuid = await alice_http.upload(data)
    for header in ("bytes=1000-", "bytes=5000-6000", "bytes=-0"):
        reply = await alice_http.get(uuid, range=header)
        refused(reply, 416, ErrorCode.RANGE_NOT_SATISFIABLE)
        assert reply.headers["content-range"] == "bytes */1000"
    no_tracebacks(caplog)


async def test_head_and_conditional_requests(media: Any) -> None:
    alice_http = await media("alice")
    data = os.urandom(12_345)
    uuid = await alice_http.upload(data)
    head = await alice_http.http.head(f"/media/{uuid}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data))
    assert head.headers["accept-ranges"] == "bytes"
    ranged = await alice_http.http.head(f"/media/{uuid}", headers={"range": "bytes=10-19"})
    assert ranged.status_code == 206 and ranged.headers["content-length"] == "10"
    cached = await alice_http.get(uuid, **{"if-none-match": f'"{uuid}"'})
    assert cached.status_code == 304 and cached.content == b""
    changed = await alice_http.get(uuid, **{"if-none-match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == data


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
