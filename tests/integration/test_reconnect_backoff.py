"""The reconnect backoff resets only after a connection stayed healthy, not when TCP opens."""

from __future__ import annotations

import asyncio
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from app.sdk import SDKConfig
from app.sdk.models import ConnectionState
from app.sdk.transport import Transport
from tests.support.clients import wait_until


async def _delays(hold_s: float, tmp_path: Any, count: int = 6) -> list[float]:
    """Reconnect delays against a server that accepts every connection and drops it after
    ``hold_s``."""
    async def handler(ws: ServerConnection) -> None:
        await asyncio.sleep(hold_s)  # the server's behaviour under test, not a proof
        await ws.close()

    delays: list[float] = []
    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        config = SDKConfig(data_dir=tmp_path, reconnect_min_s=0.02, reconnect_max_s=5.0,
                           healthy_after_s=0.3)

        async def connected() -> None:
            return None

        def on_state(state: ConnectionState, code: int, error: str) -> None:
            return None

        transport = Transport(f"ws://127.0.0.1:{port}", config, lambda *_: None, connected,
                              on_state, delays.append)
        transport.start()
        try:
            await wait_until(lambda: len(delays) >= count, timeout=30,
                             what=f"{count} reconnects")
        finally:
            await transport.stop()
    return delays[:count]


async def test_connections_that_die_at_once_keep_climbing_the_backoff(tmp_path):
    delays = await _delays(0.0, tmp_path)
    # Caps double per attempt: 0.02, 0.04 … 0.64 — the sixth is at least half its cap.
    assert delays[-1] >= 0.02 * 2 ** 5 / 2
    assert delays[-1] > delays[0] * 4


async def test_a_connection_that_stayed_healthy_resets_the_backoff(tmp_path):
    delays = await _delays(0.4, tmp_path, count=4)
    assert all(d <= 0.02 for d in delays)
