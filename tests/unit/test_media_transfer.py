"""MediaTransfer over real HTTP against a small media service on loopback that follows the
service's media contract (PROTOCOL.md §8) and misbehaves on request: it drops connections, loses
replies, ignores ranges, serves the wrong bytes."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import socket
import uuid as uuids
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from app.protocol import ErrorCode, IMError, MediaKind
from app.sdk.media.transfer import MediaTransfer, http_base

CHUNK = 64 * 1024


@dataclass
class Upload:
    size: int
    sha256: str
    data: bytearray = field(default_factory=bytearray)


def refusal(status: int, code: ErrorCode, **extra: object) -> JSONResponse:
    return JSONResponse({"ActionStatus": "FAIL", "ErrorCode": int(code), "ErrorInfo": code.message,
                         **extra}, status_code=status)


def ok(**fields: object) -> JSONResponse:
    return JSONResponse({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", **fields})


async def _broken() -> AsyncIterator[bytes]:
    raise ConnectionAbortedError("the test cuts the connection here")
    yield b""  # pragma: no cover - makes this an async generator


def cut() -> Response:
    """Headers out, then the connection dropped: what the client sees of a server or link that
    dies before the answer."""
    return StreamingResponse(_broken())


class FakeMediaService:
    def __init__(self) -> None:
        self.sigs = {"sig-1"}
        self.media: dict[str, bytes] = {}
        self.uploads: dict[str, Upload] = {}
        self.forbidden: set[str] = set()
        self.seen: list[tuple[str, str, str]] = []  # (method, path, authorization)
        self.put_bytes = 0
        self.cut_after_bytes: int | None = None  # an upload's chunk: stored, then connection cut
        self.lose_final_reply = False
        self.head_start = 0  # a new upload already holds this many bytes (a lost earlier reply)
        self.download_cut_at: int | None = None
        self.ignore_range = False
        self.wrong_bytes = False
        self.slow = False
        self.plain_status: int | None = None  # answer as a proxy would, without a JSON body
        self.expected = b""  # the content a head start is taken from
        self.app = Starlette(routes=[
            Route("/media/uploads", self.start, methods=["POST"]),
            Route("/media/uploads/{upload_id}", self.chunk, methods=["PUT"]),
            Route("/media/uploads/{upload_id}", self.status, methods=["GET"]),
            Route("/media/{uuid}", self.download, methods=["GET"]),
            Route("/external/{name}", self.external, methods=["GET"]),
            Route("/endless", self.endless, methods=["GET"]),
        ])

    def _authorized(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        self.seen.append((request.method, request.url.path, auth))
        return auth.removeprefix("Bearer ") in self.sigs

    async def start(self, request: Request) -> Response:
        if not self._authorized(request):
            return refusal(401, ErrorCode.SIG_INVALID)
        body = await request.json()
        if body["size"] > 10 * 1024 * 1024:
            return refusal(413, ErrorCode.MEDIA_TOO_LARGE)
        if body["sha256"] in self.media:
            return ok(uuid=body["sha256"], complete=True)
        upload_id = uuids.uuid4().hex
        self.uploads[upload_id] = Upload(body["size"], body["sha256"])
        if self.head_start:
            self.uploads[upload_id].data += self.expected[: self.head_start]
        return ok(upload_id=upload_id, offset=0, chunk_bytes=CHUNK)

    async def chunk(self, request: Request) -> Response:
        if not self._authorized(request):
            return refusal(401, ErrorCode.SIG_INVALID)
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None:
            return refusal(404, ErrorCode.UPLOAD_NOT_FOUND)
        start, end, total = map(int, re.fullmatch(
            r"bytes (\d+)-(\d+)/(\d+)", request.headers["content-range"]).groups())
        data = await request.body()
        if len(data) > CHUNK:
            return refusal(413, ErrorCode.MEDIA_TOO_LARGE, ErrorInfo=f"at most {CHUNK} bytes")
        assert total == upload.size and len(data) == end - start + 1
        if start != len(upload.data):
            return refusal(409, ErrorCode.UPLOAD_OFFSET_MISMATCH, offset=len(upload.data))
        self.put_bytes += len(data)
        if self.cut_after_bytes is not None and self.put_bytes > self.cut_after_bytes:
            self.cut_after_bytes = None
            upload.data += data[: len(data) // 2]  # part of the chunk reached the store
            return cut()
        upload.data += data
        if len(upload.data) < upload.size:
            return ok(offset=len(upload.data))
        assert hashlib.sha256(upload.data).hexdigest() == upload.sha256
        self.media[upload.sha256] = bytes(upload.data)
        del self.uploads[request.path_params["upload_id"]]
        if self.lose_final_reply:
            self.lose_final_reply = False
            return cut()
        return ok(offset=upload.size, uuid=upload.sha256, complete=True)

    async def status(self, request: Request) -> Response:
        if not self._authorized(request):
            return refusal(401, ErrorCode.SIG_INVALID)
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None:
            return refusal(404, ErrorCode.UPLOAD_NOT_FOUND)
        return ok(offset=len(upload.data), size=upload.size)

    async def download(self, request: Request) -> Response:
        if not self._authorized(request):
            return refusal(401, ErrorCode.SIG_INVALID)
        uuid = request.path_params["uuid"]
        if self.plain_status is not None:
            return Response("<html>Bad Gateway</html>", status_code=self.plain_status)
        if uuid in self.forbidden:
            return refusal(403, ErrorCode.MEDIA_FORBIDDEN)
        if uuid not in self.media:
            return refusal(404, ErrorCode.MEDIA_NOT_FOUND)
        return self._serve(request, self.media[uuid])

    async def external(self, request: Request) -> Response:
        self.seen.append((request.method, request.url.path,
                          request.headers.get("authorization", "")))
        return self._serve(request, self.media[request.path_params["name"]])

    async def endless(self, request: Request) -> Response:
        async def pieces() -> AsyncIterator[bytes]:
            while True:
                yield bytes(64 * 1024)
                await asyncio.sleep(0)

        return StreamingResponse(pieces(), headers={"content-length": str(10**12)})

    def _serve(self, request: Request, data: bytes) -> Response:
        if self.wrong_bytes:
            data = bytes(reversed(data))
        asked = re.fullmatch(r"bytes=(\d+)-", request.headers.get("range", ""))
        start, status, headers = 0, 200, {}
        if asked and not self.ignore_range:
            start = int(asked[1])
            if start >= len(data):
                return refusal(416, ErrorCode.RANGE_NOT_SATISFIABLE)
            status = 206
            headers["content-range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        body = data[start:]
        headers["content-length"] = str(len(body))
        cut_at, self.download_cut_at = self.download_cut_at, None

        async def pieces() -> AsyncIterator[bytes]:
            for at in range(0, len(body), 16 * 1024):
                if cut_at is not None and start + at >= cut_at:
                    raise ConnectionAbortedError("the test cuts the download here")
                yield body[at:at + 16 * 1024]
                if self.slow:
                    await asyncio.sleep(0.005)

        return StreamingResponse(pieces(), status_code=status, headers=headers)


@pytest.fixture
async def service() -> AsyncIterator[tuple[FakeMediaService, str]]:
    fake = FakeMediaService()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(fake.app, log_config=None, lifespan="off",
                                           access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the test service stopped while starting")
        await asyncio.sleep(0.01)
    yield fake, f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    await task
    sock.close()


@pytest.fixture
def sig() -> dict[str, str]:
    """The UserSig the client presents, changed by a test to see it asked for on each request."""
    return {"now": "sig-1"}


@pytest.fixture
async def transfer(service, sig) -> AsyncIterator[MediaTransfer]:
    _, url = service
    client = MediaTransfer(url + "/ws", lambda: sig["now"], chunk_bytes=CHUNK, timeout_s=5)
    yield client
    await client.aclose()


def content(tmp_path: Path, size: int, name: str = "item.bin") -> tuple[Path, str, bytes]:
    data = os.urandom(size)
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest(), data


class Progress(list[tuple[int, int]]):
    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))

    def assert_monotone_to(self, total: int) -> None:
        assert self, "no progress was told"
        dones = [done for done, _ in self]
        assert dones == sorted(dones)
        assert self[-1] == (total, total)
        assert {t for _, t in self} == {total}


def test_the_http_base_comes_from_any_form_of_the_address():
    for given in ("ws://h:8080/ws", "ws://h:8080", "http://h:8080/", "http://h:8080/ws/"):
        assert http_base(given) == "http://h:8080"
    assert http_base("wss://h.example/ws") == "https://h.example"
    assert http_base("https://h.example") == "https://h.example"


async def test_an_upload_and_a_download_round_trip_byte_for_byte(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, 5 * CHUNK + 123)
    ids: list[str] = []

    async def remember(upload_id: str) -> None:
        ids.append(upload_id)

    sent = Progress()
    await transfer.upload(path, uuid, MediaKind.FILE, name="item.bin", progress=sent,
                          on_upload_id=remember)
    assert fake.media[uuid] == data
    assert len(ids) == 1 and fake.put_bytes == len(data)
    sent.assert_monotone_to(len(data))
    assert len(sent) == 7  # the start and each of the six chunks

    got = Progress()
    dest = tmp_path / "partial" / uuid
    assert await transfer.download(uuid, dest, size=len(data), progress=got) == dest
    assert dest.read_bytes() == data
    got.assert_monotone_to(len(data))
    assert all(auth == "Bearer sig-1" for _, _, auth in fake.seen)


async def test_content_the_service_has_is_not_sent_again(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, 1000)
    fake.media[uuid] = data
    told, ids = Progress(), []
    await transfer.upload(path, uuid, MediaKind.IMAGE, progress=told, on_upload_id=ids.append)
    assert fake.put_bytes == 0 and told == [(1000, 1000)] and ids == []


async def test_an_upload_cut_midway_resumes_where_the_service_stands(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, 6 * CHUNK)
    fake.cut_after_bytes = 3 * CHUNK  # the fourth chunk is half stored, then the link dies
    ids: list[str] = []
    with pytest.raises(IMError) as failed:
        await transfer.upload(path, uuid, MediaKind.VIDEO, on_upload_id=ids.append)
    assert failed.value.code == ErrorCode.SDK_NETWORK_UNAVAILABLE
    assert uuid not in fake.media
    stood = len(fake.uploads[ids[0]].data)
    assert stood == 3 * CHUNK + CHUNK // 2

    resumed = Progress()
    fake.put_bytes = 0
    await transfer.upload(path, uuid, MediaKind.VIDEO, upload_id=ids[0], progress=resumed,
                          on_upload_id=ids.append)
    assert fake.media[uuid] == data
    assert ids == ids[:1]  # the same upload went on
    assert fake.put_bytes == len(data) - stood  # nothing sent twice
    assert resumed[0] == (stood, len(data))
    resumed.assert_monotone_to(len(data))


async def test_a_resume_after_a_restart_finds_the_services_chunk_size(service, transfer,
                                                                      tmp_path):
    fake, url = service
    path, uuid, data = content(tmp_path, 5 * CHUNK)
    fake.cut_after_bytes = CHUNK
    ids: list[str] = []
    with pytest.raises(IMError):
        await transfer.upload(path, uuid, MediaKind.FILE, on_upload_id=ids.append)
    restarted = MediaTransfer(url, lambda: "sig-1", chunk_bytes=4 * CHUNK)
    try:
        await restarted.upload(path, uuid, MediaKind.FILE, upload_id=ids[0])
    finally:
        await restarted.aclose()
    assert fake.media[uuid] == data


async def test_a_lost_final_reply_ends_in_the_content_being_held(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, 2 * CHUNK + 1)
    fake.lose_final_reply = True
    ids: list[str] = []
    with pytest.raises(IMError):
        await transfer.upload(path, uuid, MediaKind.FILE, on_upload_id=ids.append)
    assert fake.media[uuid] == data
    fake.put_bytes = 0
    await transfer.upload(path, uuid, MediaKind.FILE, upload_id=ids[0])  # 404, then "have it"
    assert fake.put_bytes == 0


async def test_an_unknown_upload_id_starts_a_new_upload(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, CHUNK + 7)
    ids: list[str] = []
    await transfer.upload(path, uuid, MediaKind.FILE, upload_id="expired0",
                          on_upload_id=ids.append)
    assert fake.media[uuid] == data and len(ids) == 1 and ids[0] != "expired0"


async def test_a_409_moves_the_upload_to_the_services_offset(service, transfer, tmp_path):
    fake, _ = service
    path, uuid, data = content(tmp_path, 4 * CHUNK)
    fake.expected, fake.head_start = data, 2 * CHUNK
    told = Progress()
    await transfer.upload(path, uuid, MediaKind.FILE, progress=told)
    assert fake.media[uuid] == data
    assert fake.put_bytes == 2 * CHUNK  # from where the service stood, not from 0
    assert told[-1] == (len(data), len(data))


async def test_refusals_carry_the_services_code(service, transfer, sig, tmp_path):
    fake, _ = service
    path, uuid, _ = content(tmp_path, 11 * 1024 * 1024)
    with pytest.raises(IMError) as refused:
        await transfer.upload(path, uuid, MediaKind.IMAGE)
    assert refused.value.code == ErrorCode.MEDIA_TOO_LARGE
    sig["now"] = "expired"
    with pytest.raises(IMError) as refused:
        await transfer.download("ab" * 32, tmp_path / "p")
    assert refused.value.code == ErrorCode.SIG_INVALID
    sig["now"] = "sig-1"
    fake.forbidden.add("cd" * 32)
    for uuid, code in (("ab" * 32, ErrorCode.MEDIA_NOT_FOUND),
                       ("cd" * 32, ErrorCode.MEDIA_FORBIDDEN)):
        with pytest.raises(IMError) as refused:
            await transfer.download(uuid, tmp_path / "p")
        assert refused.value.code == code
    with pytest.raises(IMError) as refused:
        await transfer.download("../uploads/x", tmp_path / "p")
    assert refused.value.code == ErrorCode.SDK_INVALID_PARAMETERS


async def test_a_download_cut_midway_resumes_with_a_range(service, transfer, tmp_path):
    fake, _ = service
    data = os.urandom(300 * 1024)
    uuid = hashlib.sha256(data).hexdigest()
    fake.media[uuid] = data
    fake.download_cut_at = 100 * 1024
    dest = tmp_path / "partial" / uuid
    with pytest.raises(IMError) as failed:
        await transfer.download(uuid, dest, size=len(data))
    assert failed.value.code == ErrorCode.SDK_NETWORK_UNAVAILABLE
    kept = dest.stat().st_size
    assert 0 < kept <= 100 * 1024 and dest.read_bytes() == data[:kept]
    fake.seen.clear()
    told = Progress()
    await transfer.download(uuid, dest, size=len(data), progress=told)
    assert dest.read_bytes() == data
    assert told[0] == (kept, len(data))
    told.assert_monotone_to(len(data))
    assert len(fake.seen) == 1


async def test_a_service_that_ignores_the_range_is_read_from_the_start(service, transfer,
                                                                      tmp_path):
    fake, _ = service
    data = os.urandom(50_000)
    uuid = hashlib.sha256(data).hexdigest()
    fake.media[uuid], fake.ignore_range = data, True
    dest = tmp_path / uuid
    dest.write_bytes(data[:20_000])
    await transfer.download(uuid, dest)
    assert dest.read_bytes() == data


async def test_a_complete_partial_is_only_verified(service, transfer, tmp_path):
    fake, _ = service
    data = os.urandom(10_000)
    uuid = hashlib.sha256(data).hexdigest()
    dest = tmp_path / uuid
    dest.write_bytes(data)
    await transfer.download(uuid, dest, size=len(data))  # no request at all
    fake.media[uuid] = data
    await transfer.download(uuid, dest)  # size unknown: asks from the end, 416, verified
    assert dest.read_bytes() == data and len(fake.seen) == 1


async def test_the_wrong_bytes_are_not_kept(service, transfer, tmp_path):
    fake, _ = service
    data = os.urandom(40_000)
    uuid = hashlib.sha256(data).hexdigest()
    fake.media[uuid], fake.wrong_bytes = data, True
    dest = tmp_path / uuid
    with pytest.raises(IMError) as failed:
        await transfer.download(uuid, dest, size=len(data))
    assert failed.value.code == ErrorCode.SDK_DOWNLOAD_FAILED
    assert not dest.exists()


async def test_a_body_of_the_wrong_length_is_a_failed_download(service, transfer, tmp_path):
    fake, url = service
    data = os.urandom(30_000)
    uuid = hashlib.sha256(data).hexdigest()
    fake.media[uuid] = data
    for size in (len(data) + 10, len(data) - 10):  # the item is not what the message says
        with pytest.raises(IMError) as failed:
            await transfer.download(uuid, tmp_path / "p", size=size)
        assert failed.value.code == ErrorCode.SDK_DOWNLOAD_FAILED
    fake.media["link"] = data
    with pytest.raises(IMError) as failed:  # external, so no hash: the size is all there is
        await transfer.download("", tmp_path / "e", url=f"{url}/external/link", size=len(data) + 1)
    assert failed.value.code == ErrorCode.SDK_DOWNLOAD_FAILED


async def test_external_content_is_fetched_without_the_sig(service, transfer, tmp_path):
    fake, url = service
    data = os.urandom(20_000)
    fake.media["photo.jpg"] = data
    dest = tmp_path / "external"
    await transfer.download("", dest, url=f"{url}/external/photo.jpg")
    assert dest.read_bytes() == data
    assert fake.seen == [("GET", "/external/photo.jpg", "")]
    with pytest.raises(IMError) as refused:
        await transfer.download("", dest, url="file:///etc/passwd")
    assert refused.value.code == ErrorCode.SDK_DOWNLOAD_FAILED
    with pytest.raises(IMError) as refused:  # declares a terabyte: refused before reading it
        await transfer.download("", tmp_path / "huge", url=f"{url}/endless")
    assert refused.value.code == ErrorCode.SDK_DOWNLOAD_FAILED
    assert not (tmp_path / "huge").exists()


@pytest.mark.parametrize(("status", "code"), [(502, ErrorCode.SDK_NETWORK_UNAVAILABLE),
                                              (429, ErrorCode.SDK_NETWORK_UNAVAILABLE),
                                              (400, ErrorCode.UNKNOWN_API)])
async def test_an_answer_without_a_code_is_judged_by_its_status(service, transfer, tmp_path,
                                                                status, code):
    fake, _ = service
    fake.plain_status = status
    with pytest.raises(IMError) as refused:
        await transfer.download("ab" * 32, tmp_path / "p")
    assert refused.value.code == code


async def test_a_cancelled_download_leaves_a_prefix_to_resume(service, transfer, tmp_path):
    fake, _ = service
    data = os.urandom(8 * CHUNK)
    uuid = hashlib.sha256(data).hexdigest()
    fake.media[uuid], fake.slow = data, True
    dest = tmp_path / uuid
    started = asyncio.Event()

    def progress(done: int, total: int) -> None:
        if done >= CHUNK:
            started.set()

    task = asyncio.create_task(transfer.download(uuid, dest, size=len(data), progress=progress))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    kept = dest.read_bytes()
    assert 0 < len(kept) < len(data) and data.startswith(kept)
    await transfer.download(uuid, dest, size=len(data))
    assert dest.read_bytes() == data


async def test_no_service_is_a_network_error(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    transfer = MediaTransfer(f"ws://127.0.0.1:{port}/ws", lambda: "sig", timeout_s=2)
    path, uuid, _ = content(tmp_path, 100)
    for attempt in (transfer.upload(path, uuid, MediaKind.FILE),
                    transfer.download(uuid, tmp_path / "p")):
        with pytest.raises(IMError) as failed:
            await attempt
        assert failed.value.code == ErrorCode.SDK_NETWORK_UNAVAILABLE
    await transfer.aclose()
