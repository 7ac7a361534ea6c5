"""Floods: a receiver that never reads is dropped at its byte budget (and catches up after),
guessing passwords, registering and sending beyond the configured rates get 9506 with when
to retry, and the service goes on serving everyone else meanwhile."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import msgspec
import pytest

from app.protocol import ErrorCode
from app.server.ratelimit import Rate

from .conftest import Service

BUDGET = 256 * 1024
TEXT = "x" * 11_000  # under the 12 KB payload limit


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"session_queue_bytes": BUDGET, "rate_send": Rate(0, 1),
            "rate_login": Rate(5, 60), "rate_login_failures": Rate(3, 300),
            "rate_register": Rate(4, 3600)}


async def test_a_receiver_that_never_reads_is_dropped_and_catches_up(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    sock = bob.ws.transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    bob.ws.transport.pause_reading()  # bob's machine stops reading; the service keeps sending
    sent = 0
    while not any("behind; dropping it" in r.getMessage() for r in caplog.records):
        started = time.monotonic()
        acks = await asyncio.gather(*(alice.send("bob", TEXT) for _ in range(50)))
        assert time.monotonic() - started < 5, "alice was held up by bob's backlog"
        assert all(ack["seq"] > 0 for ack in acks)
        sent += len(acks)
        assert sent <= 5000, "bob's session was never dropped"
    bob.ws.transport.resume_reading()
    await bob.closed(10)
    again = await service.login("bob", device_id="bob-desktop-2")
    (conv,) = (await again.call("conv.sync", {}))["conversations"]
    assert conv["max_seq"] == sent and conv["unread"] == sent
    # The budget is bytes, not frames: far fewer than the 10,000-frame cap were queued.
    assert sent * len(TEXT) < 200 * BUDGET
    print(f"slow reader dropped after {sent} messages of {len(TEXT)} bytes "
          f"(budget {BUDGET} bytes)")


async def _post(service: Service, path: str, body: dict[str, Any]
                ) -> tuple[int, dict[str, Any], str]:
    async with service.http() as http:
        reply = await http.post(path, json=body)
    return reply.status_code, msgspec.json.decode(reply.content), reply.headers.get(
        "retry-after", "")


async def test_sign_ins_per_address_are_limited(service: Service) -> None:
    status, reply, _ = await _post(service, "/api/register",
                                   {"UserID": "alice", "Password": "right-password"})
    assert reply["ErrorCode"] == 0
    for n in range(5):  # one machine trying many accounts
        assert (await _post(service, "/api/login", {"UserID": f"u{n}", "Password": "guess"})
                )[1]["ErrorCode"] == ErrorCode.WRONG_CREDENTIALS
    status, reply, retry = await _post(service, "/api/login",
                                       {"UserID": "alice", "Password": "right-password"})
    assert status == 429 and reply["ErrorCode"] == ErrorCode.RATE_LIMITED
    assert int(retry) == reply["RetryAfter"] > 0 and "retry after" in reply["ErrorInfo"]


@pytest.mark.parametrize("service_options", [{"rate_login": Rate(0, 1),
                                              "rate_login_failures": Rate(3, 300)}])
async def test_failed_sign_ins_lock_the_account_not_the_others(service: Service) -> None:
    for user in ("alice", "carol"):
        assert (await _post(service, "/api/register", {"UserID": user, "Password": "secret1"})
                )[1]["ErrorCode"] == 0
    assert (await _post(service, "/api/login", {"UserID": "alice", "Password": "secret1"})
            )[1]["ErrorCode"] == 0  # the owner's own sign-ins are not counted
    for _ in range(3):
        assert (await _post(service, "/api/login", {"UserID": "alice", "Password": "nope"})
                )[1]["ErrorCode"] == ErrorCode.WRONG_CREDENTIALS
    status, reply, _ = await _post(service, "/api/login",
                                   {"UserID": "alice", "Password": "secret1"})
    assert status == 429 and reply["ErrorCode"] == ErrorCode.RATE_LIMITED
    assert (await _post(service, "/api/login", {"UserID": "carol", "Password": "secret1"})
            )[1]["ErrorCode"] == 0


async def test_registrations_per_address_are_limited(service: Service) -> None:
    for n in range(4):
        assert (await _post(service, "/api/register", {"UserID": f"u{n}", "Password": "secret1"})
                )[1]["ErrorCode"] == 0
    status, reply, _ = await _post(service, "/api/register",
                                   {"UserID": "u9", "Password": "secret1"})
    assert status == 429 and reply["ErrorCode"] == ErrorCode.RATE_LIMITED
    assert (await service.admin("im_open_login_svc/account_check",
                                {"CheckItem": [{"UserID": "u9"}]})
            )["ResultItem"][0]["AccountStatus"] == "NotImported"


@pytest.mark.parametrize("service_options", [{"rate_send": Rate(10, 60)}])
async def test_sends_beyond_the_rate_are_refused_and_not_stored(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    for n in range(10):
        await alice.send("bob", f"m{n}")
    refused = await alice.request("msg.send", {"msg": {
        "msg_id": "over", "conv_type": 1, "sender": "alice", "receiver": "bob",
        "elems": [{"type": "text", "text": "one too many"}]}})
    assert refused["code"] == ErrorCode.RATE_LIMITED and "retry after" in refused["msg"]
    (conv,) = (await bob.call("conv.sync", {}))["conversations"]
    assert conv["max_seq"] == 10
    assert (await bob.send("alice", "bob has his own budget"))["seq"] == 11
