"""The long connection: one WebSocket, requests matched to answers, pushes, heartbeats and
reconnection with exponential backoff and full jitter.

The transport knows nothing about accounts: after every successful connect it awaits the
``on_connected`` hook (the client's automatic re-login and catch-up) and hands pushes to
``on_push``. Requests made while disconnected fail at once with SDK_NETWORK_UNAVAILABLE — the
outbox and the operation queue, not the transport, are what retry.

A request that timed out is not forgotten: its future stays matched to its id until the
connection ends, so an answer that arrives late (after a stall the heartbeat did not catch) still
reaches whoever asked for it with ``on_late``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, NamedTuple

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from app.cancelling import cancel_and_wait
from app.protocol import PUSHES, Cmd, ErrorCode, IMError, frames
from app.protocol.limits import CLIENT_FRAME_MAX

from .config import SDKConfig
from .models import ConnectionState

log = logging.getLogger("tidings.sdk.transport")

StateCallback = Callable[[ConnectionState, int, str], None]


def ws_url(server_url: str) -> str:
    """Accept ``http(s)://host:port`` or ``ws(s)://host:port[/ws]``."""
    url = server_url.rstrip("/")
    if url.startswith("http://"):
        url = "ws://" + url[len("http://"):]
    elif url.startswith("https://"):
        url = "wss://" + url[len("https://"):]
    return url if url.endswith("/ws") else url + "/ws"


def backoff_delay(attempt: int, low: float, high: float) -> float:
    """Full jitter: uniform in [cap/2, cap] with cap doubling per attempt, so a fleet of clients
    that lost the same server does not come back in lockstep."""
    cap = min(high, low * (2 ** min(attempt, 16)))
    return random.uniform(cap / 2, cap)


