"""Media uploads over real HTTP against the real service (PROTOCOL.md §8): chunked and resumed,
content stored once, limits and digests enforced before anything is kept, hostile requests
refused with a code and no traceback.

The helpers here (``MediaClient``) are shared by the other ``test_media_*`` modules."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.protocol import DEFAULT_LIMITS, ErrorCode
from tests.support.waiting import wait_until

from .conftest import Service, sig

MiB = 1024 * 1024


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class MediaClient:
    """One user's calls to ``/media``, each answer returned whole for the test to judge."""

    def __init__(self, service: Service, user_id: str) -> None:
        self.service = service
        self.user_id = user_id
        self.http = httpx.AsyncClient(base_url=service.endpoint.url, timeout=30,
                                      headers={"authorization": f"Bearer {sig(user_id)}"})

    async def aclose(self) -> None:
        await self.http.aclose()

    async def start(self, data: bytes, kind: str = "file", **body: Any) -> httpx.Response:
        return await self.http.post("/media/uploads", json={
            "kind": kind, "size": len(data), "sha256": digest(data), **body})

    async def put(self, upload_id: str, data: bytes, start: int, chunk: bytes,
                  content_range: str | None = None) -> httpx.Response:
        header = (f"bytes {start}-{start + len(chunk) - 1}/{len(data)}"
                  if content_range is None else content_range)
        return await self.http.put(f"/media/uploads/{upload_id}", content=chunk,
                                   headers={"content-range": header})

    async def status(self, upload_id: str) -> httpx.Response:
        return await self.http.get(f"/media/uploads/{upload_id}")

    async def upload(self, data: bytes, kind: str = "file") -> str:
        """Upload all of ``data`` in the chunk size the service names; its uuid."""
        started = await self.start(data, kind)
        assert started.status_code == 200, started.text
        answer = started.json()
        if answer.get("complete"):
            return str(answer["uuid"])
        upload_id, step = answer["upload_id"], answer["chunk_bytes"]
        for offset in range(0, len(data), step):
            reply = await self.put(upload_id, data, offset, data[offset:offset + step])
            assert reply.status_code == 200, reply.text
        done = reply.json()
        assert done["complete"] is True and done["offset"] == len(data)
        return str(done["uuid"])

    async def get(self, uuid: str, **headers: str) -> httpx.Response:
        return await self.http.get(f"/media/{uuid}", headers=headers)


async def account(service: Service, *users: str) -> None:
    for user in users:
        reply = await service.admin("im_open_login_svc/account_import", {"UserID": user})
        assert reply["ErrorCode"] == 0, reply


@pytest.fixture
async def alice(service: Service) -> Any:
    await account(service, "alice")
    client = MediaClient(service, "alice")
    yield client
    await client.aclose()


