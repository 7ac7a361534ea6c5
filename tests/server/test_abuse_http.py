"""Oversized HTTP bodies and passwords: refused with a code before they cost the service memory
or hashing time, and nothing is created."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

from app.protocol import ErrorCode
from app.server.services.accounts import MAX_PASSWORD_BYTES

from .conftest import Service


async def _answer(service: Service, path: str, **kwargs: Any) -> dict[str, Any]:
    async with service.http() as http:
        reply = await http.post(path, **kwargs)
    return msgspec.json.decode(reply.content)


async def test_a_body_over_the_limit_is_refused_declared_or_streamed(service: Service) -> None:
    most = service.config.limits.frame_bytes
    big = msgspec.json.encode({"UserID": "mallory", "Password": "x" * most})
    answer = await _answer(service, "/api/register", content=big,
                           headers={"content-type": "application/json"})
    assert answer["ErrorCode"] == ErrorCode.FRAME_TOO_LARGE

    async def trickle() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        for start in range(0, len(big), 64 * 1024):
            yield big[start:start + 64 * 1024]

    answer = await _answer(service, "/api/register", content=trickle(),
                           headers={"content-type": "application/json"})
    assert answer["ErrorCode"] == ErrorCode.FRAME_TOO_LARGE
    answer = await _answer(service, "/api/login", json={"UserID": "mallory", "Password": "x"})
    assert answer["ErrorCode"] == ErrorCode.WRONG_CREDENTIALS  # nothing was created


async def test_passwords_longer_than_the_limit_are_never_hashed(service: Service) -> None:
    long = "p" * (MAX_PASSWORD_BYTES + 1)
    answer = await _answer(service, "/api/register", json={"UserID": "alice", "Password": long})
    assert answer["ErrorCode"] == ErrorCode.PASSWORD_TOO_WEAK and "bytes" in answer["ErrorInfo"]
    ok = await _answer(service, "/api/register",
                       json={"UserID": "alice", "Password": "p" * MAX_PASSWORD_BYTES})
    assert ok["ErrorCode"] == 0
    answer = await _answer(service, "/api/login", json={"UserID": "alice", "Password": long})
    assert answer["ErrorCode"] == ErrorCode.WRONG_CREDENTIALS
    ok = await _answer(service, "/api/login",
                       json={"UserID": "alice", "Password": "p" * MAX_PASSWORD_BYTES})
    assert ok["ErrorCode"] == 0
