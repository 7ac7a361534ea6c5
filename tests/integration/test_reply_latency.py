"""Replies leave the service at once: the listening socket is created so that asyncio turns
Nagle's algorithm off on every accepted connection. Without it uvicorn's separate writes of a
reply's head and body meet the client's delayed ACK, and each reply waits ~40 ms — a media
upload of 1 MiB chunks ran at 18 instead of 70 MB/s, and every media declaration took 48 ms.
"""

from __future__ import annotations

import statistics
import time

import httpx

from tests.support.service import Service

REQUESTS = 12
CEILING_MS = 20.0
"""Far above a loopback reply (~1 ms), well below the delayed-ACK wait (40 ms)."""


def test_replies_do_not_wait_for_a_delayed_ack(service: Service) -> None:
    with httpx.Client(base_url=service.url, timeout=10) as http:
        http.get("/healthz")  # the connection is open and warm
        took = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            reply = http.get(f"/media/uploads/{'0' * 32}")
            took.append((time.perf_counter() - start) * 1000)
            assert reply.status_code in (401, 403, 404)
    assert statistics.median(took) < CEILING_MS, took
