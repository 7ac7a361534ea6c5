"""Media bytes over HTTP to and from the service (PROTOCOL.md §8): resumable chunked uploads and
ranged downloads.

An upload is one call that ends with the service holding the content; the outbox retries it and
keeps its upload ID (``on_upload_id``), so after a lost connection the next attempt asks the
service how far it got and sends only the rest. A download appends to a partial file and resumes
from that file's length, and is verified against the uuid (the SHA-256 of the content) before it
is returned; a file that fails verification is deleted, because resuming it would only extend
the wrong bytes. Nothing here writes where the cache keeps complete items.

Every refusal is an IMError: the service's code from its JSON body, SDK_NETWORK_UNAVAILABLE when
it cannot be reached (or a proxy says it is down), SDK_REQUEST_TIMEOUT when it stops answering,
SDK_DOWNLOAD_FAILED when what arrives is not the content asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import os
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from app.protocol import DEFAULT_LIMITS, ErrorCode, IMError, MediaKind
from app.protocol.addresses import is_loopback

ProgressFn = Callable[[int, int], None]
"""(bytes_done, bytes_total); total is 0 while unknown."""

UploadIdFn = Callable[[str], Awaitable[None] | None]

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SEGMENT = re.compile(r"[0-9A-Za-z_-]{1,128}")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_SMALLEST_CHUNK = 16 * 1024
_RESTARTS = 3
"""How often one upload call starts over when the service has lost the upload, before it gives
the failure to the outbox's retry (a service that keeps losing it is broken, not unlucky)."""


def http_base(server_url: str) -> str:
    """The service's HTTP root from the address the SDK was given for its WebSocket."""
    url = server_url.strip().rstrip("/")
    for ws, http in (("ws://", "http://"), ("wss://", "https://")):
        if url.startswith(ws):
            url = http + url[len(ws):]
    return url.removesuffix("/ws")


class _Refused(IMError):
    """A refusal with the body it came in, for the answers that say where to continue."""

    def __init__(self, code: ErrorCode | int, detail: str, body: dict[str, Any]) -> None:
        super().__init__(code, detail)
        self.body = body


