"""The WebSocket long connection: framing, login, dispatch, heartbeats, outgoing queues.

One ``Session`` per connection. Its receive loop only reads frames and routes them
(``lanes``): ``heartbeat`` and refusals are answered on the spot, read-only requests run
concurrently, and requests that change state run one at a time in arrival order; ``login`` and
``logout`` are barriers, finished before the next frame is read. So a slow pull never delays a
heartbeat or a send's ack. Every request gets exactly one answer, and no malformed or refused
frame closes the connection. ``msg.send`` answers with a future that resolves after the group
commit, so a client can pipeline sends without waiting for each commit. Outgoing frames go
through a per-session queue drained by one sender task: fan-out only enqueues, and a session
that falls too far behind — more frames or more bytes waiting than its budget — is dropped (its
client catches up with ``conv.sync``). A connection that does not log in soon after its
handshake is closed, so unauthenticated sockets cannot pile up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass
from functools import partial

import msgspec
from starlette.websockets import WebSocket

from app.cancelling import cancel_and_wait
from app.protocol import (
    COMMANDS,
    Cmd,
    ErrorCode,
    IMError,
    KickReason,
    MessageAck,
    Platform,
    usersig,
)
from app.protocol.commands import Empty, HeartbeatResp, LoginReq, LoginResp
from app.protocol.frames import (
    UNREADABLE,
    Request,
    decode_request,
    decode_request_body,
    encode_error,
    encode_response,
)
from app.protocol.ids import check_user_id
from app.server.clock import now_ms
from app.server.config import ServerConfig
from app.server.container import Services
from app.server.handlers import READ_ONLY_COMMANDS, Handler, command_handlers
from app.server.lanes import RequestLanes
from app.server.logs import log_context
from app.server.services.devices import kicked_frame

log = logging.getLogger(__name__)

OUTGOING_MAX = 10_000
"""Queued frames beyond which a session is dropped rather than buffered without bound."""
IDLE_HEARTBEATS = 3
"""A connection that sent nothing for this many heartbeat intervals is closed (S7)."""
DEVICE_ID_MAX = 128
CLOSE_KICKED = 4001
CLOSE_IDLE = 4002
CLOSE_NO_LOGIN = 4003
_BARRIERS = frozenset({Cmd.LOGIN, Cmd.LOGOUT})
"""Requests after these are read only once they are done: who the session is depends on them."""

_PLATFORMS = frozenset(Platform)


class _IdOnly(msgspec.Struct):
    id: int = 0


_id_decoder = msgspec.json.Decoder(_IdOnly)


def _readable_id(data: str | bytes) -> int:
    """The request id of a frame that failed validation, when it can still be read."""
    try:
        return max(_id_decoder.decode(data).id, 0)
    except UNREADABLE:
        return 0


@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: str


class Session:
    """One connection; once logged in it is a ``LiveSession`` in the registry."""

    def __init__(self, websocket: WebSocket, queue_bytes: int) -> None:
        self.id = secrets.token_hex(8)
        self.user_id = ""
        self.platform = ""
        self.device_id = ""
        self.last_seen = time.monotonic()
        self.closing = False
        self.sig_timer: asyncio.TimerHandle | None = None
        self.login_timer: asyncio.TimerHandle | None = None
        self._ws = websocket
        self._out: asyncio.Queue[bytes | _Close] = asyncio.Queue()
        self._queued_bytes = 0
        self._queue_bytes_max = queue_bytes
        self._sender: asyncio.Task[None] | None = None
        self._receiver: asyncio.Task[object] | None = None
        self._receiving = False
        self.lanes = RequestLanes()
        self.aborted = False

    @property
    def logged_in(self) -> bool:
        return bool(self.user_id)

    def deliver(self, frame: bytes) -> None:
        if self.closing:
            return
        if (self._out.qsize() >= OUTGOING_MAX
                or self._queued_bytes + len(frame) > self._queue_bytes_max):
            log.warning("session %s of %s is %d frames (%d bytes) behind; dropping it",
                        self.id, self.user_id or "-", self._out.qsize(), self._queued_bytes)
            self.abort()
            return
        self._queued_bytes += len(frame)
        self._out.put_nowait(frame)

    def kick(self, frame: bytes) -> None:
        self.deliver(frame)
        self.close(CLOSE_KICKED, "signed out by the service")

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued have been sent."""
        if not self.closing:
            self.closing = True
            self._out.put_nowait(_Close(code, reason))

    def abort(self) -> None:
        """Drop the connection now, without flushing: its socket is not draining.

        The receive loop ends (and uvicorn closes the transport) right away: it does no work
        that must not be interrupted, as requests run in the lanes. The state-changing request
        running there finishes, never cancelled in the middle; the ones queued behind it are
        dropped (their answers could not be sent; the client resends after reconnecting).
        """
        self.closing = True
        self.aborted = True
        if self._sender is not None:
            self._sender.cancel()
        if self._receiver is not None and self._receiving:
            self._receiver.cancel()

    def answer(self, req_id: int, future: asyncio.Future[MessageAck]) -> None:
        """Done-callback: answer a request whose result arrived later."""
        if future.cancelled():
            error: BaseException | None = IMError(ErrorCode.INTERNAL_ERROR, "cancelled")
        else:
            error = future.exception()
        if error is None:
            self.deliver(encode_response(req_id, future.result()))
        elif isinstance(error, IMError):
            self.deliver(encode_error(req_id, error))
        else:
            log.error("request %d failed", req_id, exc_info=error)
            self.deliver(encode_error(req_id, IMError(ErrorCode.INTERNAL_ERROR)))

    async def _send_loop(self) -> None:
        with contextlib.suppress(Exception):  # the peer went away; the receiver notices too
            while True:
                item = await self._out.get()
                if isinstance(item, _Close):
                    await self._ws.close(item.code, item.reason)
                    return
                await self._ws.send_text(item.decode())
                self._queued_bytes -= len(item)

    async def run(self, gateway: Gateway) -> None:
        self._sender = asyncio.create_task(self._send_loop())
        self._receiver = asyncio.current_task()
        self._receiving = True
        try:
            while not self.aborted:
                message = await self._ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                self.last_seen = time.monotonic()
                data = message.get("text")
                await gateway.receive(self, data if data is not None else message["bytes"])
        except asyncio.CancelledError:
            if not self.aborted or self._receiver is None:
                raise
            self._receiver.uncancel()  # our own abort: end the connection normally
        finally:
            self._receiving = False
            # What a client sent before going away still counts; after an abort it is dropped.
            await self.lanes.close(drain=not self.aborted)
            self._sender.cancel()


