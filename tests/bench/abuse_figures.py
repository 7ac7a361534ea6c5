"""What hostile and slow clients cost the service, measured on the real process.

- memory after a receiver that never reads is flooded, and once it has been dropped;
- resident memory with N idle, unauthenticated connections (silent TCP sockets, and WebSockets
  that completed the handshake but never log in), beside the service's memory at rest, and
  again for a second wave (memory reused rather than grown);
- how long until the service has closed all of them (the head and login deadlines);
- the sign-in rate one address reaches against ``/api/login`` (the per-address limit), beside
  the rate the same loop reaches with the limit off (the ceiling).

    python -m tests.bench.abuse_figures [--sockets N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.service import Service

TEXT = "x" * 11_000


def rss_mb(service: Service) -> float:
    assert service.proc is not None
    return psutil.Process(service.proc.pid).memory_info().rss / 2**20


async def idle_sockets(service: Service, count: int, wave: str) -> None:
    started = time.monotonic()
    tcp = [await asyncio.open_connection("127.0.0.1", service.port) for _ in range(count)]
    print(f"{wave}: {count} silent TCP sockets open after {time.monotonic() - started:.1f} s: "
          f"service RSS {rss_mb(service):.0f} MB", flush=True)
    await asyncio.gather(*(reader.read() for reader, _ in tcp))
    print(f"  all closed by the service {time.monotonic() - started:.1f} s after the first "
          "connect", flush=True)
    for _, writer in tcp:
        writer.close()

    started = time.monotonic()
    sockets: list[ClientConnection] = []
    for _ in range(count):
        sockets.append(await connect(service.ws, ping_interval=None, compression=None))
    print(f"{wave}: {count} WebSockets that never log in, open after "
          f"{time.monotonic() - started:.1f} s: service RSS {rss_mb(service):.0f} MB",
          flush=True)
    await asyncio.gather(*(ws.wait_closed() for ws in sockets))
    print(f"  all closed by the service {time.monotonic() - started:.1f} s after the first "
          f"connect; service RSS {rss_mb(service):.0f} MB", flush=True)


async def login(service: Service, user: str) -> ClientConnection:
    ws = await connect(service.ws, ping_interval=None, compression=None, max_size=None)
    await ws.send(f'{{"id":1,"cmd":"login","body":{{"sdk_app_id":{service.sdk_app_id},'
                  f'"user_id":"{user}","user_sig":"{service.sig(user)}",'
                  f'"device_id":"{user}-bench"}}}}')
    reply = await ws.recv()
    assert '"code"' not in str(reply), reply
    return ws


async def slow_reader(service: Service, messages: int) -> None:
    sender = await login(service, "flooder")
    reader = await login(service, "sleeper")
    reader.transport.pause_reading()
    before = rss_mb(service)
    window = 64
    for start in range(0, messages, window):
        for n in range(start, min(start + window, messages)):
            await sender.send(
                f'{{"id":{n + 2},"cmd":"msg.send","body":{{"msg":{{"msg_id":"f{n}",'
                f'"conv_type":1,"sender":"flooder","receiver":"sleeper","elems":'
                f'[{{"type":"text","text":"{TEXT}"}}]}}}}}}')
        for _ in range(start, min(start + window, messages)):
            await sender.recv()
    print(f"slow reader: {messages} messages of {len(TEXT)} bytes sent to a receiver that "
          f"never reads: service RSS {before:.0f} → {rss_mb(service):.0f} MB", flush=True)
    reader.transport.resume_reading()
    with contextlib.suppress(ConnectionClosed):
        async for _ in reader:  # what was already on its way, then the end
            pass
    print(f"  receiver dropped (close {reader.close_code}); service RSS "
          f"{rss_mb(service):.0f} MB", flush=True)
    await sender.close()


async def login_rate(service: Service, seconds: float) -> float:
    done = 0
    refused = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        while time.monotonic() < deadline:
            reply = await http.post("/api/login", json={"UserID": f"guess{done + refused}",
                                                        "Password": "wrong-password"})
            if reply.status_code == 429:
                refused += 1
            else:
                done += 1
    return done / seconds


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        service = Service(Path(tmp) / "svc", extra_args=["--log-level", "warning"]).start()
        try:
            print(f"service at rest: RSS {rss_mb(service):.0f} MB", flush=True)
            await slow_reader(service, 2000)
            await idle_sockets(service, count, "first wave")
            await idle_sockets(service, count, "second wave (memory reused, not grown)")
            limited = await login_rate(service, 10)
        finally:
            service.stop()
        ceiling = Service(Path(tmp) / "open", extra_args=[
            "--log-level", "warning", "--rate-login", "0", "--rate-login-failures", "0"]).start()
        try:
            unlimited = await login_rate(ceiling, 5)
        finally:
            ceiling.stop()
    print(f"password sign-ins from one address: {limited:.1f}/s with the default limit, "
          f"{unlimited:.1f}/s without (ratio {limited / unlimited:.3f})", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=3000)
    asyncio.run(main(parser.parse_args().sockets))
