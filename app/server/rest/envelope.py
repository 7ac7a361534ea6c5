"""Tencent-style JSON replies, request-body access and the admin query-string check.

Every reply, refusals included, carries ``ActionStatus`` / ``ErrorCode`` / ``ErrorInfo`` so an
integration written against Tencent's server API can switch on the code. The HTTP status is 200
unless the request never reached an API (unknown path).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from app.protocol import ErrorCode, IMError, usersig
from app.server.config import ServerConfig
from app.server.container import Services
from app.server.ratelimit import RateLimitedError

log = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]


class JSONReply(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return msgspec.json.encode(content)


def ok(**fields: Any) -> Response:
    return JSONReply({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", **fields})


def refusal(error: IMError, status_code: int = 200) -> Response:
    if isinstance(error, RateLimitedError):
        return JSONReply({"ActionStatus": "FAIL", "ErrorCode": int(error.code),
                          "ErrorInfo": error.detail, "RetryAfter": error.retry_after_s},
                         status_code=429, headers={"retry-after": str(error.retry_after_s)})
    return JSONReply({"ActionStatus": "FAIL", "ErrorCode": int(error.code),
                      "ErrorInfo": error.detail}, status_code=status_code)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def services_of(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def api(handler: Endpoint) -> Endpoint:
    """Turn refusals into envelopes and unexpected failures into 91000 (logged). A client that
    goes away in the middle of its body gets no answer (there is nobody to read it) and one
    line in the log."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except IMError as error:
            return refusal(error)
        except ClientDisconnect:
            log.warning("%s %s: the client went away before its body ended", request.method,
                        request.url.path)
            return Response(status_code=400)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return refusal(IMError(ErrorCode.INTERNAL_ERROR))

    return endpoint


async def _bounded_body(request: Request) -> bytes:
    """The body, refused as soon as it is known to exceed the frame limit: by its declared
    length before a byte is read, or while it streams in without one."""
    most = services_of(request).config.limits.frame_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise IMError(ErrorCode.FRAME_TOO_LARGE, f"the body is larger than {most} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise IMError(ErrorCode.FRAME_TOO_LARGE, f"the body is larger than {most} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _declared_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json"))


async def json_object(request: Request, *, require_json_type: bool = False) -> dict[str, Any]:
    """The body as a JSON object. ``require_json_type`` is for the APIs a web page could reach:
    a cross-site form or ``text/plain`` fetch is sent without a CORS preflight, a JSON one is
    not; Tencent-style ``/v4`` clients send any content type and authenticate in the URL."""
    if require_json_type and not _declared_json(request):
        raise IMError(ErrorCode.NOT_JSON, "send the body as Content-Type: application/json")
    raw = await _bounded_body(request)
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise IMError(ErrorCode.JSON_PARSE_FAILED, f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        raise IMError(ErrorCode.JSON_PARSE_FAILED, "the body is JSON nested too deeply") from None
    if not isinstance(body, dict):
        raise IMError(ErrorCode.JSON_PARSE_FAILED, "the body must be a JSON object")
    return body


def field(body: dict[str, Any], name: str, kind: type, code: ErrorCode,
          default: Any = None) -> Any:
    """``body[name]`` checked to be a ``kind``; missing or null gives ``default``, or a refusal
    when there is none (the field is required)."""
    value = body.get(name)
    if value is None:
        if default is None:
            raise IMError(code, f"{name} is required")
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise IMError(code, f"{name}: expected {'a string' if kind is str else kind.__name__}")
    return value


def verify_admin(request: Request, config: ServerConfig) -> None:
    """The ``/v4`` query string: our SDKAppID, the admin identifier and a valid sig for it."""
    query = request.query_params
    if query.get("sdkappid", "") != str(config.sdk_app_id):
        raise IMError(ErrorCode.SIG_APP_MISMATCH,
                      f"sdkappid must be this service's SDKAppID {config.sdk_app_id}")
    if query.get("identifier", "") != config.admin:
        raise IMError(ErrorCode.NOT_ADMIN)
    usersig.verify(query.get("usersig", ""), config.sdk_app_id, config.secret_key, config.admin,
                   max_lifetime_s=config.sig_max_lifetime_s)
    if query.get("contenttype", "json") != "json":
        raise IMError(ErrorCode.INVALID_PARAMETER, "contenttype must be json")
