"""Which web pages and host names may reach the client APIs (``/api``, ``/ws``, ``/media``).

A browser lets any page POST a form to ``http://127.0.0.1:8700/api/register`` or open a
WebSocket to it, and a page on a rebinding domain can make its own name resolve to 127.0.0.1.
The desktop SDK sends neither an ``Origin`` nor a foreign ``Host``, so both are checked: an
``Origin`` not explicitly allowed is refused, and a service bound to loopback answers only to
loopback host names. The admin API (``/v4``) authenticates every request in its URL and is left
to clients of any kind.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import msgspec
from starlette.types import ASGIApp, Receive, Scope, Send

from app.protocol import ErrorCode
from app.protocol.addresses import is_loopback

log = logging.getLogger(__name__)

GUARDED_PREFIXES = ("/api/", "/ws", "/media/")
def _host_name(authority: str) -> str:
    """The name part of a ``Host`` header (``[::1]:8700`` → ``::1``)."""
    if authority.startswith("["):
        return authority[1:].partition("]")[0]
    name, _, port = authority.rpartition(":")
    return name if name and port.isdigit() else authority


class OriginGuard:
    def __init__(self, app: ASGIApp, *, bound_host: str, allowed_origins: Collection[str],
                 allowed_hosts: Collection[str]) -> None:
        self._app = app
        self._origins = frozenset(origin.rstrip("/").lower() for origin in allowed_origins)
        self._hosts = frozenset(host.lower() for host in allowed_hosts)
        self._loopback_only = not self._hosts and is_loopback(bound_host)

    def _host_allowed(self, host: str) -> bool:
        name = _host_name(host).lower()
        if self._hosts:
            return name in self._hosts
        return not self._loopback_only or is_loopback(name)

    def _refusal(self, headers: dict[bytes, bytes]) -> str | None:
        origin = headers.get(b"origin", b"").decode("latin-1").rstrip("/").lower()
        if origin and origin not in self._origins:
            return f"origin {origin!r} is not allowed"
        host = headers.get(b"host", b"").decode("latin-1")
        if not self._host_allowed(host):
            return f"host {host!r} is not this service's"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not scope["path"].startswith(
                GUARDED_PREFIXES):
            await self._app(scope, receive, send)
            return
        reason = self._refusal(dict(scope["headers"]))
        if reason is None:
            await self._app(scope, receive, send)
            return
        client = scope.get("client") or ("?", 0)
        log.warning("refused %s %s from %s: %s", scope["type"], scope["path"], client[0], reason)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": reason})
            return
        body = msgspec.json.encode({"ActionStatus": "FAIL",
                                    "ErrorCode": int(ErrorCode.ORIGIN_NOT_ALLOWED),
                                    "ErrorInfo": reason})
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