class MediaTransfer:
    def __init__(self, base_url: str, sig: Callable[[], str], *, chunk_bytes: int = 1024 * 1024,
                 timeout_s: float = 30.0) -> None:
        self.base_url = http_base(base_url)
        self._sig = sig
        self._chunk_bytes = chunk_bytes
        self._timeout = httpx.Timeout(timeout_s)
        self._service: httpx.AsyncClient | None = None
        self._external: httpx.AsyncClient | None = None
        self._service_chunk = 0
        self._making = asyncio.Lock()

    async def upload(self, path: Path, uuid: str, kind: MediaKind, *, name: str = "",
                     progress: ProgressFn | None = None, upload_id: str | None = None,
                     on_upload_id: UploadIdFn | None = None) -> None:
        """Ensures the service holds ``uuid``, the SHA-256 of ``path``'s bytes."""
        size = await asyncio.to_thread(_size_of, path)
        if size == 0:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "an empty file cannot be sent")
        offset, chunk = await self._upload_status(upload_id) if upload_id else (None, 0)
        for _ in range(_RESTARTS):
            if offset is None:
                started = await self._call("POST", "/media/uploads", json={
                    "kind": str(kind), "size": size, "sha256": uuid, "name": name})
                if started.get("complete"):
                    _check_stored(started, uuid)
                    _report(progress, size, size)
                    return
                upload_id, offset = str(started["upload_id"]), int(started.get("offset", 0))
                chunk = self._learn_chunk(started)
                if on_upload_id is not None:
                    told = on_upload_id(upload_id)
                    if inspect.isawaitable(told):
                        await told
            try:
                if await self._send_from(path, upload_id, uuid, offset, size, chunk, progress):
                    return
            except _Refused as refusal:
                if refusal.code != ErrorCode.UPLOAD_NOT_FOUND:
                    raise
            offset = None  # lost, or all bytes sent without a completion: ask the service anew
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, "the service keeps losing the upload")

    async def download(self, uuid: str, dest: Path, *, url: str = "", size: int = 0,
                       progress: ProgressFn | None = None) -> Path:
        """Into ``dest``, a partial file that may already hold a prefix. ``url`` names content
        outside the service (a link a REST-sent message carries): fetched without the UserSig,
        which is for the service alone."""
        verify = bool(_SHA256.fullmatch(uuid))
        have = await asyncio.to_thread(_partial_length, dest)
        if size and have >= size:
            _report(progress, have, size)  # an earlier attempt ended while verifying
        else:
            await self._fetch(uuid, dest, url, have, size, progress)
        if verify and await asyncio.to_thread(_sha256, dest) != uuid:
            await asyncio.to_thread(dest.unlink)
            raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"{uuid}: the content does not match")
        return dest

    async def aclose(self) -> None:
        for client in (self._service, self._external):
            if client is not None:
                await client.aclose()
        self._service = self._external = None

    async def _upload_status(self, upload_id: str) -> tuple[int | None, int]:
        """Where the upload stands (None: the service no longer has it) and the chunk size."""
        try:
            reply = await self._call("GET", f"/media/uploads/{_segment(upload_id)}")
        except _Refused as refusal:
            if refusal.code == ErrorCode.UPLOAD_NOT_FOUND:
                return None, self._chunk_bytes
            raise
        return int(reply["offset"]), self._learn_chunk(reply)

    def _learn_chunk(self, reply: dict[str, Any]) -> int:
        """The chunk size to send: ours, unless the service accepts less. Its size is kept for
        uploads resumed later, whose status answer may not name it."""
        told = reply.get("chunk_bytes")
        if isinstance(told, int) and told > 0:
            self._service_chunk = told
        return min(self._chunk_bytes, self._service_chunk or self._chunk_bytes)

    async def _send_from(self, path: Path, upload_id: str, uuid: str, offset: int, size: int,
                         chunk: int, progress: ProgressFn | None) -> bool:
        """Chunks from ``offset`` on; True once the service says the content is complete."""
        _report(progress, offset, size)
        while offset < size:
            data = await asyncio.to_thread(_read_at, path, offset, chunk)
            if not data:
                raise IMError(ErrorCode.SDK_FILE_UNREADABLE, f"{path} shrank while uploading")
            last = offset + len(data) - 1
            try:
                reply = await self._call("PUT", f"/media/uploads/{_segment(upload_id)}",
                                         content=data,
                                         headers={"content-range": f"bytes {offset}-{last}/{size}",
                                                  "content-type": "application/octet-stream"})
            except _Refused as refusal:
                if refusal.code == ErrorCode.MEDIA_TOO_LARGE and chunk > _SMALLEST_CHUNK:
                    # resumed after a restart, the service's chunk size unknown: find it
                    self._service_chunk = chunk = max(_SMALLEST_CHUNK, chunk // 2)
                    continue
                current = int(refusal.body.get("offset", offset))
                if refusal.code != ErrorCode.UPLOAD_OFFSET_MISMATCH or current == offset:
                    raise
                offset = current  # the service holds more (a reply was lost) or less: go on
                continue
            offset = int(reply["offset"])
            _report(progress, offset, size)
            if reply.get("complete"):
                _check_stored(reply, uuid)
                return True
        return False

    async def _fetch(self, uuid: str, dest: Path, url: str, have: int, size: int,
                     progress: ProgressFn | None) -> None:
        """Appends what the answer carries; the bytes are stored as they arrive, so a cut or a
        cancellation leaves a prefix to resume from. An answer longer than the item is said to
        be (or, with no size known, than the largest item the service stores) is refused, so a
        hostile server cannot fill the disk."""
        # identity: a compressed answer would count its Range in bytes the file never holds
        headers = {"accept-encoding": "identity"} | ({"range": f"bytes={have}-"} if have else {})
        async with self._stream(uuid, url, headers) as response:
            if response.status_code == 416 and have:
                return  # the partial already reaches the end; the hash decides whether it is it
            if response.status_code not in (200, 206):
                raise await self._refusal(response, url)
            start, total = _range_of(response)
            if start != have:
                if response.status_code == 206:
                    raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"sent from {start}, not {have}")
                have = await asyncio.to_thread(_truncate, dest)  # range ignored: start over
            if size and total and total != size:
                raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"the item is {total} bytes, "
                              f"not the {size} its message says")
            expected = size or total
            # Content with no size in its message is held to what its answer declares, or for
            # a stranger's server (which may declare anything) to the largest item there is.
            limit = size or (0 if url else total) or DEFAULT_LIMITS.file_bytes
            if expected > limit:
                raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"{expected} bytes: too large")
            _report(progress, have, expected)
            async for piece in _batched(response.aiter_bytes(), self._chunk_bytes):
                if have + len(piece) > limit:
                    await asyncio.to_thread(dest.unlink)
                    raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"more than {limit} bytes")
                await asyncio.to_thread(_append, dest, piece)
                have += len(piece)
                _report(progress, have, expected)
        if expected and have != expected:
            raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"{have} of {expected} bytes arrived")

    @contextlib.asynccontextmanager
    async def _stream(self, uuid: str, url: str, headers: dict[str, str]
                      ) -> AsyncIterator[httpx.Response]:
        if url:
            if not url.startswith(("http://", "https://")):
                raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, f"cannot fetch {url!r}")
            client, target = await self._client(external=True), url
        else:
            client, target = await self._client(), f"/media/{_segment(uuid)}"
            headers = {**headers, **self._auth()}
        with _network():
            async with client.stream("GET", target, headers=headers,
                                     follow_redirects=bool(url)) as response:
                yield response

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        client = await self._client()
        headers = {**kwargs.pop("headers", {}), **self._auth()}
        with _network():
            response = await client.request(method, path, headers=headers, **kwargs)
        body = _json_of(response)
        if response.is_success and body and not _code_of(body):
            return body
        raise await self._refusal(response)

    async def _refusal(self, response: httpx.Response, url: str = "") -> IMError:
        """The service's code from its JSON body, whichever shape it has; otherwise a guess
        from the status: 5xx and 429 are passing, anything else did not come from a service
        speaking this protocol."""
        if not response.is_closed:
            await response.aread()  # a streamed answer, inside the stream's own error mapping
        body = _json_of(response)
        code = _code_of(body)
        if code and not url:
            detail = body.get("ErrorInfo") or body.get("message") or body.get("detail") or ""
            return _Refused(code, str(detail), body)
        if response.status_code >= 500 or response.status_code == 429:
            return IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, f"HTTP {response.status_code}")
        fallback = ErrorCode.SDK_DOWNLOAD_FAILED if url else ErrorCode.UNKNOWN_API
        return IMError(fallback, f"HTTP {response.status_code} from {response.url}")

    def _auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._sig()}"}

    async def _client(self, *, external: bool = False) -> httpx.AsyncClient:
        """Made on first use, not in ``__init__``: loading the CA store takes ~30 ms, done on a
        worker thread rather than the GUI thread. A loopback service ignores proxy settings,
        which would not reach it; external content follows them."""
        async with self._making:
            client = self._external if external else self._service
            if client is not None:
                return client
            base = "" if external else self.base_url
            secure = external or base.startswith("https://")
            verify: ssl.SSLContext | bool = (await asyncio.to_thread(ssl.create_default_context)
                                             if secure else False)
            client = httpx.AsyncClient(base_url=base, timeout=self._timeout, verify=verify,
                                       trust_env=external or not is_loopback(httpx.URL(base).host))
            if external:
                self._external = client
            else:
                self._service = client
            return client