class Transport:
    def __init__(self, url: str, config: SDKConfig,
                 on_push: Callable[[str, Any], None],
                 on_connected: Callable[[], Awaitable[None]],
                 on_state: StateCallback,
                 on_retry: Callable[[float], None]) -> None:
        self.url = ws_url(url)
        self.config = config
        self.heartbeat_s = 25.0
        self._on_push = on_push
        self._on_connected = on_connected
        self._on_state = on_state
        self._on_retry = on_retry
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopped = False
        self._last_frame = 0.0
        self.state = ConnectionState.DISCONNECTED

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="transport")

    async def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        if self._ws is not None:
            await self._ws.close()
        await cancel_and_wait(self._task)
        self._task = None

    def reconnect_now(self) -> None:
        """Skip the current backoff wait (network came back, user pressed retry)."""
        self._wake.set()

    def drop(self) -> None:
        """Abort the current connection; the run loop reconnects."""
        if self._ws is not None:
            _abort(self._ws)

    async def submit(self, cmd: Cmd | str, body: Any,
                     on_answer: Callable[[Any], None] | None = None) -> asyncio.Future[Any]:
        """Write a request and return the future of its answer without waiting for it.

        The service handles one connection's requests in arrival order, so requests submitted
        one after another are processed in that order even while many are in flight — this is
        what lets the outbox pipeline sends and still keep them in the order they were written.

        ``on_answer`` gets a successful answer the moment its frame is read, before any frame
        after it: a caller that queues work there keeps the service's order between the answer
        and the pushes that follow it (a future's callbacks would run only after those).
        """
        ws = self._ws
        if ws is None:
            raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, "not connected to the service")
        req_id = next(self._ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = _Pending(fut, str(cmd), on_answer)
        fut.add_done_callback(lambda _: self._pending.pop(req_id, None))
        try:
            await ws.send(frames.encode_request(req_id, str(cmd), body).decode())
        except WebSocketException:
            fut.cancel()
            raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, "the connection closed") from None
        return fut

    async def request(self, cmd: Cmd | str, body: Any, timeout: float | None = None) -> Any:
        fut = await self.submit(cmd, body)
        return await self.answer(fut, str(cmd), timeout)

    async def answer(self, fut: asyncio.Future[Any], what: str,
                     timeout: float | None = None,
                     on_late: Callable[[Any], None] | None = None) -> Any:
        """Wait for an answer. On timeout the request stays matched: ``on_late`` gets its result
        if it still arrives on this connection (a late ack must still be applied)."""
        try:
            return await asyncio.wait_for(asyncio.shield(fut),
                                          timeout or self.config.request_timeout_s)
        except TimeoutError:
            fut.add_done_callback(partial(_late, on_late))
            raise IMError(ErrorCode.SDK_REQUEST_TIMEOUT, f"{what} got no answer") from None

    @property
    def linked(self) -> bool:
        """A socket is open (it may still be stalled; only answers prove it flows)."""
        return self._ws is not None

    # --- internals -----------------------------------------------------------------------

    def _set_state(self, state: ConnectionState, code: int = 0, error: str = "") -> None:
        self.state = state
        self._on_state(state, code, error)

    async def _run(self) -> None:
        attempt = 0
        while not self._stopped:
            self._set_state(ConnectionState.CONNECTING)
            try:
                ws = await connect(self.url, compression=None, ping_interval=None,
                                   max_size=CLIENT_FRAME_MAX, proxy=None,
                                   open_timeout=self.config.connect_timeout_s)
            except (OSError, TimeoutError, WebSocketException) as exc:
                self._set_state(ConnectionState.DISCONNECTED,
                                ErrorCode.SDK_NETWORK_UNAVAILABLE, str(exc) or type(exc).__name__)
                await self._wait_before_retry(attempt)
                attempt += 1
                continue
            opened = time.monotonic()
            await self._serve(ws)
            if self._stopped:
                return
            # Only a connection that stayed healthy earns a quick reconnect; one that opened
            # and died at once keeps climbing the backoff like a refused connect.
            healthy = time.monotonic() - opened >= self.config.healthy_after_s
            attempt = 0 if healthy else attempt + 1
            self._set_state(ConnectionState.DISCONNECTED,
                            ErrorCode.SDK_NETWORK_UNAVAILABLE, "connection lost")
            await self._wait_before_retry(attempt)

    async def _wait_before_retry(self, attempt: int) -> None:
        delay = backoff_delay(attempt, self.config.reconnect_min_s, self.config.reconnect_max_s)
        self._on_retry(delay)
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), delay)

    async def _serve(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._last_frame = time.monotonic()
        self._set_state(ConnectionState.CONNECTED)
        loop = asyncio.get_running_loop()
        heartbeat = loop.create_task(self._heartbeat(ws), name="heartbeat")
        hook = loop.create_task(self._on_connected(), name="on-connected")
        try:
            async for data in ws:
                self._last_frame = time.monotonic()
                self._dispatch(data)
        except WebSocketException as exc:
            log.info("connection closed: %s", exc)
        finally:
            self._ws = None
            heartbeat.cancel()
            hook.cancel()
            for fut, _, _ in self._pending.values():
                if not fut.done():
                    fut.set_exception(IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE,
                                              "the connection closed"))
            self._pending.clear()
            for task in (heartbeat, hook):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def _dispatch(self, data: str | bytes) -> None:
        try:
            frame = frames.decode_incoming(data)
        except IMError:
            log.warning("dropping an undecodable frame from the service")
            return
        if frame.push:
            if frame.push not in PUSHES:
                log.debug("ignoring unknown push %s", frame.push)
                return
            try:
                body = frames.decode_push_body(frame)
            except IMError as exc:
                log.warning("bad %s push: %s", frame.push, exc)
                return
            self._on_push(frame.push, body)
            return
        entry = self._pending.get(frame.re)
        if entry is None:
            if frame.code:
                log.warning("service error %s for request %s: %s", frame.code, frame.re, frame.msg)
            return
        fut, cmd, on_answer = entry
        if fut.done():
            return
        if frame.code:
            fut.set_exception(IMError(frame.code, frame.msg))
            return
        try:
            result = frames.decode_response_body(cmd, frame)
        except IMError as exc:
            fut.set_exception(exc)
            return
        if on_answer is not None:
            on_answer(result)
        fut.set_result(result)

    async def _heartbeat(self, ws: ClientConnection) -> None:
        """Detect a dead link from this side: a heartbeat that goes unanswered, or silence for
        two intervals, closes the socket so the run loop reconnects."""
        while True:
            await asyncio.sleep(self.heartbeat_s)
            if time.monotonic() - self._last_frame > 2 * self.heartbeat_s:
                log.info("no frame for %.0fs; reconnecting", 2 * self.heartbeat_s)
                _abort(ws)
                return
            try:
                await self.request(Cmd.HEARTBEAT, {})
            except IMError as exc:
                if exc.code == ErrorCode.SDK_REQUEST_TIMEOUT:
                    log.info("heartbeat unanswered; reconnecting")
                    _abort(ws)
                    return


class _Pending(NamedTuple):
    fut: asyncio.Future[Any]
    cmd: str
    on_answer: Callable[[Any], None] | None


def _late(on_late: Callable[[Any], None] | None, fut: asyncio.Future[Any]) -> None:
    """Hand a late answer to its taker; a late refusal or a closed link is only retrieved."""
    if fut.cancelled() or fut.exception() is not None:
        return
    if on_late is not None:
        on_late(fut.result())


def _abort(ws: ClientConnection) -> None:
    """A dead link cannot complete a closing handshake; drop the socket at once."""
    ws.transport.abort()
