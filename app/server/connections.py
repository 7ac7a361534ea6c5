"""Admission and deadlines for TCP connections, before any request reaches the application.

uvicorn times out only the idle gap between keep-alive requests, so a client that connects and
says nothing, trickles its request head or body, or never finishes a WebSocket handshake holds
a socket (and a file descriptor) forever; enough of them and nobody else gets in. The HTTP
protocol here adds:

- a connection cap, counted over HTTP and WebSocket connections alike, kept below the process's
  open-file limit so the accept loop never runs out of descriptors; a connection over the cap is
  answered ``503`` with code 9507 and a ``Retry-After``, then closed after a short linger (closing
  with the client's request unread would reset the connection before it reads the answer);
- a deadline for the request head (the WebSocket handshake is a request head too): a connection
  that has not sent a complete one within ``header_timeout_s`` of connecting, or of finishing its
  previous response, is closed;
- a deadline for the request body, from the end of the head.

What happens after the WebSocket handshake (pre-login and heartbeat deadlines) is the gateway's.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.protocol import ErrorCode

log = logging.getLogger(__name__)

RESERVED_FILES = 128
"""Descriptors kept free of connections: the database, its journal, logs, the listening socket."""
LINGER_S = 1.0
RETRY_AFTER_S = 5


@dataclass(frozen=True, slots=True)
class Admission:
    max_connections: int
    header_timeout_s: float
    body_timeout_s: float


def raise_open_file_limit() -> int:
    """Raise the soft open-file limit to the hard one (a common soft default is 1,024, far below
    what a chat service holds open); the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit from %d to %d: %s", soft, target, exc)
    return soft


def connection_cap(configured: int, open_files: int) -> int:
    """The configured cap, lowered to what the open-file limit can hold."""
    return max(1, min(configured, open_files - RESERVED_FILES))


def _busy_answer() -> bytes:
    body = (b'{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"%s"}'
            % (ErrorCode.SERVICE_BUSY, ErrorCode.SERVICE_BUSY.message.encode()))
    head = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
            b"retry-after: %d\r\nconnection: close\r\ncontent-length: %d\r\n\r\n"
            % (RETRY_AFTER_S, len(body)))
    return head + body


_BUSY = _busy_answer()


def guarded_protocol(admission: Admission) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the cap and the deadlines of ``admission``."""
    lingering = 0  # refused connections still open; they spend the reserved descriptors

    class GuardedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _refused = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.server_state.connections) >= admission.max_connections:
                self._refuse(transport)
                return
            super().connection_made(transport)
            self._arm(admission.header_timeout_s, "request head")

        def _refuse(self, transport: asyncio.Transport) -> None:
            self._refused = True
            self.transport = transport
            peer = transport.get_extra_info("peername")
            log.warning("refusing a connection from %s: %d connections open, the cap is %d",
                        peer[0] if peer else "?", len(self.server_state.connections),
                        admission.max_connections)
            transport.write(_BUSY)
            nonlocal lingering
            if lingering >= RESERVED_FILES // 2 or not transport.can_write_eof():
                transport.close()  # a flood: descriptors matter more than a clean answer
                return
            transport.write_eof()
            lingering += 1
            self.loop.call_later(LINGER_S, self._end_linger, transport)

        def _end_linger(self, transport: asyncio.Transport) -> None:
            nonlocal lingering
            lingering -= 1
            transport.close()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            before = self.conn.their_state
            super().data_received(data)
            self._follow(before)

        def eof_received(self) -> None:
            if self._refused:
                self.transport.close()

        def _follow(self, before: object) -> None:
            """Move the deadline along with the request: head → body → answered."""
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                self._disarm()  # closed, or upgraded to a WebSocket: the gateway's from here
                return
            state = self.conn.their_state
            if state is before:
                return
            if state is h11.SEND_BODY:
                self._arm(admission.body_timeout_s, "request body")
            elif state is not h11.IDLE:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm(admission.header_timeout_s, "request head")

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if not self._refused:
                super().connection_lost(exc)

        def _arm(self, seconds: float, waiting_for: str) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(seconds, self._expired, waiting_for, seconds)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expired(self, waiting_for: str, seconds: float) -> None:
            self._deadline = None
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                return
            log.warning("closing a connection from %s: no complete %s within %g s",
                        self.client[0] if self.client else "?", waiting_for, seconds)
            if self.cycle is not None and not self.cycle.response_complete:
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            self.transport.close()

    return GuardedH11Protocol