def refused(reply: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert reply.status_code == status, (reply.status_code, reply.text)
    body = reply.json()
    assert body["ActionStatus"] == "FAIL" and body["ErrorCode"] == code, body
    assert body["ErrorInfo"], "a refusal says why"
    return body


def blob_files(service: Service) -> list[Path]:
    return [p for p in (service.config.data_dir / "media" / "blobs").rglob("*") if p.is_file()]


def part_files(service: Service) -> list[Path]:
    return list((service.config.data_dir / "media" / "uploads").iterdir())


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


# --- the happy paths ---------------------------------------------------------------------------

async def test_a_small_file_round_trips_byte_for_byte(service: Service, alice: MediaClient
                                                      ) -> None:
    data = os.urandom(300_000)
    started = await alice.start(data, "image", name="holiday.png")
    assert started.status_code == 200
    answer = started.json()
    assert answer["offset"] == 0 and answer["chunk_bytes"] == MiB
    assert len(answer["upload_id"]) == 32
    done = await alice.put(answer["upload_id"], data, 0, data)
    assert done.status_code == 200
    assert done.json()["uuid"] == digest(data) and done.json()["offset"] == len(data)

    fetched = await alice.get(digest(data))
    assert fetched.status_code == 200
    assert fetched.content == data
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["content-length"] == str(len(data))
    assert fetched.headers["etag"] == f'"{digest(data)}"'
    assert fetched.headers["accept-ranges"] == "bytes"
    assert fetched.headers["cache-control"] == "private, max-age=31536000, immutable"
    # the finished upload is gone: nothing more can be written to it
    refused(await alice.status(answer["upload_id"]), 404, ErrorCode.UPLOAD_NOT_FOUND)
    assert part_files(service) == []


async def test_a_30_mb_file_in_chunks_cut_mid_chunk_and_resumed(
        service: Service, alice: MediaClient, caplog: pytest.LogCaptureFixture) -> None:
    data = os.urandom(30 * MiB)
    answer = (await alice.start(data, "video")).json()
    upload_id, step = answer["upload_id"], answer["chunk_bytes"]
    for offset in range(0, 3 * step, step):
        reply = await alice.put(upload_id, data, offset, data[offset:offset + step])
        assert reply.json() == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
                                "offset": offset + step}

    # The link drops half-way through the fourth chunk: the service keeps none of it.
    host, port = service.endpoint.host, service.endpoint.port
    _, writer = await asyncio.open_connection(host, port)
    head = (f"PUT /media/uploads/{upload_id} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {sig('alice')}\r\n"
            f"Content-Range: bytes {3 * step}-{4 * step - 1}/{len(data)}\r\n"
            f"Content-Length: {step}\r\n\r\n")
    writer.write(head.encode() + data[3 * step:3 * step + step // 2])
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    await wait_until(lambda: any("went away" in r.getMessage() for r in caplog.records), 10,
                     "the service to see the chunk cut off")

    # A new connection asks where the upload stands and goes on from there.
    resumed = MediaClient(service, "alice")
    try:
        where = (await resumed.status(upload_id)).json()
        assert (where["offset"], where["size"]) == (3 * step, len(data))
        for offset in range(where["offset"], len(data), step):
            reply = await resumed.put(upload_id, data, offset, data[offset:offset + step])
            assert reply.status_code == 200, reply.text
        assert reply.json()["uuid"] == digest(data) and reply.json()["complete"] is True
        fetched = await resumed.get(digest(data))
    finally:
        await resumed.aclose()
    assert fetched.status_code == 200 and len(fetched.content) == len(data)
    assert digest(fetched.content) == digest(data)


async def test_a_chunk_that_does_not_start_at_the_offset_gets_the_offset(
        alice: MediaClient) -> None:
    data = os.urandom(3 * MiB)
    upload_id = (await alice.start(data)).json()["upload_id"]
    assert (await alice.put(upload_id, data, 0, data[:MiB])).status_code == 200
    ahead = refused(await alice.put(upload_id, data, 2 * MiB, data[2 * MiB:]), 409,
                    ErrorCode.UPLOAD_OFFSET_MISMATCH)
    assert ahead["offset"] == MiB
    again = refused(await alice.put(upload_id, data, 0, data[:MiB]), 409,
                    ErrorCode.UPLOAD_OFFSET_MISMATCH)
    assert again["offset"] == MiB
    assert (await alice.status(upload_id)).json()["offset"] == MiB  # nothing moved
    rest = await alice.put(upload_id, data, MiB, data[MiB:2 * MiB])
    assert rest.json()["offset"] == 2 * MiB


async def test_the_same_bytes_from_two_users_are_stored_once(service: Service,
                                                             alice: MediaClient) -> None:
    await account(service, "bob")
    bob = MediaClient(service, "bob")
    try:
        data = os.urandom(200_000)
        uuid = await alice.upload(data)
        # Bob holds the same file but has not shown it: he must send the bytes.
        started = (await bob.start(data)).json()
        assert "upload_id" in started
        refused(await bob.get(uuid), 403, ErrorCode.MEDIA_FORBIDDEN)
        done = await bob.put(started["upload_id"], data, 0, data)
        assert done.json()["uuid"] == uuid
        assert (await bob.get(uuid)).content == data
        assert len(blob_files(service)) == 1
        assert part_files(service) == []
        # Alice asking again needs no upload at all.
        again = await alice.start(data)
        assert again.json() == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
                                "uuid": uuid, "complete": True}
    finally:
        await bob.aclose()


async def test_files_and_directories_are_private(service: Service, alice: MediaClient) -> None:
    data = os.urandom(1000)
    upload_id = (await alice.start(data)).json()["upload_id"]
    (part,) = part_files(service)
    assert stat.S_IMODE(part.stat().st_mode) == 0o600
    await alice.put(upload_id, data, 0, data)
    (blob,) = blob_files(service)
    assert blob.name == digest(data)
    assert blob.parent.name == digest(data)[2:4] and blob.parent.parent.name == digest(data)[:2]
    assert stat.S_IMODE(blob.stat().st_mode) == 0o600
    media = service.config.data_dir / "media"
    for directory in (media, media / "blobs", media / "uploads", blob.parent, blob.parent.parent):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


# --- refused before or instead of keeping anything ---------------------------------------------

async def test_over_the_limit_is_refused_before_any_byte(service: Service,
                                                         alice: MediaClient) -> None:
    limits = DEFAULT_LIMITS
    for kind, most in (("image", limits.image_bytes), ("sound", limits.sound_bytes),
                       ("video", limits.video_bytes), ("file", limits.file_bytes)):
        reply = await alice.http.post("/media/uploads", json={
            "kind": kind, "size": most + 1, "sha256": "ab" * 32})
        body = refused(reply, 413, ErrorCode.MEDIA_TOO_LARGE)
        assert str(most) in body["ErrorInfo"], body
    assert part_files(service) == []
    # exactly at the limit is accepted
    reply = await alice.http.post("/media/uploads", json={
        "kind": "image", "size": limits.image_bytes, "sha256": "ab" * 32})
    assert reply.status_code == 200 and reply.json()["offset"] == 0


async def test_bytes_that_do_not_hash_to_the_declared_sha256_are_discarded(
        service: Service, alice: MediaClient, caplog: pytest.LogCaptureFixture) -> None:
    data = os.urandom(100_000)
    forged = data[:-1] + bytes([data[-1] ^ 1])
    reply = await alice.http.post("/media/uploads", json={
        "kind": "file", "size": len(data), "sha256": digest(forged)})
    upload_id = reply.json()["upload_id"]
    body = refused(await alice.put(upload_id, data, 0, data), 400, ErrorCode.UPLOAD_SIZE_MISMATCH)
    assert digest(data) in body["ErrorInfo"]
    refused(await alice.status(upload_id), 404, ErrorCode.UPLOAD_NOT_FOUND)
    assert part_files(service) == [] and blob_files(service) == []
    refused(await alice.get(digest(data)), 404, ErrorCode.MEDIA_NOT_FOUND)
    refused(await alice.get(digest(forged)), 404, ErrorCode.MEDIA_NOT_FOUND)
    no_tracebacks(caplog)


async def test_a_chunk_larger_than_chunk_bytes_is_refused(alice: MediaClient) -> None:
    data = os.urandom(2 * MiB)
    upload_id = (await alice.start(data)).json()["upload_id"]
    chunk = data[:MiB + 1]
    refused(await alice.put(upload_id, data, 0, chunk), 413, ErrorCode.MEDIA_TOO_LARGE)
    assert (await alice.status(upload_id)).json()["offset"] == 0


async def test_an_expired_upload_is_gone_and_swept(service: Service, alice: MediaClient) -> None:
    data = os.urandom(10_000)
    upload_id = (await alice.start(data)).json()["upload_id"]
    with sqlite3.connect(service.config.data_dir / "tidings.db") as db:
        db.execute("UPDATE media_uploads SET expires_at = 0 WHERE upload_id = ?", (upload_id,))
    refused(await alice.put(upload_id, data, 0, data), 404, ErrorCode.UPLOAD_NOT_FOUND)
    refused(await alice.status(upload_id), 404, ErrorCode.UPLOAD_NOT_FOUND)
    fresh = (await alice.start(os.urandom(10))).json()["upload_id"]  # a new upload sweeps
    assert [p.name for p in part_files(service)] == [fresh]


async def test_another_users_upload_is_unknown_to_them(service: Service,
                                                       alice: MediaClient) -> None:
    await account(service, "mallory")
    mallory = MediaClient(service, "mallory")
    try:
        data = os.urandom(1000)
        upload_id = (await alice.start(data)).json()["upload_id"]
        refused(await mallory.status(upload_id), 404, ErrorCode.UPLOAD_NOT_FOUND)
        refused(await mallory.put(upload_id, data, 0, data), 404, ErrorCode.UPLOAD_NOT_FOUND)
        assert (await alice.status(upload_id)).json()["offset"] == 0
    finally:
        await mallory.aclose()


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"kind": "file", "size": -5, "sha256": "ab" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 0, "sha256": "ab" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": "10", "sha256": "ab" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": True, "sha256": "ab" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "zz" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "AB" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "ab" * 31}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "../../etc/passwd"}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "ab" * 32, "name": "n" * 256}, 400,
     ErrorCode.INVALID_BODY),
    ({"kind": "file", "size": 10, "sha256": "ab" * 32, "name": 7}, 400, ErrorCode.INVALID_BODY),
    ({"size": 10, "sha256": "ab" * 32}, 400, ErrorCode.INVALID_BODY),
    ({"kind": "executable", "size": 10, "sha256": "ab" * 32}, 400, ErrorCode.MEDIA_KIND_INVALID),
    ({"kind": "file", "size": 2**80, "sha256": "ab" * 32}, 413, ErrorCode.MEDIA_TOO_LARGE),
])
async def test_a_bad_declaration_gets_a_clear_code(
        service: Service, alice: MediaClient, caplog: pytest.LogCaptureFixture,
        body: dict[str, Any], status: int, code: int) -> None:
    refused(await alice.http.post("/media/uploads", json=body), status, code)
    assert part_files(service) == []
    no_tracebacks(caplog)


