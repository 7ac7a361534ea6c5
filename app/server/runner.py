"""Running the service: bind, serve with uvicorn, announce readiness, shut down on a signal.

The socket is bound here rather than by uvicorn so that port 0 works: the port the OS chose is
known before anything is announced. Exactly one line goes to stdout once the service accepts
connections — ``tidings-server ready {json}`` — which tests and the desktop app parse to find a
service started on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import uvicorn

from app.process_stop import stop_event
from app.server.app import build_app
from app.server.config import ServerConfig
from app.server.connections import (
    Admission,
    connection_cap,
    guarded_protocol,
    raise_open_file_limit,
)
from app.server.logs import demote_client_faults

log = logging.getLogger(__name__)

WS_MAX_SIZE = 4 * 1024 * 1024
"""Larger frames close the connection (1009); between 1 MiB and this the gateway answers 9522."""
GRACEFUL_SHUTDOWN_S = 5
READY_PREFIX = "tidings-server ready "


@dataclass(frozen=True, slots=True)
class Endpoint:
    host: str
    port: int

    @property
    def _authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self._authority}"

    @property
    def ws(self) -> str:
        return f"ws://{self._authority}/ws"


class ListenError(RuntimeError):
    """The address cannot be bound (typically: the port is taken)."""


class _Server(uvicorn.Server):
    """uvicorn re-raises the signals it caught after shutting down, which turns a clean
    SIGTERM into a death by signal; ``run`` owns signal handling instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it a reply's body waits ~40 ms behind its headers (delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def _loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
    """Out of descriptors or buffers while accepting (``EMFILE``, ``ENOBUFS``) is the system
    under load, not a bug: one line (the log's repeat filter keeps it to one per interval), no
    traceback. Everything else gets asyncio's full report."""
    error = context.get("exception")
    if isinstance(error, OSError):
        log.error("%s: %s", context.get("message", "event loop"), error)
        return
    loop.default_exception_handler(context)


@contextlib.asynccontextmanager
async def serving(config: ServerConfig) -> AsyncIterator[Endpoint]:
    """Run the service in this event loop for the duration of the block."""
    sock = _bind(config.host, config.port)
    cap = connection_cap(config.max_connections, raise_open_file_limit())
    if cap < config.max_connections:
        log.info("at most %d connections: the open-file limit holds no more", cap)
    admission = Admission(cap, config.header_timeout_s, config.body_timeout_s)
    asyncio.get_running_loop().set_exception_handler(_loop_error)
    demote_client_faults()
    server = _Server(uvicorn.Config(
        build_app(config), http=guarded_protocol(admission), lifespan="on", log_config=None,
        access_log=False, ws_max_size=WS_MAX_SIZE, ws_per_message_deflate=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the service stopped while starting")
            await asyncio.sleep(0.01)
        yield Endpoint(config.host, sock.getsockname()[1])
    finally:
        server.should_exit = True
        await task
        sock.close()


async def run(config: ServerConfig, exit_with_stdin: bool = False) -> None:
    """Serve until SIGTERM/SIGINT (or, for the desktop app's child, until stdin closes)."""
    stop = await stop_event(exit_with_stdin)
    async with serving(config) as endpoint:
        ready = {"url": endpoint.url, "ws": endpoint.ws, "sdk_app_id": config.sdk_app_id,
                 "admin": config.admin, "data_dir": str(config.data_dir)}
        print(READY_PREFIX + json.dumps(ready), flush=True)
        await stop.wait()
        log.info("shutting down")