class Gateway:
    def __init__(self, config: ServerConfig, services: Services) -> None:
        self._config = config
        self._services = services
        self._frame_limit = config.limits.frame_bytes
        self._handlers: dict[str, Handler] = command_handlers(services)
        self._connections: set[Session] = set()
        self._sweeper: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._sweeper = asyncio.create_task(self._sweep(), name="idle-sweeper")

    async def stop(self) -> None:
        await cancel_and_wait(self._sweeper)

    async def serve(self, websocket: WebSocket) -> None:
        await websocket.accept()
        session = Session(websocket, self._config.session_queue_bytes)
        self._connections.add(session)
        self._await_login(session)
        try:
            await session.run(self)
        finally:
            self._connections.discard(session)
            self._end(session)
            if session.login_timer is not None:
                session.login_timer.cancel()

    def _await_login(self, session: Session) -> None:
        session.login_timer = asyncio.get_running_loop().call_later(
            self._config.login_timeout_s, self._login_overdue, session)

    def _login_overdue(self, session: Session) -> None:
        session.login_timer = None
        if session.logged_in or session.closing:
            return
        log.warning("closing connection %s: no login within %g s", session.id,
                    self._config.login_timeout_s)
        session.deliver(encode_error(0, IMError(
            ErrorCode.LOGIN_TIMEOUT, f"log in within {self._config.login_timeout_s:g} s "
            "of connecting")))
        session.close(CLOSE_NO_LOGIN, "no login")

    def _end(self, session: Session) -> None:
        if session.logged_in:
            self._services.registry.remove(session)
        if session.sig_timer is not None:
            session.sig_timer.cancel()
            session.sig_timer = None

    async def _sweep(self) -> None:
        """Close connections that went quiet (S7); abort those that did not close since."""
        limit = IDLE_HEARTBEATS * self._config.heartbeat_s
        while True:
            await asyncio.sleep(max(self._config.heartbeat_s / 2, 0.05))
            now = time.monotonic()
            for session in list(self._connections):
                if now - session.last_seen <= limit:
                    continue
                if session.closing:
                    session.abort()
                else:
                    log.info("closing idle connection %s (%s)", session.id, session.user_id)
                    session.close(CLOSE_IDLE, "no heartbeat")

    # --- requests --------------------------------------------------------------------------

    def _size(self, data: str | bytes) -> int:
        # A str of n characters encodes to at most 4n bytes: encode only when it could matter.
        if isinstance(data, str) and len(data) * 4 > self._frame_limit:
            return len(data.encode())
        return len(data)

    async def receive(self, session: Session, data: str | bytes) -> None:
        """Answer or route one frame; returns when the receive loop may read the next one."""
        if session.closing:  # kicked or closing: it may no longer act, and answers go nowhere
            return
        if self._size(data) > self._frame_limit:
            session.deliver(encode_error(0, IMError(
                ErrorCode.FRAME_TOO_LARGE, f"frames are limited to {self._frame_limit} bytes")))
            return
        try:
            frame = decode_request(data)
        except IMError as error:
            session.deliver(encode_error(_readable_id(data), error))
            return
        job = partial(self.handle, session, frame)
        cmd = frame.cmd
        if cmd in _BARRIERS:
            await (await session.lanes.ordered(job))
        elif cmd not in COMMANDS or cmd == Cmd.HEARTBEAT or not session.logged_in:
            await job()  # answered at once, without waiting for anything
        elif cmd in READ_ONLY_COMMANDS:
            await session.lanes.concurrent(job)
        else:
            await session.lanes.ordered(job)

    async def handle(self, session: Session, frame: Request) -> None:
        """Carry out one request and answer it; errors are answers too."""
        if session.closing:
            return
        with log_context(user=session.user_id, platform=session.platform, cmd=frame.cmd,
                         req=frame.id):
            try:
                result = await self._dispatch(session, frame)
            except IMError as error:
                session.deliver(encode_error(frame.id, error))
                return
            except Exception:
                log.exception("request failed")
                session.deliver(encode_error(frame.id, IMError(ErrorCode.INTERNAL_ERROR)))
                return
        if isinstance(result, asyncio.Future):
            result.add_done_callback(partial(session.answer, frame.id))
        else:
            session.deliver(encode_response(frame.id, result))

    async def _dispatch(self, session: Session, frame: Request) -> object:
        cmd = frame.cmd
        if cmd not in COMMANDS:
            raise IMError(ErrorCode.UNKNOWN_COMMAND, f"unknown command {cmd!r}")
        if cmd == Cmd.LOGIN:
            return await self._login(session, decode_request_body(frame))
        if not session.logged_in:
            raise IMError(ErrorCode.NOT_LOGGED_IN)
        body = decode_request_body(frame)
        if cmd == Cmd.HEARTBEAT:
            return HeartbeatResp(now_ms())
        if cmd == Cmd.LOGOUT:
            return await self._logout(session)
        return await self._handlers[cmd](session, body)

    async def _login(self, session: Session, req: LoginReq) -> LoginResp:
        if session.logged_in:
            raise IMError(ErrorCode.ALREADY_LOGGED_IN)
        config = self._config
        if req.sdk_app_id != config.sdk_app_id:
            raise IMError(ErrorCode.SIG_APP_MISMATCH,
                          f"this service serves SDKAppID {config.sdk_app_id}")
        if req.platform not in _PLATFORMS:
            raise IMError(ErrorCode.UNSUPPORTED_PLATFORM,
                          f"unknown platform {req.platform!r}; use one of "
                          + ", ".join(p.value for p in Platform))
        if len(req.device_id) > DEVICE_ID_MAX:
            raise IMError(ErrorCode.INVALID_BODY, f"device_id: at most {DEVICE_ID_MAX} chars")
        check_user_id(req.user_id)
        ticket = usersig.verify(req.user_sig, config.sdk_app_id, config.secret_key, req.user_id,
                                max_lifetime_s=config.sig_max_lifetime_s)
        profile = await self._services.devices.sign_in(req.user_id, req.platform, req.device_id,
                                                       req.resume, session.id)
        session.user_id, session.platform, session.device_id = (
            req.user_id, req.platform, req.device_id)
        self._services.registry.add(session)
        if session.login_timer is not None:
            session.login_timer.cancel()
            session.login_timer = None
        delay = max(ticket.expires_at - time.time(), 0)
        session.sig_timer = asyncio.get_running_loop().call_later(
            delay, self._sig_expired, session)
        log.info("logged in %s on %s", req.user_id, req.platform)
        identity = self._services.identity
        return LoginResp(now_ms(), config.heartbeat_s, profile, ticket.expires_at,
                         store_id=identity.store_id, epoch=identity.epoch)

    def _sig_expired(self, session: Session) -> None:
        session.sig_timer = None
        self._services.registry.remove(session)
        session.kick(kicked_frame(KickReason.SIG_EXPIRED, ErrorCode.SIG_EXPIRED))

    async def _logout(self, session: Session) -> Empty:
        self._end(session)
        user_id, platform, device_id = session.user_id, session.platform, session.device_id
        session.user_id = session.platform = session.device_id = ""
        await self._services.devices.sign_out(user_id, platform, device_id)
        self._await_login(session)
        return Empty()