async def test_the_json_rules_of_api_hold(alice: MediaClient,
                                          caplog: pytest.LogCaptureFixture) -> None:
    declared = b'{"kind": "file", "size": 10, "sha256": "' + b"ab" * 32 + b'"}'
    refused(await alice.http.post("/media/uploads", content=declared,
                                  headers={"content-type": "text/plain"}),
            400, ErrorCode.NOT_JSON)
    refused(await alice.http.post("/media/uploads", content=b"{not json",
                                  headers={"content-type": "application/json"}),
            400, ErrorCode.JSON_PARSE_FAILED)
    refused(await alice.http.post("/media/uploads", json=[1, 2]), 400,
            ErrorCode.JSON_PARSE_FAILED)
    no_tracebacks(caplog)


@pytest.mark.parametrize("content_range", [
    "garbage", "bytes 0-9", "bytes 0-9/abc", "bytes 9-0/10", "bytes 0-10/10", "bytes -1-9/10",
    "bytes 0-9/10, bytes 10-19/20", "items 0-9/10", "bytes 0-99999999999999999999/10", "",
])
async def test_content_range_garbage_is_refused(
        alice: MediaClient, caplog: pytest.LogCaptureFixture, content_range: str) -> None:
    data = os.urandom(10)
    upload_id = (await alice.start(data)).json()["upload_id"]
    refused(await alice.put(upload_id, data, 0, data, content_range=content_range), 400,
            ErrorCode.INVALID_BODY)
    assert (await alice.status(upload_id)).json()["offset"] == 0
    no_tracebacks(caplog)