@contextlib.contextmanager
def _network() -> Iterator[None]:
    """httpx's failures as codes. A connection that breaks mid-answer is the network's (try
    again later); an answer that cannot be read as the content is the download's."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise IMError(ErrorCode.SDK_REQUEST_TIMEOUT, str(error) or "timed out") from error
    except httpx.TransportError as error:
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, str(error) or type(error).__name__
                      ) from error
    except httpx.HTTPError as error:
        raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, str(error) or type(error).__name__
                      ) from error


def _check_stored(reply: dict[str, Any], uuid: str) -> None:
    stored = reply.get("uuid")
    if stored and stored != uuid:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE,
                      f"the file changed while uploading (stored as {stored})")


def _segment(name: str) -> str:
    """A uuid or upload ID as one path segment: a uuid comes from other people's messages, and
    ``../`` in one must not turn a download into some other request carrying the UserSig."""
    if not _SEGMENT.fullmatch(name):
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"not a media name: {name!r}")
    return name


def _json_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _code_of(body: dict[str, Any]) -> int:
    """The code of an ``{"ErrorCode", "ErrorInfo"}`` envelope or a ``{"code", "message"}``
    body; 0 when there is none."""
    for key in ("ErrorCode", "code"):
        with contextlib.suppress(TypeError, ValueError):
            if code := int(body.get(key) or 0):
                return code
    return 0


def _range_of(response: httpx.Response) -> tuple[int, int]:
    """(first byte sent, total size or 0). A 200 starts at 0 whatever was asked for."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", ""))
        if match is None:
            raise IMError(ErrorCode.SDK_DOWNLOAD_FAILED, "a partial answer without its range")
        start, total = int(match[1]), match[3]
        return start, int(total) if total != "*" else 0
    length = response.headers.get("content-length", "")
    return 0, int(length) if length.isdigit() else 0


async def _batched(pieces: AsyncIterator[bytes], size: int) -> AsyncIterator[bytes]:
    """Network pieces (often 4–64 KB) joined to ``size`` so the file is written, and progress
    told, once per batch rather than per piece."""
    batch = bytearray()
    async for piece in pieces:
        batch += piece
        if len(batch) >= size:
            yield bytes(batch)
            batch.clear()
    if batch:
        yield bytes(batch)


def _report(progress: ProgressFn | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as error:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE,
                      f"{path}: {error.strerror or error}") from error


def _read_at(path: Path, offset: int, count: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read(count)
    except OSError as error:
        raise IMError(ErrorCode.SDK_FILE_UNREADABLE,
                      f"{path}: {error.strerror or error}") from error


def _partial_length(path: Path) -> int:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _truncate(path: Path) -> int:
    with open(path, "wb"):
        return 0


def _append(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as fh:
        fh.write(data)


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
