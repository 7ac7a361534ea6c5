"""The media HTTP API (PROTOCOL.md §8): uploads in resumable chunks, downloads with ranges.

Every request is authenticated by ``Authorization: Bearer <UserSig>`` (``auth``), 401 when it
is not. Refusals carry the envelope the ``/api`` endpoints use (``ActionStatus``, ``ErrorCode``,
``ErrorInfo``) with an HTTP status that says the same thing (``STATUS``), so a client can switch
on either; bad input is a refusal with a code, never a traceback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Final

from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from app.protocol import ErrorCode, IMError
from app.server.rest.envelope import JSONReply, field, json_object, ok, services_of

from .auth import caller
from .ranges import chunk_range, requested_range
from .service import MediaService
from .storage import Blob
from .uploads import OffsetMismatch, Progress

log = logging.getLogger(__name__)

STATUS: Final[dict[int, int]] = {
    ErrorCode.MEDIA_TOO_LARGE: 413,
    ErrorCode.FRAME_TOO_LARGE: 413,
    ErrorCode.UPLOAD_NOT_FOUND: 404,
    ErrorCode.MEDIA_NOT_FOUND: 404,
    ErrorCode.UPLOAD_OFFSET_MISMATCH: 409,
    ErrorCode.MEDIA_FORBIDDEN: 403,
    ErrorCode.RANGE_NOT_SATISFIABLE: 416,
    ErrorCode.INTERNAL_ERROR: 500,
}
"""HTTP status per refusal code; any other refusal is 400 (the request was wrong)."""
CACHE_CONTROL: Final = "private, max-age=31536000, immutable"
"""Content never changes under its digest; ``private`` because only some users may read it."""
OCTETS: Final = "application/octet-stream"

Handler = Callable[[Request, MediaService, str], Awaitable[Response]]


def _refused(error: IMError, status: int, headers: dict[str, str] | None = None,
             **extra: Any) -> Response:
    return JSONReply({"ActionStatus": "FAIL", "ErrorCode": int(error.code),
                      "ErrorInfo": error.detail, **extra}, status_code=status, headers=headers)


def media_api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Authenticate, then run the handler; refusals become envelopes with their HTTP status,
    unexpected failures 500 / 91000 (logged with their traceback, the only ones that are)."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            try:
                user_id = await caller(request, services_of(request))
            except IMError as error:
                return _refused(error, 401, {"www-authenticate": 'Bearer realm="media"'})
            return await handler(request, request.app.state.media, user_id)
        except OffsetMismatch as error:
            return _refused(error, 409, offset=error.offset)
        except IMError as error:
            return _refused(error, STATUS.get(int(error.code), 400))
        except ClientDisconnect:
            log.warning("%s %s: the client went away before its body ended", request.method,
                        request.url.path)
            return Response(status_code=400)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return _refused(IMError(ErrorCode.INTERNAL_ERROR), 500)

    return endpoint


def _progress(progress: Progress) -> Response:
    if progress.uuid:
        return ok(offset=progress.offset, uuid=progress.uuid, complete=True)
    return ok(offset=progress.offset)


@media_api
async def start_upload(request: Request, media: MediaService, user_id: str) -> Response:
    body = await json_object(request, require_json_type=True)
    bad = ErrorCode.INVALID_BODY
    kind: str = field(body, "kind", str, bad)
    size: int = field(body, "size", int, bad)
    sha256: str = field(body, "sha256", str, bad)
    name: str = field(body, "name", str, bad, default="")
    uploads = media.uploads
    progress = await uploads.start(user_id, kind, size, sha256, name)
    if progress.uuid:
        return ok(uuid=progress.uuid, complete=True)
    return ok(upload_id=progress.upload_id, offset=0, chunk_bytes=uploads.chunk_bytes)


async def _chunk(request: Request, most: int) -> bytes:
    """The request body, refused (413) as soon as it is known to be larger than ``most``."""
    too_large = IMError(ErrorCode.MEDIA_TOO_LARGE, f"a chunk is at most {most} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise too_large
    parts: list[bytes] = []
    size = 0
    async for part in request.stream():
        size += len(part)
        if size > most:
            raise too_large
        parts.append(part)
    return b"".join(parts)


@media_api
async def upload_chunk(request: Request, media: MediaService, user_id: str) -> Response:
    uploads = media.uploads
    data = await _chunk(request, uploads.chunk_bytes)
    chunk = chunk_range(request.headers.get("content-range"))
    if len(data) != chunk.length:
        raise IMError(ErrorCode.UPLOAD_SIZE_MISMATCH,
                      f"the body has {len(data)} bytes; Content-Range names {chunk.length}")
    return _progress(await uploads.put(user_id, request.path_params["upload_id"], chunk.start,
                                       chunk.total, data))


@media_api
async def upload_status(request: Request, media: MediaService, user_id: str) -> Response:
    progress = await media.uploads.status(user_id, request.path_params["upload_id"])
    return ok(offset=progress.offset, size=progress.size)


def _not_modified(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return "*" in tags or etag in tags


async def _stream(blob: Blob, start: int, length: int) -> AsyncIterator[bytes]:
    try:
        async for data in blob.chunks(start, length):
            yield data
    finally:
        await blob.close()


@media_api
async def download(request: Request, media: MediaService, user_id: str) -> Response:
    """``GET`` / ``HEAD /media/{uuid}``, whole or one range, streamed from the store."""
    uuid = request.path_params["uuid"]
    blob = await media.open_readable(user_id, uuid)
    streaming = False
    try:
        etag = f'"{uuid}"'
        headers = {"accept-ranges": "bytes", "etag": etag, "cache-control": CACHE_CONTROL}
        if _not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        asked = request.headers.get("range")
        if_range = request.headers.get("if-range")
        if if_range is not None and if_range.strip() != etag:
            asked = None  # a validator of other content: send it all
        try:
            part = requested_range(asked, blob.size)
        except IMError as error:
            return _refused(error, 416, {**headers, "content-range": f"bytes */{blob.size}"})
        start, length, status = 0, blob.size, 200
        if part is not None:
            start, length, status = part.start, part.length, 206
            headers["content-range"] = f"bytes {part.start}-{part.end}/{blob.size}"
        headers["content-length"] = str(length)
        if request.method == "HEAD":
            return Response(b"", status_code=status, headers=headers, media_type=OCTETS)
        streaming = True
        return StreamingResponse(_stream(blob, start, length), status_code=status,
                                 headers=headers, media_type=OCTETS,
                                 background=BackgroundTask(blob.close))
    finally:
        if not streaming:
            await blob.close()


ROUTES: Final = [
    Route("/media/uploads", start_upload, methods=["POST"]),
    Route("/media/uploads/{upload_id}", upload_chunk, methods=["PUT"]),
    Route("/media/uploads/{upload_id}", upload_status, methods=["GET"]),
    Route("/media/{uuid}", download, methods=["GET", "HEAD"]),
]