async def test_a_chunk_that_disagrees_with_its_range_or_the_upload_is_refused(
        alice: MediaClient) -> None:
    data = os.urandom(100)
    upload_id = (await alice.start(data)).json()["upload_id"]
    refused(await alice.put(upload_id, data, 0, data[:50], content_range="bytes 0-59/100"),
            400, ErrorCode.UPLOAD_SIZE_MISMATCH)
    refused(await alice.put(upload_id, data, 0, data[:50], content_range="bytes 0-49/200"),
            400, ErrorCode.UPLOAD_SIZE_MISMATCH)
    assert (await alice.status(upload_id)).json()["offset"] == 0
    refused(await alice.http.put("/media/uploads/../../secret.key", content=b"x",
                                 headers={"content-range": "bytes 0-0/1"}), 404,
            ErrorCode.UNKNOWN_API)
    refused(await alice.put("f" * 32, data, 0, data), 404, ErrorCode.UPLOAD_NOT_FOUND)
    refused(await alice.put("not-an-id", data, 0, data), 404, ErrorCode.UPLOAD_NOT_FOUND)


async def test_every_request_needs_a_valid_sig_of_an_existing_account(
        service: Service, alice: MediaClient, caplog: pytest.LogCaptureFixture) -> None:
    data = os.urandom(100)
    uuid = await alice.upload(data)
    declared = {"kind": "file", "size": 100, "sha256": digest(data)}
    async with service.http() as http:
        for headers, code in (
                ({}, ErrorCode.SIG_INVALID),
                ({"authorization": sig("alice")}, ErrorCode.SIG_INVALID),
                ({"authorization": "Basic YWxpY2U6cHc="}, ErrorCode.SIG_INVALID),
                ({"authorization": "Bearer not-a-sig"}, ErrorCode.SIG_INVALID),
                ({"authorization": f"Bearer {sig('alice', key='another-key')}"},
                 ErrorCode.SIG_INVALID),
                ({"authorization": f"Bearer {sig('alice', app_id=1400000001)}"},
                 ErrorCode.SIG_APP_MISMATCH),
                ({"authorization": f"Bearer {sig('alice', -10)}"}, ErrorCode.SIG_EXPIRED),
                ({"authorization": f"Bearer {sig('nobody')}"}, ErrorCode.ACCOUNT_NOT_FOUND)):
            for reply in (await http.get(f"/media/{uuid}", headers=headers),
                          await http.post("/media/uploads", json=declared, headers=headers),
                          await http.get("/media/uploads/" + "f" * 32, headers=headers)):
                refused(reply, 401, code)
                assert reply.headers["www-authenticate"].startswith("Bearer")
    no_tracebacks(caplog)


async def test_a_foreign_origin_is_refused_on_media_too(alice: MediaClient) -> None:
    reply = await alice.http.post("/media/uploads", headers={"origin": "https://evil.example"},
                                  json={"kind": "file", "size": 1, "sha256": "ab" * 32})
    refused(reply, 403, ErrorCode.ORIGIN_NOT_ALLOWED)
